/*
 * watch.c
 *		watch [ORG]: LISTEN issuelist_events and print each event as it is
 *		announced, until Ctrl-C; then UNLISTEN and back to the prompt.
 *
 * The extension announces every event it records with its id as the
 * payload (docs/daily-work.md, "Notifications"); the client reads the
 * event through row security, so a login sees only the events of issues it
 * may read, and with ORG only those of ORG's subtree.  The wait is a
 * select() on the connection's socket with a one-second timeout, so that
 * Ctrl-C (which sets cancel_pressed, exec.c) ends it at once or within a
 * second.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "settings.h"
#include "util.h"
#include "exec.h"
#include "watch.h"

/*
 * Print one announced event: code, organization, event, new state, actor,
 * day.  False when the event could not be read (the query failed).
 */
static bool
print_event(const char *id, const char *org, FILE *f)
{
	static const char sql[] =
		"SELECT i.code, i.org, e.event, e.state, e.actor, e.on_date"
		"  FROM issuelist.issue_event e JOIN issuelist.issue i ON i.id = e.issue"
		" WHERE e.id = $1::bigint"
		"   AND ($2::text IS NULL OR i.org IN (SELECT issuelist.subtree($2)))";
	const char *v[2] = {id, org};
	PGresult   *res = exec_params(sql, 2, v);

	if (res == NULL)
		return false;
	for (int r = 0; r < PQntuples(res); r++)
		fprintf(f, "%s  %s  %s  %s  %s  %s\n", PQgetvalue(res, r, 0),
				PQgetvalue(res, r, 1), PQgetvalue(res, r, 2), PQgetvalue(res, r, 3),
				PQgetvalue(res, r, 4), PQgetvalue(res, r, 5));
	fflush(f);
	PQclear(res);
	return true;
}

/* watch [ORG] */
CmdStatus
watch_events(const char *org)
{
	FILE	   *f = pset.queryout ? pset.queryout : stdout;
	char	   *code = NULL;
	CmdStatus	status = CMD_OK;
	bool		done = false;

	if (pset.db == NULL)
	{
		client_error("not connected to a database");
		return CMD_ERROR;
	}
	if (PQtransactionStatus(pset.db) != PQTRANS_IDLE)
	{
		client_error("watch: not inside a transaction (events are announced when theirs commit)");
		return CMD_ERROR;
	}
	if (org)
	{
		PGresult   *res = exec_params("SELECT issuelist.org_code($1)", 1, &org);

		if (res == NULL)
			return CMD_ERROR;
		code = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	if (!exec_ok("LISTEN issuelist_events"))
	{
		free(code);
		return CMD_ERROR;
	}
	if (!pset.quiet)
	{
		fprintf(f, "Watching the events%s%s; Ctrl-C stops.\n", code ? " of " : "",
				code ? code : "");
		fprintf(f, "code  org  event  state  actor  day\n");
		fflush(f);
	}
	cancel_pressed = 0;
	while (!done && !cancel_pressed)
	{
		int			sock = PQsocket(pset.db);
		fd_set		fds;
		struct timeval tv = {1, 0};
		PGnotify   *n;

		if (sock < 0)
		{
			client_error("watch: the connection is gone");
			status = CMD_ERROR;
			break;
		}
		FD_ZERO(&fds);
		FD_SET(sock, &fds);
		if (select(sock + 1, &fds, NULL, NULL, &tv) < 0 && errno != EINTR)
		{
			client_error("watch: select() failed: %s", strerror(errno));
			status = CMD_ERROR;
			break;
		}
		if (cancel_pressed)
			break;
		if (!PQconsumeInput(pset.db))
		{
			client_error("watch: %s", PQerrorMessage(pset.db));
			status = CMD_ERROR;
			break;
		}
		while ((n = PQnotifies(pset.db)) != NULL)
		{
			/* a Ctrl-C during the event's query cancels it: stop */
			if (!done && strcmp(n->relname, "issuelist_events") == 0 &&
				!print_event(n->extra, code, f))
			{
				status = CMD_ERROR;
				done = true;
			}
			PQfreemem(n);
		}
	}
	cancel_pressed = 0;
	free(code);
	if (exec_connection_lost() || !exec_ok("UNLISTEN issuelist_events"))
		return CMD_ERROR;
	/* notifications that came before the UNLISTEN took effect */
	{
		PGnotify   *n;

		while ((n = PQnotifies(pset.db)) != NULL)
			PQfreemem(n);
	}
	return status;
}
