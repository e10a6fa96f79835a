/*
 * evidence.h
 *		attach CODE FILE and evidence get ID [FILE]: a file's bytes to and
 *		from the server as a binary bytea (evidence.c).
 */
#ifndef ISSUELIST_EVIDENCE_H
#define ISSUELIST_EVIDENCE_H

#include "commands.h"

extern const char *evidence_media_type(const char *path);
extern char *evidence_attach(const char *code, const char *path, const char *note);
extern CmdStatus evidence_get(const char *id, const char *path);

#endif							/* ISSUELIST_EVIDENCE_H */
