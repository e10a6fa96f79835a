# Evidence through the client: attach sends a file as a binary bytea, and
# "evidence get" writes it back byte for byte (a 10 MB file, its SHA-256
# checked on both sides); the client's peak memory for it is bounded by the
# file read once plus libpq's copy; the media type is guessed from the
# extension; a file over evidence_max_bytes is refused with the server's
# message; on a terminal a large file shows its progress.
use strict;
use warnings;
use Digest::SHA qw(sha256_hex);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = client_node('evidence');
$node->safe_psql('postgres', 'CREATE DATABASE work TEMPLATE fixture');
my $work = $node->connstr('work');
my $dir = PostgreSQL::Test::Utils::tempdir;

# A file of pseudo-random bytes (every byte value, NULs too).
sub make_file
{
	my ($name, $bytes) = @_;
	srand(13);
	open my $fh, '>:raw', "$dir/$name" or die $!;
	my $left = $bytes;
	while ($left > 0)
	{
		my $n = $left < 65536 ? $left : 65536;
		print $fh pack('C*', map { int(rand(256)) } 1 .. $n);
		$left -= $n;
	}
	close $fh;
	return "$dir/$name";
}
my $big = make_file('site photos.tif', 10 * 1024 * 1024);
my $small = make_file('receipt.PDF', 1024);
my $big_sha = sha256_hex(slurp_file($big));

# the memory: a 1 kB file, then a 10 MB one
my ($small_rc, $small_kb) = peak_memory($work, '-X', '-c', "attach AUD-2025-000001 '$small' the receipt");
is($small_rc, 0, 'a 1 kB file is attached');
my ($big_rc, $big_kb, undef, $big_err) = peak_memory($work, '-X', '-c',
	"attach AUD-2025-000001 '$big' photos of the new fire exits");
is($big_rc, 0, 'a 10 MB file is attached') or diag($big_err);
my $extra_mb = ($big_kb - $small_kb) / 1024;
cmp_ok($extra_mb, '<', 2 * 10 + 4,
	sprintf('attach: peak memory bounded (%d kB for 10 MB, %d kB for 1 kB: %.1f MB more, the file once and libpq\'s copy)',
		$big_kb, $small_kb, $extra_mb));
note(sprintf('attach of 10 MB: peak RSS %d kB, %.1f MB over a 1 kB attach (%.2f times the file)',
	$big_kb, $extra_mb, $extra_mb / 10));

# the list: both pieces, the types guessed, the digest the server computed
my ($rc, $out, $err) = run_client([ $work, '-X', '--csv', '-c', 'evidence AUD-2025-000001' ]);
is($rc, 0, 'evidence lists the pieces');
like($out, qr/^1,receipt\.PDF,application\/pdf,1024,/m, 'the pdf, by its extension in any case');
like($out, qr/^2,site photos\.tif,image\/tiff,10485760,$big_sha,/m,
	'the 10 MB file with the SHA-256 of what was sent');

# back, byte for byte
($rc, $out, $err) = run_client([ $work, '-X', '-c', "evidence get 2 '$dir/back.tif'" ]);
is($rc, 0, 'evidence get writes a file') or diag($err);
like($out, qr/wrote 10485760 bytes to \Q$dir\E\/back\.tif/, 'and says how much');
is(-s "$dir/back.tif", 10 * 1024 * 1024, 'the size is the same');
is(sha256_hex(slurp_file("$dir/back.tif")), $big_sha, 'the SHA-256 is the same');
is(slurp_file("$dir/back.tif"), slurp_file($big), 'byte for byte');
my ($get_rc, $get_kb) = peak_memory($work, '-X', '-c', "evidence get 2 '$dir/back2.tif'");
note("evidence get of 10 MB: peak RSS $get_kb kB");

# the stored name, in the current directory, never overwritten
my $here = "$dir/here";
mkdir $here or die $!;
{
	require Cwd;
	my $cwd = Cwd::getcwd();
	chdir $here or die $!;
	($rc, $out, $err) = run_client([ $work, '-X', '-c', 'evidence get 1' ]);
	is($rc, 0, 'evidence get without FILE');
	is(slurp_file("$here/receipt.PDF"), slurp_file($small), 'writes the stored name here');
	($rc, $out, $err) = run_client([ $work, '-X', '-c', 'evidence get 1' ]);
	is($rc, 1, 'a second time it is refused');
	like($err, qr/could not create "receipt\.PDF": File exists \(give FILE/, 'the file is not overwritten');
	chdir $cwd or die $!;
}

# the other extensions and the errors
my $other = make_file('notes.bin', 10);
($rc, $out, $err) = run_client([ $work, '-X', '-c', "attach AUD-2025-000001 '$other'" ]);
like($out, qr/application\/octet-stream/, 'an unknown extension is application/octet-stream');
($rc, $out, $err) = run_client([ $work, '-X', '-c', "attach AUD-2025-000001 '$dir/nowhere.pdf'" ]);
is($rc, 1, 'a missing file is an error');
like($err, qr/attach: could not open "\Q$dir\E\/nowhere\.pdf": No such file/, 'naming it');
($rc, $out, $err) = run_client([ $work, '-X', '-c', "attach AUD-2025-000001 '$dir'" ]);
like($err, qr/is not a regular file/, 'a directory is refused');
($rc, $out, $err) = run_client([ $work, '-X', '-c', 'evidence get 99' ]);
like($err, qr/22023: unknown evidence 99/, 'unknown evidence: the server says so');
($rc, $out, $err) = run_client([ $work, '-X', '-c', "attach NOPE-2025-000001 '$small'" ]);
is($rc, 1, 'an unknown issue is refused');

$node->safe_psql('work',
	"UPDATE issuelist.setting SET value = '1000000' WHERE name = 'evidence_max_bytes'");
my $count = $node->safe_psql('work', 'SELECT count(*) FROM issuelist.evidence');
($rc, $out, $err) = run_client([ $work, '-X', '-c', "attach AUD-2025-000001 '$big'" ]);
is($rc, 1, 'over evidence_max_bytes: refused');
like($err,
	qr/ERROR:  22023: evidence "site photos\.tif" is 10485760 bytes, more than evidence_max_bytes \(1000000\)/,
	'with the server\'s message');
is($node->safe_psql('work', 'SELECT count(*) FROM issuelist.evidence'), $count, 'nothing stored');

# on a terminal: the progress of reading a large file
SKIP:
{
	eval { require IO::Pty; };
	skip 'IO::Pty is needed for the terminal', 2 if $@;
	$node->safe_psql('work',
		"UPDATE issuelist.setting SET value = '20971520' WHERE name = 'evidence_max_bytes'");
	my $s = pty_session($node, 'work');
	pty_send($s, "attach AUD-2025-000001 '$big' again\n",
		qr/reading .*100% \(10\.0 of 10\.0 MB\).*site photos\.tif.*work=# $/s,
		'a large file shows its progress, then the evidence');
	is(pty_finish($s), 0, 'the shell ends normally');
}

done_testing();
