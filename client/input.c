/*
 * input.c
 *		Where lines come from: readline on a terminal (with its own history
 *		file), a script file or piped stdin, or a -c command.
 *
 * The history keeps one entry per statement or command, multi-line ones
 * included: newlines are stored as \001 in the file, as psql does, so that
 * an entry comes back whole in the next session.
 */
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "util.h"
#include "complete.h"
#include "input.h"

#define HISTORY_SIZE	500
#define NL_IN_HISTORY	'\001'

static char *history_path;
static bool use_readline;

/* The history file: ISSUELIST_HISTORY, or ~/.issuelist_history. */
static const char *
input_history_path(void)
{
	const char *env = getenv("ISSUELIST_HISTORY");
	const char *home = getenv("HOME");

	if (history_path)
		return history_path;
	if (env && env[0])
		history_path = xstrdup(env);
	else if (home && home[0])
	{
		history_path = xmalloc(strlen(home) + 32);
		sprintf(history_path, "%s/.issuelist_history", home);
	}
	return history_path;
}

/* Replace one byte by another in every history entry. */
static void
history_translate(char from, char to)
{
	HIST_ENTRY **list = history_list();

	for (int i = 0; list && list[i]; i++)
		for (char *p = list[i]->line; *p; p++)
			if (*p == from)
				*p = to;
}

/* Readline for a terminal session: history loaded, completion on. */
void
input_init_readline(void)
{
	use_readline = true;
	rl_readline_name = "issuelist";
	using_history();
	stifle_history(HISTORY_SIZE);
	if (input_history_path())
	{
		read_history(history_path);
		history_translate(NL_IN_HISTORY, '\n');
	}
	complete_init();
}

/* Save the history and release readline's memory, at the end. */
void
input_finish_readline(void)
{
	if (use_readline && history_path)
	{
		history_translate('\n', NL_IN_HISTORY);
		write_history(history_path);
	}
	if (use_readline)
	{
		clear_history();
		rl_free_line_state();
	}
	free(history_path);
	history_path = NULL;
	use_readline = false;
}

/* Remember an entry, unless it repeats the previous one. */
void
input_add_history(const char *entry)
{
	HIST_ENTRY *last;

	if (!use_readline || str_blank(entry))
		return;
	last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
	if (last && strcmp(last->line, entry) == 0)
		return;
	add_history(entry);
}

/* The next line of a file, without its line end; NULL at the end. */
char *
input_file_line(FILE *fp)
{
	char	   *line = NULL;
	size_t		cap = 0;
	ssize_t		n = getline(&line, &cap, fp);

	if (n < 0)
	{
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* The next line of a -c string; NULL at the end. */
static char *
string_line(InputSource *src)
{
	const char *start = src->str + src->pos;
	const char *nl;
	size_t		n;

	if (*start == '\0')
		return NULL;
	nl = strchr(start, '\n');
	n = nl ? (size_t) (nl - start) : strlen(start);
	src->pos += n + (nl ? 1 : 0);
	return xstrndup(start, n);
}

/*
 * The next line from a source, malloc'd, without the newline; NULL at the
 * end of the input.  The prompt is used on a terminal only.
 */
char *
input_get_line(InputSource *src, const char *prompt)
{
	char	   *line;

	switch (src->kind)
	{
		case INPUT_READLINE:
			line = readline(prompt ? prompt : "");
			break;
		case INPUT_FILE:
			line = input_file_line(src->fp);
			break;
		case INPUT_STRING:
			line = string_line(src);
			break;
		default:
			line = NULL;
	}
	if (line)
		src->lineno++;
	return line;
}
