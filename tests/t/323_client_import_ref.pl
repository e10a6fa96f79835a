# An import's ref column (the finding's own number in its inspection
# round): importing a round again registers nothing twice, and each finding
# already registered is reported with its issue's code; a ref twice in one
# file fails the import, nothing registered.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = client_node('import_ref');
my $conn = $node->connstr('fixture');
my $dir = PostgreSQL::Test::Utils::tempdir;

sub write_csv
{
	my ($name, @rows) = @_;
	open my $fh, '>', "$dir/$name" or die $!;
	print $fh "list,org,severity,title,found_on,source,ref\n", map { "$_\n" } @rows;
	close $fh;
	return "$dir/$name";
}
sub registered
{
	return $node->safe_psql('fixture',
		q{SELECT count(*) FROM issuelist.issue WHERE source = 'inspection round 5'});
}

my @round = (
	'inspection,Yiwu,major,Land leased without tender,2025-10-01,inspection round 5,R5-001',
	'inspection,Dongyang,general,Meeting minutes missing,2025-10-01,inspection round 5,R5-002',
	'inspection,Wuyi,serious,Subsidies paid twice,2025-10-02,inspection round 5,R5-003');
my $first = write_csv('round5.csv', @round);
my ($rc, $out, $err) = run_client([ $conn, '-c', "import $first" ]);
is($rc, 0, 'a round with refs is imported') or diag($err);
is(registered(), '3', 'its three findings registered');
is($node->safe_psql('fixture', q{
	SELECT string_agg(ref, ',' ORDER BY ref) FROM issuelist.issue WHERE source = 'inspection round 5'}),
	'R5-001,R5-002,R5-003', 'each issue keeps its ref');

# The round again, with one more finding.
my $again = write_csv('round5_again.csv', @round,
	'inspection,Yiwu,general,Vehicles used privately,2025-10-03,inspection round 5,R5-004');
($rc, $out, $err) = run_client([ $conn, '-c', "import $again" ]);
is($rc, 0, 'the round imported again') or diag($err);
my @skipped = $out =~ /^\Q$again\E:(\d+): ref (R5-\d+) is registered already as ([A-Z]+-\d+-\d+): skipped$/mg;
is(scalar(@skipped) / 3, 3, 'the three findings registered already are reported') or diag($out);
is_deeply([ @skipped[0, 1, 3, 4, 6, 7] ], [ 2, 'R5-001', 3, 'R5-002', 4, 'R5-003' ],
	'each by its line and ref');
is($node->safe_psql('fixture', "SELECT ref FROM issuelist.issue WHERE code = '$skipped[2]'"), 'R5-001',
	'with the code of the issue it is');
is(registered(), '4', 'only the new finding is registered');

# A ref twice in one file: the import fails, nothing registered.
my $twice = write_csv('twice.csv',
	'audit,Yiwu,general,One,2025-10-05,audit round 2,A2-9',
	'audit,Yiwu,general,Two,2025-10-05,audit round 2,A2-9');
($rc, $out, $err) = run_client([ $conn, '-c', "import $twice" ]);
is($rc, 1, 'a ref twice in one file fails');
like($err, qr/line 3/, 'naming the second line') or diag($err);
is($node->safe_psql('fixture', q{SELECT count(*) FROM issuelist.issue WHERE source = 'audit round 2'}),
	'0', 'and nothing of the file is registered');

$node->stop;
done_testing();
