# Row security with real logins, each over its own connection: an editor
# of one county cannot read, change, advance or copy out another county's
# issues, nor close its own; a verifier closes within its subtree only, and
# never an issue of its own county or one it registered; late entries are
# refused to editors and need a reason from verifiers; corrections go
# through the history; the auditor reads everything and writes nothing;
# the reader role cannot touch the base tables; posts of ranked
# organizations are public, other people and logins read by subtree.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistLoop;

my $node = province_node(
	from => '2021Q1', to => '2021Q2', per_quarter => 200, seed => 11,
	more => q{
	-- This test is about who may act, not about evidence: closing needs
	-- none here (as in the other trust tests, sql/31_trust_workflow.sql).
	UPDATE setting SET value = '' WHERE name = 'evidence_required';
	-- One issue per county of interest, waiting for acceptance.
	SELECT register_issue('audit', o, 'major', 'Idle funds in ' || o, '2022-03-01')
	  FROM unnest('{330106,330110,330203}'::text[]) o;
	SELECT advance(c, s, NULL, '2022-03-02')
	  FROM (SELECT code FROM issue WHERE title LIKE 'Idle funds in %') i(c),
		   unnest('{assigned,rectifying,rectified}'::issue_state[]) s;
	SELECT register_issue('safety', '330106', 'general', 'Blocked fire escape', '2022-03-05');
	CREATE ROLE ed_xihu LOGIN IN ROLE issuelist_editor;
	CREATE ROLE ed_yuhang LOGIN IN ROLE issuelist_editor;
	CREATE ROLE ver_hangzhou LOGIN IN ROLE issuelist_verifier;
	CREATE ROLE ver_hangzhou2 LOGIN IN ROLE issuelist_verifier;
	CREATE ROLE ver_xihu LOGIN IN ROLE issuelist_verifier;
	CREATE ROLE ver_ningbo LOGIN IN ROLE issuelist_verifier;
	CREATE ROLE aud LOGIN IN ROLE issuelist_auditor;
	CREATE ROLE rdr LOGIN IN ROLE issuelist_reader;
	SELECT grant_org('ed_xihu', '330106'), grant_org('ed_yuhang', '330110'),
		   grant_org('ver_hangzhou', '330100'), grant_org('ver_hangzhou2', '330100'),
		   grant_org('ver_xihu', '330106'), grant_org('ver_ningbo', '330200');
});

# What the superuser sees.
sub admin { return $node->safe_psql('province', 'SET search_path = issuelist, public; ' . shift) }
my %code = map { split /\|/ } split /\n/,
  admin(q{SELECT org, code FROM issue WHERE title LIKE 'Idle funds in %'});
my ($xihu, $yuhang, $haishu) = @code{qw(330106 330110 330203)};
my ($xihu_safety) = admin(q{SELECT code FROM issue WHERE title = 'Blocked fire escape'});
my $all = admin('SELECT count(*) FROM issue');
my $in_xihu = admin(q{SELECT count(*) FROM issue WHERE org = '330106'});
my $in_hangzhou = admin(q{SELECT count(*) FROM issue WHERE org IN (SELECT subtree('330100'))});
cmp_ok($in_xihu, '>', 1, "Xihu has several issues ($in_xihu of $all)");

# Run SQL as a login, over its own connection; errors come back with their
# SQLSTATE.
sub as
{
	my ($login, $sql) = @_;
	my ($ret, $out, $err) = $node->psql('province',
		"\\set VERBOSITY verbose\nSET search_path = issuelist, public;\n$sql",
		extra_params => [ '-U', $login ]);
	return ($ret, $out, $err);
}
sub as_ok
{
	my ($login, $sql, $name) = @_;
	my ($ret, $out, $err) = as($login, $sql);
	is($ret, 0, "$login: $name") or diag($err);
	return $out;
}
sub as_fails
{
	my ($login, $sql, $error, $name) = @_;
	my ($ret, $out, $err) = as($login, $sql);
	isnt($ret, 0, "$login: $name fails");
	like($err, $error, "$login: $name is refused as expected");
}

# The Xihu editor: its own county through every path, and nothing else.
is(as_ok('ed_xihu', 'SELECT count(*) FROM issue', 'reads issue'), $in_xihu,
	'ed_xihu: the table shows Xihu\'s issues');
is(as_ok('ed_xihu', q{SELECT count(*) FROM issue WHERE org <> '330106'}, 'reads issue'), 0,
	'ed_xihu: no other county\'s issue in the table');
is(as_ok('ed_xihu', q{SELECT count(*) FROM issues WHERE org <> '330106'}, 'reads issues'), 0,
	'ed_xihu: none in the view issues');
is(as_ok('ed_xihu', q{SELECT count(*) FROM issues_as_of('2022-06-30') WHERE org <> '330106'},
		'reads issues_as_of'), 0, 'ed_xihu: none in issues_as_of');
is(as_ok('ed_xihu', q{SELECT count(*) FROM issue_event WHERE org <> '330106'}, 'reads history'), 0,
	'ed_xihu: no other county\'s history');
is(as_ok('ed_xihu', q{SELECT sum(total) FROM list_summary}, 'reads list_summary'), $in_xihu,
	'ed_xihu: list_summary counts Xihu only');
my $copied = as_ok('ed_xihu', 'COPY issue (code, org) TO STDOUT', 'copies issue out');
my @rows = split /\n/, $copied;
is(scalar(@rows), $in_xihu, 'ed_xihu: COPY TO STDOUT gives Xihu\'s issues');
is(scalar(grep { !/\t330106$/ } @rows), 0, 'ed_xihu: and no other county\'s');
$copied = as_ok('ed_xihu', 'COPY (SELECT org FROM issue_event) TO STDOUT', 'copies history out');
is(scalar(grep { $_ ne '330106' } split /\n/, $copied), 0, 'ed_xihu: COPY of the history: Xihu only');
as_fails('ed_xihu', "SELECT * FROM history('$yuhang')", qr/IL003: unknown issue "\Q$yuhang\E"/,
	'history of a Yuhang issue');
as_fails('ed_xihu', "SELECT advance('$yuhang', 'rectifying')", qr/IL003/,
	'advancing a Yuhang issue');
as_fails('ed_xihu', "UPDATE issue SET title = 'changed' WHERE code = '$yuhang'",
	qr/42501: permission denied for table issue/, 'updating a Yuhang issue');
as_fails('ed_xihu', "SELECT register_issue('audit', '330110', 'major', 'x', '2022-03-08')",
	qr/42501: login "ed_xihu" may not register issues of organization 330110/,
	'registering in Yuhang');
# It cannot close its own issue either.
as_fails('ed_xihu', "SELECT advance('$xihu', 'closed')",
	qr/42501: login "ed_xihu" may not close \(strike off\) an issue/, 'closing its own issue');
as_fails('ed_xihu', "UPDATE issue SET state = 'closed' WHERE code = '$xihu'",
	qr/42501: permission denied/, 'closing its own issue by UPDATE');
is(admin("SELECT state FROM issue WHERE code = '$xihu'"), 'rectified', 'the issue is still rectified');
# It works its own issues, within late_entry_days of the effective day.
as_fails('ed_xihu', "SELECT advance('$xihu_safety', 'assigned', NULL, current_date - 30)",
	qr/IL011: login "ed_xihu" may not record a late entry: effective day \S+ of issue \Q$xihu_safety\E is 30 days before today, more than late_entry_days \(7\)/,
	'a step 30 days back');
is(as_ok('ed_xihu', "SELECT advance('$xihu_safety', 'assigned')", 'assigns its own issue'),
	'assigned', 'ed_xihu: assigned');
is(admin("SELECT actor || ' ' || role FROM history('$xihu_safety') WHERE to_state = 'assigned'"),
	'ed_xihu issuelist_editor', 'the history names the login and the role it acted as');

# The Yuhang editor cannot see Xihu's.
is(as_ok('ed_yuhang', q{SELECT count(*) FROM issue WHERE org = '330106'}, 'reads issue'), 0,
	'ed_yuhang: no Xihu issue');
as_fails('ed_yuhang', "SELECT advance('$xihu_safety', 'rectifying')", qr/IL003/,
	'advancing a Xihu issue');

# Xihu's own verifier sees the issue but does not close it: it is of the
# issue's own organization.
as_fails('ver_xihu', "SELECT advance('$xihu', 'closed')",
	qr/IL012: login "ver_xihu" may not close \(strike off\) an issue: issue \Q$xihu\E is of its own organization \(330106\)/,
	'closing its own county\'s issue');
is(admin("SELECT state FROM issue WHERE code = '$xihu'"), 'rectified', 'the issue is still rectified');

# The Hangzhou verifier: the city's subtree; closes there, nowhere else.
is(as_ok('ver_hangzhou', 'SELECT count(*) FROM issue', 'reads issue'), $in_hangzhou,
	'ver_hangzhou: sees the counties of Hangzhou');
is(as_ok('ver_hangzhou', "SELECT advance('$xihu', 'closed', 'verified')", 'closes in Xihu'),
	'closed', 'ver_hangzhou: closes a Xihu issue');
is(admin("SELECT actor || ' ' || role FROM history('$xihu') WHERE to_state = 'closed'"),
	'ver_hangzhou issuelist_verifier', 'recorded as the verifier');
as_fails('ver_hangzhou', "SELECT advance('$haishu', 'closed')", qr/IL003/,
	'closing a Ningbo issue');
is(admin("SELECT state FROM issue WHERE code = '$haishu'"), 'rectified', 'which stays rectified');
as_fails('ver_hangzhou', "SELECT advance('$xihu_safety', 'rectifying')",
	qr/42501: login "ver_hangzhou" may not move an issue from assigned to rectifying/,
	'doing the editor\'s work');
is(as_ok('ver_ningbo', "SELECT advance('$haishu', 'closed')", 'closes in Haishu'), 'closed',
	'ver_ningbo: closes the Haishu issue');

# A verifier's late step needs a late_reason, and is flagged late.
as_fails('ver_hangzhou', "SELECT extend_deadline('$yuhang', current_date + 100, 'flood', current_date - 30)",
	qr/IL011: a late_reason is required: effective day \S+ of issue \Q$yuhang\E is 30 days before today/,
	'a late extension without a reason');
as_ok('ver_hangzhou', "SELECT extend_deadline('$yuhang', current_date + 100, 'flood', current_date - 30, 'the letter came late')",
	'a late extension with a reason');
is(admin("SELECT late || ' ' || late_reason FROM history('$yuhang') WHERE event = 'extension'"),
	'true the letter came late', 'flagged late, with its reason');

# An issue the city's verifier registered: Xihu's editor works it, the
# registrar does not close it, another verifier of the city does.
my $by_city = as_ok('ver_hangzhou', "SELECT register_issue('audit', '330106', 'major', 'Found by the city')",
	'registers in Xihu');
as_ok('ed_xihu', "SELECT advance('$by_city', s) FROM unnest('{assigned,rectifying,rectified}'::issue_state[]) s",
	'works it to rectified');
as_fails('ver_hangzhou', "SELECT advance('$by_city', 'closed')",
	qr/IL012: login "ver_hangzhou" may not close \(strike off\) an issue: it registered issue \Q$by_city\E itself/,
	'closing an issue it registered');
is(as_ok('ver_hangzhou2', "SELECT advance('$by_city', 'closed')", 'closes it'), 'closed',
	'ver_hangzhou2: closes the issue its colleague registered');

# Corrections are events of the history; nobody updates an issue directly,
# the superuser included.
is(as_ok('ver_hangzhou', "SELECT correct_issue('$yuhang', 'severity', 'critical', 'a school is affected')",
		'corrects a Yuhang issue'), 'critical', 'ver_hangzhou: corrects the severity');
is(admin("SELECT actor || ' ' || field || ' ' || old_value || ' ' || new_value FROM history('$yuhang') WHERE event = 'correction'"),
	'ver_hangzhou severity major critical', 'the correction is in the history with both values');
as_fails('ver_xihu', "SELECT correct_issue('$xihu', 'severity', 'general', 'milder')", qr/IL012/,
	'correcting its own county\'s issue');
my ($ret, $out, $err) = $node->psql('province',
	"\\set VERBOSITY verbose\nUPDATE issuelist.issue SET title = 'x' WHERE code = '$yuhang'");
like($err, qr/IL010: issue \Q$yuhang\E is changed only through its history/,
	'the superuser does not update an issue directly');

# People (docs/officials.md): the holders of the posts of ranked
# organizations are public, as rankings are; a township's post, the
# officials named in a county and who works on which subtree are read by
# subtree.
admin(q{SELECT add_org('330106001', 'Lingyin', '330106', 'township');
		SELECT add_official('TW001', 'Lin Tao');
		SELECT appoint('TW001', '330106001', 'head', '2022-01-01');
		SELECT register_issue('audit', '330110', 'general', 'Yuhang accounts', '2022-03-01',
							  official => 'Yuhang Person');});
my $ranked_posts = admin(q{SELECT count(*) FROM post p JOIN org o ON o.code = p.org WHERE o.level <> 'township'});
cmp_ok($ranked_posts, '>=', 180, "the sample appointed secretaries and heads ($ranked_posts posts)");
is(as_ok('ed_xihu', 'SELECT count(*) FROM post', 'reads post'), $ranked_posts + 1,
	'ed_xihu: every post of a ranked organization, and its township\'s');
is(as_ok('ed_yuhang', q{SELECT count(*) FROM post WHERE org = '330106001'}, 'reads post'), 0,
	'ed_yuhang: not the post of a township of Xihu');
is(as_ok('ed_yuhang', q{SELECT count(*) FROM post WHERE org = '330106'}, 'reads post'),
	admin(q{SELECT count(*) FROM post WHERE org = '330106'}), 'ed_yuhang: but Xihu\'s own posts, public');
is(as_ok('ed_xihu', q{SELECT count(*) FROM official WHERE code = 'TW001'}, 'reads official'), 1,
	'ed_xihu: the township head');
is(as_ok('ed_yuhang', q{SELECT count(*) FROM official WHERE code = 'TW001' OR name = 'Yuhang Person'}, 'reads official'), 1,
	'ed_yuhang: its own county\'s official, not the Xihu township\'s head');
is(as_ok('ed_xihu', q{SELECT count(*) FROM official WHERE name = 'Yuhang Person'}, 'reads official'), 0,
	'ed_xihu: not an official named in Yuhang');
as_fails('ed_xihu', q{SELECT * FROM official_record('Yuhang Person', '2022Q1')}, qr/IL020: unknown official "Yuhang Person"/,
	'the record of an official it may not read');
is(as_ok('ed_xihu', 'SELECT string_agg(login, \',\' ORDER BY login) FROM org_member', 'reads org_member'),
	'ed_xihu,ver_xihu', 'ed_xihu: its own grant and the grants on its subtree, no other login\'s');
is(as_ok('ver_hangzhou', 'SELECT string_agg(login, \',\' ORDER BY login) FROM org_member', 'reads org_member'),
	'ed_xihu,ed_yuhang,ver_hangzhou,ver_hangzhou2,ver_xihu', 'ver_hangzhou: the logins of Hangzhou\'s subtree');
is(as_ok('aud', 'SELECT count(*) FROM official', 'reads official'), admin('SELECT count(*) FROM official'),
	'aud: every official');
is(as_ok('aud', 'SELECT count(*) FROM org_member', 'reads org_member'), admin('SELECT count(*) FROM org_member'),
	'aud: every grant');
as_fails('ed_xihu', q{SELECT appoint('TW001', '330106', 'head', '2022-06-01')}, qr/42501/, 'appointing');
as_fails('ed_xihu', q{INSERT INTO post (official, org, title, from_day) VALUES ('TW001', '330106001', 'secretary', '2022-01-01')},
	qr/42501: permission denied for table post/, 'inserting a post');

# The auditor: everything, history included; no writes.
$all = admin('SELECT count(*) FROM issue');    # with the one the city registered
is(as_ok('aud', 'SELECT count(*) FROM issue', 'reads issue'), $all, 'aud: sees every issue');
is(as_ok('aud', 'SELECT count(*) FROM issue_event', 'reads issue_event'),
	admin('SELECT count(*) FROM issue_event'), 'aud: sees the whole history');
is(scalar(split /\n/, as_ok('aud', 'COPY issue (code) TO STDOUT', 'copies out')), $all,
	'aud: COPY gives every issue');
as_fails('aud', "SELECT advance('$yuhang', 'closed')", qr/42501: permission denied for function advance/,
	'advancing');
as_fails('aud', "UPDATE issue SET title = 'x'", qr/42501: permission denied for table issue/, 'updating');
as_fails('aud', "SELECT tolerate('$yuhang', 'x', 'y')", qr/42501/, 'tolerating');

# The reader role: not the base tables, not the functions.
for my $sql ('SELECT count(*) FROM issuelist.issue', 'SELECT count(*) FROM issuelist.issue_event',
	'COPY issuelist.issue TO STDOUT', q{SELECT count(*) FROM issuelist.issues_as_of('2022-01-01')})
{
	as_fails('rdr', $sql, qr/42501: permission denied for schema issuelist/, $sql);
}

done_testing();
