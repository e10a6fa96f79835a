/*
 * loop.c
 *		The read-eval loop: read a line, run the commands and statements it
 *		completes, print, and decide whether to go on.
 *
 * A line that starts with a command name (at the start of a statement) is
 * that command, whole.  Anything else is SQL, sent when a semicolon ends it
 * (scan.c); a backslash starts a psql-style command.  On a terminal errors
 * are reported and the loop goes on; in a script (-f, piped input) or a -c
 * command the first error stops it, with psql's exit codes.
 */
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "util.h"
#include "input.h"
#include "scan.h"
#include "commands.h"
#include "exec.h"
#include "loop.h"

typedef struct Loop
{
	InputSource *src;
	ScanState	st;
	Buf			query;			/* the statement being typed */
	Buf			entry;			/* the lines of the history entry */
} Loop;

/*
 * psql's prompt: database, statement state ('=' or '-', the open quote...),
 * transaction state ('*' in a transaction, '!' in a failed one), and '#'
 * for a superuser, '>' otherwise.
 */
static void
make_prompt(char *prompt, size_t size, Loop *l)
{
	PGTransactionStatusType ts;
	const char *su;
	const char *tx;

	if (exec_connection_lost())
	{
		snprintf(prompt, size, "!> ");
		return;
	}
	ts = PQtransactionStatus(pset.db);
	tx = ts == PQTRANS_INTRANS ? "*" : ts == PQTRANS_INERROR ? "!" : "";
	su = PQparameterStatus(pset.db, "is_superuser");
	snprintf(prompt, size, "%s%c%s%c ", PQdb(pset.db),
			 scan_prompt_char(&l->st, buf_is_blank(&l->query)), tx,
			 su && strcmp(su, "on") == 0 ? '#' : '>');
}

/* Send the statement typed so far, if there is one. */
static CmdStatus
send_query(Loop *l)
{
	CmdStatus	status = CMD_OK;

	if (!buf_is_blank(&l->query))
		status = exec_sql(l->query.data) ? CMD_OK : CMD_ERROR;
	buf_reset(&l->query);
	scan_reset(&l->st);
	return status;
}

/*
 * A backslash command at line[pos]: the ones that act on the statement
 * being typed (\g, \r, \p) are handled here, the others by commands.c.
 */
static CmdStatus
run_backslash(Loop *l, const char *line)
{
	const char *p = line + 1;
	size_t		n = 0;
	const Command *cmd;

	/* the name: letters, or one other character such as ? */
	while (p[n] && ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z')))
		n++;
	if (n == 0 && p[0] != '\0')
		n = 1;
	if (n == 1 && p[0] == 'g')
		return send_query(l);
	if (n == 1 && p[0] == 'r')
	{
		buf_reset(&l->query);
		scan_reset(&l->st);
		if (pset.interactive)
			printf("Query buffer reset (cleared).\n");
		return CMD_OK;
	}
	if (n == 1 && p[0] == 'p')
	{
		printf("%s\n", buf_is_blank(&l->query) ? "Query buffer is empty." : l->query.data);
		return CMD_OK;
	}
	cmd = command_lookup(line, n + 1);
	if (cmd == NULL)
	{
		client_error("invalid command \\%.*s\nTry \\? for help.", (int) n, p);
		return CMD_ERROR;
	}
	return command_run(cmd, p + n);
}

/* Whether a line is blank or only a -- comment, between statements. */
static bool
skippable(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == '\0' || (line[0] == '-' && line[1] == '-');
}

/* Run everything a line completes; stops at the first error. */
static CmdStatus
run_line(Loop *l, const char *line)
{
	size_t		pos = 0;
	const Command *cmd;
	const char *args;

	if (buf_is_blank(&l->query) && l->st.quote == SQ_NONE &&
		l->st.paren_depth == 0)
	{
		buf_reset(&l->query);
		if (skippable(line))
			return CMD_OK;
		if (command_line_starts(line, &cmd, &args))
			return command_run(cmd, args);
	}
	for (;;)
	{
		CmdStatus	status;

		switch (scan_line(&l->st, line, &pos, &l->query))
		{
			case SCAN_SEMICOLON:
				status = send_query(l);
				if (status != CMD_OK)
					return status;
				continue;
			case SCAN_BACKSLASH:
				return run_backslash(l, line + pos);
			case SCAN_EOL:
				if (!buf_is_blank(&l->query))
					buf_putc(&l->query, '\n');
				return CMD_OK;
		}
	}
}

/*
 * After a failure with the connection gone: on a terminal try to reconnect,
 * as psql does; elsewhere give up with exit code 2.
 */
static bool
recover_connection(void)
{
	fprintf(stderr, "%s: connection to server was lost\n", pset.progname);
	if (!pset.interactive || pset.db == NULL)
		return false;
	fprintf(stderr, "Attempting reset: ");
	PQreset(pset.db);
	if (PQstatus(pset.db) != CONNECTION_OK)
	{
		fprintf(stderr, "Failed.\n");
		return false;
	}
	fprintf(stderr, "Succeeded.\n");
	exec_set_cancel_conn();
	return true;
}

/* The exit code after an error, for this kind of input. */
static int
error_exit_code(const InputSource *src)
{
	return src->kind == INPUT_STRING ? EXIT_ERROR : EXIT_SCRIPT;
}

/* Ctrl-C at the prompt: forget the statement being typed. */
static void
drop_typed(Loop *l)
{
	sigint_jump_enabled = 0;
	cancel_pressed = 0;
	fputc('\n', stdout);
	buf_reset(&l->query);
	buf_reset(&l->entry);
	scan_reset(&l->st);
}

/* Record a finished history entry (terminal only). */
static void
note_history(Loop *l, const char *line)
{
	if (l->src->kind != INPUT_READLINE)
		return;
	if (l->entry.len > 0)
		buf_putc(&l->entry, '\n');
	buf_puts(&l->entry, line);
	if (buf_is_blank(&l->query))
	{
		input_add_history(l->entry.data);
		buf_reset(&l->entry);
	}
}

/* One pass over an input source; the exit code it ends with. */
static int
loop_body(Loop *l)
{
	char		prompt[256];
	char	   *line;

	for (;;)
	{
		CmdStatus	status;

		if (l->src->kind == INPUT_READLINE && sigsetjmp(sigint_jump, 1) != 0)
		{
			drop_typed(l);
			continue;
		}
		if (pset.quit)
			return EXIT_OK;
		if (cancel_pressed && l->src->kind != INPUT_READLINE)
			return error_exit_code(l->src);
		make_prompt(prompt, sizeof(prompt), l);
		if (l->src->kind == INPUT_READLINE)
			sigint_jump_enabled = 1;
		line = input_get_line(l->src, prompt);
		sigint_jump_enabled = 0;
		if (line == NULL)
			break;
		pset.input_line = l->src->lineno;
		status = run_line(l, line);
		note_history(l, line);
		free(line);
		if (status == CMD_QUIT)
		{
			pset.quit = true;
			return EXIT_OK;
		}
		if (status == CMD_ERROR && exec_connection_lost() && !recover_connection())
			return EXIT_BADCONN;
		if (status == CMD_ERROR && l->src->kind != INPUT_READLINE)
			return error_exit_code(l->src);
	}
	/* the end of a script sends what is left, as psql does */
	if (l->src->kind == INPUT_READLINE)
	{
		fputc('\n', stdout);
		return EXIT_OK;
	}
	if (send_query(l) == CMD_ERROR)
		return exec_connection_lost() ? (recover_connection(), EXIT_BADCONN) :
			error_exit_code(l->src);
	return EXIT_OK;
}

/* Read and run a source to its end; returns an exit code. */
int
main_loop(InputSource *src)
{
	Loop		l;
	InputSource *outer = pset.input;
	const char *outer_name = pset.input_name;
	int			outer_line = pset.input_line;
	int			code;

	l.src = src;
	scan_init(&l.st);
	buf_init(&l.query);
	buf_init(&l.entry);
	pset.input = src;
	pset.input_name = src->kind == INPUT_FILE ? src->name : NULL;
	code = loop_body(&l);
	pset.input = outer;
	pset.input_name = outer_name;
	pset.input_line = outer_line;
	scan_reset(&l.st);
	buf_free(&l.query);
	buf_free(&l.entry);
	return code;
}

/* Run a script file ("-" for stdin); returns an exit code. */
int
run_file(const char *path)
{
	InputSource src = {INPUT_FILE, path, NULL, NULL, 0, 0};
	int			code;

	if (strcmp(path, "-") == 0)
	{
		src.fp = stdin;
		src.name = "<stdin>";
		return main_loop(&src);
	}
	src.fp = fopen(path, "r");
	if (src.fp == NULL)
	{
		client_error("%s: %m", path);
		return EXIT_ERROR;
	}
	code = main_loop(&src);
	fclose(src.fp);
	return code;
}
