/*
 * commands.h
 *		The command table: client commands and backslash commands, how a
 *		line names one, and running it (commands.c).
 */
#ifndef ISSUELIST_COMMANDS_H
#define ISSUELIST_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

/* How a command's outcome goes on: the loop maps these to exit codes. */
typedef enum CmdStatus
{
	CMD_OK,						/* done */
	CMD_ERROR,					/* failed; the message is printed */
	CMD_QUIT					/* \q, quit, exit */
} CmdStatus;

typedef struct CmdArgs
{
	int			n;				/* number of words after the command name */
	char	  **word;			/* the words, unquoted, variables expanded */
	const char **raw;			/* each word's start in the line */
	const char *line;			/* the whole line, trailing ';' removed */
	struct QueryBuf *query;		/* the statement being typed (loop.h) */
} CmdArgs;

typedef struct Command
{
	const char *name;
	const char *args;			/* usage, for help */
	const char *help;			/* one line */
	const char *complete;		/* argument kinds for tab completion */
	const char *example;		/* for "help NAME" */
	CmdStatus	(*handler) (CmdArgs *a);
} Command;

extern const Command *command_lookup(const char *name, size_t len);
extern const Command *command_table(int *n);
extern CmdStatus command_run(const Command *cmd, const char *args,
							 struct QueryBuf *query);
extern bool command_line_starts(const char *line, const Command **cmd,
								const char **args);

/* A word of find: a key ("org=") takes a value, a flag ("overdue") none. */
typedef struct FindKey
{
	const char *key;
	const char *values;			/* what completion offers after a key, as in
								 * a Command's complete field; NULL: a flag */
} FindKey;

extern const FindKey *find_key_table(int *n);
extern int	find_key(const char *word);

#endif							/* ISSUELIST_COMMANDS_H */
