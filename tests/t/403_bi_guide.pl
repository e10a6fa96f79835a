# The BI guide and the operations manual say what the database does: the
# guide's view reference is exactly what the catalog comments say
# (tests/bi/view-reference.sql), every SQL example of the guide runs — the
# operator's as a superuser, the others as a BI login, Grafana's macros
# expanded as Grafana does — and returns rows on the sample province, and
# every SQL example of docs/operations.md runs.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistBI;
use IssuelistDocs qw(sql_blocks);

my $top = top_dir();
my $node = bi_node('bi_guide', per_quarter => 100);

# The reference section against the catalog.
my $guide = slurp_file("$top/docs/bi-guide.md");
my ($section) = $guide =~ /<!-- views \(generated\) -->\n\n(.*)\n<!-- end of views \(generated\) -->/s;
ok(defined $section, 'the guide has its generated view reference');
my ($ret, $reference, $err) = $node->psql('province', undef,
	extra_params => [ '-X', '-A', '-t', '-q', '-f', "$top/tests/bi/view-reference.sql" ]);
is($ret, 0, 'the reference query runs') or diag($err);
s/\s+\z// for grep { defined } $section, $reference;
ok(defined $section && $section eq $reference,
	'docs/bi-guide.md describes every view and column as the catalog comments do (else run tests/bi/update-guide)')
  or diag(join "\n", grep { index($section // '', $_) < 0 } split /\n/, $reference);

# The guide's examples.  Grafana replaces $__timeFilter(column) with a
# BETWEEN on the dashboard's range.
my @examples = sql_blocks('bi-guide.md');
cmp_ok(scalar @examples, '>=', 8, 'the guide has its SQL examples');
for my $sql (@examples)
{
	my ($title) = $sql =~ /^(.*)$/m;
	if ($sql =~ /^-- As the operator:/)
	{
		my ($rc, $out, $e) = $node->psql('province', $sql, extra_params => [ '-v', 'ON_ERROR_STOP=1' ]);
		is($rc, 0, "operator example runs: $title") or diag($e);
		next;
	}
	(my $run = $sql) =~ s/\$__timeFilter\(("?\w+"?)\)/$1 BETWEEN '2021-01-01T00:00:00Z' AND '2021-12-31T23:59:59Z'/g;
	my ($rc, $out, $e) = bi_psql($node, 'bi_metabase', 'change me', $run);
	is($rc, 0, "example runs as a BI login: $title") or diag($e);
	ok($out ne '', "and shows rows on the sample province: $title");
}

# The operations manual's examples, in order, as the operator.
my @operations = sql_blocks('operations.md');
cmp_ok(scalar @operations, '>=', 5, 'the operations manual has its SQL examples');
for my $sql (@operations)
{
	my ($title) = $sql =~ /^(.*)$/m;
	my ($rc, $out, $e) = $node->psql('province', $sql, extra_params => [ '-v', 'ON_ERROR_STOP=1' ]);
	is($rc, 0, "operations example runs: $title") or diag($e);
}
my ($rc, $out, $e) = bi_psql($node, 'bi_dashboard', '', 'SELECT 1');
like($e, qr/password/, 'the BI login of the operations manual has no password until one is set');

done_testing();
