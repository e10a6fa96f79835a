/*
 * commands.c
 *		The client's commands: a table of {name, arguments, help, completion,
 *		example, handler}, and the handlers.
 *
 * Every report a handler prints is a call of one of the extension's
 * functions (extension/sql/70_client.sql, docs/client.md): the handler maps
 * the words typed to the function's arguments, passed as parameters
 * (exec_params), and formats what it returns (rounding, which columns); no
 * word of the user's is ever pasted into SQL text, and no SQL text is
 * built.  Where a command can answer as of another day, the AS_OF variable
 * (\set AS_OF 2024-03-31) gives the day; it is also the day the closed-loop
 * commands record.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"
#include "util.h"
#include "exec.h"
#include "print.h"
#include "loop.h"
#include "import.h"
#include "evidence.h"
#include "watch.h"
#include "pack.h"
#include "commands.h"

#define MAX_WORDS 64

static const Command commands[];
static const int ncommands;
static CmdStatus command_help(const char *topic);

/* The day commands answer as of, or NULL for today. */
static const char *
as_of(void)
{
	const char *v = var_get("AS_OF");

	return v && v[0] ? v : NULL;
}

/*
 * Why a step is recorded late (LATE_REASON), or NULL: a verifier's step
 * whose effective day (AS_OF) is older than the grace period needs one
 * (docs/trust.md, "Late entries").
 */
static const char *
late_reason(void)
{
	const char *v = var_get("LATE_REASON");

	return v && v[0] ? v : NULL;
}

/* A usage error of a command, with its usage line. */
static CmdStatus
usage_error(const CmdArgs *a, const char *what)
{
	const Command *cmd = command_lookup(a->line, strcspn(a->line, " \t"));

	if (cmd)
		client_error("%s: %s\nUsage: %s %s", cmd->name, what, cmd->name,
					 cmd->args);
	else
		client_error("%s", what);
	return CMD_ERROR;
}

/* Check the number of words; complain with the usage line. */
static bool
arity(const CmdArgs *a, int min, int max)
{
	if (a->n < min)
	{
		usage_error(a, "missing argument");
		return false;
	}
	if (max >= 0 && a->n > max)
	{
		char		msg[256];

		snprintf(msg, sizeof(msg), "unexpected argument \"%s\"", a->word[max]);
		usage_error(a, msg);
		return false;
	}
	return true;
}

/* Word i, or NULL when there are fewer words. */
static const char *
word(const CmdArgs *a, int i)
{
	return i < a->n ? a->word[i] : NULL;
}

/*
 * The text from word i to the end of the line: a note or a reason.  A lone
 * quoted word is taken unquoted; several words are taken as typed.
 */
static const char *
rest(const CmdArgs *a, int i)
{
	if (i >= a->n)
		return NULL;
	if (i == a->n - 1)
		return a->word[i];
	return a->raw[i];
}

/* Run a query and print its result; the common shape of a command. */
static CmdStatus
show(const char *sql, int n, const char *const *values, const PrintOpts *opts)
{
	PGresult   *res = exec_params(sql, n, values);
	Output	   *o;

	if (res == NULL)
		return CMD_ERROR;
	o = output_open(false);
	print_result(o, res, opts);
	output_close(o);
	PQclear(res);
	return CMD_OK;
}

/* One part of a several-part report. */
typedef struct Section
{
	const char *name;			/* json key */
	const char *title;			/* heading */
	const char *sql;
	bool		expanded;
	bool		footer;
} Section;

/*
 * Run every part of a report, then print them together (one pager, one json
 * object).  Outside a transaction the parts read one snapshot, so their
 * numbers agree even while others write.
 */
static CmdStatus
show_sections(const Section *sec, int nsec, int n, const char *const *values)
{
	PGresult   *res[8];
	bool		own_tx = PQtransactionStatus(pset.db) == PQTRANS_IDLE;
	CmdStatus	status = CMD_OK;
	int			done = 0;
	Output	   *o;

	if (own_tx && !exec_ok("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
		return CMD_ERROR;
	for (; done < nsec; done++)
		if ((res[done] = exec_params(sec[done].sql, n, values)) == NULL)
			break;
	if (own_tx)
		exec_ok(done == nsec ? "COMMIT" : "ROLLBACK");
	if (done < nsec)
		status = CMD_ERROR;
	else
	{
		o = output_open(true);
		for (int i = 0; i < nsec; i++)
		{
			PrintOpts	opts = {sec[i].name, sec[i].title, sec[i].footer,
			sec[i].expanded};

			print_result(o, res[i], &opts);
		}
		output_close(o);
	}
	for (int i = 0; i < done; i++)
		PQclear(res[i]);
	return status;
}

/* lists */
static CmdStatus
cmd_lists(CmdArgs *a)
{
	static const char sql[] =
		"SELECT code AS list, name_zh, name, open, overdue, overdue_tolerated,"
		"       closed, withdrawn, total"
		"  FROM issuelist.list_summary_on($1)";
	const char *v[] = {as_of()};
	PrintOpts	opts = {"lists", NULL, true, false};

	if (!arity(a, 0, 0))
		return CMD_ERROR;
	return show(sql, 1, v, &opts);
}

/* orgs [under ORG] */
static CmdStatus
cmd_orgs(CmdArgs *a)
{
	/* the hierarchy shows as indentation where it is read by people */
	static const char sql_table[] =
		"SELECT code, repeat('  ', depth) || name AS name, name_zh, level, parent"
		"  FROM issuelist.org_tree($1)";
	static const char sql_data[] =
		"SELECT code, name, name_zh, level, parent, depth FROM issuelist.org_tree($1)";
	const char *v[1] = {NULL};
	PrintOpts	opts = {"orgs", NULL, true, false};

	if (a->n > 0 && strcmp(a->word[0], "under") != 0)
		return usage_error(a, "expected \"under ORG\"");
	if (a->n > 0 && !arity(a, 2, 2))
		return CMD_ERROR;
	v[0] = word(a, 1);
	return show(pset.format == FORMAT_TABLE ? sql_table : sql_data, 1, v, &opts);
}

/* issue CODE */
static CmdStatus
cmd_issue(CmdArgs *a)
{
	static const Section sec[] = {
		{"issue", NULL, "SELECT * FROM issuelist.report_issue($1, $2)", true, false},
		{"history", "History",
			"SELECT day, date_trunc('second', recorded_at) AS recorded_at, actor, role,"
			"       event, from_state, to_state, due_on, note"
			"  FROM issuelist.report_history($1, $2)",
		false, true},
	};
	const char *v[2];

	if (!arity(a, 1, 1))
		return CMD_ERROR;
	v[0] = a->word[0];
	v[1] = as_of();
	return show_sections(sec, 2, 2, v);
}

/*
 * find's words, in the order of issuelist.report_find's parameters: a key
 * takes the rest of the word as its value, a flag (no values) is the whole
 * word.  Completion offers the same words (complete.c).
 */
static const FindKey find_keys[] = {
	{"list=", "LIST"}, {"org=", "ORG"}, {"severity=", "SEVERITY"},
	{"severity>=", "SEVERITY"}, {"severity<=", "SEVERITY"},
	{"severity>", "SEVERITY"}, {"severity<", "SEVERITY"},
	{"state=", "STATE|open"}, {"overdue", NULL}, {"limit=", ""},
};
#define NFIND_KEYS ((int) (sizeof(find_keys) / sizeof(find_keys[0])))

/* find's words, for completion. */
const FindKey *
find_key_table(int *n)
{
	*n = NFIND_KEYS;
	return find_keys;
}

/*
 * The find word a word is, or starts with for a key (the longest:
 * severity>= before severity>); -1 for a word of the title.
 */
int
find_key(const char *w)
{
	int			found = -1;

	for (int k = 0; k < NFIND_KEYS; k++)
	{
		const char *key = find_keys[k].key;
		size_t		n = strlen(key);

		if ((find_keys[k].values ? strncmp(w, key, n) == 0 : strcmp(w, key) == 0) &&
			(found < 0 || n > strlen(find_keys[found].key)))
			found = k;
	}
	return found;
}

/* find [list=L] [org=O] [severity>=S] [state=S] [overdue] [limit=N] [TEXT] */
static CmdStatus
cmd_find(CmdArgs *a)
{
	static const char sql[] =
		"SELECT * FROM issuelist.report_find($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
		"                                    $11, $12)";
	const char *v[NFIND_KEYS + 2] = {NULL};
	Buf			text;
	PrintOpts	opts = {"issues", NULL, true, false};
	CmdStatus	status;

	buf_init(&text);
	for (int i = 0; i < a->n; i++)
	{
		const char *w = a->word[i];
		int			k = find_key(w);
		size_t		n;

		if (k < 0)
		{
			if (text.len > 0)
				buf_putc(&text, ' ');
			buf_puts(&text, w);
			continue;
		}
		n = strlen(find_keys[k].key);
		v[k] = find_keys[k].values ? w + n : "true";
	}
	v[NFIND_KEYS] = text.len > 0 ? text.data : NULL;
	v[NFIND_KEYS + 1] = as_of();
	status = show(sql, NFIND_KEYS + 2, v, &opts);
	buf_free(&text);
	return status;
}

/* overdue [ORG] */
static CmdStatus
cmd_overdue(CmdArgs *a)
{
	static const char sql[] =
		"SELECT code, org, org_name_zh AS org_name, list, severity, days_overdue, due_on,"
		"       light, tolerated, title"
		"  FROM issuelist.overdue_issues($1, $2)";
	const char *v[2];
	PrintOpts	opts = {"overdue", NULL, true, false};

	if (!arity(a, 0, 1))
		return CMD_ERROR;
	v[0] = word(a, 0);
	v[1] = as_of();
	return show(sql, 2, v, &opts);
}

/*
 * The quarter a command is about, from the parameters of the quarter given
 * (or NULL) and the AS_OF day (or NULL): issuelist.report_quarter.
 */
#define REPORT_QUARTER(q, day) "issuelist.report_quarter(" q ", " day ")"

/* report ORG [QUARTER] */
static CmdStatus
cmd_report(CmdArgs *a)
{
	static const Section sec[] = {
		{"summary", NULL,
			"SELECT org, name, name_zh, level, quarter, round(score::numeric, 2) AS score,"
			"       round(previous_score::numeric, 2) AS previous_score,"
			"       round(score_change::numeric, 2) AS score_change, rank, peers, rank_change,"
			"       compared_with, top_ten, veto, round(deductions::numeric, 2) AS deductions,"
			"       round(on_time_rate::numeric, 3) AS on_time_rate,"
			"       round(on_time_lower::numeric, 3) AS on_time_lower, open, overdue,"
			"       overdue_tolerated, frozen"
			"  FROM issuelist.report_summary($1, " REPORT_QUARTER("$2", "$3") ")",
		true, false},
		{"lists", "Against the lists",
			"SELECT list, name_zh, general, serious, major, critical, new,"
			"       closed_on_time, closed_late, open, overdue, tolerated,"
			"       round(deductions::numeric, 2) AS deductions"
			"  FROM issuelist.report_lists(issuelist.org_code($1), " REPORT_QUARTER("$2", "$3") ")",
		false, false},
		{"deductions", "Deductions by bucket and severity",
			"SELECT bucket, severity, issues, round(points::numeric, 2) AS points,"
			"       round(percent::numeric, 1) AS percent"
			"  FROM issuelist.report_deductions($1, " REPORT_QUARTER("$2", "$3") ")",
		false, false},
		{"oldest_overdue", "Oldest overdue issues",
			"SELECT * FROM issuelist.report_overdue($1, " REPORT_QUARTER("$2", "$3") ", 10)",
		false, false},
	};
	const char *v[3];

	if (!arity(a, 1, 2))
		return CMD_ERROR;
	v[0] = a->word[0];
	v[1] = word(a, 1);
	v[2] = as_of();
	return show_sections(sec, 4, 3, v);
}

/* rank [QUARTER] [top N] [model M] [by score|topsis] [level L] */
static CmdStatus
cmd_rank(CmdArgs *a)
{
	static const char sql[] =
		"SELECT rank, org, name, name_zh, round(score::numeric, 2) AS score,"
		"       round(deductions::numeric, 2) AS deductions,"
		"       round(on_time_rate::numeric, 3) AS on_time_rate,"
		"       round(on_time_lower::numeric, 3) AS on_time_lower,"
		"       open, overdue, rank_change, mark"
		"  FROM issuelist.report_ranking(" REPORT_QUARTER("$1", "$6") ", $3, $5, $4, $2)";
	const char *v[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
	PrintOpts	opts = {"ranking", NULL, true, false};

	for (int i = 0; i < a->n; i++)
	{
		static const char *const keys[] = {"top", "model", "by", "level"};
		bool		matched = false;

		for (int k = 0; k < 4 && !matched; k++)
			if (strcmp(a->word[i], keys[k]) == 0)
			{
				if (i + 1 >= a->n)
					return usage_error(a, "a value must follow the keyword");
				v[k + 1] = a->word[++i];
				matched = true;
			}
		if (matched)
			continue;
		if (v[0] != NULL)
		{
			char		msg[256];

			snprintf(msg, sizeof(msg), "unexpected argument \"%s\"", a->word[i]);
			return usage_error(a, msg);
		}
		v[0] = a->word[i];
	}
	v[5] = as_of();
	return show(sql, 6, v, &opts);
}

/*
 * trend ORG [FROM [TO]]: by default the eight quarters up to the last
 * complete one, from the first quarter with issues at the earliest
 * (issuelist.report_trend).  The score's bar only where it is drawn: the
 * aligned table.
 */
#define TREND_SQL(bar) \
	"SELECT quarter, rank, round(score::numeric, 2) AS score" bar "," \
	"       round(deductions::numeric, 2) AS deductions, open, overdue," \
	"       closed_on_time, closed_late" \
	"  FROM issuelist.report_trend($1, $2, $3, $4)"

static CmdStatus
cmd_trend(CmdArgs *a)
{
	static const char sql_bar[] = TREND_SQL(", issuelist.score_bar(score) AS bar");
	static const char sql[] = TREND_SQL("");
	const char *v[4];
	PrintOpts	opts = {"trend", NULL, true, false};

	if (!arity(a, 1, 3))
		return CMD_ERROR;
	v[0] = a->word[0];
	v[1] = word(a, 1);
	v[2] = word(a, 2);
	v[3] = as_of();
	return show(pset.format == FORMAT_TABLE ? sql_bar : sql, 4, v, &opts);
}

/* official NAME [ORG] [QUARTER] */
static CmdStatus
cmd_official(CmdArgs *a)
{
	static const Section sec[] = {
		{"posts", "Posts",
			"SELECT code, name, org, org_name, title, from_day, to_day"
			"  FROM issuelist.report_official_posts($1, $4, " REPORT_QUARTER("$2", "$3") ")",
		false, false},
		{"record", "Record",
			"SELECT quarter, name, org, issues, open, overdue, closed_on_time, closed_late,"
			"       tolerated, round(deductions::numeric, 2) AS deductions,"
			"       round(on_time_rate::numeric, 3) AS on_time_rate,"
			"       round(on_time_lower::numeric, 3) AS on_time_lower"
			"  FROM issuelist.report_official($1, " REPORT_QUARTER("$2", "$3") ", $4)",
		true, false},
		{"issues", "Issues",
			"SELECT * FROM issuelist.report_official_issues($1, " REPORT_QUARTER("$2", "$3") ", $4)",
		false, true},
	};
	const char *v[4] = {NULL, NULL, NULL, NULL};
	const char *more[2];
	PGresult   *res;

	if (!arity(a, 1, 3))
		return CMD_ERROR;
	v[0] = a->word[0];
	/* ORG and QUARTER in either order: the quarter type tells which is which */
	more[0] = word(a, 1);
	more[1] = word(a, 2);
	res = exec_params("SELECT issuelist.is_quarter($1), issuelist.is_quarter($2)", 2, more);
	if (res == NULL)
		return CMD_ERROR;
	for (int i = 1; i < a->n; i++)
	{
		int			slot = strcmp(PQgetvalue(res, 0, i - 1), "t") == 0 ? 1 : 3;

		if (v[slot] != NULL)
		{
			PQclear(res);
			return usage_error(a, slot == 1 ? "two quarters given" : "two organizations given");
		}
		v[slot] = a->word[i];
	}
	PQclear(res);
	v[2] = as_of();
	return show_sections(sec, 3, 4, v);
}

/* term OFFICIAL [ORG]: the record of the official's latest term */
static CmdStatus
cmd_term(CmdArgs *a)
{
	static const char sql[] =
		"SELECT part, measure, issues, code, issue_title, responsible, days_overdue,"
		"       from_day, to_day"
		"  FROM issuelist.report_term($1, $2)";
	const char *v[2];
	PrintOpts	opts = {"term", NULL, true, false};

	if (!arity(a, 1, 2))
		return CMD_ERROR;
	v[0] = a->word[0];
	v[1] = word(a, 1);
	return show(sql, 2, v, &opts);
}

/* officials [QUARTER] [title T]: the ranking of a post's holders */
static CmdStatus
cmd_officials(CmdArgs *a)
{
	static const char sql[] =
		"SELECT rank, org, org_name, official, name, round(score::numeric, 2) AS score,"
		"       days_in_post, new_in_post"
		"  FROM issuelist.official_ranking(" REPORT_QUARTER("$1", "$3") ","
		"                                  coalesce($2, 'secretary'))";
	const char *v[3] = {NULL, NULL, NULL};
	PrintOpts	opts = {"officials", NULL, true, false};

	for (int i = 0; i < a->n; i++)
	{
		if (strcmp(a->word[i], "title") == 0)
		{
			if (i + 1 >= a->n)
				return usage_error(a, "a title must follow \"title\"");
			v[1] = a->word[++i];
		}
		else if (v[0] == NULL)
			v[0] = a->word[i];
		else
			return usage_error(a, "two quarters given");
	}
	v[2] = as_of();
	return show(sql, 3, v, &opts);
}

/*
 * The lists of a meeting's topic: the words after "topic" (word *i) up to
 * the keyword stop, joined with blanks for meeting_plan's
 * string_to_array($2, ' '); *i is left on the last.  NULL when none
 * follows.
 */
static char *
topic_lists(const CmdArgs *a, int *i, const char *stop)
{
	Buf			b;

	if (*i + 1 >= a->n || strcmp(a->word[*i + 1], stop) == 0)
		return NULL;
	buf_init(&b);
	while (*i + 1 < a->n && strcmp(a->word[*i + 1], stop) != 0)
	{
		if (b.len)
			buf_putc(&b, ' ');
		buf_puts(&b, a->word[++*i]);
	}
	return b.data;
}

/*
 * meeting [QUARTER] [topic LIST...] [by improvement]: the presenters of the
 * quarterly meeting, then the bottom ten for supervision talks.
 */
static CmdStatus
cmd_meeting(CmdArgs *a)
{
	static const char sql[] =
		"SELECT rank, org, org_name, official, official_name, presenter, supervision,"
		"       round(score::numeric, 2) AS score, round(improvement::numeric, 2) AS improvement"
		"  FROM issuelist.meeting_plan(" REPORT_QUARTER("$1", "$4") ","
		"                              string_to_array($2, ' '), 10, coalesce($3, 'score'))";
	const char *v[4] = {NULL, NULL, NULL, NULL};
	PrintOpts	opts = {"meeting", NULL, true, false};
	char	   *topic = NULL;
	CmdStatus	status;

	for (int i = 0; i < a->n; i++)
	{
		if (strcmp(a->word[i], "by") == 0)
		{
			if (i + 1 >= a->n)
				return usage_error(a, "\"by\" takes score or improvement");
			v[2] = a->word[++i];
		}
		else if (strcmp(a->word[i], "topic") == 0)
		{
			free(topic);
			if ((topic = topic_lists(a, &i, "by")) == NULL)
				return usage_error(a, "\"topic\" takes one or more lists");
		}
		else if (v[0] == NULL)
			v[0] = a->word[i];
		else
		{
			free(topic);
			return usage_error(a, "two quarters given");
		}
	}
	v[1] = topic;
	v[3] = as_of();
	status = show(sql, 4, v, &opts);
	free(topic);
	return status;
}

/*
 * pack QUARTER [DIR] [topic LIST...] [--pdf FILE]: the meeting's pack, a
 * self-contained HTML file in DIR (pack.c); its presenters are those of
 * meeting QUARTER with the same topic.
 */
static CmdStatus
cmd_pack(CmdArgs *a)
{
	const char *v[2] = {NULL, NULL};	/* QUARTER, DIR */
	const char *pdf = NULL;
	char	   *topic = NULL;
	CmdStatus	status;

	for (int i = 0; i < a->n; i++)
	{
		if (strcmp(a->word[i], "--pdf") == 0)
		{
			if (i + 1 >= a->n)
				status = usage_error(a, "\"--pdf\" takes a file");
			else
			{
				pdf = a->word[++i];
				continue;
			}
		}
		else if (strcmp(a->word[i], "topic") == 0)
		{
			free(topic);
			if ((topic = topic_lists(a, &i, "--pdf")) != NULL)
				continue;
			status = usage_error(a, "\"topic\" takes one or more lists");
		}
		else if (v[0] == NULL || v[1] == NULL)
		{
			v[v[0] == NULL ? 0 : 1] = a->word[i];
			continue;
		}
		else
		{
			char		msg[256];

			snprintf(msg, sizeof(msg), "unexpected argument \"%s\"", a->word[i]);
			status = usage_error(a, msg);
		}
		free(topic);
		return status;
	}
	if (v[0] == NULL)
		status = usage_error(a, "missing argument");
	else
		status = pack_write(v[0], v[1], topic, pdf);
	free(topic);
	return status;
}

/* After a change to an issue: the issue as it now stands. */
static CmdStatus
show_issue_line(const char *code)
{
	static const char sql[] =
		"SELECT code, state, due_on, closed_on, reopen_count, tolerated, overdue, light"
		"  FROM issuelist.report_issue($1, $2)";
	const char *v[] = {code, as_of()};
	PrintOpts	opts = {"issue", NULL, false, false};

	return show(sql, 2, v, &opts);
}

/* Run one closed-loop call, then show the issue. */
static CmdStatus
change_issue(const char *sql, int n, const char *const *values)
{
	PGresult   *res = exec_params(sql, n, values);

	if (res == NULL)
		return CMD_ERROR;
	PQclear(res);
	return show_issue_line(values[0]);
}

/*
 * advance CODE STATE [NOTE] and extend CODE DATE REASON: the code, a value,
 * the rest of the line, the day (AS_OF, else today) and LATE_REASON.
 */
static CmdStatus
step_issue(CmdArgs *a, const char *sql, int min_words)
{
	const char *v[5];

	if (!arity(a, min_words, -1))
		return CMD_ERROR;
	v[0] = a->word[0];
	v[1] = a->word[1];
	v[2] = rest(a, 2);
	v[3] = as_of();
	v[4] = late_reason();
	return change_issue(sql, 5, v);
}

/* advance CODE STATE [NOTE] */
static CmdStatus
cmd_advance(CmdArgs *a)
{
	return step_issue(a,
					  "SELECT issuelist.advance($1, $2::issuelist.issue_state, $3,"
					  "                         coalesce($4::date, current_date), $5)", 2);
}

/* extend CODE DATE REASON */
static CmdStatus
cmd_extend(CmdArgs *a)
{
	return step_issue(a,
					  "SELECT issuelist.extend_deadline($1, $2::date, $3,"
					  "                                 coalesce($4::date, current_date), $5)", 3);
}

/* tolerate CODE APPROVER [until DATE] REASON */
static CmdStatus
cmd_tolerate(CmdArgs *a)
{
	static const char sql[] =
		"SELECT issuelist.tolerate($1, $2, $3, coalesce($4::date, current_date), $5::date, $6)";
	const char *v[6];
	int			reason_at = 2;

	if (!arity(a, 3, -1))
		return CMD_ERROR;
	v[0] = a->word[0];
	v[2] = a->word[1];
	v[4] = NULL;
	if (strcmp(a->word[2], "until") == 0)
	{
		if (!arity(a, 5, -1))
			return CMD_ERROR;
		v[4] = a->word[3];
		reason_at = 4;
	}
	v[1] = rest(a, reason_at);
	v[3] = as_of();
	v[5] = late_reason();
	return change_issue(sql, 6, v);
}

/*
 * register's words after the title, in the order of the parameters
 * ($5 to $8 of cmd_register's query); anything else is the title.
 */
static const char *const register_keys[] = {"due=", "official=", "origin=", "source="};
#define NREGISTER_KEYS 4

/*
 * The value of a key word such as source=: what follows the key, or, when
 * a quote follows it (source="round 4"), the quoted text, which may span
 * several words: *i moves to the last of them.
 */
static char *
key_value(const CmdArgs *a, int *i, const char *key)
{
	size_t		n = strlen(key);
	const char *p = a->raw[*i];
	char		q;
	Buf			b;

	if (strncmp(p, key, n) != 0 || (p[n] != '"' && p[n] != '\''))
		return xstrdup(a->word[*i] + n);
	q = p[n];
	buf_init(&b);
	for (p += n + 1; *p; p++)
	{
		if (*p == q && p[1] == q)
			buf_putc(&b, *p++);
		else if (*p == q)
		{
			p++;
			break;
		}
		else
			buf_putc(&b, *p);
	}
	while (*i + 1 < a->n && a->raw[*i + 1] < p)
		(*i)++;
	return b.data;
}

/* register LIST ORG SEVERITY TITLE [due=DATE] [official=O] [origin=O] [source=S] */
static CmdStatus
cmd_register(CmdArgs *a)
{
	static const char sql[] =
		"SELECT issuelist.register_issue(issuelist.list_code($1), issuelist.org_code($2),"
		"                                $3::issuelist.severity, $4,"
		"                                coalesce($9::date, current_date), $5::date,"
		"                                coalesce($7, 'external'), $6, $8, NULL, $10)";
	const char *v[10] = {NULL};
	char	   *keyed[NREGISTER_KEYS] = {NULL};
	Buf			title;
	PGresult   *res;
	CmdStatus	status;

	if (!arity(a, 4, -1))
		return CMD_ERROR;
	buf_init(&title);
	for (int i = 3; i < a->n; i++)
	{
		bool		key = false;

		for (int k = 0; k < NREGISTER_KEYS && !key; k++)
			if (strncmp(a->word[i], register_keys[k], strlen(register_keys[k])) == 0)
			{
				free(keyed[k]);
				keyed[k] = key_value(a, &i, register_keys[k]);
				v[4 + k] = keyed[k];
				key = true;
			}
		if (key)
			continue;
		if (title.len > 0)
			buf_putc(&title, ' ');
		buf_puts(&title, a->word[i]);
	}
	if (title.len == 0)
	{
		buf_free(&title);
		for (int k = 0; k < NREGISTER_KEYS; k++)
			free(keyed[k]);
		return usage_error(a, "missing title");
	}
	v[0] = a->word[0];
	v[1] = a->word[1];
	v[2] = a->word[2];
	v[3] = title.data;
	v[8] = as_of();
	v[9] = late_reason();
	res = exec_params(sql, 10, v);
	buf_free(&title);
	for (int k = 0; k < NREGISTER_KEYS; k++)
		free(keyed[k]);
	if (res == NULL)
		return CMD_ERROR;
	status = show_issue_line(PQgetvalue(res, 0, 0));
	PQclear(res);
	return status;
}

/* A request as it now stands, after it is made or decided. */
static CmdStatus
show_request(const char *id)
{
	static const char sql[] =
		"SELECT id, code, kind, new_due, until, state, requested_by, decided_by, note"
		"  FROM issuelist.requests(NULL) WHERE id = $1::bigint";
	const char *v[] = {id};
	PrintOpts	opts = {"request", NULL, false, false};

	return show(sql, 1, v, &opts);
}

/* request extend CODE DATE REASON, request tolerate CODE [until DATE] REASON */
static CmdStatus
cmd_request(CmdArgs *a)
{
	const char *v[3];
	const char *sql;
	PGresult   *res;
	CmdStatus	status;

	if (!arity(a, 3, -1))
		return CMD_ERROR;
	v[0] = a->word[1];
	if (strcmp(a->word[0], "extend") == 0)
	{
		if (!arity(a, 4, -1))
			return CMD_ERROR;
		sql = "SELECT issuelist.request_extension($1, $2::date, $3)";
		v[1] = a->word[2];
		v[2] = rest(a, 3);
	}
	else if (strcmp(a->word[0], "tolerate") == 0)
	{
		sql = "SELECT issuelist.request_tolerance($1, $3, $2::date)";
		v[1] = NULL;
		v[2] = rest(a, 2);
		if (strcmp(a->word[2], "until") == 0)
		{
			if (!arity(a, 5, -1))
				return CMD_ERROR;
			v[1] = a->word[3];
			v[2] = rest(a, 4);
		}
	}
	else
		return usage_error(a, "expected extend or tolerate");
	if ((res = exec_params(sql, 3, v)) == NULL)
		return CMD_ERROR;
	status = show_request(PQgetvalue(res, 0, 0));
	PQclear(res);
	return status;
}

/* decide ID approve|refuse NOTE */
static CmdStatus
cmd_decide(CmdArgs *a)
{
	const char *v[3];
	PGresult   *res;

	if (!arity(a, 3, -1))
		return CMD_ERROR;
	if (strcmp(a->word[1], "approve") == 0)
		v[1] = "true";
	else if (strcmp(a->word[1], "refuse") == 0)
		v[1] = "false";
	else
		return usage_error(a, "expected approve or refuse");
	v[0] = a->word[0];
	v[2] = rest(a, 2);
	if ((res = exec_params("SELECT issuelist.decide($1::bigint, $2::boolean, $3)", 3, v)) == NULL)
		return CMD_ERROR;
	PQclear(res);
	return show_request(v[0]);
}

/* requests [pending|approved|refused|all] */
static CmdStatus
cmd_requests(CmdArgs *a)
{
	static const char sql[] =
		"SELECT id, code, org, kind, new_due, until, reason, requested_by,"
		"       date_trunc('second', requested_at) AS requested_at, state, decided_by,"
		"       date_trunc('second', decided_at) AS decided_at, note"
		"  FROM issuelist.requests($1)";
	const char *v[1] = {"pending"};
	PrintOpts	opts = {"requests", NULL, true, false};

	if (!arity(a, 0, 1))
		return CMD_ERROR;
	if (a->n == 1)
		v[0] = strcmp(a->word[0], "all") == 0 ? NULL : a->word[0];
	return show(sql, 1, v, &opts);
}

/* inbox */
static CmdStatus
cmd_inbox(CmdArgs *a)
{
	PrintOpts	opts = {"inbox", NULL, true, false};

	if (!arity(a, 0, 0))
		return CMD_ERROR;
	return show("SELECT since, kind, code, org, title, detail FROM issuelist.inbox()",
				0, NULL, &opts);
}

/* attach CODE FILE [NOTE]: then the piece of evidence as stored */
static CmdStatus
cmd_attach(CmdArgs *a)
{
	static const char sql[] =
		"SELECT id, file_name, media_type, bytes, sha256, attached_on, attached_by, note"
		"  FROM issuelist.evidence($1) WHERE id = $2::bigint";
	const char *v[2];
	char	   *id;
	PrintOpts	opts = {"evidence", NULL, false, false};
	CmdStatus	status;

	if (!arity(a, 2, -1))
		return CMD_ERROR;
	if ((id = evidence_attach(a->word[0], a->word[1], rest(a, 2))) == NULL)
		return CMD_ERROR;
	v[0] = a->word[0];
	v[1] = id;
	status = show(sql, 2, v, &opts);
	free(id);
	return status;
}

/* watch [ORG]: the events as they happen, until Ctrl-C */
static CmdStatus
cmd_watch(CmdArgs *a)
{
	if (!arity(a, 0, 1))
		return CMD_ERROR;
	return watch_events(word(a, 0));
}

/* evidence CODE, evidence get ID [FILE] */
static CmdStatus
cmd_evidence(CmdArgs *a)
{
	static const char sql[] =
		"SELECT id, file_name, media_type, bytes, sha256, attached_on, attached_by, note"
		"  FROM issuelist.evidence($1)";
	PrintOpts	opts = {"evidence", NULL, true, false};

	if (a->n > 0 && strcmp(a->word[0], "get") == 0)
	{
		if (!arity(a, 2, 3))
			return CMD_ERROR;
		return evidence_get(a->word[1], word(a, 2));
	}
	if (!arity(a, 1, 1))
		return CMD_ERROR;
	return show(sql, 1, (const char *const *) a->word, &opts);
}

/* assign CODE OFFICIAL REASON */
static CmdStatus
cmd_assign(CmdArgs *a)
{
	static const char sql[] =
		"SELECT issuelist.assign_official($1, $2, $3, coalesce($4::date, current_date))";
	const char *v[4];

	if (!arity(a, 3, -1))
		return CMD_ERROR;
	v[0] = a->word[0];
	v[1] = a->word[1];
	v[2] = rest(a, 2);
	v[3] = as_of();
	return change_issue(sql, 4, v);
}

/* clarify CODE FINDING */
static CmdStatus
cmd_clarify(CmdArgs *a)
{
	static const char sql[] =
		"SELECT issuelist.clarify($1, $2, coalesce($3::date, current_date))";
	const char *v[3];

	if (!arity(a, 2, -1))
		return CMD_ERROR;
	v[0] = a->word[0];
	v[1] = rest(a, 1);
	v[2] = as_of();
	return change_issue(sql, 3, v);
}

/* import FILE.csv */
static CmdStatus
cmd_import(CmdArgs *a)
{
	const char *encoding = NULL;

	if (!arity(a, 1, 2))
		return CMD_ERROR;
	if (a->n == 2)
	{
		if (strncmp(a->word[1], "encoding=", 9) != 0 || a->word[1][9] == '\0')
			return usage_error(a, "the second argument is encoding=NAME (UTF-8, GB18030 or GBK)");
		encoding = a->word[1] + 9;
	}
	return import_csv(a->word[0], encoding);
}

/* version: the client's, the server's and the extension's */
static CmdStatus
cmd_version(CmdArgs *a)
{
	PGresult   *res;
	FILE	   *f = pset.queryout ? pset.queryout : stdout;

	if (!arity(a, 0, 0))
		return CMD_ERROR;
	res = exec_params("SELECT current_setting('server_version'),"
					  " (SELECT extversion FROM pg_catalog.pg_extension"
					  "   WHERE extname = 'issuelist')", 0, NULL);
	if (res == NULL)
		return CMD_ERROR;
	fprintf(f, "issuelist client %s\n", ISSUELIST_VERSION);
	fprintf(f, "server: PostgreSQL %s\n", PQgetvalue(res, 0, 0));
	fprintf(f, "extension: %s\n",
			PQgetisnull(res, 0, 1) ? "not installed" : PQgetvalue(res, 0, 1));
	PQclear(res);
	return CMD_OK;
}

/* help [COMMAND] */
static CmdStatus
cmd_help(CmdArgs *a)
{
	if (!arity(a, 0, 1))
		return CMD_ERROR;
	return command_help(word(a, 0));
}

/* quit, exit, \q */
static CmdStatus
cmd_quit(CmdArgs *a)
{
	(void) a;
	return CMD_QUIT;
}

/* Parse on/off (and auto where allowed); a missing value toggles. */
static bool
parse_switch(const CmdArgs *a, int *value, bool allow_auto)
{
	const char *w = word(a, 0);

	if (w == NULL)
		*value = *value ? 0 : 1;
	else if (strcasecmp(w, "on") == 0 || strcasecmp(w, "true") == 0)
		*value = 1;
	else if (strcasecmp(w, "off") == 0 || strcasecmp(w, "false") == 0)
		*value = 0;
	else if (allow_auto && strcasecmp(w, "auto") == 0)
		*value = 2;
	else
	{
		usage_error(a, "expected on or off");
		return false;
	}
	return true;
}

/* \x [on|off|auto] */
static CmdStatus
cmd_expanded(CmdArgs *a)
{
	int			v = pset.expanded == EXPANDED_ON ? 1 : pset.expanded == EXPANDED_AUTO ? 2 : 0;
	static const char *const names[] = {"off", "on", "auto"};

	if (!arity(a, 0, 1))
		return CMD_ERROR;
	if (v == 2 && a->n == 0)
		v = 0;
	if (!parse_switch(a, &v, true))
		return CMD_ERROR;
	pset.expanded = v == 1 ? EXPANDED_ON : v == 2 ? EXPANDED_AUTO : EXPANDED_OFF;
	if (!pset.quiet)
		printf("Expanded display is %s.\n", names[v]);
	return CMD_OK;
}

/* \timing [on|off] */
static CmdStatus
cmd_timing(CmdArgs *a)
{
	int			v = pset.timing;

	if (!arity(a, 0, 1) || !parse_switch(a, &v, false))
		return CMD_ERROR;
	pset.timing = v;
	if (!pset.quiet)
		printf("Timing is %s.\n", v ? "on" : "off");
	return CMD_OK;
}

/* Warn of the words a command does not take, as psql does; it still runs. */
static void
extra_words(const CmdArgs *a, int max)
{
	for (int i = max; i < a->n; i++)
		client_error("%.*s: extra argument \"%s\" ignored",
					 (int) strcspn(a->line, " \t"), a->line, a->word[i]);
}

/* The FILE or |COMMAND of \o and \g: a command runs to the end of the line. */
static const char *
output_target(const CmdArgs *a)
{
	if (a->n == 0)
		return NULL;
	if (a->raw[0][0] == '|')
		return a->raw[0];
	extra_words(a, 1);
	return a->word[0];
}

/* \o [FILE | |COMMAND] */
static CmdStatus
cmd_output(CmdArgs *a)
{
	return print_set_queryout(output_target(a)) ? CMD_OK : CMD_ERROR;
}

/*
 * \g [FILE | |COMMAND] and \gx: send the statement typed so far, or else
 * the last one sent, as psql does; its results go to FILE or COMMAND when
 * one is given, expanded for \gx.
 */
static CmdStatus
send_query_buffer(CmdArgs *a, bool expanded)
{
	const char *target = output_target(a);
	ExpandedMode mode = pset.expanded;
	QueryOut	saved;
	CmdStatus	status;

	if (target && !print_push_queryout(target, &saved))
		return CMD_ERROR;
	if (expanded)
		pset.expanded = EXPANDED_ON;
	status = query_send(a->query, true);
	pset.expanded = mode;
	if (target)
		print_pop_queryout(&saved);
	return status;
}

/* \g [FILE | |COMMAND] */
static CmdStatus
cmd_send(CmdArgs *a)
{
	return send_query_buffer(a, false);
}

/* \gx [FILE | |COMMAND] */
static CmdStatus
cmd_send_expanded(CmdArgs *a)
{
	return send_query_buffer(a, true);
}

/* \p: the statement typed so far, or else the last one sent, as psql */
static CmdStatus
cmd_show_query(CmdArgs *a)
{
	const Buf  *b = buf_is_blank(&a->query->text) ? &a->query->previous : &a->query->text;
	size_t		n = b->len;

	extra_words(a, 0);
	while (n > 0 && isspace((unsigned char) b->data[n - 1]))
		n--;
	if (n > 0)
		printf("%.*s\n", (int) n, b->data);
	else if (!pset.quiet)
		printf("Query buffer is empty.\n");
	return CMD_OK;
}

/* \r: forget the statement typed so far (the last one sent stays) */
static CmdStatus
cmd_reset_query(CmdArgs *a)
{
	extra_words(a, 0);
	query_reset(a->query);
	if (!pset.quiet)
		printf("Query buffer reset (cleared).\n");
	return CMD_OK;
}

/* Whether a variable name is made of letters, digits and underscores. */
static bool
valid_var_name(const char *name)
{
	if (!name[0] || isdigit((unsigned char) name[0]))
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char) *name) && *name != '_')
			return false;
	return true;
}

/* \set [NAME [VALUE...]] */
static CmdStatus
cmd_set(CmdArgs *a)
{
	Buf			value;

	if (a->n == 0)
	{
		var_print(pset.queryout ? pset.queryout : stdout);
		return CMD_OK;
	}
	if (!valid_var_name(a->word[0]))
	{
		client_error("\\set: invalid variable name \"%s\"", a->word[0]);
		return CMD_ERROR;
	}
	/* psql joins the values with nothing between them */
	buf_init(&value);
	for (int i = 1; i < a->n; i++)
		buf_puts(&value, a->word[i]);
	var_set(a->word[0], value.data);
	buf_free(&value);
	return CMD_OK;
}

/* \unset NAME */
static CmdStatus
cmd_unset(CmdArgs *a)
{
	if (!arity(a, 1, 1))
		return CMD_ERROR;
	var_unset(a->word[0]);
	return CMD_OK;
}

/* \pset [format|null|pager|expanded|timing] [VALUE] */
static CmdStatus
cmd_pset(CmdArgs *a)
{
	const char *opt = word(a, 0);
	const char *val = word(a, 1);

	if (!arity(a, 0, 2))
		return CMD_ERROR;
	if (opt == NULL)
	{
		printf("format   %s\nnull     '%s'\npager    %s\nexpanded %s\n",
			   print_format_name(pset.format),
			   pset.null_display ? pset.null_display : "",
			   pset.pager ? "on" : "off",
			   pset.expanded == EXPANDED_ON ? "on" :
			   pset.expanded == EXPANDED_AUTO ? "auto" : "off");
		return CMD_OK;
	}
	if (strcmp(opt, "format") == 0)
	{
		if (val && !print_set_format(val))
			return usage_error(a, "the formats are table, csv, json and markdown");
		if (!pset.quiet)
			printf("Output format is %s.\n", print_format_name(pset.format));
		return CMD_OK;
	}
	if (strcmp(opt, "null") == 0)
	{
		free(pset.null_display);
		pset.null_display = xstrdup(val ? val : "");
		return CMD_OK;
	}
	if (strcmp(opt, "pager") == 0)
	{
		int			v = pset.pager;
		CmdArgs		sub = {a->n - 1, a->word + 1, a->raw + 1, a->line, a->query};

		if (!parse_switch(&sub, &v, false))
			return CMD_ERROR;
		pset.pager = v;
		if (!pset.quiet)
			printf("Pager usage is %s.\n", v ? "on" : "off");
		return CMD_OK;
	}
	if (strcmp(opt, "expanded") == 0)
	{
		CmdArgs		sub = {a->n - 1, a->word + 1, a->raw + 1, a->line, a->query};

		return cmd_expanded(&sub);
	}
	return usage_error(a, "the options are format, null, pager and expanded");
}

/* \echo TEXT */
static CmdStatus
cmd_echo(CmdArgs *a)
{
	FILE	   *f = pset.queryout ? pset.queryout : stdout;

	for (int i = 0; i < a->n; i++)
		fprintf(f, "%s%s", i ? " " : "", a->word[i]);
	fputc('\n', f);
	return CMD_OK;
}

/* \i FILE */
static CmdStatus
cmd_include(CmdArgs *a)
{
	if (!arity(a, 1, 1))
		return CMD_ERROR;
	return run_file(a->word[0]) == EXIT_OK ? CMD_OK : CMD_ERROR;
}

/* \? */
static CmdStatus
cmd_backslash_help(CmdArgs *a)
{
	(void) a;
	return command_help("\\");
}

static const Command commands[] = {
	{"advance", "CODE STATE [NOTE]",
		"move an issue along the closed loop (recorded on AS_OF, else today)",
		"ISSUE STATE", "advance AUD-2024-000001 rectified \"fixed, photos attached\"", cmd_advance},
	{"assign", "CODE OFFICIAL REASON",
		"make an official (code or name) responsible for an issue from AS_OF, else today",
		"ISSUE OFFICIAL", "assign AUD-2024-000001 \"Li Ming\" handed over with the post", cmd_assign},
	{"attach", "CODE FILE [NOTE]",
		"attach a rectification document or photo to an issue (its type from the extension)",
		"ISSUE FILE", "attach AUD-2024-000001 receipt.pdf the funds were spent", cmd_attach},
	{"clarify", "CODE FINDING",
		"clear an official wrongly accused: the issue is withdrawn as clarified (澄清正名)",
		"ISSUE", "clarify AUD-2024-000001 the petition named the wrong office", cmd_clarify},
	{"decide", "ID approve|refuse NOTE",
		"decide a pending request (a verifier who did not ask)",
		"REQUEST approve|refuse", "decide 12 approve \"the budget is confirmed\"", cmd_decide},
	{"evidence", "CODE | get ID [FILE]",
		"an issue's evidence; get: write one piece to FILE (else its own name, here)",
		"ISSUE|get EVIDENCE FILE", "evidence get 3 receipt.pdf", cmd_evidence},
	{"exit", "", "leave the client", "", "exit", cmd_quit},
	{"extend", "CODE DATE REASON", "extend an issue's deadline",
		"ISSUE", "extend AUD-2024-000001 2024-12-31 waiting for the new budget", cmd_extend},
	{"find", "[list=L] [org=O] [severity>=S] [state=S] [overdue] [limit=N] [TEXT]",
		"search the issues (100 at most unless limit=N)",
		"FIND", "find org=330782 severity>=major overdue", cmd_find},
	{"help", "[COMMAND]", "list the commands, or explain one",
		"COMMAND", "help report", cmd_help},
	{"import", "FILE.csv [encoding=E]", "load issues, or steps (code,state,note,on_date), from a spreadsheet export (UTF-8, or GB18030/GBK as Excel saves it on Chinese Windows): all rows or none",
		"FILE", "import round3.csv", cmd_import},
	{"inbox", "", "what waits for you, oldest first", "", "inbox", cmd_inbox},
	{"issue", "CODE", "one issue with its history",
		"ISSUE", "issue AUD-2024-000001", cmd_issue},
	{"lists", "", "the lists with open, overdue and closed counts",
		"", "lists", cmd_lists},
	{"meeting", "[QUARTER] [topic LIST...] [by improvement]",
		"the quarterly meeting: presenters (the best secretaries on the topic), then the bottom ten",
		"QUARTER|topic|by...", "meeting 2024Q2 topic audit inspection", cmd_meeting},
	{"official", "NAME|CODE [ORG] [QUARTER]",
		"an official's posts, record and issues (ORG when the name is in several)",
		"OFFICIAL ORG|QUARTER QUARTER", "official \"Wang Fang\" Yiwu 2024Q2", cmd_official},
	{"officials", "[QUARTER] [title T]",
		"the holders of a post (secretary by default) ranked by their county's published rank",
		"QUARTER|title...", "officials 2024Q2 title head", cmd_officials},
	{"orgs", "[under ORG]", "the organizations, as a hierarchy",
		"under", "orgs under Jinhua", cmd_orgs},
	{"overdue", "[ORG]", "open issues past due, oldest first, with warning lights",
		"ORG", "overdue 义乌市", cmd_overdue},
	{"pack", "QUARTER [DIR] [topic LIST...] [--pdf FILE]",
		"the quarterly meeting's pack: a self-contained HTML file with charts (gnuplot), into DIR; --pdf prints it (Chromium)",
		"QUARTER FILE topic|--pdf...", "pack 2024Q2 meeting topic audit inspection --pdf meeting.pdf", cmd_pack},
	{"quit", "", "leave the client", "", "quit", cmd_quit},
	{"rank", "[QUARTER] [top N] [model M] [by score|topsis] [level L]",
		"the quarterly ranking: top ten marked, vetoes flagged",
		"QUARTER|top|model|by|level...", "rank 2024Q2 top 10", cmd_rank},
	{"register", "LIST ORG SEVERITY TITLE [due=DATE] [official=O] [origin=O] [source=S]",
		"register an issue (found on AS_OF, else today); shows its code",
		"LIST ORG SEVERITY", "register audit Yiwu major \"fire exits blocked\" source=\"round 3\"",
		cmd_register},
	{"report", "ORG [QUARTER]",
		"an organization against the lists: counts, score, rank, deductions, oldest overdue",
		"ORG QUARTER", "report Yiwu 2024Q2", cmd_report},
	{"request", "extend CODE DATE REASON | tolerate CODE [until DATE] REASON",
		"ask a verifier for a later due day or for tolerance (an editor)",
		"extend|tolerate ISSUE until", "request extend AUD-2024-000001 2024-12-31 waiting for the new budget",
		cmd_request},
	{"requests", "[pending|approved|refused|all]", "requests and decisions, oldest first (pending by default)",
		"pending|approved|refused|all", "requests all", cmd_requests},
	{"term", "OFFICIAL [ORG]",
		"the record of an official's latest term, with the handover list (离任审计)",
		"OFFICIAL ORG", "term \"Wang Fang\" Yiwu", cmd_term},
	{"tolerate", "CODE APPROVER [until DATE] REASON",
		"exempt an issue from the score after review (容错)",
		"ISSUE OFFICIAL until", "tolerate AUD-2024-000001 \"Li Ming\" until 2024-12-31 flood damage", cmd_tolerate},
	{"trend", "ORG [FROM [TO]]", "score, rank and counts over quarters, with bars",
		"ORG QUARTER QUARTER", "trend 330782 2023Q1 2024Q2", cmd_trend},
	{"version", "", "the client's, the server's and the extension's versions",
		"", "version", cmd_version},
	{"watch", "[ORG]", "print the events of the issues as they happen, until Ctrl-C",
		"ORG", "watch Yiwu", cmd_watch},
	{"\\?", "", "the backslash commands", "", "\\?", cmd_backslash_help},
	{"\\echo", "TEXT", "print text", "", "\\echo report for the meeting", cmd_echo},
	{"\\g", "[FILE | |COMMAND]",
		"send the statement typed so far (else the last one sent); results to FILE or COMMAND",
		"FILE", "SELECT count(*) FROM issuelist.issue \\g", cmd_send},
	{"\\gx", "[FILE | |COMMAND]", "as \\g, with expanded output for this statement",
		"FILE", "SELECT * FROM issuelist.org LIMIT 1 \\gx", cmd_send_expanded},
	{"\\i", "FILE", "run the commands of a file", "FILE", "\\i monthly.sql", cmd_include},
	{"\\o", "[FILE | |COMMAND]", "send output to a file or a command; alone: back to the screen",
		"FILE", "\\o ranking.csv", cmd_output},
	{"\\p", "", "show the statement typed so far (else the last one sent)", "", "\\p",
		cmd_show_query},
	{"\\pset", "[format|null|pager|expanded] [VALUE]", "output settings",
		"format|null|pager|expanded", "\\pset format csv", cmd_pset},
	{"\\q", "", "leave the client", "", "\\q", cmd_quit},
	{"\\r", "", "forget the statement typed so far", "", "\\r", cmd_reset_query},
	{"\\set", "[NAME [VALUE]]", "set a variable; alone: list them (AS_OF: answer as of a day; LATE_REASON: why a step is recorded late)",
		"VARIABLE", "\\set AS_OF 2024-06-30", cmd_set},
	{"\\timing", "[on|off]", "show how long each command takes",
		"on|off", "\\timing on", cmd_timing},
	{"\\unset", "NAME", "unset a variable", "VARIABLE", "\\unset AS_OF", cmd_unset},
	{"\\x", "[on|off|auto]", "expanded output: one line per column",
		"on|off|auto", "\\x auto", cmd_expanded},
};
static const int ncommands = sizeof(commands) / sizeof(commands[0]);

/* The command table, for help and completion. */
const Command *
command_table(int *n)
{
	*n = ncommands;
	return commands;
}

/*
 * The command named by the first len bytes of name: a client command in any
 * case (REPORT is report), a backslash command exactly, as psql's (\G is
 * not \g).
 */
const Command *
command_lookup(const char *name, size_t len)
{
	for (int i = 0; i < ncommands; i++)
	{
		const char *c = commands[i].name;

		if (strlen(c) == len &&
			(c[0] == '\\' ? strncmp(c, name, len) : strncasecmp(c, name, len)) == 0)
			return &commands[i];
	}
	return NULL;
}

/*
 * Whether a line is a client command: its first word names one (IMPORT
 * FOREIGN SCHEMA stays SQL).  Sets the command and where its arguments
 * start.
 */
bool
command_line_starts(const char *line, const Command **cmd, const char **args)
{
	const char *p = line;
	size_t		n = 0;

	while (isspace((unsigned char) *p))
		p++;
	while (isalpha((unsigned char) p[n]))
		n++;
	if (n == 0 || (p[n] != '\0' && p[n] != ';' && !isspace((unsigned char) p[n])))
		return false;
	*cmd = command_lookup(p, n);
	if (*cmd == NULL || (*cmd)->name[0] == '\\')
		return false;
	if (strcmp((*cmd)->name, "import") == 0)
	{
		const char *q = p + n;

		while (isspace((unsigned char) *q))
			q++;
		if (strncasecmp(q, "foreign", 7) == 0 &&
			(q[7] == '\0' || isspace((unsigned char) q[7])))
			return false;
	}
	*args = p + n;
	return true;
}

/*
 * A word starting at *s: blanks end it; one that starts with a quote runs
 * to the closing quote (doubled inside); :name and :'name' give a
 * variable's value.
 */
static char *
next_word(const char **s)
{
	const char *p = *s;
	Buf			w;

	buf_init(&w);
	if (*p == '\'' || *p == '"')
	{
		char		q = *p++;

		for (; *p; p++)
		{
			if (*p == q && p[1] == q)
				buf_putc(&w, *p++);
			else if (*p == q)
			{
				p++;
				break;
			}
			else
				buf_putc(&w, *p);
		}
	}
	else
	{
		while (*p && !isspace((unsigned char) *p))
			buf_putc(&w, *p++);
		if (w.data[0] == ':' && w.len > 1)
		{
			char	   *name = w.data + 1;
			size_t		n = strlen(name);
			const char *value;

			if (n > 2 && name[0] == '\'' && name[n - 1] == '\'')
			{
				name[n - 1] = '\0';
				name++;
			}
			if ((value = var_get(name)) != NULL)
			{
				char	   *copy = xstrdup(value);

				buf_free(&w);
				*s = p;
				return copy;
			}
		}
	}
	*s = p;
	return w.data;
}

/* Split a command's arguments into words; a trailing ';' is dropped. */
static void
split_args(const char *args, CmdArgs *a)
{
	const char *p = args;

	a->n = 0;
	a->word = xmalloc(sizeof(char *) * MAX_WORDS);
	a->raw = xmalloc(sizeof(char *) * MAX_WORDS);
	for (;;)
	{
		while (isspace((unsigned char) *p))
			p++;
		if (*p == '\0' || a->n == MAX_WORDS)
			break;
		a->raw[a->n] = p;
		a->word[a->n++] = next_word(&p);
	}
}

/*
 * Run a command with the rest of its line, and the statement being typed
 * for the backslash commands that act on it; \timing applies.
 */
CmdStatus
command_run(const Command *cmd, const char *args, QueryBuf *query)
{
	CmdArgs		a;
	char	   *line;
	size_t		n;
	double		start = exec_now_ms();
	CmdStatus	status;

	/* the line, as "name args", without a final ';' or blanks */
	n = strlen(cmd->name) + strlen(args) + 2;
	line = xmalloc(n);
	snprintf(line, n, "%s %s", cmd->name, args);
	n = strlen(line);
	while (n > 0 && (isspace((unsigned char) line[n - 1]) || line[n - 1] == ';'))
		line[--n] = '\0';
	a.line = line;
	a.query = query;
	split_args(line + strlen(cmd->name), &a);
	status = cmd->handler(&a);
	if (cmd->name[0] != '\\')
		exec_print_timing(start);
	for (int i = 0; i < a.n; i++)
		free(a.word[i]);
	free(a.word);
	free(a.raw);
	free(line);
	return status;
}

/* help, help NAME, \? */
static CmdStatus
command_help(const char *topic)
{
	Buf			b;
	bool		backslash = topic && strcmp(topic, "\\") == 0;

	buf_init(&b);
	if (topic && !backslash)
	{
		const Command *cmd = command_lookup(topic, strlen(topic));

		if (cmd == NULL)
		{
			client_error("no command \"%s\"; \"help\" lists them", topic);
			buf_free(&b);
			return CMD_ERROR;
		}
		buf_printf(&b, "%s %s\n    %s\nExample:\n    %s\n", cmd->name, cmd->args,
				   cmd->help, cmd->example);
	}
	else
	{
		buf_puts(&b, backslash ? "Backslash commands:\n" :
				 "Commands (\"help NAME\" for one; anything else is SQL, ended by ';'):\n");
		for (int i = 0; i < ncommands; i++)
		{
			char		usage[128];

			if ((commands[i].name[0] == '\\') != backslash)
				continue;
			snprintf(usage, sizeof(usage), "%s %s", commands[i].name, commands[i].args);
			/* a long usage line gets the description on the next line */
			if (strlen(usage) <= 32)
				buf_printf(&b, "  %-32s %s\n", usage, commands[i].help);
			else
				buf_printf(&b, "  %s\n  %-32s %s\n", usage, "", commands[i].help);
		}
		if (!backslash)
			buf_puts(&b, "Backslash commands: \\?   Answer as of a day: \\set AS_OF 2024-06-30   Quit: \\q\n");
	}
	print_text(b.data);
	buf_free(&b);
	return CMD_OK;
}
