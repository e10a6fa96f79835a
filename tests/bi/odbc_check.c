/*
 * odbc_check: read every view of a schema through an ODBC driver (psqlODBC
 * on unixODBC, the path of Excel and Power BI) and compare each value with
 * the one libpq returns for the same query.
 *
 * usage: odbc_check ODBC-CONNECTION-STRING LIBPQ-CONNINFO SCHEMA
 *
 * For each view it checks, through the ODBC driver:
 *   - SQLTables lists the view (what a navigator shows);
 *   - SQLDescribeColW reports a plain SQL type (character, integer, bigint,
 *     numeric, bit, date or timestamp), never an unknown or binary one;
 *   - every value decodes with SQLGetData as SQL_C_WCHAR into a large buffer
 *     without truncation (no SQLSTATE 01004), NULL exactly where libpq has
 *     NULL, and equal to libpq's text once the driver's spellings of
 *     booleans and timestamps are accounted for;
 *   - no character value is longer than the column size the driver reports,
 *     which is what Excel and Power BI size their buffers by.
 * Both sides run in UTC with ISO dates so that the texts are comparable.
 * The driver's data source may be read-only: nothing here writes or SETs.
 * It prints one line per column ("view.column ODBC-TYPE size rows") and one
 * "problem:" line per failure, and exits 1 if there was any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>
#include <libpq-fe.h>

#define VALUE_BUFFER_CHARS (1 << 20)

static int	problems = 0;

/* Report one failed check and count it. */
static void
problem(const char *view, const char *column, const char *what)
{
	printf("problem: %s%s%s: %s\n", view, column ? "." : "", column ? column : "", what);
	problems++;
}

/* Print the diagnostics of an ODBC handle and give up. */
static void
odbc_die(SQLSMALLINT type, SQLHANDLE handle, const char *doing)
{
	SQLCHAR		state[6],
				text[1024];
	SQLINTEGER	native;
	SQLSMALLINT len;
	SQLSMALLINT i = 1;

	fprintf(stderr, "odbc_check: %s failed\n", doing);
	while (SQLGetDiagRec(type, handle, i++, state, &native, text, sizeof(text), &len) == SQL_SUCCESS)
		fprintf(stderr, "  %s: %s\n", state, text);
	exit(2);
}

/* Encode a UTF-16 buffer of n units as UTF-8 into out (4*n+1 bytes). */
static void
utf16_to_utf8(const SQLWCHAR *in, size_t n, char *out)
{
	size_t		i;
	unsigned char *o = (unsigned char *) out;

	for (i = 0; i < n; i++)
	{
		unsigned long c = in[i];

		if (c >= 0xD800 && c < 0xDC00 && i + 1 < n &&
			in[i + 1] >= 0xDC00 && in[i + 1] < 0xE000)
		{
			c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] - 0xDC00);
			i++;
		}
		if (c < 0x80)
			*o++ = (unsigned char) c;
		else if (c < 0x800)
		{
			*o++ = 0xC0 | (c >> 6);
			*o++ = 0x80 | (c & 0x3F);
		}
		else if (c < 0x10000)
		{
			*o++ = 0xE0 | (c >> 12);
			*o++ = 0x80 | ((c >> 6) & 0x3F);
			*o++ = 0x80 | (c & 0x3F);
		}
		else
		{
			*o++ = 0xF0 | (c >> 18);
			*o++ = 0x80 | ((c >> 12) & 0x3F);
			*o++ = 0x80 | ((c >> 6) & 0x3F);
			*o++ = 0x80 | (c & 0x3F);
		}
	}
	*o = '\0';
}

/* Count the characters of a UTF-8 string (what a column size counts). */
static size_t
utf8_chars(const char *s)
{
	size_t		n = 0;

	for (; *s; s++)
		if ((*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Is this an ODBC type a BI tool maps to a plain column? */
static int
plain_sql_type(SQLSMALLINT t)
{
	switch (t)
	{
		case SQL_CHAR:
		case SQL_VARCHAR:
		case SQL_LONGVARCHAR:
		case SQL_WCHAR:
		case SQL_WVARCHAR:
		case SQL_WLONGVARCHAR:
		case SQL_INTEGER:
		case SQL_BIGINT:
		case SQL_NUMERIC:
		case SQL_DECIMAL:
		case SQL_BIT:
		case SQL_TYPE_DATE:
		case SQL_TYPE_TIMESTAMP:
			return 1;
		default:
			return 0;
	}
}

/* Is this an ODBC character type (one whose size bounds the text)? */
static int
character_sql_type(SQLSMALLINT t)
{
	return t == SQL_CHAR || t == SQL_VARCHAR || t == SQL_LONGVARCHAR ||
		t == SQL_WCHAR || t == SQL_WVARCHAR || t == SQL_WLONGVARCHAR;
}

/*
 * Bring libpq's text of a value to the driver's spelling: booleans are
 * 1 and 0, and a timestamptz in UTC loses its "+00".
 */
static void
libpq_as_odbc(Oid type, const char *in, char *out, size_t outsize)
{
	size_t		n;

	if (type == 16)				/* bool */
	{
		snprintf(out, outsize, "%s", strcmp(in, "t") == 0 ? "1" : "0");
		return;
	}
	snprintf(out, outsize, "%s", in);
	n = strlen(out);
	if (type == 1184 && n > 3 && strcmp(out + n - 3, "+00") == 0)	/* timestamptz */
		out[n - 3] = '\0';
}

/* Check one view: same rows, same values, no truncation. */
static void
check_view(SQLHDBC dbc, PGconn *pg, const char *schema, const char *view)
{
	char		query[1024];
	size_t		len;
	PGresult   *res;
	SQLHSTMT	stmt;
	SQLSMALLINT ncols,
				c;
	SQLSMALLINT *types;
	SQLULEN    *sizes;
	char	  **names;
	int			nfields,
				row = 0;
	SQLWCHAR   *wbuf = malloc(sizeof(SQLWCHAR) * VALUE_BUFFER_CHARS);
	char	   *got = malloc(4 * VALUE_BUFFER_CHARS + 1);
	char	   *want = malloc(4 * VALUE_BUFFER_CHARS + 1);
	SQLRETURN	rc;

	/* Order by every column, so that both sides see the rows in one order. */
	snprintf(query, sizeof(query), "SELECT * FROM \"%s\".\"%s\" LIMIT 0", schema, view);
	res = PQexec(pg, query);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		problem(view, NULL, PQerrorMessage(pg));
		PQclear(res);
		return;
	}
	nfields = PQnfields(res);
	PQclear(res);
	len = snprintf(query, sizeof(query), "SELECT * FROM \"%s\".\"%s\" ORDER BY ", schema, view);
	for (c = 1; c <= nfields && len < sizeof(query) - 8; c++)
		len += snprintf(query + len, sizeof(query) - len, "%s%d", c > 1 ? ", " : "", c);

	res = PQexec(pg, query);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		problem(view, NULL, PQerrorMessage(pg));
		PQclear(res);
		return;
	}

	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt)))
		odbc_die(SQL_HANDLE_DBC, dbc, "SQLAllocHandle(STMT)");
	if (!SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR *) query, SQL_NTS)))
		odbc_die(SQL_HANDLE_STMT, stmt, query);
	SQLNumResultCols(stmt, &ncols);
	if (ncols != nfields)
		problem(view, NULL, "ODBC and libpq disagree on the number of columns");

	types = calloc(ncols + 1, sizeof(SQLSMALLINT));
	sizes = calloc(ncols + 1, sizeof(SQLULEN));
	names = calloc(ncols + 1, sizeof(char *));
	for (c = 1; c <= ncols; c++)
	{
		SQLCHAR		name[256];
		SQLSMALLINT namelen,
					digits,
					nullable;

		SQLDescribeCol(stmt, c, name, sizeof(name), &namelen, &types[c], &sizes[c], &digits, &nullable);
		names[c] = strdup((char *) name);
		if (strcmp(names[c], PQfname(res, c - 1)) != 0)
			problem(view, names[c], "column name differs from libpq's");
		if (!plain_sql_type(types[c]))
		{
			char		what[64];

			snprintf(what, sizeof(what), "ODBC type %d is not a plain type", types[c]);
			problem(view, names[c], what);
		}
	}

	while ((rc = SQLFetch(stmt)) != SQL_NO_DATA)
	{
		if (!SQL_SUCCEEDED(rc))
			odbc_die(SQL_HANDLE_STMT, stmt, "SQLFetch");
		if (row >= PQntuples(res))
		{
			problem(view, NULL, "ODBC returns more rows than libpq");
			break;
		}
		for (c = 1; c <= ncols; c++)
		{
			SQLLEN		ind;
			int			pq_null = PQgetisnull(res, row, c - 1);

			rc = SQLGetData(stmt, c, SQL_C_WCHAR, wbuf, sizeof(SQLWCHAR) * VALUE_BUFFER_CHARS, &ind);
			if (rc == SQL_SUCCESS_WITH_INFO)
			{
				SQLCHAR		state[6] = "",
							text[256];
				SQLINTEGER	native;
				SQLSMALLINT tl;

				SQLGetDiagRec(SQL_HANDLE_STMT, stmt, 1, state, &native, text, sizeof(text), &tl);
				problem(view, names[c], strcmp((char *) state, "01004") == 0 ?
						"value truncated by SQLGetData (01004)" : (char *) text);
				continue;
			}
			if (!SQL_SUCCEEDED(rc))
				odbc_die(SQL_HANDLE_STMT, stmt, "SQLGetData");
			if ((ind == SQL_NULL_DATA) != pq_null)
			{
				problem(view, names[c], "NULL in one driver and not in the other");
				continue;
			}
			if (pq_null)
				continue;
			if (ind == SQL_NO_TOTAL || ind < 0 ||
				(size_t) ind >= sizeof(SQLWCHAR) * VALUE_BUFFER_CHARS)
			{
				problem(view, names[c], "value length unknown or too long");
				continue;
			}
			utf16_to_utf8(wbuf, ind / sizeof(SQLWCHAR), got);
			libpq_as_odbc(PQftype(res, c - 1), PQgetvalue(res, row, c - 1), want, 4 * VALUE_BUFFER_CHARS + 1);
			if (strcmp(got, want) != 0)
			{
				char		what[512];

				snprintf(what, sizeof(what), "row %d: ODBC \"%.200s\" but libpq \"%.200s\"", row + 1, got, want);
				problem(view, names[c], what);
			}
			else if (character_sql_type(types[c]) && utf8_chars(got) > sizes[c])
			{
				char		what[128];

				snprintf(what, sizeof(what), "row %d: %zu characters exceed the column size %lu",
						 row + 1, utf8_chars(got), (unsigned long) sizes[c]);
				problem(view, names[c], what);
			}
		}
		row++;
	}
	if (row != PQntuples(res))
		problem(view, NULL, "ODBC and libpq return different numbers of rows");
	for (c = 1; c <= ncols; c++)
	{
		printf("%s.%s\t%d\t%lu\t%d\n", view, names[c], types[c], (unsigned long) sizes[c], row);
		free(names[c]);
	}
	free(names);
	free(types);
	free(sizes);
	free(wbuf);
	free(got);
	free(want);
	SQLFreeHandle(SQL_HANDLE_STMT, stmt);
	PQclear(res);
}

int
main(int argc, char **argv)
{
	SQLHENV		env;
	SQLHDBC		dbc;
	SQLHSTMT	stmt;
	SQLCHAR		view[256];
	SQLLEN		ind;
	PGconn	   *pg;
	PGresult   *res;
	char	  **views = NULL;
	int			nviews = 0,
				i;
	const char *schema;

	if (argc != 4)
	{
		fprintf(stderr, "usage: odbc_check ODBC-CONNECTION-STRING LIBPQ-CONNINFO SCHEMA\n");
		return 2;
	}
	schema = argv[3];

	/*
	 * Both sides in UTC with ISO dates, so that their texts are comparable:
	 * through the environment, which libpq (under psqlODBC too) sends at
	 * connection, because a read-only data source refuses SET.
	 */
	setenv("PGTZ", "UTC", 1);
	setenv("PGDATESTYLE", "ISO, YMD", 1);

	pg = PQconnectdb(argv[2]);
	if (PQstatus(pg) != CONNECTION_OK)
	{
		fprintf(stderr, "odbc_check: libpq: %s", PQerrorMessage(pg));
		return 2;
	}

	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (void *) SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *) argv[1], SQL_NTS,
										NULL, 0, NULL, SQL_DRIVER_NOPROMPT)))
		odbc_die(SQL_HANDLE_DBC, dbc, "SQLDriverConnect");

	/* The views as the driver's catalog lists them. */
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
	if (!SQL_SUCCEEDED(SQLTables(stmt, NULL, 0, (SQLCHAR *) schema, SQL_NTS,
								 (SQLCHAR *) "%", SQL_NTS, (SQLCHAR *) "VIEW", SQL_NTS)))
		odbc_die(SQL_HANDLE_STMT, stmt, "SQLTables");
	SQLBindCol(stmt, 3, SQL_C_CHAR, view, sizeof(view), &ind);
	while (SQL_SUCCEEDED(SQLFetch(stmt)))
	{
		views = realloc(views, sizeof(char *) * (nviews + 1));
		views[nviews++] = strdup((char *) view);
	}
	SQLFreeHandle(SQL_HANDLE_STMT, stmt);

	/* ... must be the views the catalog has. */
	res = PQexecParams(pg,
					   "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
					   " WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')",
					   1, NULL, &schema, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || atoi(PQgetvalue(res, 0, 0)) != nviews)
		problem(schema, NULL, "SQLTables does not list every view of the schema");
	PQclear(res);
	if (nviews == 0)
		problem(schema, NULL, "no views");

	for (i = 0; i < nviews; i++)
		check_view(dbc, pg, schema, views[i]);

	SQLDisconnect(dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	PQfinish(pg);
	printf("%d views, %d problems\n", nviews, problems);
	return problems ? 1 : 0;
}
