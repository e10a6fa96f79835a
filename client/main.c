/*
 * main.c
 *		The issuelist client: options, connection, and the versions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpq-fe.h"

#define ISSUELIST_CLIENT_VERSION "1.0"

static void
usage(void)
{
	printf("issuelist: issue lists run through a closed loop, scored and ranked\n\n"
		   "Usage:\n  issuelist [CONNINFO]\n\n"
		   "CONNINFO is a libpq connection string or URI; PG* variables apply.\n"
		   "  --help     show this help\n  --version  show the client's version\n");
}

int
main(int argc, char **argv)
{
	const char *conninfo = "";
	PGconn	   *conn;
	PGresult   *res;

	for (int i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--help") == 0)
		{
			usage();
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0)
		{
			printf("issuelist %s\n", ISSUELIST_CLIENT_VERSION);
			return 0;
		}
		conninfo = argv[i];
	}

	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "issuelist: could not connect: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return 2;
	}
	res = PQexec(conn, "SELECT current_setting('server_version'), "
				 "(SELECT extversion FROM pg_extension WHERE extname = 'issuelist')");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fprintf(stderr, "issuelist: %s", PQerrorMessage(conn));
		PQclear(res);
		PQfinish(conn);
		return 1;
	}
	printf("issuelist client %s\n", ISSUELIST_CLIENT_VERSION);
	printf("server: PostgreSQL %s\n", PQgetvalue(res, 0, 0));
	printf("extension: %s\n", PQgetisnull(res, 0, 1) ? "not installed" : PQgetvalue(res, 0, 1));
	PQclear(res);
	PQfinish(conn);
	return 0;
}
