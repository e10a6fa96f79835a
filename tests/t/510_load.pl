# Load: dozens of pgbench clients register, advance, extend and tolerate
# issues of the same four counties at once, as one city office (row
# security applies), while the province freezes the quarter again and
# again.  Afterwards: no lost or phantom event (the history holds exactly
# one event per successful call, counted in the same transactions), every
# history follows the transition table, every issue stands as its last
# event left it, the final freeze's scores equal the scores computed from
# the issues, and every refusal is one the workflow documents for a race.
#
# make test runs 24 clients for 20 seconds; make load (tests/load/run) sets
# ISSUELIST_LOAD_SECONDS and ISSUELIST_LOAD_CLIENTS and prints the figures.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use IssuelistFuzz qw(new_node server_survived);
use IssuelistInvariants qw(check_invariants check_scores);

my $seconds = $ENV{ISSUELIST_LOAD_SECONDS} // 20;
my $clients = $ENV{ISSUELIST_LOAD_CLIENTS} // 24;
my $long = $ENV{ISSUELIST_LOAD_SECONDS} || $ENV{ISSUELIST_FIGURES};
my $say = sub { $long ? diag(@_) : note(@_) };
my $scripts = "$ENV{ISSUELIST_TOP}/tests/load";

my $node = new_node('load', max_connections => $clients + 20,
	shared_buffers => '64MB', fsync => 'on');
my $db = 'postgres';
my $load_day = $node->safe_psql($db,
	"SELECT (date_trunc('quarter', current_date) - interval '3 days')::date");
$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', "load_day=$load_day",
	'-d', $node->connstr($db), '-f', "$scripts/setup.sql" ], 'load set-up');

# Some issues to work on from the first second.
$node->safe_psql($db, 'SELECT load.register() FROM generate_series(1, 200)',
	extra_params => [ '-U', 'load_city_office' ]);

# pgbench: the clients as the city office, one more client as the province
# freezing the quarter about twice a second, side by side for the same time.
my @common = ('-n', '-h', $node->host, '-p', $node->port, '-T', $seconds, $db);
my ($out, $err, $fout, $ferr) = ('', '', '', '');
my $freezer = IPC::Run::start([ 'pgbench', @common, '-c', 1, '-R', 2, '-f', "$scripts/freeze.sql" ],
	'>', \$fout, '2>', \$ferr);
my $ok = IPC::Run::run([ 'pgbench', @common, '-U', 'load_city_office', '-c', $clients, '-j', 2,
		'-f', "$scripts/register.sql\@2", '-f', "$scripts/advance.sql\@10",
		'-f', "$scripts/extend.sql\@2", '-f', "$scripts/tolerate.sql\@1" ],
	'>', \$out, '2>', \$err);
my $freeze_ok = $freezer->finish;
ok($ok, "pgbench: $clients clients for $seconds s, no client aborted") or diag($err);
ok($freeze_ok, 'pgbench: the freezing client ran throughout') or diag($ferr);

my ($tps) = $out =~ /^tps = ([\d.]+)/m;
my ($done) = $out =~ /^number of transactions actually processed: (\d+)/m;
my ($failed) = $out =~ /^number of failed transactions: (\d+)/m;
my ($freezes) = $fout =~ /^number of transactions actually processed: (\d+)/m;
ok($done && $done > 0, 'transactions were processed');
is($failed // 0, 0, 'no transaction failed');
$say->(sprintf('load: %d clients, %d s: %d transactions, %.1f tps, %d freezes meanwhile',
	$clients, $seconds, $done // 0, $tps // 0, $freezes // 0));

# What happened, by kind and SQLSTATE.
my $calls = $node->safe_psql($db, q{
	SELECT kind || ' ok ' || count(*) FROM load.ledger GROUP BY kind
	UNION ALL
	SELECT kind || ' refused ' || sqlstate || ' ' || count(*) FROM load.refusal GROUP BY kind, sqlstate
	ORDER BY 1
});
$say->("  $_") for split /\n/, $calls;
$say->('  history: ' . $node->safe_psql($db, q{
	SELECT (SELECT count(*) FROM issuelist.issue) || ' issues, '
		|| (SELECT count(*) FROM issuelist.issue_event) || ' events'}));

# A refusal is one the workflow documents for a race or a forbidden step:
# the loop does not allow the step from the state found (IL001), the step
# from the state found is the other hand's (42501: the office took the
# editor's or the verifier's hand by the state it saw, and another client
# moved the issue meanwhile, say from continuing to rectified, where going
# to rectifying is the verifier's refusal of acceptance), an extension that
# is not later than the due day another client just set (IL007), or an
# extension or tolerance of an issue another client just closed (IL009).
my $unexpected = $node->safe_psql($db, q{
	SELECT string_agg(DISTINCT kind || ' ' || sqlstate || ': ' || message, E'\n')
	  FROM load.refusal
	 WHERE (kind, sqlstate) NOT IN (('transition', 'IL001'), ('extension', 'IL007'),
									('extension', 'IL009'), ('tolerance', 'IL009'))
	   AND NOT (kind = 'transition' AND sqlstate = '42501'
				AND message ~ '^login "load_(editor|verifier)" may not (refuse acceptance of an issue|move an issue from \w+ to rectifying)$')
});
is($unexpected, '', 'every refusal is a documented race or forbidden step');

# No lost event, no phantom event: per issue and kind, the events in the
# history equal the successful calls.
is($node->safe_psql($db, q{
	SELECT count(*)
	  FROM (SELECT i.code, e.event, count(*) AS n
			  FROM issuelist.issue_event e JOIN issuelist.issue i ON i.id = e.issue
			 GROUP BY i.code, e.event) h
	  FULL JOIN (SELECT code, kind AS event, count(*) AS n FROM load.ledger
				  GROUP BY code, kind) l USING (code, event)
	 WHERE h.n IS DISTINCT FROM l.n
}), '0', 'every successful call is exactly one event of the history');

check_invariants($node, $db, 'after the load');

# The final freeze, then its scores against the issues.
my $q = $node->safe_psql($db, 'SELECT issuelist.quarter(load_day) FROM load.setting');
$node->safe_psql($db, "SELECT issuelist.freeze_quarter('$q', 'the load is over')");
check_scores($node, $db, $q, 'after the load');
is($node->safe_psql($db, "SELECT count(DISTINCT revision) FROM issuelist.quarter_freeze WHERE q::text = '$q'"),
	($freezes // 0) + 1, 'every freeze during the load made its own revision');
server_survived($node, 'load');

$node->stop;
done_testing();
