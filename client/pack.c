/*
 * pack.c
 *		pack QUARTER [DIR] [topic LIST...] [--pdf FILE]: the quarterly
 *		meeting's pack, one self-contained HTML file that prints one page
 *		after another: the ranking of the counties with the meeting's
 *		presenters and supervision list, the province against the lists,
 *		then a page per county (docs/client.md, "pack").
 *
 * Every number is the published quarter's, read with the extension's report
 * functions in one snapshot: the calls behind rank, report, trend and
 * meeting, so the pack prints what those commands print.  A quarter not
 * published is refused by meeting_plan (IL023) before anything is written.
 * The charts are drawn by gnuplot as SVG, all of them in one run of it, and
 * put inline in the page: nothing is fetched when the pack is viewed, and
 * it prints as it shows.  --pdf prints it through headless Chromium.
 */
/* nftw() and posix_spawn_file_actions_addchdir_np() are glibc's extensions */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "settings.h"
#include "util.h"
#include "exec.h"
#include "print.h"
#include "pack.h"

extern char **environ;

/* A county's oldest overdue issues: as many as report shows. */
#define PACK_OVERDUE 10

/*
 * The calls, each one of the extension's report functions with the
 * quarter (and an organization or a level) as parameters; numbers rounded
 * as the commands round them.
 */
static const char quarter_sql[] = "SELECT issuelist.report_quarter($1)";
static const char meeting_sql[] =
	"SELECT org, official_name, round(score::numeric, 2) AS score, rank,"
	"       presenter, supervision, revision"
	"  FROM issuelist.meeting_plan($1, string_to_array($2, ' '))";
static const char ranking_sql[] =
	"SELECT rank, org, name, name_zh, round(score::numeric, 2) AS score,"
	"       round(deductions::numeric, 2) AS deductions,"
	"       round(on_time_rate::numeric, 3) AS on_time_rate, open, overdue,"
	"       rank_change, mark"
	"  FROM issuelist.report_ranking($1, level => $2)";
static const char secretaries_sql[] =
	"SELECT org, official, name, days_in_post FROM issuelist.official_ranking($1)";
static const char lists_sql[] =
	"SELECT list, name_zh, general + serious + major + critical AS issues, open,"
	"       overdue, closed_on_time + closed_late AS closed,"
	"       round(deductions::numeric, 2) AS deductions"
	"  FROM issuelist.report_lists($1, $2)";
static const char trend_sql[] =
	"SELECT quarter, rank, round(score::numeric, 2) AS score,"
	"       round(deductions::numeric, 2) AS deductions, open, overdue,"
	"       closed_on_time + closed_late AS closed"
	"  FROM issuelist.report_trend($1, NULL, $2)";
static const char overdue_sql[] =
	"SELECT org, code, list, severity, title, official, due_on, days_overdue, tolerated"
	"  FROM issuelist.report_overdue(NULL, $1, NULL)";

/* A county of the ranking and what its page shows. */
typedef struct County
{
	const char *code;
	int			row;			/* of the ranking */
	int			meeting;		/* row of the meeting plan, or -1 */
	int			secretary;		/* row of the secretaries; -1: vacant */
	PGresult   *trend;
	PGresult   *lists;
	int			overdue[PACK_OVERDUE];	/* rows of Pack.overdue */
	int			noverdue;
	bool		any_issue;		/* in the quarters of its trend */
	bool		any_deduction;	/* in the quarter */
	int			chart;			/* its trend chart; the deductions' is next */
} County;

typedef struct Pack
{
	char	   *q;				/* the quarter as the server writes it */
	const char *topic;			/* lists separated by blanks, or NULL */
	PGresult   *meeting;
	PGresult   *ranking;
	PGresult   *secretaries;
	PGresult   *overdue;
	PGresult   *province;		/* its row of the ranking of its level */
	PGresult   *province_lists;
	PGresult   *province_trend;
	PGresult   *cities;
	PGresult  **city_lists;
	County	   *counties;
	int			ncounties;
	char	   *tmpdir;			/* gnuplot's script and charts */
	int			ncharts;
} Pack;

/* The charts before the counties': their numbers, in the script's order. */
enum
{
	CHART_SCORES, CHART_PROVINCE_TREND, CHART_PROVINCE_LISTS, CHART_COUNTIES
};

/* A value by column name; NULL for SQL NULL. */
static const char *
val(const PGresult *res, int r, const char *col)
{
	int			c = PQfnumber(res, col);

	return PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
}

/* A count by column name; 0 for SQL NULL. */
static long
num(const PGresult *res, int r, const char *col)
{
	const char *v = val(res, r, col);

	return v ? atol(v) : 0;
}

/* The row whose column is value, or -1. */
static int
find_row(const PGresult *res, const char *col, const char *value)
{
	int			c = PQfnumber(res, col);

	for (int r = 0; r < PQntuples(res); r++)
		if (strcmp(PQgetvalue(res, r, c), value) == 0)
			return r;
	return -1;
}

/* A call with the quarter alone (b NULL), or with two parameters. */
static PGresult *
query(const char *sql, const char *a, const char *b)
{
	const char *v[2] = {a, b};

	return exec_params(sql, b ? 2 : 1, v);
}

/* Read everything the pack shows; false when a call failed. */
static bool
fetch(Pack *p)
{
	PGresult   *res;
	const char *meeting[2];

	if ((res = query(quarter_sql, p->q, NULL)) == NULL)
		return false;
	free(p->q);
	p->q = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	/* first the meeting: it refuses a quarter not published */
	meeting[0] = p->q;
	meeting[1] = p->topic;
	if ((p->meeting = exec_params(meeting_sql, 2, meeting)) == NULL ||
		(p->ranking = query(ranking_sql, p->q, "county")) == NULL ||
		(p->secretaries = query(secretaries_sql, p->q, NULL)) == NULL ||
		(p->overdue = query(overdue_sql, p->q, NULL)) == NULL ||
		(p->province = query(ranking_sql, p->q, "province")) == NULL ||
		(p->cities = query(ranking_sql, p->q, "city")) == NULL)
		return false;
	if (PQntuples(p->province) == 0)
	{
		client_error("pack: quarter %s has no organization of level province", p->q);
		return false;
	}
	if ((p->province_lists = query(lists_sql, val(p->province, 0, "org"), p->q)) == NULL ||
		(p->province_trend = query(trend_sql, val(p->province, 0, "org"), p->q)) == NULL)
		return false;
	p->city_lists = xmalloc((PQntuples(p->cities) + 1) * sizeof(PGresult *));
	memset(p->city_lists, 0, (PQntuples(p->cities) + 1) * sizeof(PGresult *));
	for (int i = 0; i < PQntuples(p->cities); i++)
		if ((p->city_lists[i] = query(lists_sql, val(p->cities, i, "org"), p->q)) == NULL)
			return false;
	p->ncounties = PQntuples(p->ranking);
	p->counties = xmalloc((p->ncounties + 1) * sizeof(County));
	memset(p->counties, 0, (p->ncounties + 1) * sizeof(County));
	for (int i = 0; i < p->ncounties; i++)
	{
		County	   *c = &p->counties[i];

		c->code = val(p->ranking, i, "org");
		c->row = i;
		c->meeting = find_row(p->meeting, "org", c->code);
		c->secretary = find_row(p->secretaries, "org", c->code);
		if (c->secretary >= 0 && val(p->secretaries, c->secretary, "official") == NULL)
			c->secretary = -1;	/* a vacant post */
		if ((c->trend = query(trend_sql, c->code, p->q)) == NULL ||
			(c->lists = query(lists_sql, c->code, p->q)) == NULL)
			return false;
		for (int r = 0; r < PQntuples(c->trend); r++)
			c->any_issue |= num(c->trend, r, "open") + num(c->trend, r, "closed") > 0;
		for (int r = 0; r < PQntuples(c->lists); r++)
		{
			c->any_issue |= num(c->lists, r, "issues") > 0;
			c->any_deduction |= atof(val(c->lists, r, "deductions")) > 0;
		}
	}
	/* a county's oldest overdue issues: the first of the province's */
	for (int r = 0; r < PQntuples(p->overdue); r++)
	{
		int			i = find_row(p->ranking, "org", val(p->overdue, r, "org"));

		if (i >= 0 && p->counties[i].noverdue < PACK_OVERDUE)
			p->counties[i].overdue[p->counties[i].noverdue++] = r;
	}
	return true;
}

/*
 * Read it all in one snapshot, so that the pages agree with each other even
 * while others write (inside the user's transaction, in that one's).
 */
static bool
fetch_snapshot(Pack *p)
{
	bool		own_tx = PQtransactionStatus(pset.db) == PQTRANS_IDLE;
	bool		ok;

	if (own_tx && !exec_ok("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
		return false;
	ok = fetch(p);
	if (own_tx)
		exec_ok(ok ? "COMMIT" : "ROLLBACK");
	return ok;
}

/* Forget every result (a pack that failed half-way has NULLs). */
static void
pack_free(Pack *p)
{
	PQclear(p->meeting);
	PQclear(p->ranking);
	PQclear(p->secretaries);
	PQclear(p->overdue);
	PQclear(p->province);
	PQclear(p->province_lists);
	PQclear(p->province_trend);
	for (int i = 0; p->city_lists && i < PQntuples(p->cities); i++)
		PQclear(p->city_lists[i]);
	PQclear(p->cities);
	free(p->city_lists);
	for (int i = 0; p->counties && i < p->ncounties; i++)
	{
		PQclear(p->counties[i].trend);
		PQclear(p->counties[i].lists);
	}
	free(p->counties);
	free(p->q);
}

/* ---------------------------------------------------------------------
 * Running gnuplot and Chromium
 * ---------------------------------------------------------------------
 */

/*
 * Run a program found on PATH, in directory cwd, its output to /dev/null
 * and its errors to errors (NULL: ours); wait for it.  Its exit status, or
 * -1 when it could not be started (the message names it and what to
 * install).
 */
static int
run_program(char *const argv[], const char *cwd, const char *errors,
			const char *package)
{
	posix_spawn_file_actions_t fa;
	pid_t		pid;
	int			status;
	int			rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, cwd);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	if (errors)
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errors,
										 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
	{
		client_error("pack: cannot run %s: %s (Debian's package %s has it)",
					 argv[0], strerror(rc), package);
		return -1;
	}
	/* Ctrl-C reaches the program too (one process group): wait for it */
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
		{
			client_error("pack: waiting for %s: %s", argv[0], strerror(errno));
			return -1;
		}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* nftw's visit of remove_tree: remove a file, or a directory emptied. */
static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void) st;
	(void) flag;
	(void) ftw;
	return remove(path);
}

/* Remove a directory and everything in it (Chromium's profile too). */
static void
remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A file of the scratch directory (the caller frees the name). */
static char *
scratch_file(const Pack *p, const char *name)
{
	Buf			b;

	buf_init(&b);
	buf_printf(&b, "%s/%s", p->tmpdir, name);
	return b.data;
}

/* ---------------------------------------------------------------------
 * The charts: a gnuplot script with every chart's data and commands
 * ---------------------------------------------------------------------
 */

/*
 * A text as one quoted word of gnuplot's data: it has no way to escape a
 * double quote there, so one becomes a single quote, and line breaks
 * blanks.
 */
static void
gp_word(Buf *gp, const char *s)
{
	buf_putc(gp, '"');
	for (; s && *s; s++)
		buf_putc(gp, *s == '"' ? '\'' : (*s == '\n' || *s == '\r') ? ' ' : *s);
	buf_putc(gp, '"');
}

/* A number of gnuplot's data; '?' (missing: no point) for NULL. */
static void
gp_num(Buf *gp, const char *v)
{
	buf_printf(gp, " %s", v ? v : "?");
}

/*
 * Start chart n: its own settings (reset), an SVG of w by h that scales
 * with the page, its file, the settings every chart shares (a count from
 * 0, grid lines), and its data block, which the caller fills (gp_rows).
 * noenhanced: names are printed as they are (no _ or ^ markup).
 */
static void
gp_begin(Buf *gp, int n, int w, int h)
{
	buf_printf(gp,
			   "reset\n"
			   "set terminal svg size %d,%d dynamic noenhanced font 'sans,10' background '#ffffff'\n"
			   "set output 'chart-%d.svg'\n"
			   "set datafile missing '?'\n"
			   "set yrange [0:*]\n"
			   "set ytics nomirror\n"
			   "set grid ytics lc rgb '#dddddd'\n"
			   "$data << EOD\n", w, h, n);
}

/*
 * The data block's rows, one per row of a result: the first column named
 * (a label), then the others (numbers), separated by blanks.
 */
static void
gp_rows(Buf *gp, const PGresult *res, const char *cols)
{
	char		name[64];

	for (int r = 0; r < PQntuples(res); r++)
	{
		const char *c = cols;

		for (int k = 0; *c; k++)
		{
			size_t		n = strcspn(c, " ");

			snprintf(name, sizeof(name), "%.*s", (int) n, c);
			if (k == 0)
				gp_word(gp, val(res, r, name));
			else
				gp_num(gp, val(res, r, name));
			c += n + (c[n] == ' ');
		}
		buf_putc(gp, '\n');
	}
	buf_puts(gp, "EOD\n");
}

/*
 * How a county is marked in the ranking's rows and the chart of scores: a
 * veto, the top ten, the meeting's supervision list, or nothing.
 */
static const char *
county_class(const Pack *p, const County *c)
{
	const char *mark = val(p->ranking, c->row, "mark");

	if (strcmp(mark, "VETO") == 0)
		return "veto";
	if (strcmp(mark, "top ten") == 0)
		return "top-ten";
	if (c->meeting >= 0 && strcmp(val(p->meeting, c->meeting, "supervision"), "t") == 0)
		return "supervision";
	return "";
}

/* The colour of a class in the chart, as the page's style has it. */
static const char *
class_colour(const char *cls)
{
	return strcmp(cls, "veto") == 0 ? "0xc62828" :
		strcmp(cls, "top-ten") == 0 ? "0x2e7d32" :
		strcmp(cls, "supervision") == 0 ? "0xef6c00" : "0x78909c";
}

/* The scores of the counties, best first: one bar each. */
static void
chart_scores(Buf *gp, const Pack *p)
{
	gp_begin(gp, CHART_SCORES, 1000, 330);
	for (int i = 0; i < p->ncounties; i++)
	{
		buf_printf(gp, "%d ", i + 1);
		gp_word(gp, val(p->ranking, i, "name"));
		gp_num(gp, val(p->ranking, i, "score"));
		buf_printf(gp, " %s\n", class_colour(county_class(p, &p->counties[i])));
	}
	buf_puts(gp, "EOD\n"
			 "set style fill solid 0.9 noborder\n"
			 "set boxwidth 0.75\n"
			 "set yrange [0:100]\n"
			 "set offsets 0.5, 0.5, 0, 0\n"
			 "set xtics rotate by 90 right font ',8' nomirror scale 0\n"
			 "set border 3\n"
			 "unset key\n"
			 "plot $data using 1:3:4:xtic(2) with boxes lc rgb variable\n");
}

/* A chart of a result's rows: its size, its columns and gnuplot's commands. */
typedef struct ChartKind
{
	int			w;
	int			h;
	const char *cols;			/* the label's column, then the values' */
	const char *commands;		/* the settings and the plot of $data */
} ChartKind;

/* Open, overdue and closed over the quarters of a trend. */
static const ChartKind counts_chart = {480, 260, "quarter open overdue closed",
	"set offsets 0.3, 0.3, 0, 0\n"
	"set key above horizontal\n"
	"set xtics nomirror\n"
	"plot $data using 0:2:xtic(1) with linespoints pt 7 ps 0.7 lw 2 lc rgb '#1565c0' title 'open',"
	" '' using 0:3 with linespoints pt 5 ps 0.7 lw 2 lc rgb '#c62828' title 'overdue',"
	" '' using 0:4 with linespoints pt 9 ps 0.8 lw 2 lc rgb '#2e7d32' title 'closed in the quarter'\n"
};

/* Open, overdue and closed by list: a group of three bars per list. */
static const ChartKind list_counts_chart = {480, 260, "list open overdue closed",
	"set style data histograms\n"
	"set style histogram clustered gap 1\n"
	"set style fill solid 0.85 noborder\n"
	"set key top right\n"
	"set xtics rotate by 30 right nomirror scale 0 font ',8'\n"
	"plot $data using 2:xtic(1) title 'open' lc rgb '#1565c0',"
	" '' using 3 title 'overdue' lc rgb '#c62828',"
	" '' using 4 title 'closed' lc rgb '#2e7d32'\n"
};

/*
 * A county's score (left axis) and rank (right axis, the first at the top,
 * the last at peers) over the quarters; a quarter it was not ranked in has
 * no point.
 */
static const ChartKind trend_chart = {460, 240, "quarter score rank",
	"set yrange [0:100]\n"
	"set ylabel 'score'\n"
	"set y2tics nomirror\n"
	"set y2label 'rank'\n"
	"set y2range [peers:1]\n"
	"set offsets 0.3, 0.3, 0, 0\n"
	"set key above horizontal\n"
	"plot $data using 0:2:xtic(1) with linespoints pt 7 ps 0.8 lw 2 lc rgb '#1565c0' title 'score',"
	" '' using 0:3 axes x1y2 with linespoints pt 5 ps 0.7 lw 1.5 dt 2 lc rgb '#ef6c00' title 'rank'\n"
};

/* A county's deductions by list, each bar with its points. */
static const ChartKind deductions_chart = {460, 240, "list deductions",
	"set style fill solid 0.85 noborder\n"
	"set boxwidth 0.7\n"
	"set offsets 0.5, 0.5, graph 0.12, 0\n"
	"set xtics rotate by 30 right nomirror scale 0 font ',8'\n"
	"set ylabel 'points'\n"
	"unset key\n"
	"plot $data using 0:2:xtic(1) with boxes lc rgb '#c62828',"
	" '' using 0:2:(sprintf('%.2f', $2)) with labels offset 0,0.6 font ',8'\n"
};

/* Chart n of a kind, of a result's rows. */
static void
gp_chart(Buf *gp, int n, const ChartKind *kind, const PGresult *res)
{
	gp_begin(gp, n, kind->w, kind->h);
	gp_rows(gp, res, kind->cols);
	buf_puts(gp, kind->commands);
}

/* The script of every chart, in number order; then gnuplot runs it. */
static bool
draw_charts(Pack *p)
{
	Buf			gp;
	char	   *script = scratch_file(p, "pack.gp");
	char	   *argv[] = {"gnuplot", "pack.gp", NULL};
	FILE	   *f;
	bool		written;
	int			status;

	buf_init(&gp);
	buf_puts(&gp, "set encoding utf8\n");
	chart_scores(&gp, p);
	gp_chart(&gp, CHART_PROVINCE_TREND, &counts_chart, p->province_trend);
	gp_chart(&gp, CHART_PROVINCE_LISTS, &list_counts_chart, p->province_lists);
	p->ncharts = CHART_COUNTIES;
	for (int i = 0; i < p->ncounties; i++)
	{
		County	   *c = &p->counties[i];

		c->chart = p->ncharts;
		if (c->any_issue)
		{
			int			peers = p->ncounties;

			/* more counties were ranked in an earlier quarter */
			for (int r = 0; r < PQntuples(c->trend); r++)
				if (num(c->trend, r, "rank") > peers)
					peers = num(c->trend, r, "rank");
			buf_printf(&gp, "peers = %d\n", peers);
			gp_chart(&gp, p->ncharts++, &trend_chart, c->trend);
		}
		if (c->any_deduction)
			gp_chart(&gp, p->ncharts++, &deductions_chart, c->lists);
	}
	buf_puts(&gp, "unset output\n");
	f = fopen(script, "w");
	written = f != NULL && fwrite(gp.data, 1, gp.len, f) == gp.len;
	if (f != NULL && fclose(f) != 0)
		written = false;
	if (!written)
		client_error("pack: cannot write %s: %s", script, strerror(errno));
	buf_free(&gp);
	free(script);
	if (!written)
		return false;
	status = run_program(argv, p->tmpdir, NULL, "gnuplot-nox");
	if (status > 0)
		client_error("pack: gnuplot failed (exit status %d)", status);
	return status == 0;
}

/* ---------------------------------------------------------------------
 * The page
 * ---------------------------------------------------------------------
 */

/* Text as HTML. */
static void
html(FILE *f, const char *s)
{
	for (; s && *s; s++)
	{
		const char *entity = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
			*s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;

		if (entity)
			fputs(entity, f);
		else
			fputc(*s, f);
	}
}

/* A table's head: the headings separated by '|'. */
static void
thead(FILE *f, const char *headings)
{
	fputs("<thead><tr>", f);
	while (*headings)
	{
		size_t		n = strcspn(headings, "|");

		fprintf(f, "<th>%.*s</th>", (int) n, headings);
		headings += n + (headings[n] == '|');
	}
	fputs("</tr></thead>\n", f);
}

/* Cells of a row: the columns named, separated by blanks; numbers right. */
static void
cells(FILE *f, const PGresult *res, int r, const char *cols)
{
	char		name[64];

	while (*cols)
	{
		size_t		n = strcspn(cols, " ");
		int			c;

		snprintf(name, sizeof(name), "%.*s", (int) n, cols);
		c = PQfnumber(res, name);
		fputs(numeric_type(PQftype(res, c)) ? "<td class=\"n\">" : "<td>", f);
		html(f, val(res, r, name));
		fputs("</td>", f);
		cols += n + (cols[n] == ' ');
	}
}

/* A whole result as a table: the columns named, under their headings. */
static void
table(FILE *f, const char *cls, const PGresult *res, const char *cols,
	  const char *headings)
{
	fprintf(f, "<table class=\"%s\">\n", cls);
	thead(f, headings);
	fputs("<tbody>\n", f);
	for (int r = 0; r < PQntuples(res); r++)
	{
		fputs("<tr>", f);
		cells(f, res, r, cols);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

/*
 * Chart n inline, in a figure that says what it shows and how many values
 * it draws.  gnuplot gives every SVG the same ids (its point shapes, its
 * plots), which one page cannot hold twice: each chart's get its own
 * prefix.
 */
static bool
figure(FILE *f, const Pack *p, int n, const char *kind, int points,
	   const char *caption)
{
	char		name[32];
	char	   *path;
	FILE	   *svg;
	Buf			b;
	char		chunk[8192];
	size_t		got;
	const char *s;

	snprintf(name, sizeof(name), "chart-%d.svg", n);
	path = scratch_file(p, name);
	if ((svg = fopen(path, "r")) == NULL)
	{
		client_error("pack: gnuplot drew no %s: %s", path, strerror(errno));
		free(path);
		return false;
	}
	free(path);
	buf_init(&b);
	while ((got = fread(chunk, 1, sizeof(chunk), svg)) > 0)
		buf_putn(&b, chunk, got);
	fclose(svg);
	fprintf(f, "<figure class=\"chart\" data-chart=\"%s\" data-points=\"%d\">\n",
			kind, points);
	/* the SVG element alone: no XML declaration inside HTML */
	for (s = b.data ? strstr(b.data, "<svg") : NULL; s && *s; s++)
	{
		static const char *const refs[] = {"id='", "id=\"", "href='#", "url(#"};
		bool		done = false;

		for (int i = 0; i < 4 && !done; i++)
			if (strncmp(s, refs[i], strlen(refs[i])) == 0)
			{
				fprintf(f, "%sc%d-", refs[i], n);
				s += strlen(refs[i]) - 1;
				done = true;
			}
		if (!done)
			fputc(*s, f);
	}
	fputs("<figcaption>", f);
	html(f, caption);
	fputs("</figcaption></figure>\n", f);
	buf_free(&b);
	return true;
}

static const char style[] =
	"<style>\n"
	"@page { size: A4; margin: 12mm; }\n"
	"body { font-family: 'Noto Sans', 'Droid Sans Fallback', sans-serif; font-size: 10pt;"
	" color: #222; max-width: 190mm; margin: 0 auto; }\n"
	"section.page { break-before: page; padding-top: 4mm; }\n"
	"section.page:first-of-type { break-before: auto; }\n"
	"h1 { font-size: 16pt; margin: 0 0 2mm; }\n"
	"h2 { font-size: 12pt; margin: 5mm 0 2mm; }\n"
	".meta { color: #555; margin: 0 0 3mm; }\n"
	"table { border-collapse: collapse; font-size: 8.5pt; margin-bottom: 3mm; }\n"
	"th, td { border-bottom: 1px solid #ddd; padding: 1px 5px; text-align: left;"
	" white-space: nowrap; }\n"
	"table.overdue td:nth-child(4) { white-space: normal; }\n"
	"th { background: #eceff1; }\n"
	"td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
	"tr { break-inside: avoid; }\n"
	"tr.top-ten td { background: #e8f5e9; }\n"
	"tr.veto td { background: #ffebee; }\n"
	"tr.supervision td { background: #fff3e0; }\n"
	".key span { display: inline-block; padding: 0 6px; margin-right: 4px; }\n"
	".key .top-ten { background: #e8f5e9; } .key .veto { background: #ffebee; }"
	" .key .supervision { background: #fff3e0; }\n"
	"figure { margin: 0 0 3mm; break-inside: avoid; }\n"
	"figure svg { width: 100%; height: auto; display: block; }\n"
	"figcaption { font-size: 8.5pt; color: #555; }\n"
	".two { display: flex; gap: 5mm; } .two > * { flex: 1; min-width: 0; }\n"
	".pair { display: flex; gap: 5mm; justify-content: space-between; align-items: flex-start; }\n"
	".note { background: #f5f5f5; padding: 3mm; }\n"
	"a { color: inherit; }\n"
	".back { float: right; font-size: 8.5pt; }\n"
	"@media screen { section.page { border-top: 3px solid #90a4ae; margin-top: 8mm; } }\n"
	/* tighter rows on paper: the province's three tables fit one page */
	"@media print { table { font-size: 8pt; } th, td { padding: 0 4px; } }\n"
	/* a link to one page (#c330782) shows that page alone */
	"body:has(section.page:target) section.page:not(:target) { display: none; }\n"
	"</style>\n";

/* What a county does at the meeting: presents, is supervised, or nothing. */
static const char *
meeting_role(const Pack *p, const County *c)
{
	if (c->meeting < 0)
		return "";
	if (strcmp(val(p->meeting, c->meeting, "presenter"), "t") == 0)
		return "presents";
	return strcmp(val(p->meeting, c->meeting, "supervision"), "t") == 0 ? "supervision" : "";
}

/* The meeting's presenters, or its supervision list: the rows flagged. */
static void
meeting_table(FILE *f, const Pack *p, const char *flag)
{
	fputs("<table class=\"meeting\">\n", f);
	thead(f, "rank|county|县|secretary|score");
	fputs("<tbody>\n", f);
	for (int r = 0; r < PQntuples(p->meeting); r++)
	{
		int			i = find_row(p->ranking, "org", val(p->meeting, r, "org"));
		const char *who = val(p->meeting, r, "official_name");

		if (strcmp(val(p->meeting, r, flag), "t") != 0)
			continue;
		fprintf(f, "<tr data-org=\"");
		html(f, val(p->meeting, r, "org"));
		fprintf(f, "\">");
		cells(f, p->meeting, r, "rank");
		fputs("<td>", f);
		html(f, i >= 0 ? val(p->ranking, i, "name") : val(p->meeting, r, "org"));
		fputs("</td><td>", f);
		html(f, i >= 0 ? val(p->ranking, i, "name_zh") : "");
		fputs("</td><td>", f);
		html(f, who ? who : "(vacant)");
		fputs("</td>", f);
		cells(f, p->meeting, r, "score");
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

/* The topic of the meeting, by the lists' names. */
static void
topic_text(FILE *f, const Pack *p)
{
	const char *t = p->topic;

	if (t == NULL)
	{
		fputs("all lists", f);
		return;
	}
	while (*t)
	{
		size_t		n = strcspn(t, " ");
		char	   *code = xstrndup(t, n);
		int			r = find_row(p->province_lists, "list", code);

		html(f, code);
		if (r >= 0)
		{
			fputs(" ", f);
			html(f, val(p->province_lists, r, "name_zh"));
		}
		free(code);
		t += n;
		while (*t == ' ')
			t++;
		if (*t)
			fputs(", ", f);
	}
}

/* The front page: the ranking with the meeting's people, and the scores. */
static bool
front_page(FILE *f, const Pack *p)
{
	fputs("<section class=\"page front\" id=\"front\">\n<h1>", f);
	html(f, val(p->province, 0, "name"));
	fputs(" ", f);
	html(f, val(p->province, 0, "name_zh"));
	fprintf(f, ": the quarterly meeting, %s</h1>\n", p->q);
	fprintf(f, "<p class=\"meta\">The published numbers of %s (revision %s): the "
			"ranking of the %d counties, the province <a href=\"#province\">against "
			"the lists</a>, then a page per county. Topic of the meeting: ",
			p->q, PQntuples(p->meeting) ? val(p->meeting, 0, "revision") : "?",
			p->ncounties);
	topic_text(f, p);
	fputs(".</p>\n", f);
	if (!figure(f, p, CHART_SCORES, "scores", p->ncounties,
				"The scores of the counties, best first: the top ten in green, "
				"a veto in red, the supervision list in orange."))
		return false;
	fputs("<div class=\"two\"><div>\n<h2>Presenters: the best secretaries on the topic</h2>\n", f);
	meeting_table(f, p, "presenter");
	fputs("</div><div>\n<h2>Supervision: the bottom ten</h2>\n", f);
	meeting_table(f, p, "supervision");
	fputs("</div></div>\n", f);
	fprintf(f, "<h2>The ranking of the %d counties</h2>\n"
			"<p class=\"key\"><span class=\"top-ten\">top ten</span>"
			"<span class=\"veto\">VETO: an open overdue critical issue</span>"
			"<span class=\"supervision\">supervision</span></p>\n"
			"<table class=\"ranking\">\n", p->ncounties);
	thead(f, "rank|county|县|score|deductions|on-time rate|open|overdue|rank change|mark|meeting");
	fputs("<tbody>\n", f);
	for (int i = 0; i < p->ncounties; i++)
	{
		const County *c = &p->counties[i];

		fprintf(f, "<tr class=\"%s\" data-org=\"", county_class(p, c));
		html(f, c->code);
		fputs("\">", f);
		cells(f, p->ranking, i, "rank");
		fputs("<td><a href=\"#c", f);
		html(f, c->code);
		fputs("\">", f);
		html(f, val(p->ranking, i, "name"));
		fputs("</a></td>", f);
		cells(f, p->ranking, i, "name_zh score deductions on_time_rate open overdue rank_change mark");
		fprintf(f, "<td>%s</td></tr>\n", meeting_role(p, c));
	}
	fputs("</tbody></table>\n</section>\n", f);
	return true;
}

/*
 * One count by list and city: the province's row, then each city's in the
 * order of their ranking.
 */
static void
city_matrix(FILE *f, const Pack *p, const char *count, const char *title)
{
	const PGresult *pl = p->province_lists;

	fprintf(f, "<h2>%s</h2>\n<table class=\"matrix\" data-count=\"%s\">\n<thead><tr><th>rank</th><th>city</th>",
			title, count);
	for (int l = 0; l < PQntuples(pl); l++)
	{
		fputs("<th>", f);
		html(f, val(pl, l, "list"));
		fputs("<br>", f);
		html(f, val(pl, l, "name_zh"));
		fputs("</th>", f);
	}
	fputs("<th>all</th></tr></thead>\n<tbody>\n", f);
	for (int i = -1; i < PQntuples(p->cities); i++)
	{
		const PGresult *lists = i < 0 ? pl : p->city_lists[i];
		const PGresult *who = i < 0 ? p->province : p->cities;
		long		all = 0;

		fputs("<tr data-org=\"", f);
		html(f, val(who, i < 0 ? 0 : i, "org"));
		fputs("\"><td class=\"n\">", f);
		html(f, i < 0 ? "" : val(who, i, "rank"));
		fputs("</td><td>", f);
		html(f, val(who, i < 0 ? 0 : i, "name"));
		fputs(" ", f);
		html(f, val(who, i < 0 ? 0 : i, "name_zh"));
		fputs("</td>", f);
		for (int l = 0; l < PQntuples(lists); l++)
		{
			cells(f, lists, l, count);
			all += num(lists, l, count);
		}
		fprintf(f, "<td class=\"n\">%ld</td></tr>\n", all);
	}
	fputs("</tbody></table>\n", f);
}

/* The province against the lists: by list and city, and over the quarters. */
static bool
province_page(FILE *f, const Pack *p)
{
	fputs("<section class=\"page province\" id=\"province\">\n"
		  "<p class=\"back\"><a href=\"#front\">the ranking</a></p>\n<h1>", f);
	html(f, val(p->province, 0, "name"));
	fputs(" ", f);
	html(f, val(p->province, 0, "name_zh"));
	fprintf(f, " against the lists, %s</h1>\n<div class=\"two\">\n", p->q);
	if (!figure(f, p, CHART_PROVINCE_TREND, "province-trend", 3 * PQntuples(p->province_trend),
				"The province over the quarters: open and overdue at each quarter's end, "
				"closed in the quarter.") ||
		!figure(f, p, CHART_PROVINCE_LISTS, "province-lists", 3 * PQntuples(p->province_lists),
				"By list: open and overdue at the quarter's end, closed in the quarter."))
		return false;
	fputs("</div>\n", f);
	city_matrix(f, p, "open", "Open issues at the quarter's end, by list and city");
	city_matrix(f, p, "overdue", "Overdue issues at the quarter's end, by list and city");
	city_matrix(f, p, "closed", "Issues closed in the quarter, by list and city");
	fputs("</section>\n", f);
	return true;
}

/* A county's page: its standing, its charts, its oldest overdue issues. */
static bool
county_page(FILE *f, const Pack *p, const County *c)
{
	const PGresult *rk = p->ranking;
	const char *mark = val(rk, c->row, "mark");
	const char *role = meeting_role(p, c);
	int			n = c->chart;

	fputs("<section class=\"page county\" id=\"c", f);
	html(f, c->code);
	fputs("\" data-org=\"", f);
	html(f, c->code);
	fputs("\">\n<p class=\"back\"><a href=\"#front\">the ranking</a></p>\n<h1>", f);
	html(f, val(rk, c->row, "rank"));
	fputs(". ", f);
	html(f, val(rk, c->row, "name"));
	fputs(" ", f);
	html(f, val(rk, c->row, "name_zh"));
	fprintf(f, "%s%s%s%s</h1>\n<p class=\"meta\">Secretary: ", mark[0] ? " · " : "", mark,
			role[0] ? " · " : "", role);
	if (c->secretary >= 0)
	{
		html(f, val(p->secretaries, c->secretary, "name"));
		fputs(" (", f);
		html(f, val(p->secretaries, c->secretary, "official"));
		fprintf(f, "), %s days in post in %s", val(p->secretaries, c->secretary, "days_in_post"), p->q);
	}
	else
		fputs("vacant", f);
	fputs(".</p>\n<table class=\"summary\">\n", f);
	thead(f, "quarter|rank|of|score|deductions|on-time rate|open|overdue|rank change");
	fprintf(f, "<tbody><tr><td>%s</td>", p->q);
	cells(f, rk, c->row, "rank");
	fprintf(f, "<td class=\"n\">%d</td>", p->ncounties);
	cells(f, rk, c->row, "score deductions on_time_rate open overdue rank_change");
	fputs("</tr></tbody></table>\n", f);
	if (!c->any_issue)
	{
		fputs("<p class=\"note no-issues\">", f);
		html(f, val(rk, c->row, "name"));
		fprintf(f, " has no issues in the quarters up to %s: nothing to chart.</p>\n</section>\n", p->q);
		return true;
	}
	fputs("<div class=\"two\">\n", f);
	if (!figure(f, p, n++, "trend", PQntuples(c->trend),
				"Score (left) and rank (right) over the quarters."))
		return false;
	if (c->any_deduction)
	{
		int			bars = 0;

		for (int r = 0; r < PQntuples(c->lists); r++)
			bars += atof(val(c->lists, r, "deductions")) > 0;
		if (!figure(f, p, n, "deductions", bars, "Deductions by list."))
			return false;
	}
	else
		fprintf(f, "<p class=\"note no-deductions\">No deductions in %s.</p>\n", p->q);
	fputs("</div>\n<div class=\"pair\">\n", f);
	table(f, "trend", c->trend, "quarter rank score deductions open overdue",
		  "quarter|rank|score|deductions|open|overdue");
	table(f, "lists", c->lists, "list name_zh open overdue closed deductions",
		  "list|清单|open|overdue|closed|deductions");
	fputs("</div>\n", f);
	fprintf(f, "<h2>Oldest overdue issues at the end of %s</h2>\n", p->q);
	if (c->noverdue == 0)
		fputs("<p class=\"note no-overdue\">None.</p>\n", f);
	else
	{
		fputs("<table class=\"overdue\">\n", f);
		thead(f, "code|list|severity|title|official|due on|days overdue|tolerated");
		fputs("<tbody>\n", f);
		for (int k = 0; k < c->noverdue; k++)
		{
			fputs("<tr>", f);
			cells(f, p->overdue, c->overdue[k],
				  "code list severity title official due_on days_overdue tolerated");
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table>\n", f);
	}
	fputs("</section>\n", f);
	return true;
}

/* The whole page: the front page, the province, the counties. */
static bool
write_html(FILE *f, const Pack *p)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<title>Quarterly meeting %s: ", p->q);
	html(f, val(p->province, 0, "name"));
	fprintf(f, "</title>\n<meta name=\"generator\" content=\"issuelist %s\">\n%s</head>\n<body>\n",
			ISSUELIST_VERSION, style);
	if (!front_page(f, p) || !province_page(f, p))
		return false;
	for (int i = 0; i < p->ncounties; i++)
		if (!county_page(f, p, &p->counties[i]))
			return false;
	fputs("</body>\n</html>\n", f);
	return true;
}

/*
 * DIR, made when it does not exist; false with a message naming it when it
 * cannot be written.
 */
static bool
check_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0 && (errno != ENOENT || mkdir(dir, 0777) != 0 ||
								stat(dir, &st) != 0))
	{
		client_error("pack: cannot use directory \"%s\": %s", dir, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode))
	{
		client_error("pack: \"%s\" is not a directory", dir);
		return false;
	}
	if (access(dir, W_OK) != 0)
	{
		client_error("pack: cannot write in directory \"%s\": %s", dir, strerror(errno));
		return false;
	}
	return true;
}

/*
 * Write the page to a new file beside path, then put it in path's place: a
 * pack that fails half-way leaves the previous one, or none.
 */
static bool
write_file(const char *path, const Pack *p)
{
	size_t		len = strlen(path);
	char	   *tmp = xmalloc(len + 8);
	int			fd;
	FILE	   *f;
	bool		ok;
	mode_t		mask;

	snprintf(tmp, len + 8, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL)
	{
		client_error("pack: cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(tmp);
		return false;
	}
	/* mkstemp makes the file for its owner alone; a pack is for reading */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	ok = write_html(f, p);
	if (ferror(f) && ok)
	{
		client_error("pack: cannot write %s: %s", path, strerror(errno));
		ok = false;
	}
	if (fclose(f) != 0 && ok)
	{
		client_error("pack: cannot write %s: %s", path, strerror(errno));
		ok = false;
	}
	if (ok && rename(tmp, path) != 0)
	{
		client_error("pack: cannot write %s: %s", path, strerror(errno));
		ok = false;
	}
	if (!ok)
		unlink(tmp);
	free(tmp);
	return ok;
}

/* A path as a file: URL, every byte but the unreserved ones escaped. */
static char *
file_url(const char *path)
{
	char		abs[PATH_MAX];
	Buf			b;

	if (realpath(path, abs) == NULL)
		return NULL;
	buf_init(&b);
	buf_puts(&b, "file://");
	for (const unsigned char *s = (const unsigned char *) abs; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || strchr("/-._~", *s))
			buf_putc(&b, *s);
		else
			buf_printf(&b, "%%%02X", *s);
	return b.data;
}

/*
 * Print the page to a PDF through headless Chromium, with a profile of its
 * own in the scratch directory and nothing it would fetch or update.  As
 * root Chromium refuses to start without --no-sandbox.
 */
static bool
print_pdf(const Pack *p, const char *html_path, const char *pdf)
{
	char	   *url = file_url(html_path);
	char	   *profile = scratch_file(p, "chromium");
	char	   *log = scratch_file(p, "chromium.log");
	Buf			profile_arg;
	Buf			pdf_arg;
	struct stat st;
	int			status = -1;

	buf_init(&profile_arg);
	buf_printf(&profile_arg, "--user-data-dir=%s", profile);
	buf_init(&pdf_arg);
	buf_printf(&pdf_arg, "--print-to-pdf=%s", pdf);
	if (url != NULL)
	{
		char	   *argv[] = {"chromium", "--headless", "--disable-gpu", "--disable-quic",
			"--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
			profile_arg.data, pdf_arg.data, url,
		geteuid() == 0 ? "--no-sandbox" : NULL, NULL};

		unlink(pdf);
		status = run_program(argv, ".", log, "chromium");
		if (status > 0 || (status == 0 && (stat(pdf, &st) != 0 || st.st_size == 0)))
		{
			client_error("pack: chromium did not print %s (exit status %d)", pdf, status);
			status = 1;
		}
	}
	else
		client_error("pack: %s: %s", html_path, strerror(errno));
	buf_free(&profile_arg);
	buf_free(&pdf_arg);
	free(url);
	free(profile);
	free(log);
	return status == 0;
}

/* pack QUARTER [DIR] [topic LIST...] [--pdf FILE] */
CmdStatus
pack_write(const char *quarter, const char *dir, const char *topic, const char *pdf)
{
	Pack		p = {0};
	char		tmpl[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	Buf			path;
	bool		ok;

	if (pset.db == NULL)
	{
		client_error("not connected to a database");
		return CMD_ERROR;
	}
	if (dir == NULL)
		dir = ".";
	if (!check_dir(dir))
		return CMD_ERROR;
	snprintf(tmpl, sizeof(tmpl), "%s/issuelist-pack.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if ((p.tmpdir = mkdtemp(tmpl)) == NULL)
	{
		client_error("pack: cannot make a scratch directory %s: %s", tmpl, strerror(errno));
		return CMD_ERROR;
	}
	p.q = xstrdup(quarter);
	p.topic = topic;
	buf_init(&path);
	ok = fetch_snapshot(&p) && draw_charts(&p);
	if (ok)
	{
		buf_printf(&path, "%s/pack-%s.html", dir, p.q);
		ok = write_file(path.data, &p);
	}
	if (ok && !pset.quiet)
		fprintf(pset.queryout ? pset.queryout : stdout,
				"%s: %s, the province and %d counties, %d charts\n",
				path.data, p.q, p.ncounties, p.ncharts);
	if (ok && pdf)
	{
		ok = print_pdf(&p, path.data, pdf);
		if (ok && !pset.quiet)
			fprintf(pset.queryout ? pset.queryout : stdout, "%s: printed\n", pdf);
	}
	remove_tree(p.tmpdir);
	buf_free(&path);
	pack_free(&p);
	return ok ? CMD_OK : CMD_ERROR;
}
