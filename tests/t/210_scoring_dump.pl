# Scores survive pg_dump and restore exactly: frozen rollups, user score
# models (the seeded one is not duplicated), the tally's binary form
# through COPY BINARY, and a damaged binary tally is refused.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('main');
$node->init;
$node->start;
my $setup = <<'SQL';
CREATE EXTENSION issuelist CASCADE;
SET search_path = issuelist, public;
SELECT add_org('P', 'Province', NULL, 'province');
SELECT add_org('C', 'City', 'P', 'city');
SELECT add_org('K1', 'County one', 'C', 'county');
SELECT add_org('K2', 'County two', 'C', 'county');
SELECT register_issue('audit', 'K1', 'major', 'open', '2021-01-05', '2021-02-05', 'external', 'Li');
SELECT register_issue('safety', 'K2', 'critical', 'open', '2021-01-05', '2021-06-30', 'concealed');
SELECT register_issue('complaints', 'K2', 'general', 'closed', '2021-01-05', '2021-06-30', 'self') AS code \gset
SELECT advance(:'code', 'assigned', NULL, '2021-01-10'), advance(:'code', 'rectifying', NULL, '2021-01-11'),
       advance(:'code', 'rectified', NULL, '2021-02-01'), advance(:'code', 'closed', NULL, '2021-02-10');
INSERT INTO score_model VALUES ('mine', 'a user model', 1, 3, 9, 27, 1, 1, 1, 0.5, 0.1, 0.9, 1, 20);
INSERT INTO score_model_list VALUES ('mine', 'audit', 2);
SELECT freeze_quarter('2021Q1');
SQL
$node->safe_psql('postgres', $setup);

my $report = q{SET search_path = issuelist, public;
  SELECT string_agg(r::text, E'\n' ORDER BY r.org) FROM ranking('2021Q1', 'mine') r;
  SELECT string_agg(format('%s %s %s %s', q, revision, org, tally), E'\n' ORDER BY org) FROM rollup;
  SELECT string_agg(name, ',' ORDER BY name) FROM score_model;};
my $before = $node->safe_psql('postgres', $report);
like($before, qr/^\(K1,/m, 'ranking under the user model');

my $dump = $node->basedir . '/dump.custom';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('postgres') ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'pg_restore', '-d', $node->connstr('restored'), $dump ], 'pg_restore');
my $after = $node->safe_psql('restored', $report);
is($after, $before, 'rankings, rollups and models are the same after restore');
like($after, qr/^mine,standard$/m, 'the seeded model is not duplicated');

# COPY BINARY goes through tally_send and tally_recv.
my $bin = $node->basedir . '/tallies.bin';
$node->safe_psql('postgres', "COPY (SELECT tally FROM issuelist.rollup ORDER BY org) TO '$bin' (FORMAT binary)");
is($node->safe_psql('postgres', qq{
	CREATE TABLE back (t issuelist.tally);
	COPY back FROM '$bin' (FORMAT binary);
	SELECT (SELECT string_agg(t::text, ' ' ORDER BY t::text) FROM back)
	     = (SELECT string_agg(tally::text, ' ' ORDER BY tally::text) FROM issuelist.rollup)}),
	't', 'binary copy round-trips');

# Damage the version byte of the first tally: the header is 19 bytes, then
# a 2-byte field count and a 4-byte field length.
open(my $fh, '+<:raw', $bin) or die $!;
seek($fh, 25, 0);
print $fh chr(9);
close($fh);
my ($ret, $out, $err) = $node->psql('postgres', "COPY back FROM '$bin' (FORMAT binary)");
isnt($ret, 0, 'a damaged tally is refused');
like($err, qr/unsupported tally format version 9/, 'naming the bad version');

done_testing();
