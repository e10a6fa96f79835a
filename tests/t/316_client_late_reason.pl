# Late steps through the client (docs/trust.md, "Late entries"): a city
# verifier extends a county's issue with an effective day (AS_OF) older
# than the grace period; without LATE_REASON the server refuses it (IL011),
# with it the step is recorded, flagged late with the reason given.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = client_node('late_reason');
$node->safe_psql('fixture', q{
	CREATE ROLE jinhua_verifier LOGIN IN ROLE issuelist_verifier;
	SELECT issuelist.grant_org('jinhua_verifier', '330700');
});
my $code = $node->safe_psql('fixture', q{
	SET search_path = issuelist, public;
	SELECT code FROM issue WHERE org = '330782' AND state = 'rectifying' ORDER BY code LIMIT 1});
ok($code, "an open issue of Yiwu: $code");
my ($day, $new_due) = split /\|/, $node->safe_psql('fixture', qq{
	SELECT current_date - 30, greatest(due_on, current_date) + 30 FROM issuelist.issue WHERE code = '$code'});
my $conn = $node->connstr('fixture') . ' user=jinhua_verifier';

my ($rc, $out, $err) = run_client([ $conn, '-X', '-c', "\\set AS_OF $day",
	'-c', "extend $code $new_due the budget came late" ]);
is($rc, 1, 'a late extension without LATE_REASON fails');
like($err, qr/IL011/, 'refused as a late entry (IL011)');
is($node->safe_psql('fixture', qq{SELECT count(*) FROM issuelist.history('$code') WHERE event = 'extension'}),
	'0', 'and nothing was recorded');

($rc, $out, $err) = run_client([ $conn, '-X', '-c', "\\set AS_OF $day",
	'-c', q{\set LATE_REASON 'the decision was on paper until today'},
	'-c', "extend $code $new_due the budget came late" ]);
is($rc, 0, 'with LATE_REASON the late extension is recorded') or diag($err);
like($out, qr/\Q$new_due\E/, 'the client shows the new due day');
is($node->safe_psql('fixture', qq{
	SELECT day || ' ' || late || ' ' || late_reason FROM issuelist.history('$code') WHERE event = 'extension'}),
	"$day true the decision was on paper until today", 'history: effective on AS_OF, late, with the reason');

$node->stop;
done_testing();
