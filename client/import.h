/*
 * import.h
 *		import FILE.csv: issues from a spreadsheet export (import.c).
 */
#ifndef ISSUELIST_IMPORT_H
#define ISSUELIST_IMPORT_H

#include "commands.h"

extern CmdStatus import_csv(const char *path, const char *encoding);

#endif							/* ISSUELIST_IMPORT_H */
