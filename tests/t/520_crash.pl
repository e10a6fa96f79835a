# Crashes: the server is killed with SIGKILL in the middle of a client
# import (every process of the server at once, as a power cut would stop
# them) and in the middle of freeze_quarter (its backend only: the
# postmaster then resets every session and recovers, as after any backend
# crash).  After each restart: every transaction that was acknowledged is
# there, nothing of the interrupted import or freeze is visible, the data
# from before is unchanged, the invariants hold, and the database goes on
# working (the next issue code and the next revision follow on).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep time);
use IssuelistFuzz qw(new_node sample_province);
use IssuelistInvariants qw(check_invariants check_scores);
use IssuelistWire;

my $node = new_node('crash', restart_after_crash => 'on');
my $db = 'postgres';
my $q = sample_province($node, $db, 7, 3000, 11);
$node->safe_psql($db, "SET search_path = issuelist, public; SELECT freeze_quarter('$q')");

# What was there before: a digest of every row of the history, the issues,
# the tolerance records and the rollup.
my $digest_sql = q{
	SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
		SELECT e::text AS x FROM issuelist.issue_event e
		UNION ALL SELECT i::text FROM issuelist.issue i
		UNION ALL SELECT t::text FROM issuelist.tolerance t
		UNION ALL SELECT r::text FROM issuelist.rollup r
		UNION ALL SELECT f::text FROM issuelist.quarter_freeze f) s
};
my $before = $node->safe_psql($db, $digest_sql);
my $issues_before = $node->safe_psql($db, 'SELECT count(*) FROM issuelist.issue');

# Every process of the server, postmaster first so that it restarts none.
sub kill_server
{
	my ($node) = @_;
	my $postmaster = $node->{_pid};
	my @children;
	for my $stat (glob('/proc/[0-9]*/stat'))
	{
		# A process may end while we look: skip what cannot be read.
		open(my $fh, '<', $stat) or next;
		my @field = split ' ', (<$fh> // '');
		push @children, $field[0] if @field > 3 && $field[3] == $postmaster;
	}
	$node->kill9;
	kill 'KILL', @children;
	usleep(100_000) while grep { kill 0, $_ } @children;
	return;
}

# Wait until a statement matching $pattern is running (and waiting for a
# lock, when $waiting), and return its pid.
sub wait_for_statement
{
	my ($node, $pattern, $waiting) = @_;
	my $lock = $waiting ? "AND wait_event_type = 'Lock'" : '';
	for (1 .. 600)
	{
		my $pid = $node->safe_psql($db, qq{
			SELECT pid FROM pg_stat_activity
			 WHERE state = 'active' AND query ~ '$pattern' $lock AND pid <> pg_backend_pid() LIMIT 1});
		return $pid if $pid;
		usleep(50_000);
	}
	return undef;
}

# --- 1. An import, and acknowledged registrations beside it ---------------

my $dir = PostgreSQL::Test::Utils::tempdir;
open my $csv, '>', "$dir/big.csv" or die $!;
print $csv "list,org,severity,title,found_on,origin\n";
my @counties = qw(330102 330105 330106 330108 330109 330110);
for my $n (1 .. 200000)
{
	printf $csv "%s,%s,%s,crash-test import %d,2025-%02d-%02d,self\n",
	  (qw(audit safety inspection))[ $n % 3 ], $counties[ $n % 6 ],
	  (qw(general serious major critical))[ $n % 4 ], $n, 1 + $n % 12, 1 + $n % 28;
}
close $csv;

my ($iout, $ierr) = ('', '');
my $import = IPC::Run::start([ $ENV{ISSUELIST_CLIENT}, $node->connstr($db), '-c', "import $dir/big.csv" ],
	'<', \undef, '>', \$iout, '2>', \$ierr);
ok(wait_for_statement($node, 'import_apply'), 'the import is registering its rows');

# Registrations, each committed and acknowledged, until the crash.
my $wire = IssuelistWire->connect(host => $node->host, port => $node->port,
	user => scalar getpwuid($<), db => $db);
$wire->prepare(q{SELECT issuelist.register_issue('audit', '330106', 'major', 'acknowledged before the crash',
	current_date - 1)}, []);
my @acknowledged;
my $until = time() + 0.3;
while (time() < $until && @acknowledged < 200)
{
	my $r = $wire->run_many([ [] ], 0)->[0];
	push @acknowledged, $r->{rows}[0][0] if $r->{ok};
}
ok(@acknowledged > 10, scalar(@acknowledged) . ' registrations acknowledged during the import');
my $import_done = !$import->pumpable;
kill_server($node);
$import->finish;
my $import_exit = $? >> 8;
ok(!$import_done && $import_exit != 0, "the crash interrupted the import (client exit $import_exit)")
  or diag("import finished before the crash: make the file larger\n$iout$ierr");
like($ierr, qr/connection|server closed|terminat/i, 'the client says the connection was lost');
$wire->close;

$node->start;
is($node->safe_psql($db, 'SELECT count(*) FROM issuelist.issue WHERE code = ANY (ARRAY[' .
	join(',', map { "'$_'" } @acknowledged) . '])'), scalar @acknowledged,
	'after the import crash: every acknowledged registration is there');
is($node->safe_psql($db, q{SELECT count(*) FROM issuelist.issue WHERE title LIKE 'crash-test import%'}),
	'0', 'after the import crash: nothing of the interrupted import is visible');
is($node->safe_psql($db, 'SELECT count(*) FROM issuelist.issue'), $issues_before + @acknowledged,
	'after the import crash: no issue more, none fewer');
is($node->safe_psql($db, qq{
	SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (
		SELECT e::text AS x FROM issuelist.issue_event e
		 WHERE e.issue NOT IN (SELECT id FROM issuelist.issue WHERE title = 'acknowledged before the crash')
		UNION ALL SELECT i::text FROM issuelist.issue i WHERE i.title <> 'acknowledged before the crash'
		UNION ALL SELECT t::text FROM issuelist.tolerance t
		UNION ALL SELECT r::text FROM issuelist.rollup r
		UNION ALL SELECT f::text FROM issuelist.quarter_freeze f) s}), $before,
	'after the import crash: the data from before is unchanged, row for row');
check_invariants($node, $db, 'after the import crash');

# The next registration follows on with a new code, and an import goes
# through whole.
my $next = $node->safe_psql($db, q{SELECT issuelist.register_issue('audit', '330106', 'major', 'after the crash', current_date - 1)});
ok(!grep({ $_ eq $next } @acknowledged), "the next registration gets a new code ($next)");
system("head -n 501 $dir/big.csv > $dir/small.csv") == 0 or die;
my $ok = IPC::Run::run([ $ENV{ISSUELIST_CLIENT}, $node->connstr($db), '-q', '-c', "import $dir/small.csv" ],
	'<', \undef, '>', \$iout, '2>', \$ierr);
ok($ok, 'an import after the crash succeeds') or diag($ierr);
is($node->safe_psql($db, q{SELECT count(*) FROM issuelist.issue WHERE title LIKE 'crash-test import%'}),
	'500', 'and brings in all its 500 rows');

# --- 2. A freeze, killed while it runs, and one killed before its commit ---

my $frozen_before = $node->safe_psql($db, qq{
	SELECT string_agg(r::text, E'\\n' ORDER BY r.org) FROM issuelist.rollup r WHERE r.q::text = '$q'});

# A session holds one organization's row, so that the freeze, once it has
# written its revision and rollup rows, waits at the foreign-key check of
# that organization's row: it is caught in the middle whatever the speed
# of the machine.
my $held = $node->safe_psql($db, qq{SELECT min(org) FROM issuelist.rollup WHERE q::text = '$q'});
open my $hold, '>', "$dir/hold.sql" or die $!;
print $hold "BEGIN;\nSELECT code FROM issuelist.org WHERE code = '$held' FOR UPDATE;\nSELECT pg_sleep(120);\n";
close $hold;
my ($hout, $herr, $fout, $ferr) = ('', '', '', '');
my $holder = IPC::Run::start([ 'psql', '-X', '-d', $node->connstr($db), '-f', "$dir/hold.sql" ],
	'<', \undef, '>', \$hout, '2>', \$herr);
wait_for_statement($node, 'pg_sleep') or die 'the row is not held';
my $freeze = IPC::Run::start([ 'psql', '-X', '-d', $node->connstr($db), '-c',
		"SELECT issuelist.freeze_quarter('$q', 'crash test: published again')" ], '<', \undef, '>', \$fout, '2>', \$ferr);
my $freezer = wait_for_statement($node, 'freeze_quarter', 'waiting');
ok($freezer, 'freeze_quarter has written its rows and is running');
kill 'KILL', $freezer;
$freeze->finish;
ok($? != 0, 'the crash interrupted the freeze') or diag($fout);
$holder->finish;

# The postmaster resets every session and recovers by itself.
$node->poll_query_until($db, 'SELECT true') or die 'no recovery';
is($node->safe_psql($db, qq{SELECT max(revision) FROM issuelist.quarter_freeze WHERE q::text = '$q'}),
	'1', 'after the freeze crash: the quarter still has only its committed revision');
is($node->safe_psql($db, qq{
	SELECT string_agg(r::text, E'\\n' ORDER BY r.org) FROM issuelist.rollup r WHERE r.q::text = '$q'}),
	$frozen_before, 'after the freeze crash: its rollup is unchanged, row for row');

# Killed after the freeze has written everything but before it commits:
# the whole revision disappears.
my ($bout, $berr) = ('', '');
open my $script, '>', "$dir/open.sql" or die $!;
print $script "BEGIN;\nSELECT issuelist.freeze_quarter('$q', 'crash test: never committed');\nSELECT pg_sleep(60);\n";
close $script;
my $open = IPC::Run::start([ 'psql', '-X', '-d', $node->connstr($db), '-f', "$dir/open.sql" ],
	'<', \undef, '>', \$bout, '2>', \$berr);
my $sleeper = wait_for_statement($node, 'pg_sleep');
ok($sleeper, 'a freeze is written and not committed');
is($node->safe_psql($db, qq{SELECT max(revision) FROM issuelist.quarter_freeze WHERE q::text = '$q'}),
	'1', 'meanwhile other sessions see only the committed revision');
kill_server($node);
$open->finish;
$node->start;
is($node->safe_psql($db, qq{SELECT count(*) FROM issuelist.quarter_freeze WHERE q::text = '$q'}),
	'1', 'after the crash before commit: no trace of the uncommitted revision');
is($node->safe_psql($db, qq{SELECT count(*) FROM issuelist.rollup WHERE q::text = '$q' AND revision > 1}),
	'0', 'and no rollup row of it');
check_invariants($node, $db, 'after the freeze crashes');

# The next freeze is revision 2, and its scores equal the issues'.
is($node->safe_psql($db, "SELECT issuelist.freeze_quarter('$q', 'after the crashes')"), '2', 'the next freeze is revision 2');
check_scores($node, $db, $q, 'after the freeze crashes');

$node->stop;
done_testing();
