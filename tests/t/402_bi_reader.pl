# A BI login made by create_bi_login(), logged in over TCP with its password
# as a BI tool is: it connects although PUBLIC may not, reads the
# issuelist_bi views of its subtree only, cannot read a base table or
# write, is cut off by its statement timeout, and cannot open more
# connections than its limit.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistBI;

my $node = bi_node('bi_reader', per_quarter => 100);
# Operators often take CONNECT away from PUBLIC: BI logins keep it through
# issuelist_reader.
$node->safe_psql('province', 'REVOKE CONNECT ON DATABASE province FROM PUBLIC');
bi_login($node, 'bi_yiwu', 'yiwu pw', '330782', '1s', 2);
bi_login($node, 'bi_province', 'province pw', '330000');

my ($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'wrong', 'SELECT 1');
isnt($rc, 0, 'a wrong password is refused');
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', 'SELECT current_user');
is($out, 'bi_yiwu', 'the login connects with its password, PUBLIC having no CONNECT');

# Its subtree only, through the views (unqualified: search_path is the
# BI schema).
my $all = $node->safe_psql('province', q{
	SELECT count(*) FROM issuelist.issue WHERE org = '330782'});
cmp_ok($all, '>', 0, 'Yiwu has issues');
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', q{
	SELECT count(*) || ' ' || count(*) FILTER (WHERE org_code = '330782') FROM issues});
is($out, "$all $all", "issues: Yiwu's $all issues, no other");
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', q{
	SELECT count(DISTINCT org_code) || ' ' || min(org_code) FROM issue_events});
is($out, '1 330782', "issue_events: Yiwu's history only");
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', q{
	SELECT sum(found) FROM list_daily});
is($out, $all, "list_daily: counts Yiwu's issues");
my $province = $node->safe_psql('province', 'SELECT count(*) FROM issuelist.issue');
($rc, $out, $err) = bi_psql($node, 'bi_province', 'province pw', 'SELECT sum(total) FROM list_summary');
is($out, $province, "the province's login counts every issue");

# Nothing but the views.
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', 'SELECT count(*) FROM issuelist.issue');
like($err, qr/permission denied for schema issuelist/, 'base tables: out of reach');
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', q{
	SELECT count(*) FROM issuelist.issues_as_of(current_date)});
like($err, qr/permission denied for schema issuelist/, 'functions of schema issuelist: out of reach');

# Read-only: every transaction, even a temporary table's.
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', 'SHOW default_transaction_read_only');
is($out, 'on', 'transactions start read-only');
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', 'CREATE TEMP TABLE t (x integer)');
like($err, qr/read-only transaction/, 'cannot even create a temporary table');
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', q{
	BEGIN READ WRITE; CREATE TABLE public.t (x integer); COMMIT});
like($err, qr/permission denied for schema public/, 'and nowhere to write when it turns that off');

# The statement timeout cuts off a long query (SQLSTATE 57014).
{
	my ($o, $e) = ('', '');
	local $ENV{PGPASSWORD} = 'yiwu pw';
	my $started = time;
	IPC::Run::run([ 'psql', '-X', '-v', 'VERBOSITY=verbose', '-h', '127.0.0.1',
			'-p', $node->port, '-U', 'bi_yiwu', '-d', 'province', '-c', 'SELECT pg_sleep(5)' ],
		'>', \$o, '2>', \$e);
	like($e, qr/ERROR:  57014: canceling statement due to statement timeout/,
		'a query longer than the timeout is cancelled with 57014');
	cmp_ok(time - $started, '<', 4, 'after the 1 second timeout, not the 5 seconds asked');
}

# The connection limit: two sessions open, a third refused.
my @sessions;
for my $n (1 .. 2)
{
	my ($in, $o, $e) = ("SELECT 'session $n';\n", '', '');
	local $ENV{PGPASSWORD} = 'yiwu pw';
	my $h = IPC::Run::start([ 'psql', '-X', '-A', '-t', '-h', '127.0.0.1', '-p', $node->port,
			'-U', 'bi_yiwu', '-d', 'province' ],
		'<', \$in, '>', \$o, '2>', \$e, IPC::Run::timeout($PostgreSQL::Test::Utils::timeout_default));
	$h->pump until $o =~ /session $n/;
	push @sessions, [ $h, \$in ];
}
($rc, $out, $err) = bi_psql($node, 'bi_yiwu', 'yiwu pw', 'SELECT 1');
like($err, qr/too many connections for role "bi_yiwu"/, 'a third connection is refused at the limit of 2');
($rc, $out, $err) = bi_psql($node, 'bi_province', 'province pw', 'SELECT 1');
is($out, '1', "another tool's login is not affected");
for my $s (@sessions)
{
	${ $s->[1] } .= "\\q\n";
	$s->[0]->finish;
}

done_testing();
