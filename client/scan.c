/*
 * scan.c
 *		Splitting input into SQL statements, as psql does.
 *
 * A statement ends at a semicolon that is outside quotes ('...', E'...',
 * "...", $tag$...$tag$), outside comments (-- and nested slash-star) and
 * outside parentheses.  A backslash outside quotes starts a backslash
 * command.  :name, :'name' and :"name" outside quotes are replaced by the
 * variable's value, as a literal or an identifier when quoted, the way psql
 * users expect; unknown names are left alone.  The scanner copies what it
 * reads into the query buffer and keeps its state between lines, so a
 * statement may span lines.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "util.h"
#include "scan.h"

/* Start in the normal state. */
void
scan_init(ScanState *st)
{
	memset(st, 0, sizeof(*st));
}

/* Back to the normal state, after a statement was sent or dropped. */
void
scan_reset(ScanState *st)
{
	free(st->dollar_tag);
	scan_init(st);
}

/* Whether a byte may start an identifier (non-ASCII bytes may). */
static inline bool
ident_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

/* Whether a byte may continue an identifier. */
static inline bool
ident_char(unsigned char c)
{
	return ident_start(c) || isdigit(c) || c == '$';
}

/* The last byte copied into the statement, or NUL at its start. */
static inline unsigned char
last_byte(const Buf *q)
{
	return q->len > 0 ? (unsigned char) q->data[q->len - 1] : '\0';
}

/*
 * The length of a dollar-quote opening tag at s ("$$" or "$tag$"), or 0.
 * A dollar after an identifier character belongs to the identifier, and a
 * dollar followed by a digit is a parameter.
 */
static size_t
dollar_tag_length(const char *s, const Buf *q)
{
	size_t		n = 1;

	if (ident_char(last_byte(q)))
		return 0;
	if (s[1] == '$')
		return 2;
	if (!ident_start((unsigned char) s[1]))
		return 0;
	while (s[n] && s[n] != '$' && ident_char((unsigned char) s[n]))
		n++;
	return s[n] == '$' ? n + 1 : 0;
}

/*
 * Expand :name, :'name' or :"name" at line[i] into q.  Returns the number
 * of bytes consumed, or 0 when this colon is not a variable reference (a
 * cast ::, an array slice with no such variable, an unknown name).
 */
static size_t
expand_variable(const char *line, size_t i, Buf *q)
{
	const char *s = line + i + 1;
	char		quote = 0;
	size_t		len = 0;
	char	   *name;
	const char *value;
	size_t		used;

	if (last_byte(q) == ':' || *s == ':')
		return 0;
	if (*s == '\'' || *s == '"')
		quote = *s++;
	if (!(isalpha((unsigned char) s[0]) || s[0] == '_'))
		return 0;
	while (isalnum((unsigned char) s[len]) || s[len] == '_')
		len++;
	if (quote && s[len] != quote)
		return 0;
	name = xstrndup(s, len);
	value = var_get(name);
	free(name);
	if (value == NULL)
		return 0;
	used = 1 + len + (quote ? 2 : 0);
	if (quote == 0)
		buf_puts(q, value);
	else
	{
		char	   *escaped = quote == '\'' ?
			PQescapeLiteral(pset.db, value, strlen(value)) :
			PQescapeIdentifier(pset.db, value, strlen(value));

		if (escaped == NULL)
			return 0;
		buf_puts(q, escaped);
		PQfreemem(escaped);
	}
	return used;
}

/* Inside '...' or E'...': copy up to and including the closing quote. */
static size_t
scan_quoted_literal(ScanState *st, const char *s, Buf *q)
{
	if (st->quote == SQ_ESCAPE && s[0] == '\\' && s[1] != '\0')
	{
		buf_putn(q, s, 2);
		return 2;
	}
	if (s[0] == '\'' && s[1] == '\'')
	{
		buf_putn(q, s, 2);		/* a doubled quote stays inside */
		return 2;
	}
	buf_putc(q, s[0]);
	if (s[0] == '\'')
		st->quote = SQ_NONE;
	return 1;
}

/* Inside a nesting comment. */
static size_t
scan_comment(ScanState *st, const char *s, Buf *q)
{
	if (s[0] == '*' && s[1] == '/')
	{
		buf_putn(q, s, 2);
		if (--st->comment_depth == 0)
			st->quote = SQ_NONE;
		return 2;
	}
	if (s[0] == '/' && s[1] == '*')
	{
		buf_putn(q, s, 2);
		st->comment_depth++;
		return 2;
	}
	buf_putc(q, s[0]);
	return 1;
}

/* Inside $tag$...$tag$. */
static size_t
scan_dollar(ScanState *st, const char *s, Buf *q)
{
	size_t		n = strlen(st->dollar_tag);

	if (strncmp(s, st->dollar_tag, n) == 0)
	{
		buf_putn(q, s, n);
		free(st->dollar_tag);
		st->dollar_tag = NULL;
		st->quote = SQ_NONE;
		return n;
	}
	buf_putc(q, s[0]);
	return 1;
}

/*
 * Scan line from *pos, copying into query.  Stops after a statement's
 * semicolon (SCAN_SEMICOLON), at a backslash command (SCAN_BACKSLASH, *pos
 * at the backslash) or at the end of the line (SCAN_EOL).
 */
ScanResult
scan_line(ScanState *st, const char *line, size_t *pos, Buf *query)
{
	size_t		i = *pos;

	while (line[i] != '\0')
	{
		const char *s = line + i;
		size_t		n;

		switch (st->quote)
		{
			case SQ_SINGLE:
			case SQ_ESCAPE:
				i += scan_quoted_literal(st, s, query);
				continue;
			case SQ_DOUBLE:
				buf_putc(query, s[0]);
				if (s[0] == '"')
					st->quote = SQ_NONE;
				i++;
				continue;
			case SQ_DOLLAR:
				i += scan_dollar(st, s, query);
				continue;
			case SQ_COMMENT:
				i += scan_comment(st, s, query);
				continue;
			case SQ_NONE:
				break;
		}

		/* as psql, blanks and -- comments do not start a statement */
		if (query->len == 0 && isspace((unsigned char) s[0]))
		{
			i++;
			continue;
		}
		if (s[0] == '-' && s[1] == '-')
		{
			if (query->len > 0)
				buf_puts(query, s);	/* the comment runs to the end of the line */
			i += strlen(s);
			break;
		}
		if (s[0] == '/' && s[1] == '*')
		{
			st->quote = SQ_COMMENT;
			st->comment_depth = 1;
			buf_putn(query, s, 2);
			i += 2;
			continue;
		}
		if (s[0] == '\\')
		{
			*pos = i;
			return SCAN_BACKSLASH;
		}
		if (s[0] == ':' && (n = expand_variable(line, i, query)) > 0)
		{
			i += n;
			continue;
		}
		if (s[0] == '$' && (n = dollar_tag_length(s, query)) > 0)
		{
			st->quote = SQ_DOLLAR;
			st->dollar_tag = xstrndup(s, n);
			buf_putn(query, s, n);
			i += n;
			continue;
		}
		if (s[0] == '\'')
		{
			unsigned char prev = last_byte(query);

			/* E'...' takes backslash escapes; the E must stand alone */
			st->quote = SQ_SINGLE;
			if ((prev == 'E' || prev == 'e') &&
				(query->len < 2 || !ident_char((unsigned char) query->data[query->len - 2])))
				st->quote = SQ_ESCAPE;
		}
		else if (s[0] == '"')
			st->quote = SQ_DOUBLE;
		else if (s[0] == '(')
			st->paren_depth++;
		else if (s[0] == ')' && st->paren_depth > 0)
			st->paren_depth--;
		buf_putc(query, s[0]);
		i++;
		if (s[0] == ';' && st->paren_depth == 0)
		{
			*pos = i;
			return SCAN_SEMICOLON;
		}
	}
	*pos = i;
	return SCAN_EOL;
}

/*
 * The character psql shows in the prompt for this state: '=' at the start
 * of a statement, '-' inside one, the open quote, '*' in a comment, '(' in
 * parentheses.
 */
char
scan_prompt_char(const ScanState *st, bool buffer_empty)
{
	switch (st->quote)
	{
		case SQ_SINGLE:
		case SQ_ESCAPE:
			return '\'';
		case SQ_DOUBLE:
			return '"';
		case SQ_DOLLAR:
			return '$';
		case SQ_COMMENT:
			return '*';
		case SQ_NONE:
			break;
	}
	if (st->paren_depth > 0)
		return '(';
	return buffer_empty ? '=' : '-';
}
