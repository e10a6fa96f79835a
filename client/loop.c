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
	QueryBuf	q;				/* the statement being typed */
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
			 scan_prompt_char(&l->q.scan, buf_is_blank(&l->q.text)), tx,
			 su && strcmp(su, "on") == 0 ? '#' : '>');
}

/*
 * Send the statement typed so far, if there is one; with again (\g), the
 * last one sent when none is typed, as psql does.  What is sent becomes the
 * last statement.
 */
CmdStatus
query_send(QueryBuf *q, bool again)
{
	Buf			sent;

	if (buf_is_blank(&q->text) && !(again && !buf_is_blank(&q->previous)))
	{
		query_reset(q);
		return CMD_OK;
	}
	if (!buf_is_blank(&q->text))
	{
		sent = q->previous;
		q->previous = q->text;
		q->text = sent;
	}
	query_reset(q);
	return exec_sql(q->previous.data) ? CMD_OK : CMD_ERROR;
}

/* Forget the statement typed so far (\r, Ctrl-C); the last one sent stays. */
void
query_reset(QueryBuf *q)
{
	buf_reset(&q->text);
	scan_reset(&q->scan);
}

/*
 * How long a backslash command's arguments are: to the end of the line, or
 * to a backslash that starts a word outside quotes, which starts another
 * command ("SELECT 1 \g \x").  A |COMMAND target (\o, \g) is the whole
 * line, as in psql.
 */
static size_t
args_length(const char *args, bool pipe)
{
	size_t		i = strspn(args, " \t");
	char		quote = 0;

	if (pipe && args[i] == '|')
		return strlen(args);
	for (i = 0; args[i]; i++)
	{
		bool		word_start = i == 0 || args[i - 1] == ' ' || args[i - 1] == '\t';

		if (quote)
			quote = args[i] == quote ? 0 : quote;
		else if (word_start && (args[i] == '\'' || args[i] == '"'))
			quote = args[i];
		else if (word_start && args[i] == '\\')
			break;
	}
	return i;
}

/*
 * The backslash command at line[*pos], as psql reads it: its name runs to a
 * blank or another backslash and must match exactly (\G is not \g).  Moves
 * *pos past its arguments.
 */
static CmdStatus
run_backslash(Loop *l, const char *line, size_t *pos)
{
	const char *name = line + *pos + 1;
	size_t		n = strcspn(name, " \t\\");
	const Command *cmd = command_lookup(name - 1, n + 1);
	const char *args = name + n;
	size_t		len;
	char	   *copy;
	CmdStatus	status;

	if (cmd == NULL)
	{
		client_error("invalid command \\%.*s%s", (int) n, name,
					 pset.interactive ? "\nTry \\? for help." : "");
		return CMD_ERROR;
	}
	len = args_length(args, strcmp(cmd->name, "\\o") == 0 ||
					  strncmp(cmd->name, "\\g", 2) == 0);
	*pos = args + len - line;
	copy = xstrndup(args, len);
	status = command_run(cmd, copy, &l->q);
	free(copy);
	return status;
}

/* Whether a line is blank or only a -- comment, between statements. */
static bool
skippable(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == '\0' || (line[0] == '-' && line[1] == '-');
}

/*
 * Run everything a line completes; stops at the first error.  As in psql,
 * a newline joins the line to a statement begun on earlier ones, unless
 * the line holds only backslash commands.
 */
static CmdStatus
run_line(Loop *l, const char *line)
{
	size_t		pos = 0;
	size_t		added_nl = 0;	/* the length after that newline, or 0 */
	const Command *cmd;
	const char *args;

	if (buf_is_blank(&l->q.text) && l->q.scan.quote == SQ_NONE &&
		l->q.scan.paren_depth == 0)
	{
		buf_reset(&l->q.text);
		if (skippable(line))
			return CMD_OK;
		if (command_line_starts(line, &cmd, &args))
			return command_run(cmd, args, &l->q);
	}
	if (l->q.text.len > 0)
	{
		buf_putc(&l->q.text, '\n');
		added_nl = l->q.text.len;
	}
	for (;;)
	{
		CmdStatus	status = CMD_OK;

		switch (scan_line(&l->q.scan, line, &pos, &l->q.text))
		{
			case SCAN_SEMICOLON:
				added_nl = 0;
				status = query_send(&l->q, false);
				break;
			case SCAN_BACKSLASH:
				if (added_nl > 0 && l->q.text.len == added_nl)
					l->q.text.data[--l->q.text.len] = '\0';
				added_nl = 0;
				status = run_backslash(l, line, &pos);
				break;
			case SCAN_EOL:
				return CMD_OK;
		}
		if (status != CMD_OK)
			return status;
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
	query_reset(&l->q);
	buf_reset(&l->entry);
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
	if (buf_is_blank(&l->q.text))
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
	if (query_send(&l->q, false) == CMD_ERROR)
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
	scan_init(&l.q.scan);
	buf_init(&l.q.text);
	buf_init(&l.q.previous);
	buf_init(&l.entry);
	pset.input = src;
	pset.input_name = src->kind == INPUT_FILE ? src->name : NULL;
	code = loop_body(&l);
	pset.input = outer;
	pset.input_name = outer_name;
	pset.input_line = outer_line;
	scan_reset(&l.q.scan);
	buf_free(&l.q.text);
	buf_free(&l.q.previous);
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
