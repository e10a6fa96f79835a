# Superset's path (and that of most Python BI tools): every view of
# issuelist_bi read through SQLAlchemy's inspector over psycopg2 (Debian's
# python3-sqlalchemy and python3-psycopg2, with Debian's python3), as a BI
# login over TCP with the connection URI of docs/bi-guide.md: every view
# listed and commented, every column of a type SQLAlchemy knows (no
# NullType) with its comment, every view read.  Then a bad view shows that
# the check catches what it looks for.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistBI;

my $top = top_dir();
my $python = '/usr/bin/python3';
# Debian packages that make installs (PACKAGES in the Makefile): a missing
# one is a failure, not a reason to skip.
my @missing;
push @missing, 'python3' unless -x $python;
for my $module ([ 'sqlalchemy', 'python3-sqlalchemy' ], [ 'psycopg2', 'python3-psycopg2' ])
{
	push @missing, $module->[1]
	  unless -x $python && system($python, '-c', "import $module->[0]") == 0;
}
if (@missing)
{
	fail("Debian packages installed: missing @missing");
	done_testing();
	exit;
}
my $version = `$python -c 'import sqlalchemy; print(sqlalchemy.__version__)'`;
chomp $version;
note("SQLAlchemy $version");

my $node = bi_node('bi_sqlalchemy', per_quarter => 100);
bi_login($node, 'bi_superset', 'superset secret', '330000');
my @views = bi_views($node);
my @columns = bi_columns($node);
cmp_ok(scalar @views, '>=', 6, 'issuelist_bi has its views');

# The URI as docs/bi-guide.md writes it, pointed at this server; the space
# of the password percent-encoded, as the guide says.
my $guide = slurp_file("$top/docs/bi-guide.md");
my ($uri) = $guide =~ m{^\s+(postgresql\+psycopg2://\S+)$}m;
ok($uri, 'the guide has the SQLAlchemy URI');
like($uri // '', qr{^postgresql\+psycopg2://bi_superset:PASSWORD\@[^:/]+:5432/issuelist(\?.*)?$},
	'the URI names the login, the password, the host, port 5432 and the database');
$uri = "postgresql+psycopg2://bi_superset:superset%20secret\@127.0.0.1:" . $node->port
  . "/province?sslmode=disable";

sub sqlalchemy_check
{
	my ($o, $e) = ('', '');
	IPC::Run::run([ $python, "$top/tests/bi/sqlalchemy_check.py", $uri, 'issuelist_bi' ],
		'>', \$o, '2>', \$e);
	return ($? >> 8, $o, $e);
}

my ($rc, $out, $err) = sqlalchemy_check();
is($rc, 0, 'SQLAlchemy: no problem with any view') or diag("$out\n$err");
note("sqlalchemy_check: view.column, SQLAlchemy type, rows read\n$out");
like($out, qr/^${\ scalar @views} views, 0 problems$/m, 'SQLAlchemy: every view listed and read');
my %sa = map { /^(\S+)\t(\S+)\t(-?\d+)$/ ? ($1 => [ $2, $3 ]) : () } split /\n/, $out;
is_deeply([ sort keys %sa ], [ sort @columns ], 'SQLAlchemy: every column reported');
my @odd = grep { $sa{$_}[0] !~ /^(TEXT|INTEGER|BIGINT|NUMERIC|BOOLEAN|DATE|TIMESTAMP)$/ } keys %sa;
is_deeply(\@odd, [], 'SQLAlchemy: every column of a plain type');
is($sa{'issues.found_on'}[0], 'DATE', 'SQLAlchemy: a date is DATE (a temporal column for Superset)');
is($sa{'list_daily.time'}[0], 'TIMESTAMP', 'SQLAlchemy: timestamptz is TIMESTAMP');
ok((grep { $_->[1] > 0 } values %sa) == @columns, 'SQLAlchemy: every view returned rows');

# The check catches what it looks for: a view of a type SQLAlchemy does not
# know (ltree: NullType), without comments, and a view that cannot be read.
$node->safe_psql('province', q{
	CREATE VIEW issuelist_bi.bad WITH (security_invoker = true) AS
		SELECT 'a.b'::public.ltree AS tree, 1 AS plain;
	GRANT SELECT ON issuelist_bi.bad TO issuelist_reader;
	CREATE VIEW issuelist_bi.unreadable WITH (security_invoker = true) AS
		SELECT 1 AS one;
	COMMENT ON VIEW issuelist_bi.unreadable IS 'Not granted to the readers.';
	COMMENT ON COLUMN issuelist_bi.unreadable.one IS 'One.';
	REVOKE ALL ON issuelist_bi.unreadable FROM PUBLIC, issuelist_reader;
});
($rc, $out, $err) = sqlalchemy_check();
is($rc, 1, 'SQLAlchemy check fails on a bad view');
like($out, qr/^problem: bad: get_table_comment gives no comment$/m, 'names a view without a comment');
like($out, qr/^problem: bad\.tree: get_columns gives NullType$/m, 'names a column of a type SQLAlchemy does not know');
like($out, qr/^problem: bad\.plain: get_columns gives no comment$/m, 'names a column without a comment');
unlike($out, qr/^problem: bad\.plain: get_columns gives NullType$/m, 'a plain column is not NullType');
like($out, qr/^problem: unreadable: SELECT fails: .*permission denied/m, 'names a view it cannot read');
like($out, qr/^${\ (scalar @views + 2)} views, 5 problems$/m, 'the bad views are listed, five problems');

done_testing();
