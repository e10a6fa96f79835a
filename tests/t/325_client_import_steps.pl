# import of a file of steps (code, state, note, on_date): many issues moved
# at once, all or none; every bad row named with its line and the server's
# reason; Chinese headings with a byte order mark; the day from on_date,
# else AS_OF, else today.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = client_node('steps');
my $conn = $node->connstr('fixture');
my $dir = PostgreSQL::Test::Utils::tempdir;

sub write_file
{
	my ($name, $text) = @_;
	open my $fh, '>:raw', "$dir/$name" or die $!;
	print $fh $text;
	close $fh;
	return "$dir/$name";
}
sub events { return $node->safe_psql('fixture', 'SELECT count(*) FROM issuelist.issue_event') }
sub state_of
{
	return $node->safe_psql('fixture',
		"SELECT state::text || ' ' || (SELECT max(on_date) FROM issuelist.issue_event e WHERE e.issue = i.id)"
		  . " FROM issuelist.issue i WHERE code = '$_[0]'");
}

my ($a, $b, $c) = split /\n/, $node->safe_psql('fixture',
	"SELECT code FROM issuelist.issue WHERE state::text = 'registered' ORDER BY code LIMIT 3");

# all or none: a bad file changes nothing, and names every bad row
my $before = events();
my $bad = write_file('bad.csv',
	"code,state,note,on_date\n"
	  . "$a,assigned,to the county,2025-10-01\n"
	  . "$b,closed,straight to closed,2025-10-01\n"
	  . "NOPE-2025-000001,assigned,,2025-10-01\n"
	  . "$c,assigned,,not a date\n"
	  . "$c,assigned\n"
	  . "$a,rectifying,\"crews on site, day 1\",2025-10-02\n");
my ($rc, $out, $err) = run_client([ $conn, '-X', '-c', "import $bad" ]);
is($rc, 1, 'a bad file: exit 1');
like($err, qr/bad\.csv:3: IL001: issue \Q$b\E cannot go from registered to closed/, 'a step the loop refuses, by its line');
like($err, qr/bad\.csv:4: IL003: .*NOPE-2025-000001/, 'an unknown issue');
like($err, qr/bad\.csv:5: 22007: invalid input syntax for type date: "not a date"/, 'a bad day');
like($err, qr/bad\.csv:6: expected 4 columns, found 2/, 'a short row');
unlike($err, qr/bad\.csv:[27]:/, 'the good rows are not named');
like($err, qr/import \S+bad\.csv: 4 bad rows; no step was recorded/, 'how many');
is(events(), $before, 'nothing was recorded, not even the good rows');

# a good file: in file order, one issue twice, the day from on_date or AS_OF
my $good = write_file('good.csv',
	"code,state,note,on_date\n"
	  . "$a,assigned,to the county,2025-10-01\n"
	  . "$a,rectifying,\"crews on site, day 1\",2025-10-02\n"
	  . "$b,assigned,,\n");
($rc, $out, $err) = run_client([ $conn, '-X', '-v', 'AS_OF=2025-10-05', '-c', "import $good" ]);
is($rc, 0, 'a good file imports') or diag($err);
is($out, "3 steps recorded\n", 'and says how many');
is(state_of($a), 'rectifying 2025-10-02', 'two steps of one issue, in order, on their days');
is(state_of($b), 'assigned 2025-10-05', 'a blank day is AS_OF');
is(events(), $before + 3, 'three events');

# Chinese headings, a byte order mark, columns in another order
my $zh = write_file('zh.csv', "\xEF\xBB\xBF状态,编号,日期,说明\nwithdrawn,$c,2025-10-03,重复登记\n");
($rc, $out, $err) = run_client([ $conn, '-X', '-c', "import $zh" ]);
is($rc, 0, 'Chinese headings') or diag($err);
is(state_of($c), 'withdrawn 2025-10-03', 'read by their names');

# headings
($rc, $out, $err) = run_client([ $conn, '-X', '-c', 'import ' . write_file('h.csv', "code,status\n$a,closed\n") ]);
is($rc, 1, 'an unknown heading is refused');
like($err, qr/h\.csv:1: unknown column "status" \(the columns of steps are code, state, note, on_date\)/,
	'naming it');
like($err, qr/the column "state" is missing/, 'and the missing one');

# inside the user's transaction: rolled back with it
my $more = write_file('more.csv', "code,state\n$b,rectifying\n");
my $in = "BEGIN;\nimport $more\nROLLBACK;\nSELECT state FROM issuelist.issue WHERE code = '$b';\n";
($rc, $out, $err) = run_client([ $conn, '-X', '-v', 'AS_OF=2025-10-06' ], stdin => $in);
like($out, qr/1 step recorded.*ROLLBACK.*assigned/s, 'in a transaction: recorded, then rolled back with it')
  or diag($err);
is(state_of($b), 'assigned 2025-10-05', 'the issue is as it was');

done_testing();
