# The snapshot probes of one query (issue_snapshot_on, extension/snapshot.c)
# start from the leaf page of the history's index where the last probe
# ended, or a page right of it, when that page holds all of the issue's
# entries (index_walk.c).  Here other sessions add events while the probes
# run: leaf pages split under the cursor, entries move right, new entries
# sit on table pages not yet all-visible.  Every probe of a query must
# still give what the definition (the last event by the day, read by SQL
# in the same query) gives under the query's snapshot.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistFuzz qw(new_node sample_province);

my $node = new_node('cursor', max_connections => 30);
my $db = 'postgres';
sample_province($node, $db, 3, 300, 11);
$node->safe_psql($db, q{
	VACUUM issuelist.issue_event;
	CREATE TABLE public.checked (probes bigint, day date);

	-- A probe of every issue in ascending order, as of the day, against
	-- the definition in the same statement; an error names a disagreement.
	CREATE FUNCTION public.probe_check(day date) RETURNS bigint
		LANGUAGE plpgsql SET search_path = issuelist, public AS $$
	DECLARE
		probes bigint;
		differ bigint;
	BEGIN
		SELECT count(*),
			   count(*) FILTER (WHERE ((o.x).state, (o.x).due_on, (o.x).closed_on,
									   (o.x).reopen_count, (o.x).tolerated_until)
									  IS DISTINCT FROM
									  (s.state, s.due_on, s.closed_on, s.reopen_count, s.tolerated_until))
		  INTO probes, differ
		  FROM (SELECT i.id FROM issuelist.issue i ORDER BY i.id OFFSET 0) i
		 CROSS JOIN LATERAL (SELECT issuelist.issue_snapshot_on(i.id, day) AS x) o
		  LEFT JOIN LATERAL (SELECT ev.state, ev.due_on, ev.closed_on, ev.reopen_count,
									ev.tolerated_until
							   FROM issuelist.issue_event ev
							  WHERE ev.issue = i.id AND (ev.on_date <= day OR ev.seq = 1)
							  ORDER BY ev.seq DESC LIMIT 1) s ON true;
		IF differ > 0 THEN
			RAISE EXCEPTION '% of % probes as of % differ from the definition', differ, probes, day;
		END IF;
		INSERT INTO public.checked VALUES (probes, day);
		RETURN probes;
	END $$;

	-- Another session's step: a later due day for an open issue drawn at
	-- random, effective today (refused, and passed over, when a session
	-- extended it further between the read and the lock).
	CREATE FUNCTION public.extend_one(n integer) RETURNS date
		LANGUAGE plpgsql AS $$
	DECLARE
		c text;
		due date;
	BEGIN
		SELECT i.code, i.due_on INTO c, due
		  FROM issuelist.issue i
		 WHERE issuelist.is_open(i.state)
		 ORDER BY i.id OFFSET n % (SELECT count(*) FROM issuelist.issue
									WHERE issuelist.is_open(state)) LIMIT 1;
		RETURN issuelist.extend_deadline(c, due + 1, 'race ' || n);
	EXCEPTION WHEN SQLSTATE 'IL007' THEN
		RETURN NULL;
	END $$;
});

my $sql = sub { $node->safe_psql($db, "SET search_path = issuelist, public; $_[0]") };
my $before = $sql->('SELECT pg_relation_size(\'issue_event_seq\') / 8192');
my $issues = $sql->('SELECT count(*) FROM issue');
ok($sql->('SELECT public.probe_check(current_date)') == $issues,
	"alone: every one of the $issues issues probed agrees with the definition");

my $past = $sql->('SELECT lower(quarter(current_date) - 2) + 30');
# Six clients, 2400 transactions: three in four extend an issue (rolled
# back one time in ten), one in four probes every issue as of today, the
# day before, or a day of the sample's first quarter.
$node->pgbench(
	'--no-vacuum --client=6 --jobs=2 --transactions=400',
	0,
	[qr/number of transactions actually processed: 2400/],
	[qr/^$/],
	'pgbench: probes while other sessions add events, none differs',
	{
		'126_extend@27' => "\\set n random(1, 100000)\nSELECT public.extend_one(:n);\n",
		'126_rolled_back@3' => "\\set n random(1, 100000)\nBEGIN;\nSELECT public.extend_one(:n);\nROLLBACK;\n",
		'126_probe@10' => "\\set back random(0, 1)\nSELECT public.probe_check(current_date - :back);\n",
		'126_probe_past@2' => "SELECT public.probe_check('$past');\n",
	},
	$db);

my $after = $sql->('SELECT pg_relation_size(\'issue_event_seq\') / 8192');
cmp_ok($after, '>', $before, "the index grew from $before to $after pages meanwhile (leaf pages split)");
my $extensions = $sql->(q{SELECT count(*) FROM issue_event WHERE note LIKE 'race %'});
cmp_ok($extensions, '>', 1000, "other sessions added $extensions events");
my $checks = $sql->('SELECT count(*) FROM public.checked WHERE probes > 0');
cmp_ok($checks, '>', 300, "many queries probed every issue while others wrote ($checks)");
ok($sql->('SELECT public.probe_check(current_date) = count(*) FROM issue') eq 't',
	'after them, every probe agrees with the definition');

done_testing();
