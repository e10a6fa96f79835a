# Many sessions advancing the same issues at once.  The row lock makes them
# take turns: a session that read a stale state is refused (IL001) instead
# of skipping the loop, and no event is lost.  At the end every issue's
# state is the last event of its history, and every history follows the
# transition table.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $issues = 20;
my $node = PostgreSQL::Test::Cluster->new('main');
$node->init;
$node->append_conf('postgresql.conf', 'max_connections = 30');
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE loop');
$node->safe_psql('loop', qq{
	SET client_min_messages = warning;
	CREATE EXTENSION issuelist CASCADE;
	SET search_path = issuelist, public;
	SELECT add_org('330000', 'Zhejiang', NULL, 'province');
	SELECT add_org('330106', 'Xihu', '330000', 'county');
	SELECT register_issue('audit', '330106', 'major', 'issue ' || n, '2021-05-01')
	  FROM generate_series(1, $issues) n;

	-- What the clients did, as they saw it (in their own transactions).
	CREATE TABLE public.step_log (code text, to_state issue_state);
	CREATE TABLE public.refusal_log (code text, to_state issue_state);

	-- A client's step: read the state without a lock, pick a next state the
	-- loop allows (never withdrawn, so issues keep moving), dawdle so that
	-- others can get there first, then advance.
	CREATE FUNCTION public.random_step(n integer) RETURNS text
		LANGUAGE plpgsql AS \$\$
	DECLARE
		c text := issuelist.issue_code('AUD', 2021, n);
		s issuelist.issue_state;
		t issuelist.issue_state;
	BEGIN
		SELECT i.state INTO s FROM issuelist.issue i WHERE i.code = c;
		SELECT x INTO t
		  FROM unnest('{assigned,rectifying,continuing,rectified,closed,reopened}'::issuelist.issue_state[]) x
		 WHERE issuelist.can_advance(s, x) ORDER BY random() LIMIT 1;
		PERFORM pg_sleep(random() * 0.003);
		BEGIN
			PERFORM issuelist.advance(c, t, 'pgbench', '2021-06-01');
		EXCEPTION WHEN SQLSTATE 'IL001' THEN
			INSERT INTO public.refusal_log VALUES (c, t);
			RETURN 'refused';
		END;
		INSERT INTO public.step_log VALUES (c, t);
		RETURN 'ok';
	END \$\$;

	-- The same with a fixed target, for the race below.
	CREATE FUNCTION public.try_advance(c text, t issuelist.issue_state) RETURNS text
		LANGUAGE plpgsql AS \$\$
	BEGIN
		PERFORM issuelist.advance(c, t, NULL, '2021-05-02');
		RETURN 'ok';
	EXCEPTION WHEN SQLSTATE 'IL001' THEN
		RETURN SQLSTATE || ': ' || SQLERRM;
	END \$\$;
});

# Two sessions, one step: the second waits for the first one's row lock,
# then sees the new state and is refused.
my $first = $node->background_psql('loop');
my $second = $node->background_psql('loop');
my $code = 'AUD-2021-000001';
$first->query_safe("BEGIN; SELECT issuelist.advance('$code', 'assigned', 'first', '2021-05-02');");
$second->query_until(qr/waiting/, "\\echo waiting\nSELECT public.try_advance('$code', 'assigned');\n");
ok( $node->poll_query_until('loop',
		q{SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%try_advance%'},
		'1'),
	'the second session waits for the row lock');
is($node->safe_psql('loop', "SELECT state FROM issuelist.issue WHERE code = '$code'"),
	'registered', 'nothing is visible before the first one commits');
$first->query_safe('COMMIT');
my $result = $second->query_safe("SELECT 'done'");
like($result, qr/^IL001: issue \Q$code\E cannot go from assigned to assigned\ndone$/,
	'then it sees the new state, and is refused');
$first->quit;
$second->quit;
is($node->safe_psql('loop',
		"SELECT string_agg(coalesce(from_state::text, '-') || '>' || to_state, ' ' ORDER BY day)
		   FROM issuelist.history('$code')"),
	'->registered registered>assigned', 'one step recorded, once');

# An import inserts a chunk of rows without the foreign keys' row-by-row
# checks and locks each organization, list and official its rows name
# FOR KEY SHARE, once (register_numbered): as with the checks, a deletion
# of the organization and an import into it take turns, and neither
# leaves an issue whose organization is gone.
$node->safe_psql('loop', q{
	SELECT issuelist.add_org('330197', 'Spare one', '330000', 'county');
	SELECT issuelist.add_org('330198', 'Spare two', '330000', 'county');
});
my $import_into = sub {
	my ($org) = @_;
	return "BEGIN; SELECT issuelist.import_stage();
		INSERT INTO pg_temp.issuelist_import (line, list, org, severity, title, found_on)
			SELECT n + 1, 'audit', '$org', 'general', 'imported ' || n, '2021-06-01'
			  FROM generate_series(1, 3) n;\n";
};
# The first session runs its statements and holds its transaction open;
# the second's statements, the last of which names the function or table
# it waits on, must wait for it until it commits; returns what the second
# then said on stderr.
my $take_turns = sub {
	my ($first, $first_sql, $second, $second_sql, $waits_on, $waits) = @_;
	$first->query_safe($first_sql);
	$second->query_until(qr/started/, "\\echo started\n$second_sql\n");
	ok( $node->poll_query_until('loop',
			qq{SELECT count(*) FROM pg_stat_activity
			    WHERE wait_event_type = 'Lock' AND query LIKE '%$waits_on%'},
			'1'),
		$waits);
	$first->query_safe('COMMIT');
	$second->query("SELECT 'after'");
	my $said = $second->{stderr};
	$second->{stderr} = '';
	return $said;
};
# (sessions that go on after an error)
my $deleter = $node->background_psql('loop', on_error_stop => 0);
my $importer = $node->background_psql('loop', on_error_stop => 0);
like($take_turns->($deleter, "BEGIN; DELETE FROM issuelist.org WHERE code = '330197';",
		$importer, $import_into->('330197') . "SELECT count(*) FROM issuelist.import_apply('2021-06-01');",
		'import_apply',
		'an import into an organization being deleted waits for the deletion'),
	qr/line 2: .*330197/, 'then it finds the organization gone and names the first line');
$importer->query_safe('COMMIT');
is($node->safe_psql('loop', q{SELECT count(*) FROM issuelist.issue WHERE org = '330197'}),
	'0', 'no issue of the deleted organization is left');
like($take_turns->($importer, $import_into->('330198') . "SELECT count(*) FROM issuelist.import_apply('2021-06-01');",
		$deleter, "DELETE FROM issuelist.org WHERE code = '330198';", 'DELETE FROM issuelist.org',
		'a deletion of an organization an import is filling waits for the import'),
	qr/violates foreign key constraint/, 'then it finds the imported issues and is refused');
is($node->safe_psql('loop', q{SELECT count(*) FROM issuelist.issue WHERE org = '330198'}),
	'3', 'the imported issues keep their organization');
$deleter->quit;
$importer->quit;

# Eight clients, 1600 transactions: random steps on the same 20 issues, and
# registrations of new issues on the side.
$node->pgbench(
	'--no-vacuum --client=8 --jobs=2 --transactions=200',
	0,
	[qr/number of transactions actually processed: 1600/],
	[qr/^$/],
	'pgbench: 8 clients advancing the same issues',
	{
		'120_step@9' => "\\set n random(1, $issues)\nSELECT public.random_step(:n);\n",
		'120_register@1' => "SELECT issuelist.register_issue('supervision', '330106', 'general', 'concurrent', '2021-06-01');\n",
	},
	'loop');

my $check = sub { $node->safe_psql('loop', 'SET search_path = issuelist, public; ' . shift) };
my $steps = $check->(q{SELECT count(*) FROM public.step_log});
my $refusals = $check->(q{SELECT count(*) FROM public.refusal_log});
cmp_ok($steps, '>', 500, "many steps were taken ($steps)");
cmp_ok($refusals, '>', 0, "sessions raced each other: $refusals stale steps were refused");
is($check->(q{SELECT count(*) FROM issue_event WHERE note = 'pgbench'}), $steps,
	'every step taken is one event: none lost, none invented');
is($check->(q{
	SELECT count(*) FROM (SELECT code, to_state, count(*) FROM public.step_log GROUP BY 1, 2) s
	  FULL JOIN (SELECT i.code, e.to_state, count(*) FROM issue_event e JOIN issue i ON i.id = e.issue
				  WHERE e.note = 'pgbench' GROUP BY 1, 2) e USING (code, to_state)
	 WHERE s.count IS DISTINCT FROM e.count}), 0, 'the same steps, issue by issue');
is($check->(q{
	SELECT count(*) FROM issue i
	  JOIN LATERAL (SELECT * FROM issue_event e WHERE e.issue = i.id ORDER BY e.seq DESC LIMIT 1) e ON true
	 WHERE (i.state, i.closed_on, i.reopen_count) IS DISTINCT FROM (e.state, e.closed_on, e.reopen_count)}),
	0, 'every issue\'s state is the last event of its history');
is($check->(q{
	SELECT count(*) FROM (
		SELECT e.*, row_number() OVER w AS n, lag(e.state) OVER w AS before
		  FROM issue_event e WINDOW w AS (PARTITION BY e.issue ORDER BY e.seq)) e
	 WHERE e.seq <> e.n
		OR (e.event = 'transition' AND (e.from_state <> e.before OR NOT can_advance(e.before, e.to_state)))}),
	0, 'every history follows the transition table, with no gap');
is($check->(q{SELECT count(*) FROM issue i WHERE i.reopen_count <>
	(SELECT count(*) FROM issue_event e WHERE e.issue = i.id AND e.to_state = 'reopened')}),
	0, 'reopen counts match the history');
is($check->(q{SELECT count(*) - count(DISTINCT code) FROM issue}), 0, 'issue codes are unique');
my $registered = $check->(q{SELECT count(*) FROM issue WHERE list = 'supervision'});
cmp_ok($registered, '>', 0, "issues were registered meanwhile ($registered)");
is($check->(q{SELECT last_number FROM issue_counter WHERE list = 'supervision' AND year = 2021}),
	$registered, 'their numbers have no gap');

done_testing();
