# Every event is announced on the channel issuelist_events with its id as
# the payload (docs/daily-work.md, "Notifications"); nothing is announced
# for a call that is rolled back; an import is announced once, with its
# last registration.  A psql session that LISTENs sees what another
# session does.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('notify');
$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
$node->start;
$node->safe_psql('postgres', q{
	SET client_min_messages = warning;
	CREATE EXTENSION issuelist CASCADE;
	SELECT issuelist.load_sample_province();
});

my $listener = $node->background_psql('postgres');
$listener->query_safe('LISTEN issuelist_events');
# The payloads the listener has received, as psql prints them after its
# next statement.
sub received
{
	my $out = $listener->query_safe('SELECT 1');
	return [ $out =~ /Asynchronous notification "issuelist_events" with payload "(\d+)"/g ];
}
is_deeply(received(), [], 'nothing announced yet');

# A registration and two steps in another session: one notification each.
my $code = $node->safe_psql('postgres', q{
	SELECT issuelist.register_issue('audit', '330782', 'major', 'Idle funds')});
$node->safe_psql('postgres', qq{
	SELECT issuelist.advance('$code', 'assigned'), issuelist.advance('$code', 'rectifying')});
my @ids = split /\n/, $node->safe_psql('postgres', qq{
	SELECT e.id FROM issuelist.issue_event e JOIN issuelist.issue i ON i.id = e.issue
	 WHERE i.code = '$code' ORDER BY e.seq});
is(scalar @ids, 3, 'three events recorded');
is_deeply(received(), \@ids, 'each event announced once, its id the payload, in order');

# A step rolled back announces nothing.
$node->safe_psql('postgres', qq{
	BEGIN;
	SELECT issuelist.advance('$code', 'rectified');
	ROLLBACK;
});
is_deeply(received(), [], 'a rolled-back step announces nothing');

# The sample generator announces nothing.
$node->safe_psql('postgres', q{
	SET search_path = issuelist, public;
	SELECT generate_sample_issues(quarter(current_date) - 1, quarter(current_date) - 1, 20, 1)});
is_deeply(received(), [], 'the synthetic history of the sample generator is not announced');

# An import of three rows: one notification, its last registration.
$node->safe_psql('postgres', q{
	SET search_path = issuelist, public;
	BEGIN;
	SELECT import_stage();
	INSERT INTO pg_temp.issuelist_import (line, list, org, severity, title)
		VALUES (2, 'audit', '330782', 'general', 'one'),
			   (3, 'audit', '330782', 'general', 'two'),
			   (4, 'safety', '330783', 'serious', 'three');
	SELECT * FROM import_apply();
	COMMIT;
});
my $last = $node->safe_psql('postgres', q{
	SELECT e.id FROM issuelist.issue_event e JOIN issuelist.issue i ON i.id = e.issue
	 WHERE i.title = 'three'});
is_deeply(received(), [$last], 'an import of three issues is announced once, with its last registration');

$listener->quit;
$node->stop;
done_testing();
