/*
 * print.h
 *		Output formats, the pager and \o (print.c).
 */
#ifndef ISSUELIST_PRINT_H
#define ISSUELIST_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "libpq-fe.h"
#include "settings.h"

typedef struct PrintOpts
{
	const char *name;			/* a section's key in json output */
	const char *title;			/* printed above a table */
	bool		footer;			/* "(n rows)" */
	bool		expanded;		/* force expanded, e.g. one issue */
} PrintOpts;

/* The output of one command: formatted, then paged or written. */
typedef struct Output Output;

extern Output *output_open(bool sections);
extern void output_close(Output *o);
extern void print_result(Output *o, const PGresult *res, const PrintOpts *opts);
extern void print_stream_begin(Output *o, const PGresult *res,
							   const PrintOpts *opts);
extern void print_stream_row(Output *o, const PGresult *res);
extern void print_stream_end(Output *o);
extern bool print_streams(void);
extern bool numeric_type(Oid type);
extern void print_text(const char *text);
extern bool print_set_format(const char *name);
extern const char *print_format_name(OutputFormat f);
extern bool print_set_queryout(const char *target);
extern void print_close_queryout(void);

/* A target of results: a file or a command's pipe. */
typedef struct QueryOut
{
	FILE	   *f;
	bool		pipe;
} QueryOut;

extern bool print_push_queryout(const char *target, QueryOut *saved);
extern void print_pop_queryout(const QueryOut *saved);

#endif							/* ISSUELIST_PRINT_H */
