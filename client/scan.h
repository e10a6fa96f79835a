/*
 * scan.h
 *		Splitting input into SQL statements, as psql does (scan.c).
 */
#ifndef ISSUELIST_SCAN_H
#define ISSUELIST_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

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

#endif							/* ISSUELIST_SCAN_H */
