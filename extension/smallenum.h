/*
 * smallenum.h
 *		What the small enumerated types (severity, issue_state) share: each is
 *		a pass-by-value int2 from 1 to a maximum, spelled by a table of words,
 *		with one canonical English name and one Chinese label per value.
 *
 * Only their I/O needs C: comparison and hashing are the int2 ones, bound in
 * the SQL script to the built-in functions (int2lt, btint2cmp, hashint2...).
 */
#ifndef SMALLENUM_H
#define SMALLENUM_H

#include "postgres.h"
#include "lib/stringinfo.h"

/* One accepted input spelling.  Words are UTF-8; ASCII ones ignore case. */
typedef struct SmallEnumWord
{
	const char *word;
	int16		value;
} SmallEnumWord;

/* Everything the shared helpers need to know about one type. */
typedef struct SmallEnumType
{
	const char *typname;		/* SQL name, for error messages */
	int16		max;			/* values are 1 .. max */
	const char *const *names;	/* canonical output, indexed by value */
	const char *const *labels_zh;	/* Chinese labels (UTF-8), by value */
	const SmallEnumWord *words; /* every accepted input spelling */
	int			nwords;
	const char *text_hint;		/* the accepted spellings, for bad text */
	const char *text_hint_zh;	/* and the Chinese ones (UTF-8), or NULL */
	const char *range_hint;		/* the accepted numbers, for out of range */
} SmallEnumType;

extern int16 smallenum_parse(const SmallEnumType *type, const char *input);
extern const char *smallenum_name(const SmallEnumType *type, int16 value);
extern int16 smallenum_check(const SmallEnumType *type, int32 value);
extern int16 smallenum_recv(const SmallEnumType *type, StringInfo buf);
extern bytea *smallenum_send(int16 value);
extern text *smallenum_label_zh(const SmallEnumType *type, int16 value);

#endif							/* SMALLENUM_H */
