# Every client command's output against golden files (aligned and csv, json
# and markdown for the reports), on the fixture of tests/golden/fixture.sql;
# then a quoting attack through every argument of every command, which must
# change nothing.  ISSUELIST_GOLDEN_UPDATE=1 rewrites the golden files.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = client_node('commands');
$node->safe_psql('postgres', 'CREATE DATABASE work TEMPLATE fixture');
my $fixture = $node->connstr('fixture');
my $work = $node->connstr('work');

# The commands, in the order of the golden files.  AS_OF fixes the day of
# the questions that depend on it; "lists" is also asked as of today, which
# is stable because every due day of the fixture is past.
my @reads = (
	[ 'lists' ],
	[ 'lists', '2025-09-30' ],
	[ 'orgs' ],
	[ 'orgs under 金华市' ],
	[ 'issue AUD-2025-000001', '2025-12-31' ],
	[ 'find org=Yiwu', '2025-12-31' ],
	[ 'find severity>=major state=open', '2025-09-30' ],
	[ 'find list=审计 overdue', '2025-09-30' ],
	[ 'find fire limit=3', '2025-12-31' ],
	[ 'overdue Yiwu', '2025-09-30' ],
	[ 'overdue', '2025-06-30' ],
	[ 'report Yiwu 2025Q3' ],
	[ 'report 义乌市 2025Q2' ],
	[ 'rank 2025Q3' ],
	[ 'rank 2025Q2 top 5' ],
	[ 'rank 2025Q3 by topsis' ],
	[ 'rank 2025Q3 level city' ],
	[ 'trend Yiwu 2025Q1 2025Q3' ],
	[ 'official 李明 2025Q2' ],
	[ 'official "Wang Fang" Yiwu 2025Q3' ],
	[ 'official YW0002 2025Q2' ],
	[ 'term "Wang Fang"' ],
	[ 'officials 2025Q2' ],
	[ 'officials 2025Q2 title head' ],
	[ 'meeting 2025Q2' ],
	[ 'meeting 2025Q2 topic audit inspection by improvement' ],
	[ 'meeting 2025Q3' ],
	[ 'report Nowhere 2025Q3' ],
	[ 'help report' ],
	[ 'version' ],);

# One command's output as a golden section: the command, stdout, then
# stderr and the exit code when there are any.
sub section
{
	my ($conn, $format, $command, $as_of) = @_;
	my @args = ($conn, '-X');
	push @args, "--$format" if $format ne 'table';
	push @args, '-v', "AS_OF=$as_of" if $as_of;
	my ($rc, $out, $err) = run_client([ @args, '-c', $command ]);
	my $text = "-- $command" . ($as_of ? "   (AS_OF $as_of)" : '') . "\n$out";
	$text .= "-- stderr:\n$err" if $err ne '';
	$text .= "-- exit $rc\n" if $rc != 0;
	return sanitize($text);
}

for my $format ('table', 'csv')
{
	my $all = '';
	$all .= section($fixture, $format, @$_) for @reads;
	golden_compare("commands.$format", $all);
}
for my $format ('json', 'markdown')
{
	my $all = '';
	$all .= section($fixture, $format, @$_)
	  for grep { $_->[0] =~ /^(report Yiwu|rank 2025Q3$|orgs under)/ } @reads;
	golden_compare("commands.$format", $all);
}
{
	my $all = '';
	for my $command ('find org=Yiwu limit=2', 'rank 2025Q3 top 2')
	{
		my ($rc, $out) = run_client(
			[ $fixture, '-X', '-x', '-v', 'AS_OF=2025-12-31', '-c', $command ]);
		$all .= "-- $command   (-x)\n$out";
	}
	golden_compare('commands.expanded', sanitize($all));
}

# The closed loop, on a copy of the fixture: each change shows the issue as
# it then stands; a step the loop refuses is an error naming both states.
{
	my $all = '';
	for my $command (
		'advance AUD-2025-000001 assigned',
		'advance AUD-2025-000001 rectifying crews are on site',
		"extend AUD-2025-000001 2025-12-31 'budget arrives in Q4'",
		'tolerate AUD-2025-000001 "Zhou Qiang" until 2025-12-31 flood damage, reviewed',
		'advance AUD-2025-000001 closed',
		'issue AUD-2025-000001')
	{
		$all .= section($work, 'table', $command, '2025-10-01');
	}
	golden_compare('commands.loop', $all);
}

# The daily work, on the same copy, with real logins: registrations, a Yiwu
# clerk's requests, a Jinhua verifier's inbox and decisions, and the
# refusals (a second pending request, an editor deciding, a request decided
# twice).  Requests are made today, so their days are far in the future.
{
	$node->safe_psql('work', q{
		CREATE ROLE clerk LOGIN IN ROLE issuelist_editor;
		CREATE ROLE checker LOGIN IN ROLE issuelist_verifier;
		SELECT issuelist.grant_org('clerk', '330782');
		SELECT issuelist.grant_org('checker', '330700');
	});
	my %as = (admin => $work, clerk => "$work user=clerk", checker => "$work user=checker");
	my $all = '';
	# attach and evidence get read and write files here
	require Cwd;
	my $cwd = Cwd::getcwd();
	my $files = PostgreSQL::Test::Utils::tempdir;
	chdir $files or die $!;
	open my $fh, '>', 'exits.txt' or die $!;
	print $fh "two new fire exits, photographed on site\n";
	close $fh;
	for my $step (
		[ 'admin', 'register audit Yiwu major "fire exits blocked" due=2025-12-31 source="round 4"', '2025-10-01' ],
		[ 'admin', 'register 审计 义乌市 general a second finding', '2025-10-01' ],
		[ 'clerk', 'request extend AUD-2025-000013 2099-06-30 the budget comes next year' ],
		[ 'clerk', 'request tolerate AUD-2025-000013 until 2099-12-31 flood damage, reviewed' ],
		[ 'clerk', 'request extend AUD-2025-000013 2099-07-31 again' ],
		[ 'clerk', 'decide 1 approve ok' ],
		[ 'checker', 'requests' ],
		[ 'checker', 'inbox' ],
		[ 'checker', 'decide 1 approve "the budget is confirmed"' ],
		[ 'checker', 'decide 2 refuse the damage was foreseeable' ],
		[ 'checker', 'decide 2 approve after all' ],
		[ 'checker', 'decide 3 maybe' ],
		[ 'clerk', 'requests all' ],
		[ 'clerk', 'requests refused' ],
		[ 'clerk', 'attach AUD-2025-000013 exits.txt photos of the new exits' ],
		[ 'checker', 'evidence AUD-2025-000013' ],
		[ 'checker', 'evidence get 1 back.txt' ],
		[ 'checker', 'evidence get 2' ],
		[ 'checker', 'watch Nowhere' ])
	{
		my ($who, $command, $as_of) = @$step;
		(my $text = section($as{$who}, 'table', $command, $as_of)) =~ s/^-- /-- $who: /;
		$all .= $text;
	}
	is(slurp_file("$files/back.txt"), slurp_file("$files/exits.txt"), 'evidence get: the file back');
	chdir $cwd or die $!;
	# requests are made today: the inbox shows the day
	my $today = $node->safe_psql('work', 'SELECT current_date');
	$all =~ s/\Q$today\E/<today>/g;
	golden_compare('commands.daily', $all);
}

# --- the quoting attack -------------------------------------------------
# Each payload in each argument of each command: the command fails or
# stores the text as it is; no table is dropped, no row changes but those a
# note or reason was meant to add.
my @payloads = (q{'; DROP TABLE issuelist.issue; --},
	q{"); DROP TABLE issuelist.issue; --},
	q{$$; DROP TABLE issuelist.issue; $$},
	q{1); DELETE FROM issuelist.issue; --});
my @templates = (
	'issue %s', 'find list=%s', 'find org=%s', 'find severity>=%s',
	'find state=%s', 'find limit=%s', 'find %s', 'overdue %s',
	'orgs under %s', 'report %s', 'report Yiwu %s', 'rank %s', 'rank top %s',
	'rank model %s', 'rank by %s', 'rank level %s', 'trend %s',
	'trend Yiwu %s', 'trend Yiwu 2025Q1 %s', 'official %s', 'official 李明 %s',
	'advance %s assigned', 'advance SAF-2025-000002 %s',
	'advance SAF-2025-000002 assigned %s', 'extend %s 2025-12-31 reason',
	'extend SAF-2025-000003 %s reason', 'extend SAF-2025-000003 2026-01-31 %s',
	'tolerate %s approver reason', 'tolerate SAF-2025-000004 %s reason',
	'tolerate SAF-2025-000004 approver until %s reason',
	'tolerate SAF-2025-000005 approver %s', 'import %s', 'help %s',
	'term %s', 'term YW0002 %s', 'officials %s', 'officials title %s', 'meeting %s',
	'meeting topic %s', 'meeting by %s', 'assign %s YW0002 reason',
	'assign SAF-2025-000002 %s reason', 'clarify %s finding', 'clarify SAF-2025-000002 %s',
	'register %s Yiwu general title', 'register audit %s general title',
	'register audit Yiwu %s title', 'register audit Yiwu general %s',
	'register audit Yiwu general title due=%s', 'register audit Yiwu general title official=%s',
	'register audit Yiwu general title origin=%s', 'register audit Yiwu general title source=%s',
	'request extend %s 2099-01-01 reason', 'request extend SAF-2025-000003 %s reason',
	'request extend SAF-2025-000003 2099-01-01 %s', 'request tolerate %s reason',
	'request tolerate SAF-2025-000004 until %s reason', 'request tolerate SAF-2025-000004 %s',
	'decide %s approve note', 'decide 1 refuse %s', 'requests %s',
	'attach %s golden.txt', 'attach SAF-2025-000002 %s', 'evidence %s', 'evidence get %s', 'watch %s');
my $before = $node->safe_psql('work',
	"SELECT count(*) || ' ' || sum(hashtext(code || state::text || due_on)) FROM issuelist.issue");
my $tables = "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'issuelist'::regnamespace AND relkind = 'r'";
my $tables_before = $node->safe_psql('work', $tables);
my ($failed, $stored) = (0, 0);
for my $payload (@payloads)
{
	for my $template (@templates)
	{
		# quoted as one word, the way a user would pass such a value
		(my $word = $payload) =~ s/'/''/g;
		my $command = sprintf($template, "'$word'");
		my ($rc, $out, $err) = run_client([ $work, '-X', '-v', 'AS_OF=2025-10-02', '-c', $command ]);
		$failed++ if $rc == 1;
		$stored++ if $rc == 0;
		ok($rc == 0 || $rc == 1, "attack: $command") or diag($err);
	}
	# and through a variable, as AS_OF
	my ($rc) = run_client([ $work, '-X', '-v', "AS_OF=$payload", '-c', 'overdue Yiwu' ]);
	is($rc, 1, "attack through AS_OF is a bad date: $payload");
}
is($node->safe_psql('work', $tables), $tables_before, 'no table was dropped');
my $notes = $node->safe_psql('work',
	"SELECT count(*) FROM issuelist.issue_event WHERE note LIKE '%DROP TABLE%' OR note LIKE '%DELETE FROM%'");
ok($notes >= scalar(@payloads), 'notes and reasons were stored as the text typed');
# register stores a payload as a title or source: those issues are found on
# the attack's AS_OF day, and no other issue is
my $after = $node->safe_psql('work',
	"SELECT count(*) FILTER (WHERE found_on <> '2025-10-02') FROM issuelist.issue");
is($after, (split / /, $before)[0], 'no issue was deleted');
note("attack: $failed refused, $stored accepted as text");

done_testing();
