/*
 * pack.h
 *		pack QUARTER [DIR] [topic LIST...] [--pdf FILE]: the quarterly
 *		meeting's pack, a self-contained HTML file with gnuplot's charts
 *		(pack.c).
 */
#ifndef ISSUELIST_PACK_H
#define ISSUELIST_PACK_H

#include "commands.h"

extern CmdStatus pack_write(const char *quarter, const char *dir,
							const char *topic, const char *pdf);

#endif							/* ISSUELIST_PACK_H */
