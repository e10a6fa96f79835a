# The walk of the history's index behind a publication's digest
# (history_heads_digest, extension/index_walk.c) when the index is larger
# than a quarter of the shared buffers: it reads the leaf pages through a
# small ring of buffers, as a sequential scan of a large table does, so
# that one publication does not push out of the buffers what everyone else
# is reading.  A cluster with 4 MB of shared buffers (512) makes the index
# of a small sample large enough.  The digest through the ring is the
# digest of the history computed from every event, also with a tail of
# events rolled back on pages the visibility map does not mark; and after
# the walk, the index holds no more than a ring's worth of the buffers.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistFuzz qw(new_node sample_province);

my $node = new_node('ring', shared_buffers => "'4MB'");
my $db = 'postgres';
sample_province($node, $db, 4, 1500, 7);
$node->safe_psql($db, 'VACUUM issuelist.issue_event');
$node->safe_psql($db, 'CREATE EXTENSION pg_buffercache');

my $sql = sub { $node->safe_psql($db, "SET search_path = issuelist, public; $_[0]") };
my ($index_pages, $buffers) = split /\|/, $sql->(q{
	SELECT pg_relation_size('issue_event_seq') / current_setting('block_size')::integer,
		   pg_size_bytes(current_setting('shared_buffers')) / current_setting('block_size')::integer
});
cmp_ok($index_pages, '>', $buffers / 4,
	"the index of the history ($index_pages pages) is larger than a quarter of the $buffers buffers");

my $by_query = q{
	SELECT sha256_heads_chain(e.issue, e.seq, e.hash)
	  FROM (SELECT * FROM issue_event ORDER BY issue, seq) e
};
is($sql->('SELECT history_heads_digest() = history_digest(now())'), 't',
	'the walk through the ring gives the digest of every event');

# Events of a hundred issues rolled back: their entries stay in the index,
# on table pages no longer all-visible, until a scan marks them or a
# vacuum removes them.  The walk comes first and checks them against the
# table.
$sql->(q{
	BEGIN;
	SELECT extend_deadline(i.code, i.due_on + 1, 'tap: rolled back')
	  FROM issue i WHERE is_open(i.state) ORDER BY i.id DESC LIMIT 100;
	ROLLBACK;
});
my $walked = $sql->('SELECT encode(history_heads_digest(), \'hex\')');
is($walked, $sql->("SELECT encode(($by_query), 'hex')"),
	'with a rolled-back tail, the walk equals the aggregate over the events in order');
is($walked, $sql->("SELECT encode(history_digest(now()), 'hex')"),
	'and the digest of every event');

# The ring: after a restart (empty buffers), a walk over the index's leaf
# pages leaves no more of them in the buffers than its ring (BAS_BULKREAD,
# 32 buffers) and the few inner pages of the descent to the first leaf.
# Read without the ring, almost every page would stay, each pushing out
# a page someone else was reading.
cmp_ok($index_pages, '>', 300, "the index has $index_pages pages");
$node->restart;
my (undef, $cached) = split /\n/, $sql->(q{
	SELECT history_heads_digest() IS NOT NULL;
	SELECT count(*) FROM pg_buffercache b
	 WHERE b.relfilenode = pg_relation_filenode('issue_event_seq')
	   AND b.reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database());
});
cmp_ok($cached, '<=', 32 + 8, "after the walk, $cached of its pages are in the 512 buffers");

$node->stop;
done_testing();
