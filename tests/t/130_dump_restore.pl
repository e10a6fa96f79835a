# pg_dump of a database with the sample province, restored into an empty
# database, gives the same content: issues, history, tolerances, and the
# configuration, with the rows a user added and the built-in rows a user
# edited.  The restored database goes on working (numbers continue, the
# history stays append-only, row security holds).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistLoop;

my $node = province_node(
	from => '2021Q1', to => '2022Q2', per_quarter => 150, seed => 5,
	more => q{
	-- A user's own list, with its deadlines; a built-in list and a
	-- built-in deadline edited.
	INSERT INTO list (code, position, name, name_zh, scope, prefix)
		VALUES ('fiscal', 8, 'Fiscal discipline', '财经纪律', 'Findings of fiscal inspections', 'FIS');
	INSERT INTO deadline_policy (list, severity, days) VALUES ('fiscal', 'critical', 20);
	UPDATE list SET name = 'Audit findings', position = 9 WHERE code = 'audit';
	UPDATE list SET position = 4 WHERE code = 'fiscal';
	UPDATE list SET position = 8 WHERE code = 'audit';
	UPDATE deadline_policy SET days = 45 WHERE list = 'safety' AND severity = 'critical';
	-- A township, a login's subtree, an official, an indicator, and issues
	-- worked by hand.
	SELECT add_org('330106001', 'Beishan', '330106', 'township', '北山街道');
	CREATE ROLE ed_xihu LOGIN IN ROLE issuelist_editor;
	SELECT grant_org('ed_xihu', '330106');
	INSERT INTO official (name, org, post, code) VALUES ('Zhang Lin', '330106001', 'head', 'ZL001');
	SELECT appoint('ZL001', '330106001', 'head', '2022-01-01');
	SELECT add_official(NULL, 'Wu Gang');
	INSERT INTO indicator (org, q, name, value) VALUES ('330106', '2021Q4', 'population', 1145000);
	SELECT register_issue('fiscal', '330106001', 'critical', 'Off-budget spending', '2022-05-01',
						  official => 'Zhang Lin');
	SELECT advance('FIS-2022-000001', 'assigned', NULL, '2022-05-02');
	SELECT extend_deadline('FIS-2022-000001', '2022-07-31', 'audit of the accounts', '2022-05-03');
	SELECT tolerate('FIS-2022-000001', 'good faith', 'review board', '2022-05-04', '2022-06-30');
	SELECT assign_official('FIS-2022-000001', 'Wu Gang', 'handed over', '2022-05-05');
	SELECT freeze_quarter('2022Q2');
	SELECT hold_meeting('2022Q2', '2022-07-20', '{fiscal}', '{ZL001}');
});

# Everything a user relies on, as text.
my $content = q{
	SET search_path = issuelist, public;
	SET datestyle = ISO; SET timezone = 'UTC'; SET extra_float_digits = 3;
	SELECT 'issue', md5(string_agg(i::text, '|' ORDER BY i.id)), count(*) FROM issue i
	UNION ALL SELECT 'issue_event', md5(string_agg(e::text, '|' ORDER BY e.id)), count(*) FROM issue_event e
	UNION ALL SELECT 'tolerance', md5(string_agg(t::text, '|' ORDER BY t.id)), count(*) FROM tolerance t
	UNION ALL SELECT 'org', md5(string_agg(o::text, '|' ORDER BY o.code)), count(*) FROM org o
	UNION ALL SELECT 'list', md5(string_agg(l::text, '|' ORDER BY l.code)), count(*) FROM list l
	UNION ALL SELECT 'deadline_policy', md5(string_agg(p::text, '|' ORDER BY p.list, p.severity)), count(*) FROM deadline_policy p
	UNION ALL SELECT 'official', md5(string_agg(f::text, '|' ORDER BY f.code)), count(*) FROM official f
	UNION ALL SELECT 'post', md5(string_agg(p::text, '|' ORDER BY p.id)), count(*) FROM post p
	UNION ALL SELECT 'meeting', md5(string_agg(m::text, '|' ORDER BY m.id)), count(*) FROM meeting m
	UNION ALL SELECT 'publication_post', md5(string_agg(p::text, '|' ORDER BY p.org, p.title)), count(*) FROM publication_post p
	UNION ALL SELECT 'org_member', md5(string_agg(m::text, '|' ORDER BY m.login, m.org)), count(*) FROM org_member m
	UNION ALL SELECT 'indicator', md5(string_agg(x::text, '|' ORDER BY x.org, x.q, x.name)), count(*) FROM indicator x
	UNION ALL SELECT 'issue_counter', md5(string_agg(c::text, '|' ORDER BY c.list, c.year)), count(*) FROM issue_counter c
	UNION ALL SELECT 'issues_as_of', md5(string_agg(a::text, '|' ORDER BY a.id)), count(*) FROM issues_as_of('2022-03-31') a;
};
my $before = $node->safe_psql('province', $content);
like($before, qr/^issue\|\w{32}\|\d{3,}$/m, 'a province of issues to dump');
note $before;

my $dump = $node->basedir . '/province.dump';
$node->command_checks_all(
	[ 'pg_dump', '--format=custom', '--file', $dump, '--dbname', $node->connstr('province') ],
	0, [qr/^$/], [qr/^$/], 'pg_dump, without a warning');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'pg_restore', '--exit-on-error', '--dbname', $node->connstr('restored'), $dump ],
	'pg_restore into an empty database');
my $after = $node->safe_psql('restored', $content);
is($after, $before, 'the same issues, history, tolerances and configuration after the restore');

# In detail: the user's rows, and the edited built-in rows (not the seeds).
my $config = q{SELECT string_agg(format('%s %s %s %s', code, position, name, builtin), ', ' ORDER BY position)
				 FROM issuelist.list WHERE code IN ('audit', 'fiscal')};
is($node->safe_psql('restored', $config), 'fiscal 4 Fiscal discipline f, audit 8 Audit findings t',
	'the user\'s list and the edited built-in list');
is($node->safe_psql('restored',
		q{SELECT string_agg(format('%s %s %s', list, severity, days), ', ' ORDER BY list)
			FROM issuelist.deadline_policy WHERE severity::text = 'critical' AND list IN ('fiscal', 'safety')}),
	'fiscal critical 20, safety critical 45', 'the user\'s deadline and the edited built-in one');
is($node->safe_psql('restored', 'SELECT count(*) FROM issuelist.list'), 8, 'no list twice');
is($node->safe_psql('restored', 'SELECT count(*) FROM issuelist.deadline_policy'), 29, 'no deadline twice');

# The restored database goes on: the next codes and ids follow on.
my $next = q{SELECT issuelist.register_issue('fiscal', '330106', 'major', 'next', '2022-06-01')
			 || ' ' || (SELECT max(id) FROM issuelist.issue)
			 || ' ' || issuelist.register_issue('audit', '330106', 'major', 'next', '2022-06-01')};
is($node->safe_psql('restored', $next), $node->safe_psql('province', $next),
	'registrations continue with the same codes and ids as in the original');
is($node->safe_psql('restored', q{SELECT issuelist.add_official(NULL, 'Next One')}),
	$node->safe_psql('province', q{SELECT issuelist.add_official(NULL, 'Next One')}),
	'generated official codes continue as in the original');
is($node->safe_psql('restored',
		q{SELECT issuelist.advance('FIS-2022-000001', 'rectifying', NULL, '2022-06-02')}),
	'rectifying', 'the loop goes on');
my ($ret, $out, $err) = $node->psql('restored', 'DELETE FROM issuelist.issue_event');
like($err, qr/issue_event is append-only/, 'the history is still append-only');
is($node->safe_psql('restored', q{SET ROLE ed_xihu; SELECT count(DISTINCT org) FROM issuelist.issue}),
	2, 'row security still holds: the Xihu editor sees Xihu and its township');

done_testing();
