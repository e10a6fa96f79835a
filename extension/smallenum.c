/*
 * smallenum.c
 *		Text and binary I/O shared by the small enumerated types (severity,
 *		issue_state).  See smallenum.h.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "issuelist.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "parser/scansup.h"
#include "smallenum.h"
#include "utils/builtins.h"

/* Does the (not necessarily terminated) string hold a non-ASCII byte? */
static inline bool
has_highbit(const char *s, int len)
{
	for (int i = 0; i < len; i++)
		if (IS_HIGHBIT_SET(s[i]))
			return true;
	return false;
}

/* Does the word list spell this (trimmed, UTF-8) input?  0 when it doesn't. */
static inline int16
lookup_word(const SmallEnumType *type, const char *s, int len, bool ascii)
{
	for (int i = 0; i < type->nwords; i++)
	{
		const SmallEnumWord *w = &type->words[i];

		if ((int) strlen(w->word) != len)
			continue;

		/*
		 * pg_strncasecmp folds only ASCII letters when given ASCII, so the
		 * match does not depend on the locale; non-ASCII words (the Chinese
		 * ones) have no case and must match byte for byte.
		 */
		if (ascii ? pg_strncasecmp(s, w->word, len) == 0
			: memcmp(s, w->word, len) == 0)
			return w->value;
	}
	return 0;
}

/*
 * A UTF-8 string in the database encoding, or NULL where that encoding cannot
 * spell it (Chinese in LATIN1): the Chinese part of a hint must not raise a
 * conversion error of its own while a bad input is being reported.
 */
static const char *
utf8_to_server_or_null(const char *s)
{
	int			encoding = GetDatabaseEncoding();
	int			len = strlen(s);
	int			size = len * MAX_CONVERSION_GROWTH + 1;
	Oid			proc;
	char	   *dest;

	/* SQL_ASCII takes the bytes as they are, like the words themselves */
	if (encoding == PG_UTF8 || encoding == PG_SQL_ASCII)
		return s;
	proc = FindDefaultConversionProc(PG_UTF8, encoding);
	if (!OidIsValid(proc))
		return NULL;
	dest = palloc(size);
	if (pg_do_encoding_conversion_buf(proc, PG_UTF8, encoding,
									  (unsigned char *) s, len,
									  (unsigned char *) dest, size, true) < len)
		return NULL;
	return dest;
}

/* Reject a text input, with the accepted spellings the database can show. */
static void
reject_text(const SmallEnumType *type, const char *input)
{
	const char *zh = NULL;

	if (type->text_hint_zh)
		zh = utf8_to_server_or_null(type->text_hint_zh);
	issuelist_bad_input(type->typname, input,
						zh ? psprintf("%s; or %s.", type->text_hint, zh)
						: psprintf("%s.", type->text_hint));
}

/* Parse a text input: one accepted word, blanks around it ignored. */
int16
smallenum_parse(const SmallEnumType *type, const char *input)
{
	const char *start = input;
	const char *end;
	const char *word;
	int			len;
	bool		ascii;
	int16		value;

	while (scanner_isspace(*start))
		start++;
	end = start + strlen(start);
	while (end > start && scanner_isspace(end[-1]))
		end--;
	len = end - start;
	ascii = !has_highbit(start, len);

	/*
	 * The words are UTF-8 and every server encoding agrees with it on ASCII.
	 * Other input is brought to UTF-8 first, except in SQL_ASCII where no
	 * conversion exists and the bytes are compared as they came.
	 */
	word = start;
	if (!ascii && GetDatabaseEncoding() != PG_SQL_ASCII)
	{
		word = pg_server_to_any(start, len, PG_UTF8);
		if (word != start)
			len = strlen(word);
	}

	value = lookup_word(type, word, len, ascii);
	if (value == 0)
		reject_text(type, input);
	return value;
}

/* The canonical name of a stored value. */
const char *
smallenum_name(const SmallEnumType *type, int16 value)
{
	/* Only a damaged datum can be out of range: every way in checks it. */
	if (value < 1 || value > type->max)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid internal value %d for type %s",
						value, type->typname)));
	return type->names[value];
}

/* Check a number given for the type (binary input, constructor). */
int16
smallenum_check(const SmallEnumType *type, int32 value)
{
	if (value < 1 || value > type->max)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value %d is out of range for type %s",
						value, type->typname),
				 errhint("%s", type->range_hint)));
	return (int16) value;
}

/* Binary input: exactly one network-order int2 holding a valid value. */
int16
smallenum_recv(const SmallEnumType *type, StringInfo buf)
{
	int			remaining = buf->len - buf->cursor;

	if (remaining != (int) sizeof(int16))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary length for type %s: %d bytes, expected %d",
						type->typname, remaining, (int) sizeof(int16))));
	return smallenum_check(type, (int16) pq_getmsgint(buf, sizeof(int16)));
}

/* Binary output: the value as a network-order int2. */
bytea *
smallenum_send(int16 value)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, value);
	return pq_endtypsend(&buf);
}

/* The Chinese label of a value, in the database encoding. */
text *
smallenum_label_zh(const SmallEnumType *type, int16 value)
{
	const char *label;

	(void) smallenum_name(type, value); /* validates the value */
	label = type->labels_zh[value];
	return cstring_to_text(pg_any_to_server(label, strlen(label), PG_UTF8));
}
