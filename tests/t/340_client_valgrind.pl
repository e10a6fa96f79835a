# The client under valgrind: every command of the golden tests in every
# output format, the error paths (SQL errors, a script stopping, a lost
# connection), the query buffer's backslash commands, an import, the
# meeting pack, and a shell session on a pty (completion, history, the
# pager, Ctrl-C at the prompt).  No memory errors, no leaks: valgrind's own exit code 99 would
# replace the client's.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $valgrind = `command -v valgrind 2>/dev/null`;
chomp $valgrind;
plan skip_all => 'valgrind is not installed' unless $valgrind;

my $node = client_node('valgrind');
$node->safe_psql('postgres', 'CREATE DATABASE work TEMPLATE fixture');
my $conn = $node->connstr('fixture');
my $dir = PostgreSQL::Test::Utils::tempdir;
my @vg = ($valgrind, '-q', '--leak-check=full',
	'--show-leak-kinds=definite,indirect,possible',
	'--errors-for-leak-kinds=definite,indirect,possible', '--error-exitcode=99');

# Run the client under valgrind; returns (exit code, stdout, stderr).
sub vg
{
	my ($in, $out, $err) = ('', '', '');
	local $ENV{ISSUELISTRC} = '/dev/null';
	IPC::Run::run([ @vg, client_path(), @_ ], '<', \$in, '>', \$out, '2>', \$err);
	return ($? >> 8, $out, $err);
}

sub clean
{
	my ($name, $want, $rc, $out, $err) = @_;
	local $Test::Builder::Level = $Test::Builder::Level + 1;
	is($rc, $want, "$name: exit $want, no valgrind error");
	unlike($err, qr/==\d+==/, "$name: valgrind says nothing") or diag($err);
}

my @reads = map { ('-c', $_) } (
	'lists', 'orgs', 'orgs under 金华市', 'issue AUD-2025-000001',
	'find org=Yiwu', 'find severity>=major state=open', 'find list=审计 overdue',
	'find fire limit=3', 'overdue Yiwu', 'overdue', 'report Yiwu 2025Q3',
	'report 义乌市 2025Q2', 'rank 2025Q3', 'rank 2025Q2 top 5',
	'rank 2025Q3 by topsis', 'rank 2025Q3 level city',
	'trend Yiwu 2025Q1 2025Q3', 'official 李明 2025Q2',
	'official "Wang Fang" Yiwu 2025Q3', 'help', 'help report', '\?', 'version',
	'\set', '\pset');

for my $format ('', '--csv', '--json', '--markdown', '-x')
{
	my @f = $format ? ($format) : ();
	clean("golden commands " . ($format || 'table'),
		0, vg($conn, '-X', @f, '-v', 'AS_OF=2025-09-30', @reads));
}

my $good = "$dir/good.csv";
open my $fh, '>', $good or die $!;
print $fh "list,org,severity,title,found_on\naudit,Yiwu,major,\"A, b\",2025-10-10\n";
close $fh;
my $bad = "$dir/bad.csv";
open $fh, '>', $bad or die $!;
print $fh "list,org,severity,title,found_on\naudit,Yiwu,urgent,A,2025-10-10\nx,y\n";
close $fh;
my $work = $node->connstr('work');
clean('import of a good file and the closed loop', 0,
	vg($work, '-X', '-v', 'AS_OF=2025-10-01', '-c', "import $good",
		'-c', 'advance AUD-2025-000001 assigned', '-c', 'advance AUD-2025-000001 rectifying on site',
		'-c', 'extend AUD-2025-000001 2025-12-31 budget',
		'-c', 'tolerate AUD-2025-000001 "Zhou Qiang" until 2025-12-31 flood',
		'-c', "\\o $dir/out.txt", '-c', 'rank 2025Q3', '-c', '\o'));
clean('import of a bad file', 1, vg($work, '-X', '-c', "import $bad"));
clean('the daily work: register, requests, inbox', 0,
	vg($work, '-X', '-v', 'AS_OF=2025-10-01',
		'-c', 'register audit Yiwu major "fire exits blocked" due=2025-12-31 source="round 4"',
		'-c', 'request extend AUD-2025-000014 2099-06-30 budget',
		'-c', 'request tolerate AUD-2025-000014 until 2099-12-31 flood damage',
		'-c', 'requests', '-c', 'requests all', '-c', 'inbox'));
clean('a refused decision', 1, vg($work, '-X', '-c', 'decide 1 approve my own request'));
my $steps = "$dir/steps.csv";
open $fh, '>', $steps or die $!;
print $fh "code,state,note,on_date\nAUD-2025-000014,assigned,\"to the county, today\",2025-10-02\n";
close $fh;
my $bad_steps = "$dir/bad_steps.csv";
open $fh, '>', $bad_steps or die $!;
print $fh "code,state,note,on_date\nAUD-2025-000014,closed,,\nNOPE-1,assigned,,\nx\n";
close $fh;
clean('import of steps', 0, vg($work, '-X', '-c', "import $steps"));
clean('import of bad steps', 1, vg($work, '-X', '-c', "import $bad_steps"));
# GB18030 (as Excel saves CSV on Chinese Windows): the conversion, and a
# record that is not in the encoding.
my $gbk = "$dir/gbk.csv";
open $fh, '>:raw', $gbk or die $!;
print $fh "list,org,severity,title,found_on\naudit,Yiwu,major,\xCD\xC1\xB5\xD8,2025-10-10\n";
close $fh;
clean('import of a GB18030 file', 0, vg($work, '-X', '-c', "import $gbk"));
my $bad_gbk = "$dir/bad_gbk.csv";
open $fh, '>:raw', $bad_gbk or die $!;
print $fh "list,org,severity,title,found_on\naudit,Yiwu,major,\xB5\xFF,2025-10-10\n";
close $fh;
clean('import of a file not in its encoding', 1, vg($work, '-X', '-c', "import $bad_gbk encoding=GBK"));
my $photo = "$dir/photo.jpg";
open $fh, '>:raw', $photo or die $!;
print $fh pack('C*', map { $_ % 256 } 0 .. 300_000);
close $fh;
clean('evidence: attach, the list, get', 0,
	vg($work, '-X', '-c', "attach AUD-2025-000014 $photo the new exits", '-c', 'evidence AUD-2025-000014',
		'-c', "evidence get 1 $dir/back.jpg", '-c', "attach AUD-2025-000014 $good"));
clean('evidence: errors', 1,
	vg($work, '-X', '-c', "attach AUD-2025-000014 $dir/nowhere.pdf", '-c', 'evidence get 99',
		'-c', "evidence get 1 $dir/no/such/dir.jpg", '-c', "attach AUD-2025-000014 $dir"));
# The meeting pack: gnuplot and Chromium run as programs of their own,
# which valgrind does not follow.
SKIP:
{
	skip 'gnuplot and chromium are not installed', 4
	  unless `command -v gnuplot 2>/dev/null` && `command -v chromium 2>/dev/null`;
	clean('the meeting pack, printed', 0,
		vg($conn, '-X', '-c', "pack 2025Q2 $dir/pack topic audit inspection --pdf $dir/pack.pdf"));
	clean('the meeting pack: refused', 1,
		vg($conn, '-X', '-c', "pack 2025Q2 $dir/pack --pdf $dir/no/such/dir.pdf",
			'-c', "pack 2025Q3 $dir/pack"));
}
clean('a usage error', 1, vg($work, '-X', '-c', 'register audit Yiwu major source="x"'));
clean('an SQL error', 1, vg($conn, '-X', '-c', 'SELECT nope'));
clean('a command error', 1, vg($conn, '-X', '-c', 'report Nowhere'));

my $script = "$dir/script.sql";
open $fh, '>', $script or die $!;
print $fh "SELECT \$\$a;b\$\$ AS x;\nCOPY (SELECT 1) TO STDOUT;\n\\x\nSELECT 1 AS one\n;\nSELECT nope;\n";
close $fh;
clean('a script stopping on error', 3, vg($conn, '-X', '-f', $script));
clean('a lost connection', 2, vg($conn, '-X', '-c', 'SELECT pg_terminate_backend(pg_backend_pid())'));
clean('streaming csv', 0, vg($conn, '-X', '--csv', '-c', 'SELECT generate_series(1, 5000)'));

my $buffer = "$dir/buffer.sql";
open $fh, '>', $buffer or die $!;
print $fh "SELECT 5 AS a\n\\p\n\\g\n\\gx $dir/gx.txt\n\\p\n\\r\n\\g |cat\n",
  "SELECT 1 AS x \\g \\x \\gx\n\\o |true\nSELECT generate_series(1, 10000);\n\\o\n",
  "\\p extra\nSELECT 2 \\G\n";
close $fh;
clean('the query buffer: \g, \gx, \p, \r, an unknown command', 3, vg($conn, '-X', '-f', $buffer));

# The shell on a pty, under valgrind.
{
	my ($in, $out) = ('', '');
	my $timer = IPC::Run::timer(60);
	local %ENV = %ENV;
	delete $ENV{TERM};
	$ENV{INPUTRC} = '/dev/null';
	$ENV{LC_ALL} = 'C.UTF-8';
	$ENV{ISSUELISTRC} = '/dev/null';
	$ENV{ISSUELIST_HISTORY} = "$dir/history";
	$ENV{PAGER} = 'wc -l';
	$ENV{LINES} = '20';
	my $h = IPC::Run::start([ @vg, client_path(), $conn ],
		'<pty<', \$in, '>pty>', \$out, $timer);
	for my $step ([ '', qr/=# $/ ], [ "rep\tYiw\t", qr/Yiwu $/ ],
		[ "\025\n", qr/=# $/ ], [ "overdue 义乌\t", qr/义乌市 $/ ],
		[ "\025\n", qr/=# $/ ], [ "report Yiwu 2025Q3\n", qr/^\s*\d+\s*$/m ],
		[ "SELECT 'x\003", qr/=# $/ ], [ "lists\n", qr/\(7 rows\).*=# $/s ],
		[ "watch Yiwu\n", qr/Ctrl-C stops/ ],
		[ '', qr/ 330782  registered  registered /, sub {
			$node->poll_query_until('fixture',
				"SELECT count(*) = 1 FROM pg_stat_activity WHERE query = 'LISTEN issuelist_events'");
			$node->safe_psql('fixture',
				"SELECT issuelist.register_issue('audit', '330782', 'general', 'watched')") } ],
		[ "\003", qr/=# $/ ])
	{
		$out = '';
		$timer->start(60);
		$in .= $step->[0];
		$step->[2]->() if $step->[2];
		IPC::Run::pump($h) until $out =~ $step->[1] || $timer->is_expired;
		like($out, $step->[1], 'shell under valgrind: ' . ($step->[0] =~ s/[\x00-\x1f]/./gr));
	}
	$timer->start(60);
	$in .= "\\q\n";
	IPC::Run::finish($h);
	is($? >> 8, 0, 'shell under valgrind: exit 0, no valgrind error');
	unlike($out, qr/==\d+==/, 'shell under valgrind: valgrind says nothing');
}

done_testing();
