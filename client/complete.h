/*
 * complete.h
 *		Tab completion for readline (complete.c).
 */
#ifndef ISSUELIST_COMPLETE_H
#define ISSUELIST_COMPLETE_H

extern void complete_init(void);

#endif							/* ISSUELIST_COMPLETE_H */
