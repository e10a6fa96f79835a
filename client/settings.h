/*
 * settings.h
 *		The client's state, as psql's settings.h: one connection, one set of
 *		print settings, where the input being run comes from; the exit codes.
 */
#ifndef ISSUELIST_SETTINGS_H
#define ISSUELIST_SETTINGS_H

#include <stdbool.h>
#include <stdio.h>

#include "libpq-fe.h"

#define ISSUELIST_VERSION "1.1"

/* psql's exit codes, which scripts and cron jobs rely on. */
#define EXIT_OK			0		/* everything ran */
#define EXIT_ERROR		1		/* an error (a -c command, a bad option) */
#define EXIT_BADCONN	2		/* no connection, or the connection was lost */
#define EXIT_SCRIPT		3		/* a script (-f, piped input) stopped on error */

typedef enum OutputFormat
{
	FORMAT_TABLE,				/* aligned, CJK-width aware */
	FORMAT_CSV,
	FORMAT_JSON,
	FORMAT_MARKDOWN
} OutputFormat;

typedef enum ExpandedMode
{
	EXPANDED_OFF,
	EXPANDED_ON,
	EXPANDED_AUTO				/* expanded when the table is wider than the
								 * terminal */
} ExpandedMode;

struct InputSource;

/* The client's state: one connection, one set of print settings. */
typedef struct Settings
{
	PGconn	   *db;
	const char *progname;
	OutputFormat format;
	ExpandedMode expanded;
	bool		timing;
	bool		quiet;
	bool		pager;			/* \pset pager: a pager for long output */
	bool		interactive;	/* reading a terminal through readline */
	bool		stdout_tty;
	char	   *null_display;
	FILE	   *queryout;		/* \o target; NULL means stdout */
	bool		queryout_pipe;
	/* where the input being run comes from, for error messages */
	const char *input_name;		/* NULL: no file:line prefix */
	int			input_line;
	struct InputSource *input;	/* for COPY FROM STDIN */
	bool		quit;			/* \q was run: stop every loop */
} Settings;

extern Settings pset;

#endif							/* ISSUELIST_SETTINGS_H */
