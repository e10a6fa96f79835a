/*
 * exec.c
 *		Sending queries: parameterized calls for the commands, plain SQL for
 *		what the user types; errors with their SQLSTATE; Ctrl-C cancels.
 *
 * Commands never paste what the user typed into SQL text: they call
 * exec_params() with constant SQL and the user's words as parameters.
 * exec_sql() runs the user's own SQL, streaming rows in single-row mode for
 * csv and json so that a million-row result needs no more memory than a
 * row.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "settings.h"
#include "util.h"
#include "input.h"
#include "print.h"
#include "exec.h"

volatile sig_atomic_t cancel_pressed = 0;
volatile sig_atomic_t sigint_jump_enabled = 0;
sigjmp_buf	sigint_jump;

/* The cancel handle of the connection, used from the signal handler. */
static PGcancel *volatile cancel_conn = NULL;

/* Whether a query is running, so that Ctrl-C means "cancel it". */
static volatile sig_atomic_t query_running = 0;

/* Write a constant message from the signal handler. */
static void
write_stderr(const char *s)
{
	ssize_t		rc = write(STDERR_FILENO, s, strlen(s));

	(void) rc;
}

/*
 * SIGINT: at the prompt, drop the line being typed (jump back to the loop);
 * during a query, ask the server to cancel it, as psql does.  PQcancel is
 * safe to call from a signal handler.
 */
static void
handle_sigint(int signo)
{
	int			save_errno = errno;
	char		errbuf[256];

	(void) signo;
	cancel_pressed = 1;
	if (sigint_jump_enabled)
	{
		sigint_jump_enabled = 0;
		siglongjmp(sigint_jump, 1);
	}
	if (query_running && cancel_conn != NULL)
	{
		if (PQcancel(cancel_conn, errbuf, sizeof(errbuf)))
			write_stderr("Cancel request sent\n");
		else
		{
			write_stderr("Could not send cancel request: ");
			write_stderr(errbuf);
			write_stderr("\n");
		}
	}
	errno = save_errno;
}

/* Install the SIGINT handler; system calls are not restarted. */
void
exec_setup_cancel(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handle_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/* Release the cancel handle (at exit, or before taking a new one). */
void
exec_free_cancel(void)
{
	PGcancel   *old = cancel_conn;

	cancel_conn = NULL;
	if (old)
		PQfreeCancel(old);
}

/* Take the cancel handle of the (new) connection. */
void
exec_set_cancel_conn(void)
{
	exec_free_cancel();
	if (pset.db)
		cancel_conn = PQgetCancel(pset.db);
}

/* Milliseconds on a monotonic-enough clock, for \timing. */
double
exec_now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

/* "Time: 1.234 ms", as psql prints it, when \timing is on. */
void
exec_print_timing(double start_ms)
{
	if (pset.timing)
		printf("Time: %.3f ms\n", exec_now_ms() - start_ms);
}

/* Whether the connection is gone (the server ended the session). */
bool
exec_connection_lost(void)
{
	return pset.db == NULL || PQstatus(pset.db) == CONNECTION_BAD;
}

/*
 * Print a failed result's message on stderr with its SQLSTATE after the
 * severity, as psql's VERBOSITY verbose shows it ("ERROR:  42P01: ..."),
 * followed by the LINE, DETAIL and HINT lines libpq puts in the message;
 * with or without the CONTEXT lines: a command's error names what the user
 * typed, and the PL/pgSQL call stack under it would only confuse.
 */
static void
report_error(const PGresult *res, bool context)
{
	char	   *terse = res && !context ?
		PQresultVerboseErrorMessage(res, PQERRORS_DEFAULT, PQSHOW_CONTEXT_NEVER) : NULL;
	const char *msg = terse ? terse : res ? PQresultErrorMessage(res) : "";
	const char *sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *severity = res ? PQresultErrorField(res, PG_DIAG_SEVERITY) : NULL;
	size_t		n;

	if (msg[0] == '\0')
		msg = PQerrorMessage(pset.db);
	fflush(stdout);
	if (pset.queryout)
		fflush(pset.queryout);
	if (pset.input_name)
		fprintf(stderr, "%s:%s:%d: ", pset.progname, pset.input_name,
				pset.input_line);
	n = severity ? strlen(severity) : 0;
	if (sqlstate && n > 0 && strncmp(msg, severity, n) == 0 &&
		strncmp(msg + n, ":  ", 3) == 0)
		fprintf(stderr, "%s:  %s: %s", severity, sqlstate, msg + n + 3);
	else
		fputs(msg, stderr);
	n = strlen(msg);
	if (n == 0 || msg[n - 1] != '\n')
		fputc('\n', stderr);
	if (terse)
		PQfreemem(terse);
}

/* A failed result's message, CONTEXT lines included. */
void
exec_report_error(const PGresult *res)
{
	report_error(res, true);
}

/*
 * Run a parameterized query (constant SQL, the user's words as text
 * parameters).  Returns the result, or NULL after printing the error.
 */
PGresult *
exec_params(const char *sql, int n, const char *const *values)
{
	return exec_params_binary(sql, n, values, NULL, NULL, 0);
}

/*
 * exec_params with parameters that may be binary (lengths and formats as
 * PQexecParams takes them; NULL: all text) and the result's format (1:
 * binary), for the bytes of evidence.
 */
PGresult *
exec_params_binary(const char *sql, int n, const char *const *values,
				   const int *lengths, const int *formats, int result_format)
{
	PGresult   *res;

	if (pset.db == NULL)
	{
		client_error("not connected to a database");
		return NULL;
	}
	query_running = 1;
	res = PQexecParams(pset.db, sql, n, NULL, values, lengths, formats, result_format);
	query_running = 0;
	cancel_pressed = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK ||
		PQresultStatus(res) == PGRES_COMMAND_OK)
		return res;
	report_error(res, false);
	PQclear(res);
	return NULL;
}

/* Run a constant statement without results (BEGIN, COMMIT...). */
bool
exec_ok(const char *sql)
{
	PGresult   *res = exec_params(sql, 0, NULL);

	if (res == NULL)
		return false;
	PQclear(res);
	return true;
}

/* The command tag of a statement without rows, unless quiet. */
static void
print_status(const PGresult *res)
{
	FILE	   *f = pset.queryout ? pset.queryout : stdout;

	if (!pset.quiet && PQcmdStatus((PGresult *) res)[0] != '\0')
		fprintf(f, "%s\n", PQcmdStatus((PGresult *) res));
}

/* COPY ... TO STDOUT: the rows go to the query output as they come. */
static bool
copy_out(void)
{
	FILE	   *f = pset.queryout ? pset.queryout : stdout;
	char	   *data;
	int			n;

	while ((n = PQgetCopyData(pset.db, &data, 0)) > 0)
	{
		fwrite(data, 1, n, f);
		PQfreemem(data);
	}
	fflush(f);
	return n == -1;
}

/*
 * COPY ... FROM STDIN: lines from the input being run (the script, or the
 * terminal), up to a line "\." or the end of the input.
 */
static bool
copy_in(void)
{
	InputSource stdin_source = {INPUT_FILE, NULL, stdin, NULL, 0, 0};
	InputSource *src = pset.input;
	char	   *line;
	bool		ok = true;

	/* a -c command has no lines of its own: COPY reads stdin, as psql */
	if (src == NULL || src->kind == INPUT_STRING)
		src = &stdin_source;
	if (src->kind == INPUT_READLINE)
		printf("Enter data to be copied followed by a newline.\n"
			   "End with a backslash and a period on a line by itself.\n");
	while ((line = input_get_line(src, src->kind == INPUT_READLINE ? ">> " : NULL)) != NULL)
	{
		if (strcmp(line, "\\.") == 0)
		{
			free(line);
			break;
		}
		if (PQputCopyData(pset.db, line, strlen(line)) != 1 ||
			PQputCopyData(pset.db, "\n", 1) != 1)
			ok = false;
		free(line);
		if (!ok)
			break;
	}
	if (PQputCopyEnd(pset.db, ok ? NULL : "aborted") != 1)
		ok = false;
	return ok;
}

/* Close a result set being streamed. */
static void
finish_stream(Output **out)
{
	if (*out == NULL)
		return;
	print_stream_end(*out);
	output_close(*out);
	*out = NULL;
}

/*
 * Run SQL the user typed and print every result.  Rows stream (single-row
 * mode) when the output format allows it.
 */
bool
exec_sql(const char *query)
{
	PrintOpts	opts = {NULL, NULL, true, false};
	Output	   *out = NULL;
	bool		ok = true;
	double		start = exec_now_ms();
	PGresult   *res;

	if (pset.db == NULL)
	{
		client_error("not connected to a database");
		return false;
	}
	if (!PQsendQuery(pset.db, query))
	{
		exec_report_error(NULL);
		return false;
	}
	if (print_streams())
		PQsetSingleRowMode(pset.db);
	query_running = 1;
	while ((res = PQgetResult(pset.db)) != NULL)
	{
		switch (PQresultStatus(res))
		{
			case PGRES_SINGLE_TUPLE:
				if (out == NULL)
				{
					out = output_open(false);
					print_stream_begin(out, res, &opts);
				}
				print_stream_row(out, res);
				break;
			case PGRES_TUPLES_OK:
				if (out != NULL)
					finish_stream(&out);
				else
				{
					Output	   *o = output_open(false);

					print_result(o, res, &opts);
					output_close(o);
				}
				break;
			case PGRES_COMMAND_OK:
				print_status(res);
				break;
			case PGRES_EMPTY_QUERY:
				break;
			case PGRES_COPY_OUT:
				ok = copy_out() && ok;
				break;
			case PGRES_COPY_IN:
				ok = copy_in() && ok;
				break;
			default:
				finish_stream(&out);
				/* once the server is gone, one message says so */
				if (ok || !exec_connection_lost())
					exec_report_error(res);
				ok = false;
				break;
		}
		PQclear(res);
	}
	query_running = 0;
	cancel_pressed = 0;
	finish_stream(&out);
	exec_print_timing(start);
	return ok;
}
