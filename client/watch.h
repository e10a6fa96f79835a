/*
 * watch.h
 *		watch [ORG]: the events of the issues as they happen (watch.c).
 */
#ifndef ISSUELIST_WATCH_H
#define ISSUELIST_WATCH_H

#include "commands.h"

extern CmdStatus watch_events(const char *org);

#endif							/* ISSUELIST_WATCH_H */
