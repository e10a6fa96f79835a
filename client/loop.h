/*
 * loop.h
 *		The read-eval loop over an input source (loop.c).
 */
#ifndef ISSUELIST_LOOP_H
#define ISSUELIST_LOOP_H

#include "input.h"

extern int	main_loop(InputSource *src);
extern int	run_file(const char *path);

#endif							/* ISSUELIST_LOOP_H */
