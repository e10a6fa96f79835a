/*
 * complete.c
 *		Tab completion: command names, then each command's arguments read
 *		fresh from the database (org codes and names, Chinese too; issue
 *		codes; lists; states; severities; quarters; officials; models).
 *
 * Each command's "complete" field names what its arguments are, position by
 * position: a word in capitals is a kind of value looked up in the
 * database, a lower-case word is offered as it is, '|' separates choices
 * and a trailing "..." repeats the last position.  A few keywords say what
 * follows them (under ORG, model M, by score|topsis...).  The queries are
 * parameterized like every other, and run inside a savepoint when the user
 * is in a transaction, so that a failure cannot abort it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <readline/readline.h>

#include "settings.h"
#include "util.h"
#include "commands.h"
#include "complete.h"

#define MAX_CANDIDATES 1000

/* The candidates of the completion under way, handed out by generator(). */
static char **candidates;
static int	ncandidates;
static int	next_candidate;

/* Forget the candidates. */
static void
clear_candidates(void)
{
	for (int i = 0; i < ncandidates; i++)
		free(candidates[i]);
	free(candidates);
	candidates = NULL;
	ncandidates = 0;
	next_candidate = 0;
}

/* Offer a candidate (prefix + value) when it starts with the text typed. */
static void
offer(const char *prefix, const char *value, const char *text)
{
	size_t		plen = strlen(prefix);
	size_t		tlen = strlen(text);
	char	   *c;

	if (ncandidates >= MAX_CANDIDATES)
		return;
	c = xmalloc(plen + strlen(value) + 1);
	strcpy(c, prefix);
	strcat(c, value);
	/*
	 * Any case matches, as the client's commands are; a backslash command
	 * is case-sensitive (\G is not \g), as psql's are.
	 */
	if ((c[0] == '\\' ? strncmp(c, text, tlen) : strncasecmp(c, text, tlen)) != 0)
	{
		free(c);
		return;
	}
	candidates = xrealloc(candidates, sizeof(char *) * (ncandidates + 1));
	candidates[ncandidates++] = c;
}

/* The queries behind each kind of value; $1 is the text after the key. */
typedef struct CompletionQuery
{
	const char *kind;
	int			nparams;		/* how many of $1 (text), $2 (context) */
	const char *sql;
} CompletionQuery;

static const CompletionQuery queries[] = {
	{"ORG", 1,
		"SELECT c FROM (SELECT code FROM issuelist.org"
		"               UNION SELECT name FROM issuelist.org"
		"               UNION SELECT name_zh FROM issuelist.org) s(c)"
		" WHERE c IS NOT NULL AND starts_with(lower(c), lower($1))"
		" ORDER BY 1 LIMIT 1000"},
	{"ISSUE", 1,
		"SELECT code FROM issuelist.issue WHERE starts_with(code, upper($1))"
		" ORDER BY 1 LIMIT 1000"},
	{"LIST", 1,
		"SELECT code FROM issuelist.list WHERE starts_with(code, lower($1))"
		" ORDER BY position"},
	{"SEVERITY", 0,
		"SELECT issuelist.severity(i)::text FROM generate_series(1, 4) i"},
	{"STATE", 0, "SELECT s::text FROM issuelist.issue_states() s"},
	{"QUARTER", 0,
		"SELECT q::text FROM issuelist.quarters("
		"         (SELECT issuelist.quarter(min(found_on)) FROM issuelist.issue),"
		"         issuelist.quarter(current_date)) q"
		" ORDER BY q DESC"},
	{"OFFICIAL", 1,
		"SELECT c FROM (SELECT code FROM issuelist.official"
		"               UNION SELECT name FROM issuelist.official) s(c)"
		" WHERE starts_with(lower(c), lower($1)) ORDER BY 1 LIMIT 1000"},
	{"MODEL", 0, "SELECT name FROM issuelist.score_model ORDER BY 1"},
	{"LEVEL", 0,
		"SELECT level FROM issuelist.org GROUP BY level"
		" ORDER BY issuelist.org_level_rank(level)"},
	{"REQUEST", 1,
		"SELECT id::text FROM issuelist.requests('pending')"
		" WHERE starts_with(id::text, $1) ORDER BY id"},
	{"EVIDENCE", 1,
		"SELECT id::text FROM issuelist.evidence WHERE starts_with(id::text, $1)"
		" ORDER BY id DESC LIMIT 1000"},
};

/* The states an issue can go to next, for "advance CODE <tab>". */
static const char next_states_sql[] =
	"SELECT s::text FROM issuelist.issue_states() s, issuelist.issue i"
	" WHERE i.code = $2 AND issuelist.can_advance(i.state, s)"
	"   AND starts_with(s::text, $1)";

/* Run a completion query quietly; a failure just offers nothing. */
static void
offer_query(const char *sql, int nparams, const char *prefix, const char *text,
			const char *context)
{
	PGTransactionStatusType ts;
	const char *values[2];
	PGresult   *res;

	if (pset.db == NULL || PQstatus(pset.db) != CONNECTION_OK)
		return;
	ts = PQtransactionStatus(pset.db);
	if (ts != PQTRANS_IDLE && ts != PQTRANS_INTRANS)
		return;
	if (ts == PQTRANS_INTRANS)
		PQclear(PQexec(pset.db, "SAVEPOINT issuelist_complete"));
	values[0] = text + strlen(prefix);
	values[1] = context;
	res = PQexecParams(pset.db, sql, nparams, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		for (int r = 0; r < PQntuples(res); r++)
			offer(prefix, PQgetvalue(res, r, 0), text);
	PQclear(res);
	if (ts == PQTRANS_INTRANS)
		PQclear(PQexec(pset.db,
					   PQtransactionStatus(pset.db) == PQTRANS_INERROR ?
					   "ROLLBACK TO SAVEPOINT issuelist_complete" :
					   "RELEASE SAVEPOINT issuelist_complete"));
}

/* Offer the values of one kind (ORG, QUARTER...) or one literal word. */
static void
offer_kind(const char *kind, size_t len, const char *prefix, const char *text)
{
	char	   *k = xstrndup(kind, len);

	if (strcmp(k, "COMMAND") == 0)
	{
		int			n;
		const Command *cmds = command_table(&n);

		for (int i = 0; i < n; i++)
			offer(prefix, cmds[i].name, text);
	}
	else if (k[0] >= 'a' && k[0] <= 'z')
		offer(prefix, k, text);
	else
		for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
			if (strcmp(k, queries[i].kind) == 0)
				offer_query(queries[i].sql, queries[i].nparams, prefix, text, NULL);
	free(k);
}

/*
 * Offer every choice of a spec position such as "QUARTER|top|model", each
 * after the prefix.
 */
static void
offer_choices(const char *spec, size_t len, const char *prefix, const char *text)
{
	const char *end = spec + len;

	while (spec < end)
	{
		size_t		n = strcspn(spec, "|");

		if (spec + n > end)
			n = end - spec;
		offer_kind(spec, n, prefix, text);
		spec += n + 1;
	}
}

/* What follows a keyword, whatever the position. */
static const struct
{
	const char *keyword;
	const char *follows;
}			keyword_follows[] = {
	{"under", "ORG"}, {"model", "MODEL"}, {"by", "score|topsis|improvement"},
	{"level", "LEVEL"}, {"top", ""}, {"until", ""}, {"topic", "LIST"},
	{"title", "secretary|head"}, {"--pdf", "FILE"},
	{"format", "table|csv|json|markdown"}, {"pager", "on|off"},
	{"expanded", "on|off|auto"}, {"null", ""},
};

/* find's words (commands.c): a key's values after it, else the words. */
static void
offer_find(const char *text)
{
	int			n;
	const FindKey *keys = find_key_table(&n);
	int			k = find_key(text);

	if (k >= 0 && keys[k].values)
		offer_choices(keys[k].values, strlen(keys[k].values), keys[k].key, text);
	/* and the longer words it starts (severity> starts severity>=) */
	for (int i = 0; i < n; i++)
		if (i != k || keys[k].values == NULL)
			offer("", keys[i].key, text);
}

/* The spec of position pos ("ORG QUARTER" -> QUARTER for 1). */
static bool
spec_position(const char *spec, int pos, const char **start, size_t *len)
{
	const char *p = spec;
	int			i = 0;

	while (*p)
	{
		size_t		n = strcspn(p, " ");
		bool		repeats = n >= 3 && strncmp(p + n - 3, "...", 3) == 0;

		if (i == pos || (repeats && i <= pos))
		{
			*start = p;
			*len = repeats ? n - 3 : n;
			return true;
		}
		p += n;
		while (*p == ' ')
			p++;
		i++;
	}
	return false;
}

/* Gather the candidates for the word being typed. */
static void
gather(const char *text, char **words, int nwords)
{
	const Command *cmd;
	const char *spec;
	size_t		len;

	if (nwords == 0)
	{
		offer_kind("COMMAND", 7, "", text);
		return;
	}
	cmd = command_lookup(words[0], strlen(words[0]));
	if (cmd == NULL)
		return;
	if (strcmp(cmd->complete, "FIND") == 0)
	{
		offer_find(text);
		return;
	}
	if (strcmp(cmd->complete, "FILE") == 0)
		return;
	if (strcmp(cmd->name, "advance") == 0 && nwords == 2)
	{
		offer_query(next_states_sql, 2, "", text, words[1]);
		return;
	}
	for (size_t i = 0; i < sizeof(keyword_follows) / sizeof(keyword_follows[0]); i++)
		if (nwords >= 2 && strcmp(words[nwords - 1], keyword_follows[i].keyword) == 0)
		{
			offer_choices(keyword_follows[i].follows,
						  strlen(keyword_follows[i].follows), "", text);
			return;
		}
	if (spec_position(cmd->complete, nwords - 1, &spec, &len))
		offer_choices(spec, len, "", text);
}

/* readline's generator: hand out the gathered candidates one by one. */
static char *
generator(const char *text, int state)
{
	(void) text;
	(void) state;
	if (next_candidate < ncandidates)
		return xstrdup(candidates[next_candidate++]);
	return NULL;
}

/* Split the line before the word being completed into words. */
static int
words_before(int start, char **words, int max)
{
	int			n = 0;
	int			i = 0;

	while (i < start && n < max)
	{
		int			j;

		while (i < start && (rl_line_buffer[i] == ' ' || rl_line_buffer[i] == '\t'))
			i++;
		if (i >= start)
			break;
		j = i;
		while (j < start && rl_line_buffer[j] != ' ' && rl_line_buffer[j] != '\t')
			j++;
		words[n++] = xstrndup(rl_line_buffer + i, j - i);
		i = j;
	}
	return n;
}

/*
 * Whether position pos of a command's arguments is a file (attach CODE
 * FILE, evidence get ID FILE), which readline completes.
 */
static bool
file_position(const Command *cmd, int pos)
{
	const char *spec;
	size_t		len;

	return spec_position(cmd->complete, pos, &spec, &len) &&
		len == 4 && strncmp(spec, "FILE", 4) == 0;
}

/* Whether the word after words[nwords - 1] is a file (pack ... --pdf FILE). */
static bool
follows_file(char **words, int nwords)
{
	for (size_t i = 0; i < sizeof(keyword_follows) / sizeof(keyword_follows[0]); i++)
		if (nwords >= 2 && strcmp(words[nwords - 1], keyword_follows[i].keyword) == 0)
			return strcmp(keyword_follows[i].follows, "FILE") == 0;
	return false;
}

/* readline's entry point: our candidates, or files for FILE arguments. */
static char **
attempt_completion(const char *text, int start, int end)
{
	char	   *words[16];
	int			nwords = words_before(start, words, 16);
	char	  **matches = NULL;
	const Command *cmd;

	(void) end;
	cmd = nwords > 0 ? command_lookup(words[0], strlen(words[0])) : NULL;
	if (cmd && (strcmp(cmd->complete, "FILE") == 0 || file_position(cmd, nwords - 1) ||
				follows_file(words, nwords)))
	{
		for (int i = 0; i < nwords; i++)
			free(words[i]);
		return NULL;			/* readline completes file names */
	}
	rl_attempted_completion_over = 1;
	gather(text, words, nwords);
	/* keys such as org= are followed by their value, not a space */
	if (ncandidates == 1 && candidates[0][strlen(candidates[0]) - 1] == '=')
		rl_completion_append_character = '\0';
	else
		rl_completion_append_character = ' ';
	if (ncandidates > 0)
		matches = rl_completion_matches(text, generator);
	clear_candidates();
	for (int i = 0; i < nwords; i++)
		free(words[i]);
	return matches;
}

/* Hook completion into readline. */
void
complete_init(void)
{
	rl_attempted_completion_function = attempt_completion;
	/* words break at blanks only, so that org=Yiwu is one word */
	rl_completer_word_break_characters = " \t\n";
	rl_basic_word_break_characters = " \t\n";
}
