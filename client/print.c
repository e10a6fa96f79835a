/*
 * print.c
 *		Every output format: aligned tables (lined up by display width, so
 *		Chinese text lines up), expanded records, csv, json and markdown;
 *		the pager; \o.
 *
 * Widths come from PQdsplen in the connection's client encoding: libpq's
 * own East Asian width table, the same whatever the locale.  Csv and json
 * stream: a row is written as soon as it arrives.  On a terminal the output
 * is formatted in memory first, so that the pager is used only when the
 * output is taller than the screen.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "settings.h"
#include "util.h"
#include "print.h"

/* Type OIDs the formats care about (catalog/pg_type_d.h is server-side). */
#define BOOLOID		16
#define INT8OID		20
#define INT2OID		21
#define INT4OID		23
#define OIDOID		26
#define JSONOID		114
#define FLOAT4OID	700
#define FLOAT8OID	701
#define NUMERICOID	1700
#define JSONBOID	3802
#define PG_UTF8		6

struct Output
{
	FILE	   *dest;			/* stdout or the \o target */
	FILE	   *f;				/* where the text is formatted */
	char	   *mem;			/* f's buffer, when paging is possible */
	size_t		memlen;
	bool		sections;		/* several results: a json object */
	int			nsections;
	/* the result set being streamed */
	int			ncols;
	char	  **names;
	Oid		   *types;
	long		nrows;
};

/* Whether a column's values are numbers (right-aligned, bare in json). */
bool
numeric_type(Oid type)
{
	return type == INT2OID || type == INT4OID || type == INT8OID ||
		type == OIDOID || type == FLOAT4OID || type == FLOAT8OID ||
		type == NUMERICOID;
}

/* The display width of n bytes of text in the client encoding. */
static int
print_dsplen(const char *s, size_t n)
{
	int			enc = pset.db ? PQclientEncoding(pset.db) : PG_UTF8;
	int			width = 0;
	size_t		i = 0;

	while (i < n)
	{
		int			len = PQmblen(s + i, enc);
		int			w = PQdsplen(s + i, enc);

		if (len < 1)
			len = 1;
		if (i + len > n)
			len = (int) (n - i);
		if (w > 0)
			width += w;
		i += len;
	}
	return width;
}

/* The width of the widest line of a value. */
static int
cell_width(const char *s)
{
	int			widest = 0;

	for (;;)
	{
		const char *nl = strchr(s, '\n');
		size_t		n = nl ? (size_t) (nl - s) : strlen(s);
		int			w = print_dsplen(s, n);

		if (w > widest)
			widest = w;
		if (nl == NULL)
			return widest;
		s = nl + 1;
	}
}

/* n spaces (or another fill byte) into a buffer. */
static void
buf_fill(Buf *b, char c, int n)
{
	for (; n > 0; n--)
		buf_putc(b, c);
}

/* Write a line without its trailing blanks, so goldens have none. */
static void
put_line(FILE *f, Buf *line)
{
	while (line->len > 0 && line->data[line->len - 1] == ' ')
		line->data[--line->len] = '\0';
	fputs(line->data, f);
	fputc('\n', f);
	buf_reset(line);
}

/* A value as shown: the null display for NULL. */
static const char *
cell_text(const PGresult *res, int r, int c)
{
	if (PQgetisnull(res, r, c))
		return pset.null_display ? pset.null_display : "";
	return PQgetvalue(res, r, c);
}

/* "(n rows)" and the blank line psql prints after a table. */
static void
print_footer(FILE *f, long nrows)
{
	fprintf(f, "(%ld row%s)\n\n", nrows, nrows == 1 ? "" : "s");
}

/* The width of each column: header and widest value. */
static int *
column_widths(const PGresult *res)
{
	int			nc = PQnfields(res);
	int			nr = PQntuples(res);
	int		   *width = xmalloc(sizeof(int) * (nc ? nc : 1));

	for (int c = 0; c < nc; c++)
	{
		const char *name = PQfname(res, c);

		width[c] = print_dsplen(name, strlen(name));
		for (int r = 0; r < nr; r++)
		{
			int			w = cell_width(cell_text(res, r, c));

			if (w > width[c])
				width[c] = w;
		}
	}
	return width;
}

/* One physical line of a table row; advances each cell to its next line. */
static bool
aligned_row_line(Buf *line, const char **cur, const int *width,
				 const bool *right, int nc)
{
	bool		more = false;

	for (int c = 0; c < nc; c++)
	{
		const char *nl = strchr(cur[c], '\n');
		size_t		n = nl ? (size_t) (nl - cur[c]) : strlen(cur[c]);
		int			pad = width[c] - print_dsplen(cur[c], n);

		if (c > 0)
			buf_putc(line, '|');
		buf_putc(line, ' ');
		if (right[c])
			buf_fill(line, ' ', pad);
		buf_putn(line, cur[c], n);
		if (!right[c])
			buf_fill(line, ' ', pad);
		/* psql marks a value that goes on to the next line with '+' */
		buf_putc(line, nl ? '+' : ' ');
		cur[c] = nl ? nl + 1 : cur[c] + n;
		more = more || nl != NULL;
	}
	return more;
}

/* An aligned table, as psql prints it with border 1. */
static void
print_aligned(FILE *f, const PGresult *res, const PrintOpts *opts)
{
	int			nc = PQnfields(res);
	int			nr = PQntuples(res);
	int		   *width = column_widths(res);
	bool	   *right = xmalloc(nc ? nc : 1);
	const char **cur = xmalloc(sizeof(char *) * (nc ? nc : 1));
	Buf			line;

	buf_init(&line);
	if (opts->title)
		fprintf(f, "%s\n", opts->title);
	for (int c = 0; c < nc; c++)
	{
		const char *name = PQfname(res, c);
		int			pad = width[c] - print_dsplen(name, strlen(name));

		right[c] = numeric_type(PQftype(res, c));
		if (c > 0)
			buf_putc(&line, '|');
		buf_fill(&line, ' ', 1 + pad / 2);
		buf_puts(&line, name);
		buf_fill(&line, ' ', pad - pad / 2 + 1);
	}
	put_line(f, &line);
	for (int c = 0; c < nc; c++)
	{
		if (c > 0)
			buf_putc(&line, '+');
		buf_fill(&line, '-', width[c] + 2);
	}
	put_line(f, &line);
	for (int r = 0; r < nr; r++)
	{
		bool		more;

		for (int c = 0; c < nc; c++)
			cur[c] = cell_text(res, r, c);
		do
		{
			more = aligned_row_line(&line, cur, width, right, nc);
			put_line(f, &line);
		} while (more);
	}
	if (opts->footer)
		print_footer(f, nr);
	else
		fputc('\n', f);
	buf_free(&line);
	free(width);
	free(right);
	free(cur);
}

/* The "-[ RECORD n ]" line of expanded output, as wide as the records. */
static void
expanded_header(Buf *line, int record, int label_width, int value_width)
{
	buf_printf(line, "-[ RECORD %d ]", record);
	if ((int) line->len < label_width + 1)
	{
		buf_fill(line, '-', label_width + 1 - (int) line->len);
		buf_putc(line, '+');
	}
	buf_fill(line, '-', label_width + 3 + value_width - (int) line->len);
}

/* Expanded output: one "label | value" line per column, per record. */
static void
print_expanded(FILE *f, const PGresult *res, const PrintOpts *opts)
{
	int			nc = PQnfields(res);
	int			nr = PQntuples(res);
	int			label_width = 0;
	int			value_width = 0;
	Buf			line;

	buf_init(&line);
	for (int c = 0; c < nc; c++)
	{
		int			w = print_dsplen(PQfname(res, c), strlen(PQfname(res, c)));

		if (w > label_width)
			label_width = w;
		for (int r = 0; r < nr; r++)
		{
			w = cell_width(cell_text(res, r, c));
			if (w > value_width)
				value_width = w;
		}
	}
	if (opts->title)
		fprintf(f, "%s\n", opts->title);
	if (nr == 0)
		fputs("(0 rows)\n", f);
	for (int r = 0; r < nr; r++)
	{
		if (nr > 1 || !opts->expanded)
		{
			expanded_header(&line, r + 1, label_width, value_width);
			put_line(f, &line);
		}
		for (int c = 0; c < nc; c++)
		{
			const char *name = PQfname(res, c);
			const char *s = cell_text(res, r, c);
			bool		first = true;

			for (;;)
			{
				const char *nl = strchr(s, '\n');
				size_t		n = nl ? (size_t) (nl - s) : strlen(s);

				if (first)
					buf_puts(&line, name);
				buf_fill(&line, ' ', label_width -
						 (first ? print_dsplen(name, strlen(name)) : 0));
				buf_puts(&line, " | ");
				buf_putn(&line, s, n);
				if (nl)
					buf_putc(&line, '+');
				put_line(f, &line);
				if (nl == NULL)
					break;
				s = nl + 1;
				first = false;
			}
		}
	}
	fputc('\n', f);
	buf_free(&line);
}

/* A csv field (RFC 4180); empty strings are quoted to tell them from NULL. */
static void
csv_field(FILE *f, const char *s, bool isnull)
{
	if (isnull)
		return;
	if (s[0] != '\0' && strpbrk(s, ",\"\r\n") == NULL)
	{
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++)
	{
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A json string. */
static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A json value: numbers and booleans bare, json as is, the rest strings. */
static void
json_value(FILE *f, const char *s, bool isnull, Oid type)
{
	if (isnull)
		fputs("null", f);
	else if (type == BOOLOID)
		fputs(s[0] == 't' ? "true" : "false", f);
	else if (type == JSONOID || type == JSONBOID)
		fputs(s, f);
	else if (numeric_type(type) && strpbrk(s, "NIaIn") == NULL)
		fputs(s, f);			/* NaN and Infinity are not json numbers */
	else
		json_string(f, s);
}

/* Start a result set in a streaming format: csv header, json '['. */
void
print_stream_begin(Output *o, const PGresult *res, const PrintOpts *opts)
{
	FILE	   *f = o->f;

	o->ncols = PQnfields(res);
	o->names = xmalloc(sizeof(char *) * (o->ncols ? o->ncols : 1));
	o->types = xmalloc(sizeof(Oid) * (o->ncols ? o->ncols : 1));
	o->nrows = 0;
	for (int c = 0; c < o->ncols; c++)
	{
		o->names[c] = xstrdup(PQfname(res, c));
		o->types[c] = PQftype(res, c);
	}
	if (o->sections && pset.format == FORMAT_JSON)
	{
		fputs(o->nsections > 0 ? ",\n" : "\n", f);
		json_string(f, opts->name ? opts->name : opts->title ? opts->title : "result");
		fputs(": ", f);
	}
	else if (o->nsections > 0)
		fputc('\n', f);			/* csv sections: a blank line between */
	o->nsections++;
	if (pset.format == FORMAT_JSON)
	{
		fputc('[', f);
		return;
	}
	for (int c = 0; c < o->ncols; c++)
	{
		if (c > 0)
			fputc(',', f);
		csv_field(f, o->names[c], false);
	}
	fputc('\n', f);
}

/* One row of a result set being streamed (row 0 of res in single-row mode). */
static void
print_stream_row_at(Output *o, const PGresult *res, int r)
{
	FILE	   *f = o->f;

	if (pset.format == FORMAT_JSON)
	{
		fputs(o->nrows > 0 ? ",\n{" : "\n{", f);
		for (int c = 0; c < o->ncols; c++)
		{
			if (c > 0)
				fputc(',', f);
			json_string(f, o->names[c]);
			fputc(':', f);
			json_value(f, PQgetvalue(res, r, c), PQgetisnull(res, r, c),
					   o->types[c]);
		}
		fputc('}', f);
	}
	else
	{
		for (int c = 0; c < o->ncols; c++)
		{
			if (c > 0)
				fputc(',', f);
			csv_field(f, PQgetvalue(res, r, c), PQgetisnull(res, r, c));
		}
		fputc('\n', f);
	}
	o->nrows++;
}

/* One streamed row. */
void
print_stream_row(Output *o, const PGresult *res)
{
	print_stream_row_at(o, res, 0);
}

/* End a streamed result set. */
void
print_stream_end(Output *o)
{
	if (pset.format == FORMAT_JSON)
		fputs(o->nrows > 0 ? "\n]" : "]", o->f);
	if (pset.format == FORMAT_JSON && !o->sections)
		fputc('\n', o->f);
	for (int c = 0; c < o->ncols; c++)
		free(o->names[c]);
	free(o->names);
	free(o->types);
	o->names = NULL;
	o->types = NULL;
	o->ncols = 0;
}

/* A markdown cell: '|' escaped, line breaks as <br>. */
static char *
markdown_cell(const char *s)
{
	Buf			b;

	buf_init(&b);
	for (; *s; s++)
	{
		if (*s == '|')
			buf_puts(&b, "\\|");
		else if (*s == '\n')
			buf_puts(&b, "<br>");
		else if (*s != '\r')
			buf_putc(&b, *s);
	}
	return b.data;
}

/* One markdown table row, padded so that the source lines up too. */
static void
markdown_row(Buf *line, char **cells, const int *width, const bool *right,
			 int nc)
{
	for (int c = 0; c < nc; c++)
	{
		int			pad = width[c] - print_dsplen(cells[c], strlen(cells[c]));

		buf_puts(line, "| ");
		if (right[c])
			buf_fill(line, ' ', pad);
		buf_puts(line, cells[c]);
		if (!right[c])
			buf_fill(line, ' ', pad);
		buf_putc(line, ' ');
	}
	buf_putc(line, '|');
}

/* A markdown (GitHub) table; numbers right-aligned. */
static void
print_markdown(FILE *f, const PGresult *res, const PrintOpts *opts)
{
	int			nc = PQnfields(res);
	int			nr = PQntuples(res);
	int		   *width = xmalloc(sizeof(int) * (nc ? nc : 1));
	bool	   *right = xmalloc(nc ? nc : 1);
	char	  **cells = xmalloc(sizeof(char *) * ((size_t) nc * (nr + 1) + 1));
	Buf			line;

	buf_init(&line);
	for (int r = -1; r < nr; r++)
		for (int c = 0; c < nc; c++)
			cells[(r + 1) * nc + c] = markdown_cell(r < 0 ? PQfname(res, c) :
													cell_text(res, r, c));
	for (int c = 0; c < nc; c++)
	{
		right[c] = numeric_type(PQftype(res, c));
		width[c] = 3;
		for (int r = 0; r <= nr; r++)
		{
			const char *s = cells[r * nc + c];
			int			w = print_dsplen(s, strlen(s));

			if (w > width[c])
				width[c] = w;
		}
	}
	if (opts->title)
		fprintf(f, "### %s\n\n", opts->title);
	markdown_row(&line, cells, width, right, nc);
	put_line(f, &line);
	for (int c = 0; c < nc; c++)
	{
		buf_puts(&line, "| ");
		buf_fill(&line, '-', width[c] - (right[c] ? 1 : 0));
		buf_puts(&line, right[c] ? ": " : " ");
	}
	buf_putc(&line, '|');
	put_line(f, &line);
	for (int r = 1; r <= nr; r++)
	{
		markdown_row(&line, cells + r * nc, width, right, nc);
		put_line(f, &line);
	}
	fputc('\n', f);
	for (int i = 0; i < nc * (nr + 1); i++)
		free(cells[i]);
	free(cells);
	free(width);
	free(right);
	buf_free(&line);
}

/* One record as a two-column markdown table: field, value. */
static void
print_markdown_record(FILE *f, const PGresult *res, const PrintOpts *opts)
{
	int			label_width = 5;
	int			value_width = 5;
	Buf			line;

	buf_init(&line);
	for (int c = 0; c < PQnfields(res); c++)
	{
		char	   *v = markdown_cell(cell_text(res, 0, c));
		int			w = print_dsplen(PQfname(res, c), strlen(PQfname(res, c)));

		label_width = w > label_width ? w : label_width;
		w = print_dsplen(v, strlen(v));
		value_width = w > value_width ? w : value_width;
		free(v);
	}
	if (opts->title)
		fprintf(f, "### %s\n\n", opts->title);
	fprintf(f, "| %-*s | %-*s |\n", label_width, "field", value_width, "value");
	buf_puts(&line, "| ");
	buf_fill(&line, '-', label_width);
	buf_puts(&line, " | ");
	buf_fill(&line, '-', value_width);
	buf_puts(&line, " |");
	put_line(f, &line);
	for (int c = 0; c < PQnfields(res); c++)
	{
		char	   *v = markdown_cell(cell_text(res, 0, c));
		const char *name = PQfname(res, c);

		buf_printf(&line, "| %s", name);
		buf_fill(&line, ' ', label_width - print_dsplen(name, strlen(name)));
		buf_printf(&line, " | %s", v);
		buf_fill(&line, ' ', value_width - print_dsplen(v, strlen(v)));
		buf_puts(&line, " |");
		put_line(f, &line);
		free(v);
	}
	fputc('\n', f);
	buf_free(&line);
}

/* The terminal's size, or what LINES and COLUMNS say, or 24 x 80. */
static void
terminal_size(int *rows, int *cols)
{
	struct winsize ws;
	const char *env;

	*rows = 0;
	*cols = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
	{
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
	if (*rows <= 0)
		*rows = (env = getenv("LINES")) ? atoi(env) : 24;
	if (*cols <= 0)
		*cols = (env = getenv("COLUMNS")) ? atoi(env) : 80;
}

/* Whether an aligned table would be wider than the terminal. */
static bool
too_wide(const PGresult *res)
{
	int			rows,
				cols,
				total = 0;
	int		   *width;

	if (!pset.stdout_tty || pset.queryout)
		return false;
	terminal_size(&rows, &cols);
	width = column_widths(res);
	for (int c = 0; c < PQnfields(res); c++)
		total += width[c] + 3;
	free(width);
	return total > cols;
}

/* Print a complete result in the current format. */
void
print_result(Output *o, const PGresult *res, const PrintOpts *opts)
{
	bool		expanded = opts->expanded || pset.expanded == EXPANDED_ON ||
		(pset.expanded == EXPANDED_AUTO && too_wide(res));

	switch (pset.format)
	{
		case FORMAT_CSV:
		case FORMAT_JSON:
			print_stream_begin(o, res, opts);
			for (int r = 0; r < PQntuples(res); r++)
				print_stream_row_at(o, res, r);
			print_stream_end(o);
			return;
		case FORMAT_MARKDOWN:
			if (opts->expanded && PQntuples(res) == 1)
				print_markdown_record(o->f, res, opts);
			else
				print_markdown(o->f, res, opts);
			return;
		case FORMAT_TABLE:
			if (expanded)
				print_expanded(o->f, res, opts);
			else
				print_aligned(o->f, res, opts);
			return;
	}
}

/* Whether rows can be written as they arrive (csv, json). */
bool
print_streams(void)
{
	return pset.format == FORMAT_CSV || pset.format == FORMAT_JSON;
}

/*
 * Open the output of one command.  On a terminal it is formatted in memory,
 * so that output_close() can choose the pager when it is taller than the
 * screen.  sections: several results (json: one object, key per result).
 */
Output *
output_open(bool sections)
{
	Output	   *o = xmalloc(sizeof(Output));

	memset(o, 0, sizeof(*o));
	o->dest = pset.queryout ? pset.queryout : stdout;
	o->f = o->dest;
	o->sections = sections;
	if (pset.queryout == NULL && pset.stdout_tty && pset.pager)
	{
		o->f = open_memstream(&o->mem, &o->memlen);
		if (o->f == NULL)
			o->f = o->dest;
	}
	if (sections && pset.format == FORMAT_JSON)
		fputc('{', o->f);
	return o;
}

/* The pager: PAGER, or less, or more; "" turns it off. */
static const char *
pager_command(void)
{
	const char *pager = getenv("PAGER");

	if (pager == NULL)
		pager = access("/usr/bin/less", X_OK) == 0 ? "less" : "more";
	return str_blank(pager) ? NULL : pager;
}

/* Send formatted output to the pager when it is taller than the screen. */
static void
page_or_write(Output *o)
{
	int			rows,
				cols;
	long		lines = 0;
	const char *pager = pager_command();
	FILE	   *p;

	for (size_t i = 0; i < o->memlen; i++)
		lines += o->mem[i] == '\n';
	terminal_size(&rows, &cols);
	if (pager && lines >= rows && (p = popen(pager, "w")) != NULL)
	{
		void		(*old_pipe) (int) = signal(SIGPIPE, SIG_IGN);

		fwrite(o->mem, 1, o->memlen, p);
		pclose(p);
		signal(SIGPIPE, old_pipe);
		return;
	}
	fwrite(o->mem, 1, o->memlen, o->dest);
}

/* Finish a command's output: close json, page or write, flush. */
void
output_close(Output *o)
{
	if (o->sections && pset.format == FORMAT_JSON)
		fputs(o->nsections > 0 ? "\n}\n" : "}\n", o->f);
	if (o->f != o->dest)
	{
		fclose(o->f);
		page_or_write(o);
		free(o->mem);
	}
	fflush(o->dest);
	free(o);
}

/* Free text (help) through the pager rules. */
void
print_text(const char *text)
{
	Output	   *o = output_open(false);

	fputs(text, o->f);
	output_close(o);
}

static const char *const format_names[] = {"table", "csv", "json", "markdown"};

/* Set the output format by name; "aligned" is psql's name for table. */
bool
print_set_format(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, format_names[i]) == 0)
		{
			pset.format = (OutputFormat) i;
			return true;
		}
	if (strcmp(name, "aligned") == 0)
	{
		pset.format = FORMAT_TABLE;
		return true;
	}
	return false;
}

/* The name of an output format. */
const char *
print_format_name(OutputFormat f)
{
	return format_names[f];
}

/*
 * A command reading the output through a pipe may end before it is all
 * written: then writing must fail, not kill the client with SIGPIPE, as
 * psql does while its output is a pipe.
 */
static void
follow_sigpipe(void)
{
	signal(SIGPIPE, pset.queryout_pipe ? SIG_IGN : SIG_DFL);
}

/* Open a file or, after '|', a command to write results to. */
static bool
open_queryout(const char *target, QueryOut *out)
{
	fflush(stdout);
	out->pipe = target[0] == '|';
	out->f = out->pipe ? popen(target + 1, "w") : fopen(target, "w");
	if (out->f == NULL)
		client_error("could not open \"%s\": %m", target);
	return out->f != NULL;
}

/* Close the \o target, if any. */
void
print_close_queryout(void)
{
	if (pset.queryout == NULL)
		return;
	if (pset.queryout_pipe)
		pclose(pset.queryout);
	else
		fclose(pset.queryout);
	pset.queryout = NULL;
	pset.queryout_pipe = false;
	follow_sigpipe();
}

/* \o: send output to a file, to "|command", or back to stdout. */
bool
print_set_queryout(const char *target)
{
	QueryOut	out;

	print_close_queryout();
	if (target == NULL || target[0] == '\0')
		return true;
	if (!open_queryout(target, &out))
		return false;
	pset.queryout = out.f;
	pset.queryout_pipe = out.pipe;
	follow_sigpipe();
	return true;
}

/*
 * \g FILE: the results of one query to a file or "|command"; *saved keeps
 * the \o target to go back to with print_pop_queryout().
 */
bool
print_push_queryout(const char *target, QueryOut *saved)
{
	QueryOut	out;

	if (!open_queryout(target, &out))
		return false;
	saved->f = pset.queryout;
	saved->pipe = pset.queryout_pipe;
	pset.queryout = out.f;
	pset.queryout_pipe = out.pipe;
	follow_sigpipe();
	return true;
}

/* Close the target of print_push_queryout() and go back to \o's. */
void
print_pop_queryout(const QueryOut *saved)
{
	print_close_queryout();
	pset.queryout = saved->f;
	pset.queryout_pipe = saved->pipe;
	follow_sigpipe();
}
