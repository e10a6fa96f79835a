# Every example of the manual runs: each SQL block and each client command
# line of every page of docs/, on the data its page names (the sample
# province, or the demo's at a fixed day), in the page's order; where the
# page shows output, the output is compared (tests/lib/IssuelistDocs.pm says
# how a page marks its setup and the blocks that are not examples, run as
# another login, or print what depends on the day).  A page whose example
# breaks fails here.  ISSUELIST_DOCS=page.md runs one page.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistDocs;

my $top = $ENV{ISSUELIST_TOP};
my $node = docs_node('docs');
my @pages = $ENV{ISSUELIST_DOCS}
  ? split(/,/, $ENV{ISSUELIST_DOCS})
  : map { s{.*/}{}r } sort glob("$top/docs/*.md");
cmp_ok(scalar @pages, '>=', 20, 'the manual has its pages') unless $ENV{ISSUELIST_DOCS};
for my $page (@pages)
{
	my $start = time;
	run_doc_page($node, $page);
	note("$page: " . (time - $start) . " s");
}
done_testing();
