/*
 * issuelist.h
 *		Declarations shared by the C files of the issuelist extension.
 */
#ifndef ISSUELIST_H
#define ISSUELIST_H

#include "postgres.h"

/*
 * Reject a text input with SQLSTATE 22P02, quoting the input and listing the
 * accepted spellings in the hint.  Every type's input function uses this so
 * the wording is the same everywhere.
 */
#define issuelist_bad_input(typname, input, accepted) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
			 errmsg("invalid input syntax for type %s: \"%s\"", (typname), (input)), \
			 errhint("%s", (accepted))))

#endif							/* ISSUELIST_H */
