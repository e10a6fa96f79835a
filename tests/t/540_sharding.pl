# Scale-out with postgres_fdw (docs/scale-out.md): the issues, their history
# and their tolerance records partitioned by organization across two shard
# servers, each with the extension installed and holding only its cities'
# issues; a coordinator with the extension and postgres_fdw sees them as
# partitioned tables of foreign tables, declares the extension shippable,
# and freezes a quarter from the shards: each organization's tally is
# computed on its shard (partitionwise aggregation pushed down whole, as
# EXPLAIN VERBOSE shows), and the coordinator stores them as its rollup.
# Its rankings and scores then equal those of one server holding all the
# data, and every shard keeps the invariants.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use IssuelistFuzz qw(new_node sample_province);
use IssuelistInvariants qw(check_invariants);

my $db = 'postgres';
my $single = new_node('single');
my %shard = (a => new_node('shard_a'), b => new_node('shard_b'));
my $coord = new_node('coordinator', enable_partitionwise_aggregate => 'on',
	enable_partitionwise_join => 'on');

# One server with everything: the reference.
my $q = sample_province($single, $db, 6, 600, 540);

# The shards: the extension, the reference data (organizations, lists,
# policies, models: load_sample_province on each), and the issues of their
# cities: Hangzhou to Huzhou on shard a, Shaoxing to Lishui and the province
# itself on shard b.
my %orgs;
$orgs{a} = $single->safe_psql($db, q{
	SELECT string_agg(quote_literal(code), ',' ORDER BY code) FROM issuelist.org
	 WHERE code LIKE '33%' AND code < '330600' AND code <> '330000'});
$orgs{b} = $single->safe_psql($db, q{
	SELECT string_agg(quote_literal(code), ',' ORDER BY code) FROM issuelist.org
	 WHERE NOT (code LIKE '33%' AND code < '330600' AND code <> '330000')});

# Copy rows from the reference to a shard with COPY, as a move would.
sub copy_rows
{
	my ($to, $table, $select) = @_;
	my ($out, $err) = run_command([ 'psql', '-X', '-d', $single->connstr($db), '-c',
		"COPY ($select) TO STDOUT" ]);
	die $err if $err;
	my ($in, $err2) = ('', '');
	IPC::Run::run([ 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-d', $to->connstr($db), '-c',
		"COPY $table FROM STDIN" ], '<', \$out, '>', \$in, '2>', \$err2)
	  or die "COPY into $table: $err2";
	return;
}

my $shard_view = q{
	-- The shard's facts as of the end of every quarter (today for the
	-- current one): what the coordinator aggregates.  A plain view, so the
	-- coordinator can declare a foreign table over it.
	CREATE SCHEMA issuelist_shard;
	CREATE VIEW issuelist_shard.quarter_facts AS
		SELECT q.q, least(issuelist.upper(q.q), current_date) AS as_of, i.*
		  FROM issuelist.quarters('2000Q1', issuelist.quarter(current_date)) q
		 CROSS JOIN LATERAL issuelist.issues_as_of(least(issuelist.upper(q.q), current_date)) i;
};
for my $s (sort keys %shard)
{
	$shard{$s}->safe_psql($db, qq{
		SET client_min_messages = warning;
		CREATE EXTENSION issuelist CASCADE;
		SELECT issuelist.load_sample_province();
		$shard_view
	});
	copy_rows($shard{$s}, 'issuelist.official', "SELECT * FROM issuelist.official WHERE org IN ($orgs{$s})");
	copy_rows($shard{$s}, 'issuelist.issue', "SELECT * FROM issuelist.issue WHERE org IN ($orgs{$s})");
	copy_rows($shard{$s}, 'issuelist.issue_event', "SELECT * FROM issuelist.issue_event WHERE org IN ($orgs{$s})");
	copy_rows($shard{$s}, 'issuelist.tolerance', "SELECT * FROM issuelist.tolerance WHERE org IN ($orgs{$s})");
	copy_rows($shard{$s}, 'issuelist.issue_counter', 'SELECT * FROM issuelist.issue_counter');
	check_invariants($shard{$s}, $db, "shard $s");
}
my $issues = $single->safe_psql($db, 'SELECT count(*) FROM issuelist.issue');
is($shard{a}->safe_psql($db, 'SELECT count(*) FROM issuelist.issue')
	  + $shard{b}->safe_psql($db, 'SELECT count(*) FROM issuelist.issue'),
	$issues, "the $issues issues are split between the shards");
ok($shard{a}->safe_psql($db, 'SELECT count(*) FROM issuelist.issue') > 0
	  && $shard{b}->safe_psql($db, 'SELECT count(*) FROM issuelist.issue') > 0, 'each shard has issues');

# The coordinator: the extension with its reference data and no issues,
# postgres_fdw, one server per shard with the extension declared shippable,
# and partitioned tables whose partitions are the shards' tables.
my $partitions = '';
my $servers = '';
for my $s (sort keys %shard)
{
	my ($host, $port) = ($shard{$s}->host, $shard{$s}->port);
	$servers .= qq{
		CREATE SERVER shard_$s FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '$host', port '$port', dbname '$db', extensions 'issuelist',
					 fetch_size '10000');
		CREATE USER MAPPING FOR CURRENT_USER SERVER shard_$s;
	};
	$partitions .= qq{
		CREATE FOREIGN TABLE dist.issue_$s PARTITION OF dist.issue FOR VALUES IN ($orgs{$s})
			SERVER shard_$s OPTIONS (schema_name 'issuelist', table_name 'issue');
		CREATE FOREIGN TABLE dist.issue_event_$s PARTITION OF dist.issue_event FOR VALUES IN ($orgs{$s})
			SERVER shard_$s OPTIONS (schema_name 'issuelist', table_name 'issue_event');
		CREATE FOREIGN TABLE dist.quarter_facts_$s PARTITION OF dist.quarter_facts FOR VALUES IN ($orgs{$s})
			SERVER shard_$s OPTIONS (schema_name 'issuelist_shard', table_name 'quarter_facts');
	};
}
$coord->safe_psql($db, qq{
	SET client_min_messages = warning;
	CREATE EXTENSION issuelist CASCADE;
	CREATE EXTENSION postgres_fdw;
	SET search_path = issuelist, public;
	SELECT load_sample_province();
	$servers
	CREATE SCHEMA dist;
	CREATE TABLE dist.issue (id bigint, code text, list text, org text NOT NULL,
		severity severity, origin text, state issue_state, found_on date, due_on date,
		closed_on date, reopen_count integer, tolerated_until date) PARTITION BY LIST (org);
	CREATE TABLE dist.issue_event (id bigint, issue bigint, seq integer, org text NOT NULL,
		on_date date, event text, from_state issue_state, to_state issue_state,
		state issue_state) PARTITION BY LIST (org);
	CREATE TABLE dist.quarter_facts (q quarter, as_of date, code text, org text NOT NULL,
		list_position smallint, severity severity, origin text, state issue_state,
		found_on date, due_on date, closed_on date, reopen_count integer,
		tolerated boolean) PARTITION BY LIST (org);
	$partitions
});

# The issues and the history, seen whole from the coordinator.
is($coord->safe_psql($db, 'SELECT count(*) FROM dist.issue'), $issues,
	'the coordinator sees every issue');
is($coord->safe_psql($db, 'SELECT count(*) FROM dist.issue_event'),
	$single->safe_psql($db, 'SELECT count(*) FROM issuelist.issue_event'),
	'and every event of the history');
my $code = $single->safe_psql($db, q{SELECT code FROM issuelist.issue WHERE org = '330782' ORDER BY code LIMIT 1});
my $lookup = $coord->safe_psql($db, qq{EXPLAIN (VERBOSE, COSTS OFF)
	SELECT * FROM dist.issue WHERE org = '330782' AND code = '$code'});
like($lookup, qr/Remote SQL: SELECT .* WHERE .*code = '\Q$code\E'/, 'a lookup by organization and code goes to its shard with its condition');
unlike($lookup, qr/issue_a/, 'and only to that shard');

# The tally of each organization, aggregated on its shard.
my $tallies = qq{
	SELECT org, issuelist.tally(q, as_of, list_position, severity, origin, state,
								found_on, due_on, closed_on, reopen_count, tolerated) AS tally
	  FROM dist.quarter_facts
	 WHERE q = '$q'::issuelist.quarter
	 GROUP BY org
};
my $plan = $coord->safe_psql($db, "SET search_path = issuelist, public; EXPLAIN (VERBOSE, COSTS OFF) $tallies");
my @pushed = $plan =~ /Remote SQL: (SELECT org, issuelist\.tally\(.*? GROUP BY .*)$/mg;
note($plan);
is(scalar @pushed, 2, 'EXPLAIN: the tally aggregation runs on each shard (partitionwise, pushed down whole)')
  or diag($plan);
unlike($plan, qr/^\s*(Finalize |Partial )?(Hash|Group)Aggregate/m, 'EXPLAIN: no aggregation left on the coordinator');
my $serial = $coord->safe_psql($db,
	"SET search_path = issuelist, public; SET enable_partitionwise_aggregate = off; EXPLAIN (VERBOSE, COSTS OFF) $tallies");
like($serial, qr/Aggregate/, 'EXPLAIN: without partitionwise aggregation the coordinator aggregates the rows itself')
  or diag($serial);

# The coordinator publishes the quarter from the shards: one revision, the
# tallies computed remotely, the header with their count in the same
# statement (what is published is never updated), then what a publication
# stores beside its rollup (publish_context).
$coord->safe_psql($db, qq{
	SET search_path = issuelist, public;
	BEGIN;
	WITH t AS ($tallies),
	header AS (
		INSERT INTO quarter_freeze (q, revision, as_of, issues)
			SELECT '$q', 1, upper('$q'::quarter), coalesce(sum(tally_count(t.tally, 'issues')), 0) FROM t)
	INSERT INTO rollup (q, revision, org, tally, computed_at)
		SELECT '$q', 1, t.org, t.tally, now() FROM t;
	SELECT publish_context('$q', 1, upper('$q'::quarter));
	COMMIT;
});

# The same tallies, rankings and scores as the single server.
my $own = q{SELECT string_agg(org || ' ' || tally::text, E'\n' ORDER BY org) FROM issuelist.org_tallies('%s')};
is($coord->safe_psql($db, sprintf($own, $q)), $single->safe_psql($db, sprintf($own, $q)),
	"each organization's tally of $q from the shards equals the single server's");
for my $level (qw(county city))
{
	my $ranking = qq{SELECT string_agg(format('%s %s %s %s %s %s %s %s %s', org, rank, round(score::numeric, 9),
		round(deductions::numeric, 9), round(on_time_lower::numeric, 9), open, overdue, veto, top_ten), E'\n' ORDER BY rank, org)
		FROM issuelist.ranking('$q', level => '$level')};
	my $expected = $single->safe_psql($db, $ranking);
	is($coord->safe_psql($db, $ranking), $expected, "the $level ranking of $q on the coordinator equals the single server's");
	ok(scalar(() = $expected =~ /\n/g) >= 10, "($level ranking: @{[ 1 + scalar(() = $expected =~ /\n/g) ]} rows)");
}
my $scores = qq{SELECT string_agg(code || ' ' || round(issuelist.score(code, '$q')::numeric, 9), E'\n' ORDER BY code)
	FROM issuelist.org};
is($coord->safe_psql($db, $scores), $single->safe_psql($db, $scores),
	"the score of every organization (county, city, province) in $q equals the single server's");

$_->stop for $single, $coord, values %shard;
done_testing();
