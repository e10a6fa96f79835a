/*
 * util.h
 *		Memory that never comes back NULL, growable strings, the variables of
 *		\set, and the client's own error messages (util.c).
 */
#ifndef ISSUELIST_UTIL_H
#define ISSUELIST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

extern void *xmalloc(size_t size);
extern void *xrealloc(void *p, size_t size);
extern char *xstrdup(const char *s);
extern char *xstrndup(const char *s, size_t n);
extern void buf_init(Buf *b);
extern void buf_reset(Buf *b);
extern void buf_free(Buf *b);
extern void buf_putc(Buf *b, char c);
extern void buf_putn(Buf *b, const char *s, size_t n);
extern void buf_puts(Buf *b, const char *s);
extern void buf_printf(Buf *b, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern bool buf_is_blank(const Buf *b);
extern bool str_blank(const char *s);
extern char *str_trim(char *s);

extern const char *var_get(const char *name);
extern void var_set(const char *name, const char *value);
extern bool var_unset(const char *name);
extern void var_print(FILE *f);
extern void var_free_all(void);

/* messages: to stderr, with file:line when running a script */
extern void client_error(const char *fmt,...)
			__attribute__((format(printf, 1, 2)));

#endif							/* ISSUELIST_UTIL_H */
