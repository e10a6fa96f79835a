# The client's machinery: psql's exit codes, -c and -f stopping at the first
# error, errors on stderr with their SQLSTATE, SQL passed through (statements
# split at semicolons outside quotes, dollar quotes and comments), the
# backslash commands, the output formats, the rc file.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = PostgreSQL::Test::Cluster->new('basics');
$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
$node->start;
my $conn = $node->connstr('postgres');
my $dir = PostgreSQL::Test::Utils::tempdir;

sub client { return run_client([ $conn, @_ ]) }

sub script
{
	my ($name, $text) = @_;
	my $path = "$dir/$name";
	open my $fh, '>:raw', $path or die $!;
	print $fh $text;
	close $fh;
	return $path;
}

# --- exit codes ----------------------------------------------------------
my ($rc, $out, $err) = client('-c', 'SELECT 1 AS one');
is($rc, 0, 'exit 0 when the command succeeds');
is($out, " one\n-----\n   1\n(1 row)\n\n", 'result as an aligned table');

($rc, $out, $err) = client('-c', 'SELECT nope');
is($rc, 1, 'exit 1 when a -c command fails');
is($out, '', 'nothing on stdout after an error');
like($err, qr/^ERROR:  42703: column "nope" does not exist\nLINE 1: SELECT nope\n/,
	'the server\'s message with its SQLSTATE on stderr');

($rc, $out, $err) = client('-c', 'SELECT 1 AS a', '-c', 'SELECT nope', '-c', 'SELECT 3 AS c');
is($rc, 1, 'several -c: exit 1 at the failing one');
like($out, qr/^ a$/m, 'the command before the error ran');
unlike($out, qr/^ c$/m, 'the command after the error did not run');

my $f = script('stop.sql', "SELECT 1 AS first;\n-- a comment line\nSELECT nope;\nSELECT 3 AS third;\n");
($rc, $out, $err) = client('-f', $f);
is($rc, 3, '-f: exit 3 when the script stops on an error');
like($err, qr/^issuelist:\Q$f\E:3: ERROR:  42703: column "nope"/m, 'the error names file and line');
like($out, qr/ first/, 'statements before the error ran');
unlike($out, qr/third/, 'statements after the error did not run');

($rc, $out, $err) = run_client([$conn], stdin => "SELECT 1 AS a;\nSELECT nope;\nSELECT 2 AS b;\n");
is($rc, 3, 'piped input is a script: exit 3');
unlike($out, qr/^ b$/m, 'piped script stopped at the error');
like($err, qr/^issuelist:<stdin>:2: ERROR:  42703/m, 'stdin errors name <stdin> and the line');

($rc, $out, $err) = client('-f', "$dir/missing.sql");
is($rc, 1, 'exit 1 when the -f file does not exist');
like($err, qr/missing\.sql: No such file/, 'names the missing file');

($rc, $out, $err) = run_client(['--no-such-option']);
is($rc, 1, 'exit 1 for an unknown option');

($rc, $out, $err) = client('-c', 'report');
is($rc, 1, 'a command used wrongly in -c: exit 1');
like($err, qr/report: missing argument\nUsage: report ORG \[QUARTER\]/, 'usage line on error');
($rc, $out, $err) = client('-f', script('usage.sql', "SELECT 1;\nrank top\n"));
is($rc, 3, 'a command used wrongly in -f: exit 3');

# exit 2: the server ends the session, during -c and during a script
($rc, $out, $err) = client('-c', 'SELECT pg_terminate_backend(pg_backend_pid())');
is($rc, 2, 'exit 2 when the server terminates the session (-c)');
like($err, qr/terminating connection due to administrator command/, 'the server\'s reason is shown');
like($err, qr/connection to server was lost/, 'says the connection was lost');

{
	my ($in, $o, $e) = ('', '', '');
	my $h = IPC::Run::start([ client_path(), $conn, '-f',
			script('sleep.sql', "SELECT pg_sleep(60);\nSELECT 'not reached';\n") ],
		'<', \$in, '>', \$o, '2>', \$e);
	$node->poll_query_until('postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60);'"
	) or die 'the client did not start its query';
	$node->safe_psql('postgres',
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60);'");
	$h->finish;
	is($? >> 8, 2, 'exit 2 when another session terminates ours (-f)');
	unlike($o, qr/not reached/, 'nothing runs after the connection is lost');
}

# --- SQL passed through --------------------------------------------------
my $sql = <<'EOF';
SELECT 'a;b' AS quoted, $$c;d$$ AS dollar, $x$ it's; $$ $x$ AS tagged; SELECT 2 AS second;
SELECT E'e\';f' AS escaped, "ab;c" FROM (SELECT 1 AS "ab;c") s /* ; in a comment */ -- ; here too
;
SELECT
  (1
   + 2) AS multi
  -- the statement ends here
  ;
CREATE TABLE t (a int, b text);
COPY t FROM STDIN;
1	one
2	two
\.
COPY t TO STDOUT (FORMAT csv);
SELECT count(*) AS n FROM t
EOF
($rc, $out, $err) = client('-f', script('pass.sql', $sql));
is($rc, 0, 'SQL script runs');
is($err, '', 'no errors');
like($out, qr/^ quoted \| dollar \|   tagged\n-+\+-+\+-+\n a;b    \| c;d    \|  it's; \$\$\n/m,
	'semicolons inside quotes and dollar quotes do not split');
like($out, qr/^ second\n/m, 'two statements on one line');
like($out, qr/^ escaped \| ab;c\n-+\+-+\n e';f    \|    1\n/m, 'E strings and quoted identifiers');
like($out, qr/^ multi\n-------\n     3\n/m, 'a statement over several lines');
like($out, qr/^CREATE TABLE$/m, 'command tags are printed');
like($out, qr/^COPY 2\n1,one\n2,two\nCOPY 2\n/m, 'COPY FROM STDIN reads the script; COPY TO STDOUT writes');
like($out, qr/^ n\n---\n 2\n/m, 'the last statement runs without a semicolon');

# --- backslash commands ---------------------------------------------------
($rc, $out, $err) = client('-c', '\x', '-c', "SELECT 1 AS a, 'two' AS bb");
is($out, "Expanded display is on.\n-[ RECORD 1 ]\na  | 1\nbb | two\n\n", '\x: expanded records');
($rc, $out, $err) = client('-x', '-c', "SELECT 1 AS a UNION ALL SELECT 2");
like($out, qr/-\[ RECORD 2 \]/, '-x: expanded from the command line');

my $o = "$dir/out.txt";
($rc, $out, $err) = client('-c', "\\o $o", '-c', 'SELECT 42 AS answer', '-c', '\o', '-c', 'SELECT 7 AS seven');
is(slurp_file($o), " answer\n--------\n     42\n(1 row)\n\n", '\o FILE: results go to the file');
like($out, qr/seven/, '\o alone: back to stdout');
unlike($out, qr/answer/, 'nothing of the file on stdout');

($rc, $out, $err) = client('-c', '\timing on', '-c', 'SELECT 1 AS a');
like($out, qr/^Timing is on\.\n.*^Time: \d+\.\d{3} ms$/ms, '\timing prints the time of each command');

($rc, $out, $err) = client('-v', 'who=O\'Brien', '-c', '\set n 5', '-c', "SELECT :'who' AS who, :n + 1 AS n, :\"who\" FROM (SELECT 1 AS \"O'Brien\") s");
is($rc, 0, 'variables interpolate') or diag($err);
like($out, qr/^ O'Brien \| 6 \|\s+1$/m, ":'v' quotes a literal, :\"v\" an identifier, :v as is");
($rc, $out, $err) = client('-c', '\set');
like($out, qr/^DBNAME = 'postgres'$/m, '\set lists variables, DBNAME among them');
($rc, $out, $err) = client('-c', '\?');
like($out, qr/^  \\x\s+\[on\|off\|auto\]/m, '\? lists the backslash commands');
($rc, $out, $err) = client('-c', 'help');
like($out, qr/^  report\s+ORG \[QUARTER\]/m, 'help lists the commands');
($rc, $out, $err) = client('-c', 'help rank');
like($out, qr/^Example:\n    rank /m, 'help NAME shows an example');
($rc, $out, $err) = client('-c', '\nosuch');
is($rc, 1, 'an unknown backslash command is an error');
($rc, $out, $err) = client('-c', '\echo hello world', '-c', '\pset format csv', '-c', 'SELECT 1 AS a');
is($out, "hello world\nOutput format is csv.\na\n1\n", '\echo and \pset format');

# --- output formats -------------------------------------------------------
my $q = "SELECT '义乌市' AS name, 42 AS n, NULL::text AS none, 'a,\"b\"' AS tricky, true AS t UNION ALL SELECT 'Lin''an', 7, '', E'x\\ny', false";
($rc, $out) = client('-c', $q);
is($out, <<'EOF', 'aligned: CJK text lines up, numbers to the right, newlines marked');
  name  | n  | none | tricky | t
--------+----+------+--------+---
 义乌市 | 42 |      | a,"b"  | t
 Lin'an |  7 |      | x     +| f
        |    |      | y      |
(2 rows)

EOF
($rc, $out) = client('--csv', '-c', $q);
is($out, qq{name,n,none,tricky,t\n义乌市,42,,"a,""b""",t\nLin'an,7,"","x\ny",f\n}, 'csv: quoted where needed, NULL empty, "" empty string');
($rc, $out) = client('--json', '-c', $q);
is($out, qq{[\n{"name":"义乌市","n":42,"none":null,"tricky":"a,\\"b\\"","t":true},\n{"name":"Lin'an","n":7,"none":"","tricky":"x\\ny","t":false}\n]\n}, 'json: typed values');
($rc, $out) = client('--markdown', '-c', $q);
is($out, <<'EOF', 'markdown: a table with numbers aligned right');
| name   |   n | none | tricky | t   |
| ------ | --: | ---- | ------ | --- |
| 义乌市 |  42 |      | a,"b"  | t   |
| Lin'an |   7 |      | x<br>y | f   |

EOF

# --- the rc file ---------------------------------------------------------
my $rcfile = script('rc', "\\set greeting hello\n");
($rc, $out, $err) = run_client([ $conn, '-c', "SELECT :'greeting' AS g" ], env => { ISSUELISTRC => $rcfile });
like($out, qr/hello/, 'the rc file runs first');
($rc, $out, $err) = run_client([ $conn, '-X', '-c', "SELECT :'greeting' AS g" ], env => { ISSUELISTRC => $rcfile });
is($rc, 1, '-X skips the rc file');

($rc, $out) = run_client(['--help']);
is($rc, 0, '--help exits 0');
like($out, qr/Exit status: 0 ok, 1 error, 2 connection lost, 3 a script/, '--help documents the exit codes');

done_testing();
