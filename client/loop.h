/*
 * loop.h
 *		The read-eval loop over an input source, and the statement being
 *		typed that the backslash commands \g, \p and \r act on (loop.c).
 */
#ifndef ISSUELIST_LOOP_H
#define ISSUELIST_LOOP_H

#include <stdbool.h>

#include "commands.h"
#include "input.h"
#include "scan.h"
#include "util.h"

/* psql's query buffer: the statement typed so far, and the last one sent. */
typedef struct QueryBuf
{
	Buf			text;			/* the statement typed so far */
	ScanState	scan;			/* the scanner's state at its end */
	Buf			previous;		/* the last statement sent */
} QueryBuf;

extern int	main_loop(InputSource *src);
extern int	run_file(const char *path);
extern CmdStatus query_send(QueryBuf *q, bool again);
extern void query_reset(QueryBuf *q);

#endif							/* ISSUELIST_LOOP_H */
