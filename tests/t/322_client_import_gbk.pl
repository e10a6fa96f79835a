# import reads CSV saved by Excel on Chinese Windows: GB18030/GBK, detected
# when the file is not UTF-8 or named with encoding=NAME; a UTF-8 file with
# a byte-order mark; a record whose bytes are not in the encoding is named
# with its line, and nothing is imported.  The GBK files are made with
# iconv from UTF-8 text, as Excel writes them.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = client_node('import_gbk');
my $conn = $node->connstr('fixture');
my $dir = PostgreSQL::Test::Utils::tempdir;

# UTF-8 text written to a file in an encoding (iconv, from the C library).
sub write_file
{
	my ($name, $text, $encoding) = @_;
	my $utf8 = "$dir/$name.utf8";
	open my $fh, '>:raw', $utf8 or die $!;
	print $fh $text;
	close $fh;
	return $utf8 unless $encoding;
	system("iconv -f UTF-8 -t $encoding '$utf8' > '$dir/$name'") == 0 or die "iconv to $encoding failed";
	return "$dir/$name";
}

sub count_titles
{
	my ($like) = @_;
	return $node->safe_psql('fixture', "SELECT count(*) FROM issuelist.issue WHERE title LIKE '$like'");
}

my $header = "清单,单位,等级,问题,发现日期,责任人,来源\r\n";
my $gbk = write_file('round.csv', $header
	  . "审计,义乌,一般,土地出让金征收不到位,2025-10-10,王芳,审计厅第三轮\r\n"
	  . "督查,东阳,较大,\"违规占用耕地，整改迟缓\",2025-10-11,,督查组\r\n", 'GBK');
ok(-s $gbk, 'a GBK file');

my ($rc, $out, $err) = run_client([ $conn, '-c', "import $gbk" ]);
is($rc, 0, 'a GBK file is imported') or diag($err);
like($out, qr/reading \Q$gbk\E as GB18030/, 'detected as GB18030');
like($out, qr/^\s+2 \| AUD-2025-\d+ \| SUP-2025-\d+$/m, 'both rows registered') or diag($out);
is($node->safe_psql('fixture', q{
	SELECT string_agg(i.list || '|' || i.org || '|' || i.severity || '|' || i.title || '|'
					  || coalesce(o.name, '') || '|' || i.source, E'\n' ORDER BY i.title)
	  FROM issuelist.issue i LEFT JOIN issuelist.official o ON o.code = i.official
	 WHERE i.found_on IN ('2025-10-10', '2025-10-11') AND i.title ~ '[^ -~]'}),
	"audit|330782|general|土地出让金征收不到位|王芳|审计厅第三轮\n"
	  . "supervision|330783|serious|违规占用耕地，整改迟缓||督查组",
	'every Chinese field reads as written: list, organization, severity, title, official, source');

# Named explicitly, GBK and GB18030 alike.
my $named = write_file('named.csv', $header . "重大安全风险,永康,重大,消防通道堵塞,2025-10-12,,消防检查\r\n", 'GB18030');
($rc, $out, $err) = run_client([ $conn, '-c', "import $named encoding=GB18030" ]);
is($rc, 0, 'encoding=GB18030 names the encoding') or diag($err);
is(count_titles('消防通道堵塞'), '1', 'and its row is registered');

# UTF-8 with the byte-order mark Excel's "CSV UTF-8" writes.
my $bom = write_file('bom.csv', "\xEF\xBB\xBF" . $header . "审计,武义,一般,专项资金闲置,2025-10-13,,审计\r\n");
($rc, $out, $err) = run_client([ $conn, '-c', "import $bom" ]);
is($rc, 0, 'a UTF-8 file with a byte-order mark is imported') or diag($err);
unlike($out, qr/reading .* as/, 'read as UTF-8');
is(count_titles('专项资金闲置'), '1', 'its row is registered');

# A record that is not GBK (a lone 0xFF byte): named, nothing imported.
my $bad = "$dir/bad.csv";
{
	my $rows = write_file('bad_rows.csv', "审计,义乌,一般,第一个问题,2025-10-14,,审计\r\n", 'GBK');
	open my $in, '<:raw', $rows or die $!;
	my $good = do { local $/; <$in> };
	close $in;
	my $head = write_file('bad_head.csv', $header, 'GBK');
	open $in, '<:raw', $head or die $!;
	my $h = do { local $/; <$in> };
	close $in;
	open my $fh, '>:raw', $bad or die $!;
	print $fh $h, $good, "\xB5\xFF,x,y,z,,,\r\n";
	close $fh;
}
($rc, $out, $err) = run_client([ $conn, '-c', "import $bad encoding=GBK" ]);
is($rc, 1, 'a record that is not GBK fails the import');
like($err, qr/:3:.*not valid GBK text/, 'it is named by its line');
is(count_titles('第一个问题'), '0', 'and nothing of the file is imported');

($rc, $out, $err) = run_client([ $conn, '-c', "import $gbk encoding=KLINGON" ]);
is($rc, 1, 'an unknown encoding fails');
like($err, qr/unknown encoding "KLINGON" \(the encodings are UTF-8, GB18030 and GBK\)/, 'and says which there are');
($rc, $out, $err) = run_client([ $conn, '-c', "import $gbk GBK" ]);
is($rc, 1, 'a second argument that is not encoding=NAME fails');
like($err, qr/encoding=NAME/, 'with the usage');

$node->stop;
done_testing();
