# A published quarter's numbers never move, through every way in
# (docs/trust.md): the client's rank, report, trend and official commands,
# and the BI score views read through the PostgreSQL JDBC driver as a BI
# login, are read for a published quarter; then the standard model's
# weights, a list weight, a list's, an organization's and a city's names
# and an official are edited, and an issue of the quarter is closed late
# with an effective day inside it.  Each reader prints the same bytes
# again.  The model's new version is a what-if, which changes the numbers
# and says so; the quarter's second publication (a revision) shows the
# edits, and revision 1 still reads as before.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistBI;
use IssuelistClient qw(run_client);

my $jar = '/usr/share/java/postgresql.jar';
ok(-e $jar, 'the PostgreSQL JDBC driver is installed (libpostgresql-jdbc-java)');

my $node = bi_node('published', per_quarter => 120);
bi_login($node, 'bi_published', 'published secret', '330000');
my $q = '2021Q4';
my $connstr = $node->connstr('province');

# What the client prints for the published quarter, command by command.
my %commands = (
	rank => "rank $q",
	rank_city => "rank $q level city",
	report => "report 330782 $q",
	trend => "trend 330782 2021Q1 $q",
);
sub client_reads
{
	my %out;
	for my $name (sort keys %commands)
	{
		my ($rc, $out, $err) = run_client([ $connstr, '-X', '-c', $commands{$name} ]);
		is($rc, 0, "client: $commands{$name} runs") or diag($err);
		$out{$name} = $out;
	}
	return \%out;
}

# What a BI tool reads of the score views for the quarter, through JDBC.
my $port = $node->port;
my $url = "jdbc:postgresql://127.0.0.1:$port/province?user=bi_published&password=published%20secret";
my %views = (
	org_quarter_scores => "SELECT * FROM issuelist_bi.org_quarter_scores WHERE quarter = '$q' "
	  . 'ORDER BY model, org_level, org_code',
	org_quarter_lists => "SELECT * FROM issuelist_bi.org_quarter_lists WHERE quarter = '$q' "
	  . 'ORDER BY model, org_level, org_code, list_order',
);
sub jdbc_reads
{
	my %out;
	for my $view (sort keys %views)
	{
		my ($o, $e) = ('', '');
		IPC::Run::run([ 'java', '-cp', $jar, "$ENV{ISSUELIST_TOP}/tests/bi/JdbcDump.java", $url,
				$views{$view} ], '>', \$o, '2>', \$e);
		is($? >> 8, 0, "JDBC: $view reads") or diag($e);
		$out{$view} = $o;
	}
	return \%out;
}

my $ranking_sql = "SELECT md5(string_agg(r::text, ',' ORDER BY r.org)) FROM issuelist.ranking('$q', revision => 1) r";
my $sql_before = $node->safe_psql('province', $ranking_sql);
my $client_before = client_reads();
my $jdbc_before = jdbc_reads();
like($client_before->{rank}, qr/义乌|Yiwu/, 'the ranking names Yiwu');
cmp_ok(scalar(split /\n/, $jdbc_before->{org_quarter_scores}), '>', 100,
	'JDBC: the scores of every organization of every level');

# The edits, and a closing recorded now with an effective day in the quarter.
$node->safe_psql('province', qq{
	SET search_path = issuelist, public;
	UPDATE score_model SET w_general = 5, w_critical = 1, k = 10 WHERE name = 'standard';
	INSERT INTO score_model_list VALUES ('standard', 'audit', 4);
	UPDATE list SET name = 'Audit findings', name_zh = '审计发现' WHERE code = 'audit';
	UPDATE org SET name = 'Yiwu City', name_zh = '义乌' WHERE code = '330782';
	UPDATE org SET name = 'Jinhua City', name_zh = '金华' WHERE code = '330700';
	UPDATE official SET post = 'moved' WHERE org = '330782';
	SELECT advance(code, 'closed', 'closed late', '2021-12-30', late_reason => 'paper file found')
	  FROM issue WHERE org = '330782' AND state = 'rectified' ORDER BY code LIMIT 1;
});
is($node->safe_psql('province', q{SELECT version FROM issuelist.score_model WHERE name = 'standard'}),
	'2', 'the edit of a published model made version 2');

my $client_after = client_reads();
my $jdbc_after = jdbc_reads();
for my $name (sort keys %commands)
{
	ok($client_after->{$name} eq $client_before->{$name},
		"client: '$commands{$name}' prints the same bytes after the edits")
	  or diag("before:\n$client_before->{$name}\nafter:\n$client_after->{$name}");
}
for my $view (sort keys %views)
{
	ok($jdbc_after->{$view} eq $jdbc_before->{$view},
		"JDBC: $view reads the same bytes after the edits");
}

# The new version is a what-if: other numbers, marked as such.
my ($rc, $what_if, $err) = run_client([ $connstr, '-X', '-c', "rank $q model standard\@2" ]);
is($rc, 0, 'client: rank under standard@2 runs') or diag($err);
isnt($what_if, $client_before->{rank}, 'client: standard@2 ranks the quarter otherwise');
is($node->safe_psql('province', qq{
	SELECT bool_or(published)::text || ' ' || bool_and(NOT published)::text
	  FROM issuelist.ranking('$q', 'standard\@2')}), 'false true',
	'SQL: every row of the what-if ranking says published = false');

# A revision shows the edits; revision 1 still reads as before.
$node->safe_psql('province', qq{
	SELECT issuelist.freeze_quarter('$q', reason => 'late closing reviewed; model revised')});
my $client_revised = client_reads();
isnt($client_revised->{rank}, $client_before->{rank}, 'client: the revision ranks with the edits');
like($client_revised->{rank}, qr/Yiwu City|义乌/, 'client: the revision has the new names');
my $jdbc_revised = jdbc_reads();
isnt($jdbc_revised->{org_quarter_scores}, $jdbc_before->{org_quarter_scores},
	'JDBC: the views show the latest revision');
is($node->safe_psql('province', $ranking_sql), $sql_before,
	'SQL: revision 1 still reads as it was published');

$node->stop;
done_testing();
