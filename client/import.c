/*
 * import.c
 *		import FILE.csv: issues from a spreadsheet export, all rows or none.
 *
 * The file streams through COPY into a temporary staging table, one record
 * at a time, each prefixed with the line number it starts on (a record may
 * span lines inside quotes), so the client never holds more than one
 * record.  The server then checks every row in one set-based pass
 * (issuelist.import_check) and reports each bad row with its line, column
 * and reason; only when none is bad does issuelist.import_apply register
 * the issues.  Everything happens in one transaction (a savepoint inside
 * the user's own), so a failure leaves nothing behind.
 *
 * The COPY column list is made of the known column names below, matched
 * against the header: no text from the file reaches SQL text.
 *
 * A file saved by Excel on Chinese Windows is GB18030 (GBK), not UTF-8: a
 * file that is not valid UTF-8 is read as GB18030 (or as import's
 * encoding=NAME says), each record converted to UTF-8 with iconv.  Splitting
 * records and fields on the raw bytes is safe: no byte of a GB18030
 * character is a quote, a comma or a line end.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"
#include "util.h"
#include "exec.h"
#include "print.h"
#include "import.h"

#define MAX_COLUMNS		32
#define MAX_REPORTED	1000

/* The columns an import file may have, with the headings users write. */
typedef struct ImportColumn
{
	const char *name;
	const char *alias;			/* the Chinese heading */
	bool		required;
} ImportColumn;

static const ImportColumn import_columns[] = {
	{"list", "清单", true},
	{"org", "单位", true},
	{"severity", "等级", true},
	{"title", "问题", true},
	{"found_on", "发现日期", false},
	{"due_on", "整改期限", false},
	{"origin", "发现方式", false},
	{"official", "责任人", false},
	{"source", "来源", false},
	{"detail", "详情", false},
	{"ref", "编号", false},
};
#define NCOLUMNS ((int) (sizeof(import_columns) / sizeof(import_columns[0])))

/* A CSV file read record by record. */
typedef struct CsvReader
{
	FILE	   *fp;
	const char *path;
	Buf			rec;			/* the record, without its line end */
	int			lineno;			/* lines read so far */
	int			rec_line;		/* the line the record starts on */
	int			nfields;
	bool		open_quote;		/* the file ended inside quotes */
	iconv_t		conv;			/* to UTF-8, or (iconv_t) -1 for UTF-8 */
	const char *encoding;		/* the file's encoding, as iconv names it */
	Buf			converted;		/* a record converted */
	bool		bad_encoding;	/* the record is not in that encoding */
} CsvReader;

/*
 * Whether the next 64 kB of a file are valid UTF-8 (a character cut at the
 * end of the sample counts as valid).  The file is read again from where it
 * was.
 */
static bool
looks_utf8(FILE *fp)
{
	unsigned char sample[65536];
	long		start = ftell(fp);
	size_t		n = fread(sample, 1, sizeof(sample), fp);
	size_t		i = 0;

	fseek(fp, start, SEEK_SET);
	while (i < n)
	{
		unsigned char c = sample[i];
		int			len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
			(c & 0xF8) == 0xF0 ? 4 : 0;

		if (len == 0 || (len == 2 && c < 0xC2))
			return false;
		for (int k = 1; k < len; k++)
			if (i + k < n && (sample[i + k] & 0xC0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/*
 * Convert the record to UTF-8 when the file is in another encoding; a
 * record with bytes that are not in it is marked bad_encoding.
 */
static void
convert_record(CsvReader *r)
{
	char	   *in = r->rec.data;
	size_t		inleft = r->rec.len;

	r->bad_encoding = false;
	if (r->conv == (iconv_t) -1)
		return;
	buf_reset(&r->converted);
	iconv(r->conv, NULL, NULL, NULL, NULL);
	while (inleft > 0)
	{
		char		out[1024];
		char	   *outp = out;
		size_t		outleft = sizeof(out);

		if (iconv(r->conv, &in, &inleft, &outp, &outleft) == (size_t) -1 && errno != E2BIG)
		{
			r->bad_encoding = true;
			return;
		}
		buf_putn(&r->converted, out, sizeof(out) - outleft);
	}
	buf_reset(&r->rec);
	buf_putn(&r->rec, r->converted.data, r->converted.len);
}

/*
 * The next record: up to a newline outside quotes.  Quotes toggle as in
 * PostgreSQL's CSV COPY (a doubled quote toggles twice).  False at the end.
 */
static bool
csv_next(CsvReader *r)
{
	bool		quoted = false;
	bool		any = false;
	int			c;

	buf_reset(&r->rec);
	r->nfields = 1;
	r->rec_line = r->lineno + 1;
	while ((c = getc(r->fp)) != EOF)
	{
		any = true;
		if (c == '\n')
		{
			r->lineno++;
			if (!quoted)
				break;
		}
		else if (c == '"')
			quoted = !quoted;
		else if (c == ',' && !quoted)
			r->nfields++;
		buf_putc(&r->rec, (char) c);
	}
	if (!any)
		return false;
	if (c == EOF)
		r->lineno++;
	r->open_quote = quoted;
	if (r->rec.len > 0 && r->rec.data[r->rec.len - 1] == '\r')
		r->rec.data[--r->rec.len] = '\0';
	convert_record(r);
	return true;
}

/* Split a header record into unquoted, trimmed fields (at most max). */
static int
csv_fields(char *rec, char **fields, int max)
{
	int			n = 0;
	char	   *out = rec;
	char	   *p = rec;
	bool		quoted = false;

	fields[n++] = out;
	for (; *p; p++)
	{
		if (*p == '"')
		{
			if (quoted && p[1] == '"')
				*out++ = *p++;
			else
				quoted = !quoted;
		}
		else if (*p == ',' && !quoted)
		{
			*out++ = '\0';
			if (n == max)
				break;
			fields[n++] = out;
		}
		else
			*out++ = *p;
	}
	*out = '\0';
	for (int i = 0; i < n; i++)
		fields[i] = str_trim(fields[i]);
	return n;
}

/* An error about one place of the file: FILE:LINE: [COLUMN: ]REASON. */
static void
file_error(const CsvReader *r, int line, const char *column, const char *reason)
{
	fflush(stdout);
	fprintf(stderr, "%s:%d: %s%s%s\n", r->path, line, column ? column : "",
			column ? ": " : "", reason);
}

/*
 * Match the header (read already) against a table of columns: col[k] is
 * the field of column k, or -1; the fields and their number are set.  An
 * unknown or repeated heading and a required column missing are reported
 * (names: "the columns are ..."); false when any was.
 */
static bool
match_header(CsvReader *r, const ImportColumn *columns, int ncolumns,
			 const char *names, char **fields, int *n, int *col)
{
	char	   *rec = r->rec.data;
	bool		ok = true;

	*n = csv_fields(rec, fields, MAX_COLUMNS);
	for (int k = 0; k < ncolumns; k++)
		col[k] = -1;
	for (int i = 0; i < *n; i++)
	{
		int			c = -1;
		char		msg[512];

		for (int k = 0; k < ncolumns && c < 0; k++)
			if (strcasecmp(fields[i], columns[k].name) == 0 ||
				strcmp(fields[i], columns[k].alias) == 0)
				c = k;
		if (c < 0 || col[c] >= 0)
		{
			snprintf(msg, sizeof(msg), "%s column \"%s\" (%s)",
					 c < 0 ? "unknown" : "repeated", fields[i], names);
			file_error(r, r->rec_line, NULL, msg);
			ok = false;
			continue;
		}
		col[c] = i;
	}
	for (int k = 0; k < ncolumns; k++)
		if (columns[k].required && col[k] < 0)
		{
			char		msg[128];

			snprintf(msg, sizeof(msg), "the column \"%s\" is missing", columns[k].name);
			file_error(r, r->rec_line, NULL, msg);
			ok = false;
		}
	return ok;
}

/*
 * The header (read already); build the COPY statement from the known
 * names.  Returns the number of columns, or -1 after reporting what is
 * wrong.
 */
static int
read_header(CsvReader *r, Buf *copy)
{
	char	   *fields[MAX_COLUMNS];
	int			col[NCOLUMNS];
	int			n;

	if (!match_header(r, import_columns, NCOLUMNS,
					  "the columns are list, org, severity, title, found_on, due_on, origin, official, source, detail, ref",
					  fields, &n, col))
		return -1;
	buf_puts(copy, "COPY pg_temp.issuelist_import (line");
	for (int i = 0; i < n; i++)
		for (int c = 0; c < NCOLUMNS; c++)
			if (col[c] == i)
				buf_printf(copy, ", %s", import_columns[c].name);
	buf_puts(copy, ", problem) FROM STDIN WITH (FORMAT csv)");
	return n;
}

/*
 * Send one record: its line, its fields, and an empty problem.  A record
 * that is not a row of the table (wrong number of fields, an open quote at
 * the end of the file) is sent as its line, empty fields and the problem,
 * so that the server reports it in line order with the rest.
 */
static bool
send_record(CsvReader *r, int ncols)
{
	char		head[32];
	Buf			b;
	bool		ok;

	snprintf(head, sizeof(head), "%d,", r->rec_line);
	if (!r->open_quote && r->nfields == ncols && !r->bad_encoding)
		return PQputCopyData(pset.db, head, strlen(head)) == 1 &&
			PQputCopyData(pset.db, r->rec.data, r->rec.len) == 1 &&
			PQputCopyData(pset.db, ",\n", 2) == 1;
	buf_init(&b);
	buf_puts(&b, head);
	for (int i = 0; i < ncols; i++)
		buf_putc(&b, ',');
	if (r->bad_encoding)
		buf_printf(&b, "\"not valid %s text\"\n", r->encoding);
	else if (r->open_quote)
		buf_puts(&b, "a quoted field is not closed at the end of the file\n");
	else
		buf_printf(&b, "\"expected %d columns, found %d\"\n", ncols, r->nfields);
	ok = PQputCopyData(pset.db, b.data, b.len) == 1;
	buf_free(&b);
	return ok;
}

/* Stream the records into COPY; false when COPY failed. */
static bool
stream_records(CsvReader *r, int ncols)
{
	PGresult   *res;
	bool		ok = true;

	while (ok && csv_next(r))
	{
		if (cancel_pressed)
		{
			PQputCopyEnd(pset.db, "canceled by user");
			ok = false;
			break;
		}
		if (r->rec.len == 0)
			continue;			/* blank lines are not rows */
		ok = send_record(r, ncols);
	}
	if (ok && PQputCopyEnd(pset.db, NULL) != 1)
		ok = false;
	while ((res = PQgetResult(pset.db)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
		{
			exec_report_error(res);
			ok = false;
		}
		PQclear(res);
	}
	return ok;
}

/* Report the rows the server found bad; returns how many errors. */
static long
report_bad_rows(CsvReader *r, const char *day)
{
	static const char sql[] =
		"WITH c AS (SELECT * FROM issuelist.import_check($1::date))"
		"SELECT line, \"column\", reason, (SELECT count(*) FROM c),"
		"       (SELECT count(DISTINCT line) FROM c)"
		"  FROM c ORDER BY line, \"column\" NULLS FIRST LIMIT 1000";
	const char *v[] = {day};
	PGresult   *res = exec_params(sql, 1, v);
	long		errors = 0;

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		file_error(r, atoi(PQgetvalue(res, i, 0)),
				   PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1),
				   PQgetvalue(res, i, 2));
	if (PQntuples(res) > 0)
	{
		long		rows = atol(PQgetvalue(res, 0, 4));

		errors = atol(PQgetvalue(res, 0, 3));
		if (errors > MAX_REPORTED)
			fprintf(stderr, "%s: ... and %ld more\n", r->path, errors - MAX_REPORTED);
		client_error("import %s: %ld error%s in %ld row%s; nothing was imported",
					 r->path, errors, errors == 1 ? "" : "s", rows, rows == 1 ? "" : "s");
	}
	PQclear(res);
	return errors;
}

/* Register the checked rows and print what was imported. */
static bool
apply_rows(CsvReader *r, const char *day)
{
	static const char sql[] =
		"SELECT * FROM issuelist.import_apply($1::date)";
	const char *v[] = {day};
	PGresult   *res;
	PrintOpts	opts = {"imported", NULL, false, false};
	Output	   *o;

	/* findings of the round registered already: skipped, and said so */
	res = exec_params("SELECT line, ref, code FROM issuelist.import_duplicates()", 0, NULL);
	if (res == NULL)
		return false;
	for (int i = 0; i < PQntuples(res) && !pset.quiet; i++)
		printf("%s:%s: ref %s is registered already as %s: skipped\n", r->path,
			   PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	PQclear(res);
	res = exec_params(sql, 1, v);
	if (res == NULL)
		return false;
	o = output_open(false);
	print_result(o, res, &opts);
	output_close(o);
	PQclear(res);
	return true;
}

/*
 * A file of steps: columns code, state, note and on_date (步骤: 编号,
 * 状态, 说明, 日期), each row one advance() of an issue, in file order.  Each
 * row runs under its own savepoint so that every bad row is named with the
 * server's reason; any bad row rolls the whole file back.
 */
static const ImportColumn step_columns[] = {
	{"code", "编号", true},
	{"state", "状态", true},
	{"note", "说明", false},
	{"on_date", "日期", false},
};
#define NSTEP_COLUMNS 4

/* Whether the header (read already) is a file of steps: it has "code". */
static bool
steps_file(const CsvReader *r)
{
	char	   *copy = xstrdup(r->rec.data);
	char	   *fields[MAX_COLUMNS];
	char	   *rec = copy;
	int			n;
	bool		steps = false;

	n = csv_fields(rec, fields, MAX_COLUMNS);
	for (int i = 0; i < n && !steps; i++)
		steps = strcasecmp(fields[i], step_columns[0].name) == 0 ||
			strcmp(fields[i], step_columns[0].alias) == 0;
	free(copy);
	return steps;
}

/*
 * Apply the steps of the file, inside the transaction import_csv opened:
 * false when a row was bad (each named) or the header was.
 */
static bool
import_steps(CsvReader *r)
{
	static const char sql[] =
		"SELECT issuelist.advance($1, $2::issuelist.issue_state, $3,"
		"                         coalesce($4::date, $5::date, current_date), $6)";
	char	   *fields[MAX_COLUMNS];
	int			col[NSTEP_COLUMNS];
	long		steps = 0;
	long		errors = 0;
	int			ncols;

	if (!match_header(r, step_columns, NSTEP_COLUMNS,
					  "the columns of steps are code, state, note, on_date",
					  fields, &ncols, col))
		return false;
	while (csv_next(r))
	{
		const char *v[6];
		PGresult   *res;
		bool		failed;

		if (cancel_pressed)
		{
			client_error("import: cancelled");
			return false;
		}
		if (r->rec.len == 0)
			continue;
		if (r->bad_encoding || r->open_quote || r->nfields != ncols)
		{
			char		msg[128];

			if (r->bad_encoding)
				snprintf(msg, sizeof(msg), "not valid %s text", r->encoding);
			else if (r->open_quote)
				snprintf(msg, sizeof(msg), "a quoted field is not closed at the end of the file");
			else
				snprintf(msg, sizeof(msg), "expected %d columns, found %d", ncols, r->nfields);
			file_error(r, r->rec_line, NULL, msg);
			errors++;
			continue;
		}
		csv_fields(r->rec.data, fields, MAX_COLUMNS);
		for (int c = 0; c < NSTEP_COLUMNS; c++)
			v[c] = col[c] >= 0 && fields[col[c]][0] ? fields[col[c]] : NULL;
		v[4] = var_get("AS_OF");
		v[5] = var_get("LATE_REASON");
		if (v[4] && !v[4][0])
			v[4] = NULL;
		if (v[5] && !v[5][0])
			v[5] = NULL;
		if (!exec_ok("SAVEPOINT issuelist_step"))
			return false;
		res = PQexecParams(pset.db, sql, 6, NULL, v, NULL, NULL, 0);
		failed = PQresultStatus(res) != PGRES_TUPLES_OK;
		if (!failed)
			steps++;
		else
		{
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
			char		msg[1024];

			if (exec_connection_lost())
			{
				exec_report_error(res);
				PQclear(res);
				return false;
			}
			snprintf(msg, sizeof(msg), "%s%s%s", state ? state : "", state ? ": " : "",
					 primary ? primary : PQerrorMessage(pset.db));
			file_error(r, r->rec_line, NULL, msg);
			errors++;
		}
		PQclear(res);
		if ((failed && !exec_ok("ROLLBACK TO SAVEPOINT issuelist_step")) ||
			!exec_ok("RELEASE SAVEPOINT issuelist_step"))
			return false;
	}
	if (errors > 0)
	{
		client_error("import %s: %ld bad row%s; no step was recorded", r->path, errors,
					 errors == 1 ? "" : "s");
		return false;
	}
	if (!pset.quiet)
		printf("%ld step%s recorded\n", steps, steps == 1 ? "" : "s");
	return true;
}

/* Stage, check and apply, inside the transaction import_csv opened. */
static bool
import_rows(CsvReader *r)
{
	Buf			copy;
	int			ncols;
	long		errors;
	PGresult   *res;
	const char *day = var_get("AS_OF");

	if (!csv_next(r))
	{
		file_error(r, 1, NULL, "the file is empty; the first line must name the columns");
		return false;
	}
	if (r->bad_encoding)
	{
		char		msg[128];

		snprintf(msg, sizeof(msg), "not valid %s text", r->encoding);
		file_error(r, 1, NULL, msg);
		return false;
	}
	if (steps_file(r))
		return import_steps(r);
	buf_init(&copy);
	ncols = read_header(r, &copy);
	if (ncols < 0 || !exec_ok("SELECT issuelist.import_stage()"))
	{
		buf_free(&copy);
		return false;
	}
	res = PQexec(pset.db, copy.data);
	buf_free(&copy);
	if (PQresultStatus(res) != PGRES_COPY_IN)
	{
		exec_report_error(res);
		PQclear(res);
		return false;
	}
	PQclear(res);
	if (!stream_records(r, ncols))
		return false;
	errors = report_bad_rows(r, day);
	return errors == 0 && apply_rows(r, day);
}

/*
 * How to read the file: UTF-8 (the byte-order mark Excel writes at the start
 * of UTF-8 files skipped), or the encoding
 * given, else GB18030 when the start of the file is not UTF-8.  False after
 * reporting an encoding iconv does not know.
 */
static bool
open_encoding(CsvReader *r, const char *encoding)
{
	unsigned char bom[3];

	r->conv = (iconv_t) -1;
	r->encoding = "UTF-8";
	if (fread(bom, 1, 3, r->fp) != 3 || memcmp(bom, "\xEF\xBB\xBF", 3) != 0)
		rewind(r->fp);
	if (encoding == NULL && looks_utf8(r->fp))
		return true;
	if (encoding != NULL && (strcasecmp(encoding, "UTF-8") == 0 || strcasecmp(encoding, "UTF8") == 0))
		return true;
	r->encoding = encoding ? encoding : "GB18030";
	r->conv = iconv_open("UTF-8", r->encoding);
	if (r->conv == (iconv_t) -1)
	{
		client_error("import: unknown encoding \"%s\" (the encodings are UTF-8, GB18030 and GBK)",
					 r->encoding);
		return false;
	}
	if (!pset.quiet)
		printf("reading %s as %s\n", r->path, r->encoding);
	return true;
}

/* import FILE.csv [encoding=NAME] */
CmdStatus
import_csv(const char *path, const char *encoding)
{
	CsvReader	r;
	bool		nested = PQtransactionStatus(pset.db) == PQTRANS_INTRANS;
	bool		ok;

	if (PQtransactionStatus(pset.db) == PQTRANS_INERROR)
	{
		client_error("import: the current transaction is aborted; end it first");
		return CMD_ERROR;
	}
	memset(&r, 0, sizeof(r));
	r.path = path;
	r.fp = fopen(path, "r");
	if (r.fp == NULL)
	{
		client_error("import: %s: %m", path);
		return CMD_ERROR;
	}
	buf_init(&r.rec);
	buf_init(&r.converted);
	if (!open_encoding(&r, encoding))
	{
		buf_free(&r.rec);
		buf_free(&r.converted);
		fclose(r.fp);
		return CMD_ERROR;
	}
	ok = exec_ok(nested ? "SAVEPOINT issuelist_import" : "BEGIN");
	if (ok)
	{
		ok = import_rows(&r);
		if (exec_connection_lost())
			ok = false;
		else if (ok)
			ok = exec_ok(nested ? "RELEASE SAVEPOINT issuelist_import" : "COMMIT");
		else if (nested)
		{
			exec_ok("ROLLBACK TO SAVEPOINT issuelist_import");
			exec_ok("RELEASE SAVEPOINT issuelist_import");
		}
		else
			exec_ok("ROLLBACK");
	}
	cancel_pressed = 0;
	if (r.conv != (iconv_t) -1)
		iconv_close(r.conv);
	buf_free(&r.rec);
	buf_free(&r.converted);
	fclose(r.fp);
	return ok ? CMD_OK : CMD_ERROR;
}
