/*
 * client.h
 *		Declarations shared by the files of the issuelist client.
 *
 * The split follows psql's: main.c (options, connection), loop.c (the
 * read-eval loop), input.c (readline, history, input sources), scan.c
 * (statement splitting), commands.c (the command table), exec.c (sending
 * queries, errors, cancel), print.c (output formats, pager), complete.c
 * (tab completion), import.c (CSV import through COPY), util.c (memory,
 * strings, variables).
 */
#ifndef ISSUELIST_CLIENT_H
#define ISSUELIST_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "libpq-fe.h"

#define ISSUELIST_VERSION "1.0"

/* psql's exit codes, which scripts and cron jobs rely on. */
#define EXIT_OK			0		/* everything ran */
#define EXIT_ERROR		1		/* an error (a -c command, a bad option) */
#define EXIT_BADCONN	2		/* no connection, or the connection was lost */
#define EXIT_SCRIPT		3		/* a script (-f, piped input) stopped on error */

/* How a command's outcome goes on: the loop maps these to exit codes. */
typedef enum CmdStatus
{
	CMD_OK,						/* done */
	CMD_ERROR,					/* failed; the message is printed */
	CMD_QUIT					/* \q, quit, exit */
} CmdStatus;

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

/* util.c: memory that never returns NULL, growable strings, variables */
typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

extern void *xmalloc(size_t size);
extern void *xrealloc(void *p, size_t size);
extern char *xstrdup(const char *s);
extern char *xstrndup(const char *s, size_t n);
extern void buf_init(Buf *b);
extern void buf_reset(Buf *b);
extern void buf_free(Buf *b);
extern void buf_putc(Buf *b, char c);
extern void buf_putn(Buf *b, const char *s, size_t n);
extern void buf_puts(Buf *b, const char *s);
extern void buf_printf(Buf *b, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern bool buf_is_blank(const Buf *b);
extern bool str_blank(const char *s);
extern char *str_trim(char *s);

extern const char *var_get(const char *name);
extern void var_set(const char *name, const char *value);
extern bool var_unset(const char *name);
extern void var_print(FILE *f);
extern void var_free_all(void);

/* messages: to stderr, with file:line when running a script */
extern void client_error(const char *fmt,...)
			__attribute__((format(printf, 1, 2)));

/* input.c */
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
extern const char *input_history_path(void);

/* scan.c: splitting input into statements */
typedef enum ScanResult
{
	SCAN_EOL,					/* the line is consumed; the statement goes on */
	SCAN_SEMICOLON,				/* a statement ended with ';' */
	SCAN_BACKSLASH				/* a backslash command starts here */
} ScanResult;

typedef enum ScanQuote
{
	SQ_NONE,
	SQ_SINGLE,					/* '...' */
	SQ_ESCAPE,					/* E'...' */
	SQ_DOUBLE,					/* "..." */
	SQ_DOLLAR,					/* $tag$...$tag$ */
	SQ_COMMENT					/* slash-star comments, which nest */
} ScanQuote;

typedef struct ScanState
{
	ScanQuote	quote;
	int			comment_depth;
	int			paren_depth;
	char	   *dollar_tag;		/* the tag, with both dollars */
} ScanState;

extern void scan_init(ScanState *st);
extern void scan_reset(ScanState *st);
extern ScanResult scan_line(ScanState *st, const char *line, size_t *pos,
							Buf *query);
extern char scan_prompt_char(const ScanState *st, bool buffer_empty);

/* commands.c */
typedef struct CmdArgs
{
	int			n;				/* number of words after the command name */
	char	  **word;			/* the words, unquoted, variables expanded */
	const char **raw;			/* each word's start in the line */
	const char *line;			/* the whole line, trailing ';' removed */
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
extern CmdStatus command_run(const Command *cmd, const char *args);
extern bool command_line_starts(const char *line, const Command **cmd,
								const char **args);
extern CmdStatus command_help(const char *topic);

/* loop.c */
extern int	main_loop(InputSource *src);
extern int	run_file(const char *path);

/* exec.c */
extern PGresult *exec_params(const char *sql, int n, const char *const *values);
extern bool exec_ok(const char *sql);
extern bool exec_sql(const char *query);
extern void exec_report_error(const PGresult *res);
extern void exec_report_error_context(const PGresult *res, bool context);
extern bool exec_connection_lost(void);
extern void exec_setup_cancel(void);
extern void exec_set_cancel_conn(void);
extern void exec_free_cancel(void);
extern bool exec_check_cancel(void);
extern double exec_now_ms(void);
extern void exec_print_timing(double start_ms);

#include <setjmp.h>
#include <signal.h>
extern volatile sig_atomic_t cancel_pressed;
extern volatile sig_atomic_t sigint_jump_enabled;
extern sigjmp_buf sigint_jump;

/* print.c */
typedef struct PrintOpts
{
	const char *name;			/* a section's key in json output */
	const char *title;			/* printed above a table */
	bool		footer;			/* "(n rows)" */
	bool		expanded;		/* force expanded, e.g. one issue */
} PrintOpts;

typedef struct Output Output;

extern Output *output_open(bool sections);
extern int	output_close(Output *o);
extern FILE *output_file(Output *o);
extern void print_result(Output *o, const PGresult *res, const PrintOpts *opts);
extern void print_stream_begin(Output *o, const PGresult *res,
							   const PrintOpts *opts);
extern void print_stream_row(Output *o, const PGresult *res);
extern void print_stream_end(Output *o, long nrows, const PrintOpts *opts);
extern bool print_streams(void);
extern void print_text(const char *text);
extern int	print_dsplen(const char *s, size_t n);
extern bool print_set_format(const char *name);
extern const char *print_format_name(OutputFormat f);
extern bool print_set_queryout(const char *target);
extern void print_close_queryout(void);

/* complete.c */
extern void complete_init(void);

/* import.c */
extern CmdStatus import_csv(const char *path);

#endif							/* ISSUELIST_CLIENT_H */
