# The daily job scheduled with pg_cron (docs/operations.md, "Scheduling the
# daily job"): a cluster with shared_preload_libraries = pg_cron schedules
# issuelist.daily() every minute; one run is recorded in
# cron.job_run_details, its effects (overdue issues escalated, quarters
# published) are there, and the same job run by hand afterwards changes
# nothing.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $libdir = `pg_config --pkglibdir`;
chomp $libdir;
ok(-e "$libdir/pg_cron.so", 'pg_cron is installed (postgresql-15-cron)')
  or BAIL_OUT('pg_cron is missing: the Makefile installs postgresql-15-cron');

my $node = PostgreSQL::Test::Cluster->new('cron');
$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 20
timezone = 'UTC'
});
$node->start;
$node->safe_psql('postgres', q{
	SET client_min_messages = warning;
	CREATE EXTENSION pg_cron;
	CREATE EXTENSION issuelist CASCADE;
	SET search_path = issuelist, public;
	SELECT load_sample_province();
	SELECT generate_sample_issues(quarter(current_date) - 4, quarter(current_date) - 1, 200, 9);
});
is($node->safe_psql('postgres', 'SELECT count(*) FROM issuelist.quarter_freeze'), '0',
	'nothing is published yet');
my $overdue = $node->safe_psql('postgres', q{
	SELECT count(*) FROM issuelist.issue WHERE issuelist.is_open(state) AND current_date - due_on > 30});
cmp_ok($overdue, '>', 0, "$overdue open issues are overdue by more than 30 days");

# The schedule the operations page gives, every minute here.
my $job = $node->safe_psql('postgres',
	q{SELECT cron.schedule('issuelist-daily', '* * * * *', 'SELECT issuelist.daily()')});
ok($job, "the job is scheduled ($job)");
ok($node->poll_query_until('postgres', qq{
		SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $job AND status IN ('succeeded', 'failed')},
		't'), 'pg_cron ran the job within the poll timeout');
is($node->safe_psql('postgres', qq{
	SELECT status || ' ' || return_message FROM cron.job_run_details WHERE jobid = $job ORDER BY runid LIMIT 1}),
	'succeeded SELECT 1', 'the run is recorded as succeeded');
$node->safe_psql('postgres', "SELECT cron.unschedule($job)");

cmp_ok($node->safe_psql('postgres', 'SELECT count(*) FROM issuelist.quarter_freeze'), '>', 0,
	'its effect: quarters are published');
is($node->safe_psql('postgres', q{
	SELECT bool_and(issuelist.upper(q) + 10 <= current_date) FROM issuelist.quarter_freeze}), 't',
	'only quarters freeze_after_days (10) past their end');
cmp_ok($node->safe_psql('postgres', q{
	SELECT count(*) FROM issuelist.issue_event WHERE event = 'escalation'}), '>=', $overdue,
	'its effect: every issue overdue by more than 30 days is escalated');
is($node->safe_psql('postgres', q{
	SELECT count(DISTINCT actor) || ' ' || min(role) FROM issuelist.issue_event WHERE event = 'escalation'}),
	'1 issuelist_admin', 'recorded as the admin who scheduled it');

# By hand the same day: nothing more to do.
my $events = $node->safe_psql('postgres', 'SELECT count(*) FROM issuelist.issue_event');
is($node->safe_psql('postgres', q{SELECT escalated || ' ' || cardinality(published) FROM issuelist.daily()}),
	'0 0', 'run by hand afterwards: nothing escalated, nothing published');
is($node->safe_psql('postgres', 'SELECT count(*) FROM issuelist.issue_event'), $events,
	'and no event written');

$node->stop;
done_testing();
