# Every view of issuelist_bi read through the stock drivers of BI tools, as
# a BI login over TCP: the PostgreSQL JDBC driver (Metabase, DBeaver,
# Tableau) reports no column as OTHER, STRUCT, ARRAY or DISTINCT and gives
# every view and column a remark; psqlODBC on unixODBC (Excel, Power BI),
# set up as docs/bi-guide.md says, decodes every value of every column
# without truncation, equal to what libpq reads.  Then a bad view shows
# that both checks do catch what they look for.
use strict;
use warnings;
use File::Temp ();
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistBI;

my $top = top_dir();
my $jar = '/usr/share/java/postgresql.jar';
my ($odbc_driver) = glob('/usr/lib/*/odbc/psqlodbcw.so');
# The drivers are Debian packages that make installs (PACKAGES in the
# Makefile): a missing one is a failure, not a reason to skip.
my @missing;
push @missing, 'libpostgresql-jdbc-java' unless -e $jar;
push @missing, 'odbc-postgresql' unless $odbc_driver;
push @missing, 'unixodbc-dev' unless -e '/usr/include/sql.h';
push @missing, 'openjdk-17-jdk-headless' unless grep { -x "$_/javac" } split /:/, $ENV{PATH};
if (@missing)
{
	fail("Debian packages installed: missing @missing");
	done_testing();
	exit;
}

my $node = bi_node('bi_drivers', per_quarter => 150);
# Values that break careless drivers: long Chinese text, a character
# outside the Basic Multilingual Plane (a UTF-16 surrogate pair), quotes,
# tabs and newlines, and a note longer than psqlODBC's default text size.
$node->safe_psql('province', q{
	SET search_path = issuelist, public;
	SELECT register_issue('audit', '330782', 'major',
		repeat('土地出让金征收不到位', 30) || ' 𠀀 "quoted" it''s	tab' || E'\nnewline',
		'2021-11-02', NULL, 'external', '王 𠮷', 'Audit 2021 审计');
	SELECT advance(code, 'assigned', repeat('整改说明；', 2500), '2021-11-03')
	  FROM issue WHERE found_on = '2021-11-02' AND title LIKE '土地%';
});
bi_login($node, 'bi_jdbc', 'jdbc secret', '330000');
bi_login($node, 'bi_odbc', 'odbc secret', '330000');

my @views = bi_views($node);
my @columns = bi_columns($node);
cmp_ok(scalar @views, '>=', 6, 'issuelist_bi has its views');

my $tmp = PostgreSQL::Test::Utils::tempdir;
my $port = $node->port;

# tests/bi/JdbcCheck.java as the login bi_jdbc (java runs the single-file
# program against the jar): (exit code, stdout, stderr).
sub jdbc_check
{
	my $url = "jdbc:postgresql://127.0.0.1:$port/province?user=bi_jdbc&password=jdbc%20secret";
	my ($o, $e) = ('', '');
	IPC::Run::run([ 'java', '-cp', $jar, "$top/tests/bi/JdbcCheck.java", $url, 'issuelist_bi' ],
		'>', \$o, '2>', \$e);
	return ($? >> 8, $o, $e);
}

# tests/bi/odbc_check.c as the login bi_odbc through the data source
# [issuelist] with extra connection attributes, against libpq.
sub odbc_check
{
	my ($attributes) = @_;
	local $ENV{ODBCSYSINI} = $tmp;
	local $ENV{ODBCINI} = "$tmp/odbc.ini";
	local $ENV{PGPASSWORD} = 'odbc secret';
	my ($o, $e) = ('', '');
	IPC::Run::run([ "$tmp/odbc_check", "DSN=issuelist;PWD=odbc secret$attributes",
			"host=127.0.0.1 port=$port dbname=province user=bi_odbc", 'issuelist_bi' ],
		'>', \$o, '2>', \$e);
	return ($? >> 8, $o, $e);
}

my ($rc, $out, $err) = jdbc_check();
is($rc, 0, 'JDBC: no problem with any view') or diag("$out\n$err");
note("JdbcCheck: view.column, JDBC type, PostgreSQL type, rows\n$out");
like($out, qr/^${\ scalar @views} views, 0 problems$/m, 'JDBC: every view read');
my %jdbc = map { /^(\S+)\t(\S+)\t(\S+)\t(\d+)$/ ? ($1 => [ $2, $3, $4 ]) : () } split /\n/, $out;
is_deeply([ sort keys %jdbc ], [ sort @columns ], 'JDBC: every column reported');
my @odd = grep { $jdbc{$_}[0] !~ /^(VARCHAR|INTEGER|BIGINT|NUMERIC|BIT|DATE|TIMESTAMP)$/ } keys %jdbc;
is_deeply(\@odd, [], 'JDBC: every column of a plain JDBC type');
ok((grep { $_->[2] > 0 } values %jdbc) == @columns, 'JDBC: every view returned rows');

# ODBC: the data source of docs/bi-guide.md, pointed at this server, in a
# private odbc.ini and odbcinst.ini (ODBCINI, ODBCSYSINI).
my $guide = slurp_file("$top/docs/bi-guide.md");
my ($dsn) = $guide =~ /```ini\n(\[issuelist\]\n.*?)```/s;
ok($dsn, 'the guide has the [issuelist] data source');
$dsn =~ s/^(Servername\s*=\s*).*$/${1}127.0.0.1/m;
$dsn =~ s/^(Port\s*=\s*).*$/$1$port/m;
$dsn =~ s/^(Database\s*=\s*).*$/${1}province/m;
$dsn =~ s/^(Username\s*=\s*).*$/${1}bi_odbc/m;
$dsn =~ s/^(SSLmode\s*=\s*).*$/${1}disable/m;
append_to_file("$tmp/odbc.ini", $dsn);
append_to_file("$tmp/odbcinst.ini", "[PostgreSQL Unicode]\nDriver = $odbc_driver\n");
my $pg_include = `pg_config --includedir`;
chomp $pg_include;
IPC::Run::run([ 'cc', '-o', "$tmp/odbc_check", "$top/tests/bi/odbc_check.c",
		"-I$pg_include", '-lpq', '-lodbc' ], '>', \$out, '2>', \$err)
  or BAIL_OUT("cannot build odbc_check: $err");
($rc, $out, $err) = odbc_check('');
is($rc, 0, 'ODBC: every value decodes as libpq reads it, none truncated') or diag("$out\n$err");
note("odbc_check: view.column, ODBC type, column size, rows\n$out");
like($out, qr/^${\ scalar @views} views, 0 problems$/m, 'ODBC: every view read');
my %odbc = map { /^(\S+)\t(-?\d+)\t(\d+)\t(\d+)$/ ? ($1 => [ $2, $3, $4 ]) : () } split /\n/, $out;
is_deeply([ sort keys %odbc ], [ sort @columns ], 'ODBC: every column reported');
is($odbc{'issues.is_open'}[0], -7, 'ODBC: booleans are SQL_BIT, as BoolsAsChar = 0 asks');
is_deeply([ @{ $odbc{'issue_events.note'} }[ 0, 1 ] ], [ -1, 65536 ],
	'ODBC: text is long text of MaxLongVarcharSize characters, as the guide sets it');

# The checks catch what they look for: a view with an array, an ltree, a
# double, an enum-like domain, no comments and a value longer than the
# ODBC column size.
$node->safe_psql('province', q{
	CREATE DOMAIN public.code AS text;
	CREATE VIEW issuelist_bi.bad WITH (security_invoker = true) AS
		SELECT ARRAY[1, 2] AS arr, 'a.b'::public.ltree AS tree, 1.5::float8 AS dbl,
			   'x'::public.code AS dom, repeat('x', 70000) AS long_text;
	GRANT SELECT ON issuelist_bi.bad TO issuelist_reader;
});
($rc, $out, $err) = jdbc_check();
is($rc, 1, 'JDBC check fails on a bad view');
like($out, qr/^problem: bad: getTables gives no REMARKS$/m, 'JDBC: names a view without a remark');
like($out, qr/^problem: bad\.arr: getColumns reports ARRAY$/m, 'JDBC: names an ARRAY column');
like($out, qr/^problem: bad\.tree: getColumns reports OTHER$/m, 'JDBC: names an OTHER column');
like($out, qr/^problem: bad\.dbl: getColumns reports DOUBLE, not a plain type$/m,
	'JDBC: names a column of another type');
like($out, qr/^problem: bad\.dom: getColumns reports DISTINCT$/m, 'JDBC: names a DISTINCT (domain) column');
like($out, qr/^problem: bad\.long_text: getColumns gives no REMARKS$/m, 'JDBC: names a column without a remark');
# The driver's default size for text, 8190 characters, against a longer value.
($rc, $out, $err) = odbc_check(';MaxLongVarcharSize=8190');
is($rc, 1, 'ODBC check fails on a bad view');
like($out, qr/^problem: bad\.long_text: row 1: 70000 characters exceed the column size 8190$/m,
	'ODBC: names a value longer than its column size');
like($out, qr/^problem: bad\.dbl: ODBC type \d+ is not a plain type$/m, 'ODBC: names a column of another type');

done_testing();
