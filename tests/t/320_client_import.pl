# import FILE.csv: a spreadsheet export streamed through COPY; all rows or
# none; each bad row named with its line, column and reason.  And the
# client's memory stays bounded however many rows go through it: an import
# and a csv result of 200,000 rows against a 1,000-row baseline.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = client_node('import');
my $conn = $node->connstr('fixture');
my $dir = PostgreSQL::Test::Utils::tempdir;

sub file
{
	my ($name, $text) = @_;
	open my $fh, '>:raw', "$dir/$name" or die $!;
	print $fh $text;
	close $fh;
	return "$dir/$name";
}
sub issues { return $node->safe_psql('fixture', 'SELECT count(*) FROM issuelist.issue') }

my $count = issues();

# A good file: a record over two lines inside quotes, a comma in a quoted
# title, names and Chinese spellings, CRLF line ends, a blank line.
my $good = file('good.csv',
	    "list,org,severity,title,found_on,due_on,origin,official,source,detail\r\n"
	  . "audit,Yiwu,major,\"Procurement without tender, 2 cases\",2025-10-10,,external,Wang Fang,Audit round 3,\"Two contracts\r\nsigned without tender\"\r\n"
	  . "\r\n"
	  . "巡视巡察,义乌市,一般,Meeting minutes missing,2025-10-11,2026-01-31,self,,Inspection round 3,\r\n"
	  . "safety,330106,III,Fire exits blocked at the market,2025-10-12,,,,,\r\n");
my ($rc, $out, $err) = run_client([ $conn, '-c', "import $good" ]);
is($rc, 0, 'a good file imports') or diag($err);
is($out, " issues |   first_code    |    last_code\n--------+-----------------+-----------------\n      3 | AUD-2025-000013 | SAF-2025-000012\n\n",
	'how many, and the first and last codes');
is(issues(), $count + 3, 'three issues more');
# The official is stored by code (the one Yiwu knows by that name); its name is beside it.
is($node->safe_psql('fixture', "SELECT i.title || '|' || i.detail || '|' || o.name || '|' || i.due_on FROM issuelist.issue i JOIN issuelist.official o ON o.code = i.official WHERE i.code = 'AUD-2025-000013'"),
	"Procurement without tender, 2 cases|Two contracts\r\nsigned without tender|Wang Fang|2025-12-09",
	'values as written, the due day from the deadline policy');
is($node->safe_psql('fixture', "SELECT list || ' ' || org || ' ' || severity || ' ' || origin FROM issuelist.issue WHERE title = 'Meeting minutes missing'"),
	'inspection 330782 general self', 'Chinese list, organization and severity spellings');
$count += 3;

# Chinese headings and Excel's byte order mark.
my $zh = file('zh.csv', "\xEF\xBB\xBF清单,单位,等级,问题,发现日期\n审计,金华市,重大,预算执行不规范,2025-10-15\n");
($rc, $out, $err) = run_client([ $conn, '-c', "import $zh" ]);
is($rc, 0, 'Chinese headings and a byte order mark') or diag($err);
$count += 1;

# A bad file: every bad row is named; nothing is imported.
my $bad = file('bad.csv',
	    "list,org,severity,title,found_on,due_on\n"
	  . "audit,Yiwu,urgent,A,2025-10-10,\n"
	  . "nolist,Nowhere,major,B,2025-13-01,\n"
	  . "audit,Yiwu,major,,2025-10-10,2025-01-01\n"
	  . "audit,Yiwu,major,C\n"
	  . "safety,330106,general,\"good row\",2025-10-12,\n"
	  . "audit,Jiangbei,serious,D,2099-01-01,\n");
($rc, $out, $err) = run_client([ $conn, '-c', "import $bad" ]);
is($rc, 1, 'a bad file: exit 1');
is($err, <<"EOF2", 'each bad row with its line, column and reason');
$bad:2: severity: invalid input syntax for type severity: "urgent"
$bad:3: found_on: date/time field value out of range: "2025-13-01"
$bad:3: list: unknown list "nolist"
$bad:3: org: unknown organization "Nowhere"
$bad:4: due_on: due day 2025-01-01 is before the found day 2025-10-10
$bad:4: title: a title is required
$bad:5: expected 6 columns, found 4
$bad:7: found_on: found day 2099-01-01 is in the future
$bad:7: org: unknown organization "Jiangbei"
issuelist: import $bad: 9 errors in 5 rows; nothing was imported
EOF2
is(issues(), $count, 'nothing of the bad file was imported, not even its good row');
($rc, $out, $err) = run_client([ $conn, '-f', file('bad.sql', "import $bad\nSELECT 'not reached';\n") ]);
is($rc, 3, 'in a script, a bad import stops it with exit 3');
unlike($out, qr/not reached/, 'nothing after it runs');

# Inside the user's transaction the import is a savepoint: rolled back with it.
($rc, $out, $err) = run_client([ $conn, '-f', file('tx.sql', "BEGIN;\nimport $good\nROLLBACK;\n") ]);
is($rc, 0, 'import inside a transaction') or diag($err);
is(issues(), $count, 'rolled back with the transaction');

my $unknown = file('unknown.csv', "list,org,sev,title\naudit,Yiwu,major,T\n");
($rc, $out, $err) = run_client([ $conn, '-c', "import $unknown" ]);
is($rc, 1, 'an unknown heading is refused');
like($err, qr/^\Q$unknown\E:1: unknown column "sev" \(the columns are list, org, severity, title, found_on, due_on, origin, official, source, detail, ref\)\n\Q$unknown\E:1: the column "severity" is missing$/m,
	'names the unknown and the missing columns');
($rc, $out, $err) = run_client([ $conn, '-c', "import $dir/none.csv" ]);
is($rc, 1, 'a missing file is an error');
like($err, qr/none\.csv: No such file or directory/, 'says so');

# --- bounded memory ---------------------------------------------------
sub big_file
{
	my ($name, $rows) = @_;
	open my $fh, '>', "$dir/$name" or die $!;
	print $fh "list,org,severity,title,found_on\n";
	print $fh "audit,Yiwu,general,\"Row $_, with a comma\",2025-10-10\n" for 1 .. $rows;
	print $fh "audit,Yiwu,urgent,the last row is bad,2025-10-10\n";
	close $fh;
	return "$dir/$name";
}
my ($small_rc, $small_kb) = peak_memory($conn, '-c', 'import ' . big_file('small.csv', 1000));
my ($big_rc, $big_kb, undef, $big_err) = peak_memory($conn, '-c', 'import ' . big_file('big.csv', 200_000));
is($big_rc, 1, '200,000 rows: the bad last row refuses the import');
like($big_err, qr/big\.csv:200002: severity: invalid input syntax/, 'and is named by its line');
cmp_ok($big_kb, '<', $small_kb * 1.5, "import: peak memory bounded ($big_kb kB for 200,000 rows, $small_kb kB for 1,000)");
is(issues(), $count, 'nothing imported');

my ($csv_small_rc, $csv_small_kb) = peak_memory($conn, '--csv', '-c', 'SELECT i, md5(i::text) FROM generate_series(1, 1000) i');
my ($csv_rc, $csv_kb, $csv_bytes) = peak_memory($conn, '--csv', '-c', 'SELECT i, md5(i::text) FROM generate_series(1, 200000) i');
is($csv_rc, 0, '--csv over 200,000 rows');
cmp_ok($csv_bytes, '>', 200_000 * 30, 'all the rows were written');
cmp_ok($csv_kb, '<', $csv_small_kb * 1.5, "--csv: peak memory bounded ($csv_kb kB for 200,000 rows, $csv_small_kb kB for 1,000)");
note(sprintf('peak memory ratio 200,000 / 1,000 rows: import %.2f, csv %.2f', $big_kb / $small_kb, $csv_kb / $csv_small_kb));

done_testing();
