/*
 * main.c
 *		The issuelist client: options, connection, and what to run.
 *
 *		issuelist [CONNINFO [USER]] [-c COMMAND]... [-f FILE]... [--csv|--json|
 *				  --markdown] [-x] [-X] [-v NAME=VALUE] [-o FILE] [-q]
 *
 * The connection is made as psql makes it: a conninfo string or URI, the
 * -h/-p/-U/-d options, PG* variables and the service file, and a password
 * prompt when the server asks for one and a terminal is there to ask.
 * -c and -f run in the order given and stop at the first error; without
 * them the client is a readline shell on a terminal, or runs what is piped
 * into it as a script.
 */
#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "settings.h"
#include "util.h"
#include "input.h"
#include "loop.h"
#include "exec.h"
#include "print.h"

Settings	pset;

/* One -c or -f, run in command-line order. */
typedef struct Action
{
	bool		is_file;
	const char *value;
} Action;

typedef struct Options
{
	const char *dbname;
	const char *host;
	const char *port;
	const char *user;
	bool		no_rc;
	int			password;		/* -1: never ask (-w), 1: ask first (-W) */
	Action	   *actions;
	int			nactions;
} Options;

/* --help */
static void
usage(void)
{
	printf("issuelist: issue lists run through a closed loop, scored and ranked.\n\n"
		   "Usage:\n"
		   "  issuelist [OPTION]... [CONNINFO [USER]]\n\n"
		   "CONNINFO is a database name, a libpq connection string or a URI;\n"
		   "PG* environment variables and the service file apply, as for psql.\n\n"
		   "Options:\n"
		   "  -c, --command=COMMAND  run one command (a client command or SQL); repeatable\n"
		   "  -f, --file=FILE        run the commands of a file (\"-\": stdin); repeatable\n"
		   "      --csv              csv output\n"
		   "      --json             json output\n"
		   "      --markdown         markdown tables\n"
		   "  -x, --expanded         one line per column\n"
		   "  -o, --output=FILE      write results to FILE\n"
		   "  -v, --set=NAME=VALUE   set a variable (e.g. -v AS_OF=2024-06-30)\n"
		   "  -q, --quiet            no status messages\n"
		   "  -X, --no-rc            do not read ~/.issuelistrc\n"
		   "  -d, --dbname=DBNAME    database (or a connection string)\n"
		   "  -h, --host=HOST        server host or socket directory\n"
		   "  -p, --port=PORT        server port\n"
		   "  -U, --username=USER    user name\n"
		   "  -w, --no-password      never ask for a password\n"
		   "  -W, --password         ask for a password before connecting\n"
		   "      --help             show this help\n"
		   "      --version          show the client's version\n\n"
		   "Exit status: 0 ok, 1 error, 2 connection lost, 3 a script (-f, piped\n"
		   "input) stopped on error.  In the shell, \"help\" lists the commands.\n");
}

/* Parse the command line; exits on --help, --version and bad options. */
static void
parse_options(int argc, char **argv, Options *o)
{
	static const struct option long_options[] = {
		{"command", required_argument, NULL, 'c'},
		{"dbname", required_argument, NULL, 'd'},
		{"expanded", no_argument, NULL, 'x'},
		{"file", required_argument, NULL, 'f'},
		{"host", required_argument, NULL, 'h'},
		{"no-password", no_argument, NULL, 'w'},
		{"no-rc", no_argument, NULL, 'X'},
		{"output", required_argument, NULL, 'o'},
		{"password", no_argument, NULL, 'W'},
		{"port", required_argument, NULL, 'p'},
		{"quiet", no_argument, NULL, 'q'},
		{"set", required_argument, NULL, 'v'},
		{"username", required_argument, NULL, 'U'},
		{"variable", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, 1},
		{"version", no_argument, NULL, 2},
		{"csv", no_argument, NULL, 3},
		{"json", no_argument, NULL, 4},
		{"markdown", no_argument, NULL, 5},
		{NULL, 0, NULL, 0}
	};
	int			c;

	memset(o, 0, sizeof(*o));
	o->actions = xmalloc(sizeof(Action) * argc);
	while ((c = getopt_long(argc, argv, "c:d:f:h:o:p:qU:v:wWxX", long_options, NULL)) != -1)
	{
		switch (c)
		{
			case 'c':
			case 'f':
				o->actions[o->nactions].is_file = c == 'f';
				o->actions[o->nactions++].value = optarg;
				break;
			case 'd':
				o->dbname = optarg;
				break;
			case 'h':
				o->host = optarg;
				break;
			case 'p':
				o->port = optarg;
				break;
			case 'U':
				o->user = optarg;
				break;
			case 'o':
				if (!print_set_queryout(optarg))
					exit(EXIT_ERROR);
				break;
			case 'q':
				pset.quiet = true;
				break;
			case 'v':
				{
					char	   *copy = xstrdup(optarg);
					char	   *eq = strchr(copy, '=');

					if (eq == NULL)
						var_unset(copy);
					else
					{
						*eq = '\0';
						var_set(copy, eq + 1);
					}
					free(copy);
					break;
				}
			case 'w':
				o->password = -1;
				break;
			case 'W':
				o->password = 1;
				break;
			case 'x':
				pset.expanded = EXPANDED_ON;
				break;
			case 'X':
				o->no_rc = true;
				break;
			case 1:
				usage();
				exit(EXIT_OK);
			case 2:
				printf("issuelist %s\n", ISSUELIST_VERSION);
				exit(EXIT_OK);
			case 3:
				pset.format = FORMAT_CSV;
				break;
			case 4:
				pset.format = FORMAT_JSON;
				break;
			case 5:
				pset.format = FORMAT_MARKDOWN;
				break;
			default:
				fprintf(stderr, "Try \"%s --help\" for more information.\n", pset.progname);
				exit(EXIT_ERROR);
		}
	}
	/* then, as psql: the database (or conninfo), then the user */
	if (optind < argc && o->dbname == NULL)
		o->dbname = argv[optind++];
	if (optind < argc && o->user == NULL)
		o->user = argv[optind++];
	if (optind < argc)
		fprintf(stderr, "%s: extra argument \"%s\" ignored\n", pset.progname, argv[optind]);
}

/* Ask for a password on the terminal, without echo; NULL when there is none. */
static char *
prompt_password(const char *user)
{
	FILE	   *tty = fopen("/dev/tty", "r+");
	struct termios saved,
				quiet;
	char	   *line;

	if (tty == NULL)
		return NULL;
	fprintf(tty, "Password for user %s: ", user ? user : "");
	fflush(tty);
	tcgetattr(fileno(tty), &saved);
	quiet = saved;
	quiet.c_lflag &= ~ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	line = input_file_line(tty);
	tcsetattr(fileno(tty), TCSAFLUSH, &saved);
	fputc('\n', tty);
	fclose(tty);
	return line;
}

/* Connect as psql does; exits with 2 when the connection fails. */
static void
connect_database(Options *o)
{
	const char *keys[8];
	const char *values[8];
	char	   *password = NULL;
	int			n = 0;

#define PARAM(k, v) do { if (v) { keys[n] = (k); values[n++] = (v); } } while (0)
	PARAM("host", o->host);
	PARAM("port", o->port);
	PARAM("user", o->user);
	PARAM("dbname", o->dbname);
	PARAM("fallback_application_name", "issuelist");
	if (o->password > 0)
		password = prompt_password(o->user);
	keys[n] = "password";
	values[n] = password;
	keys[n + 1] = NULL;
	values[n + 1] = NULL;
	for (;;)
	{
		/* expand_dbname: the database name may be a conninfo or a URI */
		pset.db = PQconnectdbParams(keys, values, 1);
		if (PQstatus(pset.db) == CONNECTION_BAD && PQconnectionNeedsPassword(pset.db) &&
			password == NULL && o->password >= 0 &&
			(password = prompt_password(PQuser(pset.db))) != NULL)
		{
			PQfinish(pset.db);
			values[n] = password;
			continue;
		}
		break;
	}
	free(password);
	if (PQstatus(pset.db) != CONNECTION_OK)
	{
		fprintf(stderr, "%s: could not connect: %s", pset.progname, PQerrorMessage(pset.db));
		PQfinish(pset.db);
		exit(EXIT_BADCONN);
	}
#undef PARAM
}

/* The variables psql users know: DBNAME, USER, HOST, PORT, ENCODING. */
static void
set_connection_variables(void)
{
	var_set("DBNAME", PQdb(pset.db));
	var_set("USER", PQuser(pset.db));
	var_set("HOST", PQhost(pset.db) ? PQhost(pset.db) : "");
	var_set("PORT", PQport(pset.db));
	var_set("ENCODING", pg_encoding_to_char(PQclientEncoding(pset.db)));
}

/* ~/.issuelistrc (or ISSUELISTRC), when there is one. */
static void
run_rc_file(void)
{
	const char *env = getenv("ISSUELISTRC");
	const char *home = getenv("HOME");
	char		path[4096];

	if (env && env[0])
		snprintf(path, sizeof(path), "%s", env);
	else if (home)
		snprintf(path, sizeof(path), "%s/.issuelistrc", home);
	else
		return;
	if (access(path, R_OK) == 0)
		run_file(path);
}

/* The banner of the shell: versions, and how to get help. */
static void
banner(void)
{
	PGresult   *res = PQexec(pset.db,
							 "SELECT (SELECT extversion FROM pg_catalog.pg_extension"
							 "         WHERE extname = 'issuelist')");
	const char *ext = PQresultStatus(res) == PGRES_TUPLES_OK && !PQgetisnull(res, 0, 0) ?
		PQgetvalue(res, 0, 0) : NULL;

	printf("issuelist %s (server PostgreSQL %s, extension %s)\n",
		   ISSUELIST_VERSION, PQparameterStatus(pset.db, "server_version"),
		   ext ? ext : "not installed");
	printf("Type \"help\" for help, \\q to quit.\n\n");
	PQclear(res);
}

/* Run the -c and -f actions in order; stop at the first failure. */
static int
run_actions(const Options *o)
{
	int			code = EXIT_OK;

	for (int i = 0; i < o->nactions && code == EXIT_OK && !pset.quit; i++)
	{
		if (o->actions[i].is_file)
			code = run_file(o->actions[i].value);
		else
		{
			InputSource src = {INPUT_STRING, NULL, NULL, o->actions[i].value, 0, 0};

			code = main_loop(&src);
		}
	}
	return code;
}

/* The shell on a terminal: banner, readline, history. */
static int
run_shell(void)
{
	InputSource src = {INPUT_READLINE, NULL, NULL, NULL, 0, 0};
	int			code;

	pset.interactive = true;
	if (!pset.quiet)
		banner();
	input_init_readline();
	code = main_loop(&src);
	input_finish_readline();
	return code;
}

int
main(int argc, char **argv)
{
	Options		o;
	int			code;

	setlocale(LC_ALL, "");
	pset.progname = "issuelist";
	pset.pager = true;
	pset.stdout_tty = isatty(STDOUT_FILENO);
	parse_options(argc, argv, &o);
	connect_database(&o);
	exec_setup_cancel();
	exec_set_cancel_conn();
	set_connection_variables();
	if (!o.no_rc)
		run_rc_file();
	if (o.nactions > 0)
		code = run_actions(&o);
	else if (isatty(STDIN_FILENO) && pset.stdout_tty)
		code = run_shell();
	else
		code = run_file("-");
	print_close_queryout();
	exec_free_cancel();
	PQfinish(pset.db);
	var_free_all();
	free(pset.null_display);
	free(o.actions);
	return code;
}
