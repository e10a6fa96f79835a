# Docs are part of the feature: docs/sql-index.md lists every object of the
# schemas issuelist and issuelist_bi with its comment, exactly as a fresh
# install has them, and every page the manual's front page links to exists.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $top = $ENV{ISSUELIST_TOP};
my $node = PostgreSQL::Test::Cluster->new('docs');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION issuelist CASCADE');

my ($index, $err);
$node->psql('postgres', undef, extra_params => [ '-f', "$top/tests/docs/sql-index.sql" ],
	stdout => \$index, stderr => \$err);
is($err, '', 'the index query runs');
my $expected = slurp_file("$top/tests/docs/sql-index.head.md") . $index . "\n";
my $page = slurp_file("$top/docs/sql-index.md");
ok($page eq $expected,
	'docs/sql-index.md matches the catalog (run tests/docs/update-sql-index)')
  or diag(join "\n", grep { index($page, $_) < 0 } split /\n/, $expected);
unlike($page, qr/\*\*no comment\*\*/, 'every object carries a comment');
like($page, qr/`issuelist\.ranking\(/, 'the index names the ranking function');

# Every page the front page links to exists.
my $front = slurp_file("$top/docs/README.md");
my @links = $front =~ /\]\(([\w.-]+\.md)(?:#[\w-]+)?\)/g;
my @absent = grep { !-e "$top/docs/$_" } @links;
is(join(', ', @absent), '', 'every page linked from docs/README.md exists');

done_testing();
