# Backslash commands as psql has them: names are case-sensitive (\G is not
# \g), an unknown one is "invalid command" with psql's exit status, and \g,
# \gx, \p and \r act on the query buffer as psql's do -- the same scripts
# give the same output through psql and through the client.  Client
# commands (report, lists...) still take any case.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

my $node = client_node('backslash');
my $conn = $node->connstr('fixture');
my $dir = PostgreSQL::Test::Utils::tempdir;

sub client { return run_client([ $conn, '-X', @_ ]) }

# psql itself, with ON_ERROR_STOP as the client always has it; returns
# (exit code, signal, stdout, stderr).
sub psql
{
	my ($args, $stdin) = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run([ 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-d', $conn, @$args ],
		'<', \($stdin // ''), '>', \$out, '2>', \$err);
	return ($? >> 8, $? & 127, $out, $err);
}

# The client, also reporting a death by signal.
sub issuelist
{
	my ($args, $stdin) = @_;
	my ($out, $err) = ('', '');
	local $ENV{ISSUELISTRC} = '/dev/null';
	IPC::Run::run([ client_path(), '-X', $conn, @$args ],
		'<', \($stdin // ''), '>', \$out, '2>', \$err);
	return ($? >> 8, $? & 127, $out, $err);
}

# psql pads table lines with blanks; the client does not.
sub unpadded { return $_[0] =~ s/ +$//mgr }

# --- unknown commands, upper case ---------------------------------------
for my $cmd ('\G', '\P', '\R', '\Q', '\X', '\Gx', '\gX', '\gset', '\nope', '\x123', '\x;', '\\',
	'SELECT 1 \G', 'SELECT 1 AS a \G foo')
{
	my ($name) = $cmd =~ /(\\\S*)/;
	my ($rc, $sig, $out, $err) = issuelist([ '-c', $cmd ]);
	is("$rc/$sig", '1/0', "-c '$cmd': exit 1, as psql -c gives, no signal");
	like($err, qr/^issuelist: invalid command \Q$name\E\n\z/, "-c '$cmd': invalid command $name");
	is($out, '', "-c '$cmd': nothing on stdout");
	($rc, $sig, $out, $err) = issuelist([], "$cmd\nSELECT 'not reached';\n");
	is("$rc/$sig", '3/0', "'$cmd' on standard input: the script stops, exit 3");
	like($err, qr/^issuelist:<stdin>:1: invalid command \Q$name\E\n\z/, "'$cmd' on standard input: names the line");
}
for my $cmd ('\G', '\P', '\R', '\gX')
{
	my ($rc) = psql([ '-c', $cmd ]);
	is($rc, 1, "psql -c '$cmd' exits 1 too");
}

# --- the query buffer, against psql ------------------------------------
# Each script runs through psql and the client: the same stdout (but for
# the blanks psql pads tables with) and the same exit code.
my @scripts = (
	"SELECT 5 AS a\n\\p\n\\g\n\\p\n\\r\n\\p\n\\g\n\\gx\n",
	"\\g\n\\p\n\\r\n\\gx\n",
	"SELECT 1 AS one;\n\\g\n\\p\n",
	"SELECT 1 AS x \\g \\x \\g\n",
	"SELECT 1 AS x \\p \\r \\p\n",
	"SELECT 2 AS y \\gx\nSELECT 3 AS z;\n\\x\n\\gx\n\\g\n",
	"SELECT 1 AS a; SELECT 2 AS b;\n\\p\n\\g\n",
	"SELECT\n1 AS a\n\\p\n;\n\\p\n",
	"  -- a comment\nSELECT 1 AS a -- another\n\n\\p\n\\g\n",
	"SELECT 1 AS a\n\\p \\p\n\\g\n\\p\n",
	"SELECT \$\$a\n\\g\$\$ AS d;\n\\p\n",
	"SELECT 'x\\g' AS q;\n\\p\n",
	"SELECT (1\n\\g\nSELECT 'not reached';\n",
	"SELECT 1 AS a \\G\nSELECT 'not reached';\n",
	"\\G\nSELECT 'not reached';\n",
	"SELECT 4 AS c\n\\r\n\\g\n\\p\n",
);
for my $script (@scripts)
{
	(my $show = $script) =~ s/\n/\\n/g;
	my ($prc, $psig, $pout) = psql([], $script);
	my ($rc, $sig, $out) = issuelist([], $script);
	is("$rc/$sig", "$prc/$psig", "exit code as psql's: $show");
	is($out, unpadded($pout), "output as psql's: $show");
}
# -q silences \p's and \r's messages, as psql's
for my $script ("\\p\n\\r\n", "SELECT 6 AS q\n\\r\n\\p\n")
{
	my ($prc, $psig, $pout) = psql(['-q'], $script);
	my ($rc, $sig, $out) = issuelist(['-q'], $script);
	is($out, unpadded($pout), 'quiet as psql: ' . ($script =~ s/\n/\\n/gr));
}
# each -c has a buffer of its own: \g after another -c sends nothing
my ($rc, $sig, $out, $err) = issuelist([ '-c', 'SELECT 1 AS one;', '-c', '\g' ]);
is("$rc/$sig", '0/0', '\g alone in a -c: exit 0');
is($out, " one\n-----\n   1\n(1 row)\n\n", '\g alone in a -c sends nothing');

# --- \g FILE, \g |COMMAND, \gx --------------------------------------
my $file = "$dir/g.txt";
($rc, $sig, $out) = issuelist([ '-c', "SELECT 7 AS seven \\g $file", '-c', 'SELECT 8 AS eight' ]);
is($rc, 0, '\g FILE: exit 0');
is(slurp_file($file), " seven\n-------\n     7\n(1 row)\n\n", '\g FILE: the result is in the file');
is($out, " eight\n-------\n     8\n(1 row)\n\n", '\g FILE: later results on stdout again');
($rc, $sig, $out) = issuelist([ '-c', "SELECT 9 AS nine \\gx '$dir/with blank.txt'" ]);
is(slurp_file("$dir/with blank.txt"), "-[ RECORD 1 ]\nnine | 9\n\n", '\gx FILE: quoted name, expanded');
($rc, $sig, $out) = issuelist([ '-c', 'SELECT 10 AS ten \g |tr a-z A-Z' ]);
is($out, " TEN\n-----\n  10\n(1 ROW)\n\n", '\g |COMMAND: the result through the command');
($rc, $sig, $out, $err) = issuelist([ '-c', "SELECT 1 \\g $dir/no/such/dir.txt" ]);
is($rc, 1, '\g to a file that cannot be opened: exit 1');
like($err, qr/could not open/, '\g to a file that cannot be opened: says so');
($rc, $sig, $out, $err) = issuelist([ '-c', "\\o $file", '-c', 'SELECT 11 AS o \gx',
	'-c', 'SELECT 12 AS back', '-c', '\o' ]);
is(slurp_file($file), "-[ RECORD 1 ]\no | 11\n\n back\n------\n   12\n(1 row)\n\n",
	'\gx under \o: expanded for that statement only, to the \o file');
# a command that ends before reading everything: no SIGPIPE death
($rc, $sig, $out, $err) = issuelist([ '-c', 'SELECT generate_series(1, 200000) \g |true',
	'-c', "\\o |true", '-c', 'SELECT generate_series(1, 200000)', '-c', '\o',
	'-c', 'SELECT 13 AS alive' ]);
is("$rc/$sig", '0/0', '\g |true and \o |true with a long result: no signal');
like($out, qr/alive/, 'and the client goes on');

# --- extra words, help, client commands in any case ------------------
($rc, $sig, $out, $err) = issuelist([ '-c', '\p extra' ]);
is($rc, 0, '\p with an extra word: still runs, as psql');
like($err, qr/\\p: extra argument "extra" ignored/, 'and warns as psql does');
($rc, $sig, $out) = issuelist([ '-c', '\?' ]);
like($out, qr/^  \\g \[FILE \| \|COMMAND\]/m, '\? lists \g');
like($out, qr/^  \\gx /m, '\? lists \gx');
like($out, qr/^  \\p /m, '\? lists \p');
like($out, qr/^  \\r /m, '\? lists \r');
($rc, $sig, $out) = issuelist([ '-c', 'help \gx' ]);
like($out, qr/^\\gx \[FILE/, 'help \gx');
($rc, $sig, $out, $err) = issuelist([ '-c', 'help \G' ]);
is($rc, 1, 'help \G: no such command');
my ($lrc, $lsig, $lists) = issuelist([ '-c', 'lists' ]);
for my $spelling ('LISTS', 'Lists', 'lists;')
{
	($rc, $sig, $out) = issuelist([ '-c', $spelling ]);
	is($out, $lists, "client commands take any case: $spelling");
}

done_testing();
