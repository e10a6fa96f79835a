/*
 * input.h
 *		Where lines come from: readline on a terminal, a script file or piped
 *		stdin, a -c command (input.c).
 */
#ifndef ISSUELIST_INPUT_H
#define ISSUELIST_INPUT_H

#include <stddef.h>
#include <stdio.h>

typedef enum InputKind
{
	INPUT_READLINE,				/* a terminal, through readline */
	INPUT_FILE,					/* a script file or piped stdin */
	INPUT_STRING				/* a -c command */
} InputKind;

typedef struct InputSource
{
	InputKind	kind;
	const char *name;			/* for messages: file name, or NULL */
	FILE	   *fp;
	const char *str;			/* INPUT_STRING: the text, and where we are */
	size_t		pos;
	int			lineno;
} InputSource;

extern void input_init_readline(void);
extern void input_finish_readline(void);
extern char *input_get_line(InputSource *src, const char *prompt);
extern char *input_file_line(FILE *fp);
extern void input_add_history(const char *entry);

#endif							/* ISSUELIST_INPUT_H */
