/*
 * util.c
 *		Memory that never comes back NULL, growable strings, the client's
 *		variables (\set), and error messages.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "util.h"

/* Out of memory is the one error the client cannot go on from. */
static void
out_of_memory(void)
{
	fprintf(stderr, "%s: out of memory\n", pset.progname);
	exit(EXIT_ERROR);
}

/* malloc, or exit. */
void *
xmalloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

/* realloc, or exit. */
void *
xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

/* strdup, or exit. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* The first n bytes of s, terminated. */
char *
xstrndup(const char *s, size_t n)
{
	char	   *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* An empty string buffer; data is always terminated. */
void
buf_init(Buf *b)
{
	b->cap = 256;
	b->data = xmalloc(b->cap);
	b->data[0] = '\0';
	b->len = 0;
}

/* Empty the buffer, keeping its memory. */
void
buf_reset(Buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

/* Release the buffer's memory. */
void
buf_free(Buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Room for n more bytes and the terminator. */
static void
buf_reserve(Buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

/* Append one byte. */
void
buf_putc(Buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/* Append n bytes. */
void
buf_putn(Buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append a string. */
void
buf_puts(Buf *b, const char *s)
{
	buf_putn(b, s, strlen(s));
}

/* Append formatted text. */
void
buf_printf(Buf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t) n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

/* Whether a string holds only white space. */
bool
str_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char) *s))
			return false;
	return true;
}

/* Whether the buffer holds only white space. */
bool
buf_is_blank(const Buf *b)
{
	return str_blank(b->data);
}

/* Strip white space at both ends, in place. */
char *
str_trim(char *s)
{
	size_t		n;

	while (isspace((unsigned char) *s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char) s[n - 1]))
		s[--n] = '\0';
	return s;
}

/*
 * The variables of \set and -v, kept sorted by name.  There are a handful,
 * so a sorted array is plenty.
 */
typedef struct Variable
{
	char	   *name;
	char	   *value;
} Variable;

static Variable *vars;
static int	nvars;

/* The index of a variable, or where it would go (negative: -(pos+1)). */
static int
var_find(const char *name)
{
	int			lo = 0,
				hi = nvars - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = strcmp(vars[mid].name, name);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -(lo + 1);
}

/* A variable's value, or NULL when unset. */
const char *
var_get(const char *name)
{
	int			i = var_find(name);

	return i >= 0 ? vars[i].value : NULL;
}

/* Set a variable, replacing any value it had. */
void
var_set(const char *name, const char *value)
{
	int			i = var_find(name);

	if (i >= 0)
	{
		free(vars[i].value);
		vars[i].value = xstrdup(value);
		return;
	}
	i = -i - 1;
	vars = xrealloc(vars, sizeof(Variable) * (nvars + 1));
	memmove(vars + i + 1, vars + i, sizeof(Variable) * (nvars - i));
	vars[i].name = xstrdup(name);
	vars[i].value = xstrdup(value);
	nvars++;
}

/* Remove a variable; false when it was not set. */
bool
var_unset(const char *name)
{
	int			i = var_find(name);

	if (i < 0)
		return false;
	free(vars[i].name);
	free(vars[i].value);
	memmove(vars + i, vars + i + 1, sizeof(Variable) * (nvars - i - 1));
	nvars--;
	return true;
}

/* List the variables as \set shows them. */
void
var_print(FILE *f)
{
	for (int i = 0; i < nvars; i++)
		fprintf(f, "%s = '%s'\n", vars[i].name, vars[i].value);
}

/* Release every variable, at exit. */
void
var_free_all(void)
{
	for (int i = 0; i < nvars; i++)
	{
		free(vars[i].name);
		free(vars[i].value);
	}
	free(vars);
	vars = NULL;
	nvars = 0;
}

/* An error of the client's own, on stderr, with file:line in a script. */
void
client_error(const char *fmt,...)
{
	va_list		ap;

	fflush(stdout);
	if (pset.input_name)
		fprintf(stderr, "%s:%s:%d: ", pset.progname, pset.input_name,
				pset.input_line);
	else
		fprintf(stderr, "%s: ", pset.progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
