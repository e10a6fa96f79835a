# The client under bad input: random and malformed command lines, commands
# and scripts, backslash commands in any case (the client's, psql's it has
# not, junk), alone or after a statement typed, on -c, on standard input and
# typed on a terminal, and mutated CSV files for import.  The client must
# always exit by itself with one of its documented codes (0 ok, 1 error,
# 2 connection, 3 script stopped) -- never die of a signal, never hang --
# say what is wrong on stderr whenever it fails, and import all rows or
# none; on a terminal every line must bring the prompt back.  A sample of
# the same inputs runs under valgrind, which must report no memory error.
#
# make test runs a few hundred inputs; make fuzz (ISSUELIST_FUZZ_SCALE) many
# more.
use strict;
use warnings;
use Encode qw(encode);
use IPC::Run;
use List::Util qw(uniq);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient qw(client_node client_path run_client);
use IssuelistFuzz qw(fuzz_seed fuzz_scale pick mutate_text random_text mutate_bytes
  random_bytes server_survived figures);

fuzz_seed();
my $scale = fuzz_scale();
my $node = client_node('fuzz_client');
$node->safe_psql('postgres', 'CREATE DATABASE fuzz TEMPLATE fixture');
my $conn = $node->connstr('fuzz');
my $dir = PostgreSQL::Test::Utils::tempdir;

my $codes = [ split /\n/, $node->safe_psql('fuzz', 'SELECT code FROM issuelist.issue ORDER BY random() LIMIT 20') ];
my $orgs = [ (split /\n/, $node->safe_psql('fuzz', 'SELECT code FROM issuelist.org ORDER BY random() LIMIT 10')),
	'Yiwu', "\x{4e49}\x{4e4c}\x{5e02}", 'Jinhua' ];

# The backslash commands, as \? lists them (\q aside: it ends the input),
# and psql's that the client has not.
my ($help_rc, $help) = run_client([ $conn, '-X', '-c', '\\?' ]);
my @backslash = grep { $_ ne 'q' } $help =~ /^  \\(\S+)/mg;
die "no backslash commands in \\?: $help" unless @backslash >= 10;
my @psql_only = qw(gset gexec gdesc d dt l c e ef copy if endif ! h H T a C t z lo_list);

# A backslash command as it may be typed: a name of the client's or
# psql's, in any case, maybe cut or run on, then nothing, words, a file
# (never a |COMMAND but the two harmless ones), or another command.
sub some_backslash
{
	my $name = pick(@backslash, (map { uc } @backslash), @psql_only, '', '\\', 'Q');
	$name = join('', map { rand() < 0.5 ? uc : lc } split //, $name) if rand() < 0.3;
	$name = substr($name, 0, int(rand(length $name))) if rand() < 0.05;
	$name .= pick('x', ';', '1', '?', ':', '"') if rand() < 0.1;
	my $args = pick('', '', '', ' on', ' off', ' auto', ' format csv', ' AS_OF 2025-10-01',
		' two words', ' g.txt', " 'quoted \\g'", ' "g two.txt"', ' missing.sql', ' :AS_OF',
		' |cat', ' |true', ' \\p', ' \\r', ' \\g', ' \\x', ' \\G', ' \\' . pick(@backslash));
	return "\\$name$args";
}

# A statement, complete or begun (a quote, parentheses, a comment left
# open), then backslash commands that act on it or not.
sub some_buffered
{
	my $stmt = pick('SELECT 1 AS a', 'SELECT 1 AS a;', 'SELECT 1/0', "SELECT 'open", 'SELECT (1',
		'SELECT $$x', '/* open', '-- comment', 'SELECT 1; SELECT', 'select generate_series(1, 3000)',
		'', 'SELEC 1');
	return $stmt . pick(' ', "\n", '') . some_backslash() . (rand() < 0.3 ? ' ' . some_backslash() : '');
}

# Words a command line is made of.
my @quarters = ('2025Q3', '2024Q2', '2025-Q1', '9999Q4', '0Q0', 'Q', '2025Q5');
my @states = qw(assigned rectifying continuing rectified closed reopened withdrawn registered nope);
my @commands = (
	sub { 'lists' }, sub { 'orgs' }, sub { 'orgs under ' . pick(@$orgs) },
	sub { 'issue ' . pick(@$codes, 'AUD-0000-000000', '') },
	sub { 'find ' . join(' ', map { pick('list=audit', 'org=' . pick(@$orgs), 'severity>=major',
		'severity<general', 'state=' . pick(@states), 'overdue', 'limit=' . pick(0, -1, 5, 99999999999),
		'fire', '"', "'") } 1 .. int(rand(4))) },
	sub { 'overdue ' . pick(@$orgs, '') },
	sub { 'report ' . pick(@$orgs) . ' ' . pick(@quarters, '') },
	sub { 'rank ' . join(' ', map { pick(@quarters, 'top 3', 'top -1', 'model standard',
		'model nope', 'by topsis', 'by x', 'level city', 'level') } 1 .. int(rand(3))) },
	sub { 'trend ' . pick(@$orgs) . ' ' . pick(@quarters) . ' ' . pick(@quarters, '') },
	sub { 'official ' . pick('"Wang Fang"', 'Nobody', '""', '"unterminated') . ' ' . pick(@$orgs, '') },
	sub { 'advance ' . pick(@$codes) . ' ' . pick(@states) . ' ' . pick('', 'note', '"a note"') },
	sub { 'extend ' . pick(@$codes) . ' ' . pick('2030-01-01', '2020-01-01', 'tomorrow', '') . ' reason' },
	sub { 'tolerate ' . pick(@$codes) . ' ' . pick('"Li Ming"', 'postgres', '') . ' ' . pick('until 2030-01-01', 'until', '') . ' flood' },
	sub { 'help ' . pick('report', 'nope', '', '\\x') },
	sub { pick('\\x', '\\x on', '\\x maybe', '\\timing', '\\timing off', '\\?', '\\set', '\\set AS_OF 2025-10-01',
		'\\set AS_OF junk', '\\unset AS_OF', '\\pset format csv', '\\pset format nope', '\\echo hi',
		'\\p', '\\r', '\\g', '\\o out.txt', '\\o', '\\i missing.sql', '\\nope', 'version', 'quit') },
	\&some_backslash, \&some_backslash, \&some_buffered, \&some_buffered,
	sub { pick('LISTS', 'Report Yiwu', 'RANK top 3', 'Help', 'VERSION', 'hElP \\G') },
	sub { pick('SELECT 1', 'SELECT count(*) FROM issuelist.issues', 'SELECT 1/0', 'SELEC 1',
		"SELECT 'unterminated", 'SELECT repeat(\'x\', 100000)', 'SELECT * FROM issuelist.org LIMIT 3;',
		'SELECT 1; SELECT 2', ';', '') },
);

# One command, maybe mutated in its arguments (never the command word: a
# mutation could otherwise turn "\o file" into "\o |a shell command", and
# none keeps a '|' for the same reason).
sub some_command
{
	my $c = pick(@commands)->();
	if (rand() < 0.3 && $c =~ /^(\S+)( .*)$/s)
	{
		my ($word, $rest) = ($1, $2);
		$rest = mutate_text($rest);
		$rest =~ s/\|//g;
		$c = "$word$rest";
	}
	return $c;
}

# Input for standard input: a few lines of commands.
sub some_script
{
	return join("\n", map { some_command() } 1 .. 1 + int(rand(5))) . "\n";
}

# A command line: options, good and bad, in random order.
sub some_argv
{
	my @argv;
	push @argv, $conn if rand() < 0.9;
	for (1 .. int(rand(5)))
	{
		my $r = rand();
		push @argv,
			$r < 0.4 ? ('-c', some_command())
		  : $r < 0.5 ? ("--command=" . some_command())
		  : $r < 0.6 ? pick('--csv', '--json', '--markdown', '-x', '-q', '-X', '--expanded', '--quiet')
		  : $r < 0.65 ? ('-v', pick('AS_OF=2025-10-01', 'AS_OF', '=x', 'A=B=C', ''))
		  : $r < 0.7 ? ('-o', pick('out.csv', 'sub/none.txt', ''))
		  : $r < 0.75 ? ('-f', pick('script.sql', 'missing.sql', '-', ''))
		  : $r < 0.8 ? pick('-c', '-f', '-v', '-o', '-d', '-p', '-h', '-U')    # missing argument
		  : $r < 0.85 ? ('-p', pick('1', '-1', '65536', 'abc', $node->port))
		  : $r < 0.88 ? pick('--help', '--version', '-?')
		  : $r < 0.95 ? pick('--nope', '-Z', '--csv=x', '--', '-', '---', '-cx')
		  :             random_text(20);
	}
	push @argv, pick('dbname=nosuchdb', 'host=/nonexistent port=1', 'not a conninfo=', 'postgresql://x:y@/z?host=/nope')
	  if rand() < 0.05;
	return \@argv;
}

# Perl character strings as UTF-8 bytes; byte strings as they are.
sub bytes { my ($s) = @_; return utf8::is_utf8($s) ? encode('UTF-8', $s) : $s; }

# Run the client; returns (exit code, signal, stderr, stdout, timed out).
sub run
{
	my ($argv, $stdin, $prefix) = @_;
	my ($out, $err) = ('', '');
	my @cmd = (@{ $prefix || [] }, client_path(), map { bytes($_) =~ s/\0.*//sr } @$argv);
	# Standard input from a file: a client that exits without reading it
	# must not turn into a broken pipe here.
	open my $in, '>:raw', "$dir/stdin" or die $!;
	print $in bytes($stdin // '');
	close $in;
	local $ENV{ISSUELISTRC} = '/dev/null';
	local $ENV{PAGER} = 'cat';
	# Without a conninfo the client goes by PG* variables: to this node.
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGDATABASE} = 'fuzz';
	my $timed_out = 0;
	my $h = IPC::Run::start(\@cmd, '<', "$dir/stdin", '>', \$out, '2>', \$err,
		init => sub { chdir $dir }, IPC::Run::timeout($prefix ? 120 : 30));
	eval { $h->finish; 1 } or do { $timed_out = $@ || 1; $h->kill_kill; };
	return ($? >> 8, $? & 127, $err, $out, $timed_out);
}

# A script for -f: a few commands, one per line.
open my $script, '>:encoding(UTF-8)', "$dir/script.sql" or die $!;
print $script join("\n", map { some_command() } 1 .. 5), "\n";
close $script;

# Every backslash name (the client's in its case, upper case and capitalized,
# psql's it has not), alone, after a statement on its line and after one on
# the line before, on -c and on standard input: no signal, no hang, and an
# unknown name is "invalid command".
my (%sweep_exits, @sweep_bad);
my @names = uniq(@backslash, (map { uc } @backslash), (map { ucfirst } @backslash), @psql_only);
for my $name (@names)
{
	for my $before ('', 'SELECT 1 AS a ', "SELECT 1 AS a\n")
	{
		my $typed = "$before\\$name";
		for my $how ('-c', 'stdin')
		{
			my ($rc, $sig, $err, $out, $hung) =
			  $how eq '-c' ? run([ $conn, '-c', $typed ]) : run([$conn], "$typed\n");
			my $exit = $hung ? 'hung' : $sig ? "signal $sig" : "exit $rc";
			$sweep_exits{$exit}++;
			my $known = grep { $_ eq $name } @backslash;
			push @sweep_bad, "$how '$typed': $exit"
			  if $hung || $sig || $rc > 3 || (!$known && $err !~ /invalid command \\\Q$name\E$/m);
		}
	}
}
ok(!@sweep_bad, scalar(@names) . ' backslash names, alone and after a statement, on -c and stdin: '
	  . 'exit 0-3, never a signal or a hang, unknown ones said to be')
  or diag(join("\n", @sweep_bad[ 0 .. ($#sweep_bad > 9 ? 9 : $#sweep_bad) ]));
figures('client backslash names', { map { ($_ eq 'exit 0' ? 'ok' : $_) => $sweep_exits{$_} } keys %sweep_exits });

my (%exits, @bad);
my $runs = int(250 * $scale);
for my $i (1 .. $runs)
{
	my $argv = some_argv();
	my ($rc, $sig, $err, $out, $hung) = run($argv, rand() < 0.5 ? some_script() : '');
	$exits{ $hung ? 'hung' : $sig ? "signal $sig" : "exit $rc" }++;
	my $show = join(' ', map { "'$_'" } @$argv);
	if ($hung || $sig || $rc > 3) { push @bad, "$show: " . ($hung ? "hung ($hung)" : $sig ? "signal $sig" : "exit $rc"); }
	elsif ($rc != 0 && $err !~ /\S/) { push @bad, "$show: exit $rc without a word on stderr"; }
}
ok(!@bad, "command lines ($runs): exit 0-3, never a signal or a hang, and a message on every failure")
  or diag(join("\n", @bad[ 0 .. ($#bad > 9 ? 9 : $#bad) ]));
figures('client command lines', { map { ($_ =~ /exit 0/ ? 'ok' : $_) => $exits{$_} } keys %exits });

# Typed on a terminal: a session of lines (printable: a control character
# would be a readline key), each of which must bring a prompt back within
# 30 s; then Ctrl-C and \q, and the client must exit by itself.  Returns
# what went wrong, or undef, and the exit (0-3, or "signal N").  The prompt
# need not end the output: after "\o |cat" the cat writes a command's
# output to the terminal on its own, and may do so after the prompt.
my $prompt = qr/(?:fuzz[-='"\$*(][*!]?|!)[#>] /;
sub typed
{
	my (@lines) = @_;
	my ($in, $out, $problem) = ('', '');
	my $timer = IPC::Run::timer(30);
	local %ENV = %ENV;
	delete @ENV{qw(TERM LS_COLORS)};
	@ENV{qw(INPUTRC LC_ALL ISSUELISTRC ISSUELIST_HISTORY PAGER)} =
	  ('/dev/null', 'C.UTF-8', '/dev/null', "$dir/history", 'cat');
	my $h = IPC::Run::start([ client_path(), $conn ], '<pty<', \$in, '>pty>', \$out,
		init => sub { chdir $dir }, $timer);
	for my $keys (undef, (map { "$_\n" } @lines), "\003")
	{
		$out = '';
		$in .= bytes($keys) if defined $keys;
		$timer->start(30);
		# an exit (\q, quit) ends the pumping: finish says how it went
		last unless eval { IPC::Run::pump($h) until $out =~ $prompt || $timer->is_expired; 1 };
		next if $out =~ $prompt;
		$problem = 'no prompt 30 s after ' . (defined $keys ? "'$keys'" : 'the start');
		last;
	}
	if ($problem)
	{
		# no prompt to type \q at: the session is over
		$h->kill_kill;
	}
	else
	{
		# a timer does not end finish(): pumped until the client exits or
		# 30 s have passed
		$in .= "\\q\n";
		$timer->start(30);
		eval { IPC::Run::pump($h) while $h->pumpable && !$timer->is_expired; 1 };
		if ($h->pumpable)
		{
			$problem = 'no exit 30 s after \\q';
			$h->kill_kill;
		}
		else
		{
			$h->finish;
		}
	}
	my $exit = $? & 127 ? 'signal ' . ($? & 127) : 'exit ' . ($? >> 8);
	$problem //= $exit if $exit =~ /signal/ || $? >> 8 > 3;
	return ($problem, $exit);
}

my (%typed_exits, @typed_bad);
my $sessions = int(8 * $scale);
for my $i (1 .. $sessions)
{
	my @lines = map { substr(s/[\x00-\x1f\x7f]//gr, 0, 2000) } map { split /\n/ } map { some_command() } 1 .. 20;
	my ($problem, $exit) = typed(@lines);
	$typed_exits{$exit}++;
	push @typed_bad, "$problem, typing:\n  " . join("\n  ", @lines) if $problem;
}
ok(!@typed_bad, "typed on a terminal ($sessions sessions of 20 commands): a prompt after every line, exit 0-3, never a signal")
  or diag(join("\n", @typed_bad[ 0 .. ($#typed_bad > 2 ? 2 : $#typed_bad) ]));
figures('client sessions on a terminal', { map { ($_ eq 'exit 0' ? 'ok' : $_) => $typed_exits{$_} } keys %typed_exits });

# CSV files for import: mutations of good files (quotes, separators, line
# ends, byte order marks, NUL and invalid UTF-8 bytes), random bytes, and a
# few shapes that stress the reader (huge fields, many columns).
my @good_csv = (
	"list,org,severity,title,found_on,due_on,origin,official,source,detail\r\n"
	  . "audit,Yiwu,major,\"Procurement without tender, 2 cases\",2025-10-10,,external,Wang Fang,Audit round 3,\"Two contracts\r\nsigned\"\r\n"
	  . "safety,330106,III,Fire exits blocked,2025-10-12,,,,,\r\n",
	"\xEF\xBB\xBF\xE6\xB8\x85\xE5\x8D\x95,\xE5\x8D\x95\xE4\xBD\x8D,\xE7\xAD\x89\xE7\xBA\xA7,\xE9\x97\xAE\xE9\xA2\x98,\xE5\x8F\x91\xE7\x8E\xB0\xE6\x97\xA5\xE6\x9C\x9F\n"
	  . "\xE5\xAE\xA1\xE8\xAE\xA1,\xE9\x87\x91\xE5\x8D\x8E\xE5\xB8\x82,\xE9\x87\x8D\xE5\xA4\xA7,budget,2025-10-15\n",
	"list,org,severity,title\naudit,Yiwu,general,one\naudit,Yiwu,serious,two\n",
);
my @csv_tokens = (',', '"', '""', "\r\n", "\n", "\r", "\0", "\xff", "\xEF\xBB\xBF", ';', "\t",
	'audit', 'Yiwu', 'critical', '2025-13-01', '9999-12-31', 'x' x 5000, ',' x 200, "\"\n\"");
sub some_csv
{
	my $r = rand();
	return random_bytes(300) if $r < 0.1;
	return "list,org,severity,title\n" . ("audit,Yiwu,major,\"" . ('y' x 100000) . "\"\n") if $r < 0.12;
	return join(',', map { "c$_" } 1 .. 2000) . "\n" if $r < 0.14;
	my $csv = pick(@good_csv);
	return $r < 0.6 ? mutate_text($csv, \@csv_tokens) : mutate_bytes($csv);
}
sub issues { return $node->safe_psql('fuzz', 'SELECT count(*) FROM issuelist.issue') }

my (%import_exits, @import_bad);
my $files = int(120 * $scale);
my $count = issues();
for my $i (1 .. $files)
{
	my $csv = some_csv();
	open my $fh, '>:raw', "$dir/in.csv" or die $!;
	print $fh $csv;
	close $fh;
	my ($rc, $sig, $err, $out, $hung) = run([ $conn, '-c', "import $dir/in.csv" ]);
	$import_exits{ $hung ? 'hung' : $sig ? "signal $sig" : "exit $rc" }++;
	my $after = issues();
	(my $show = substr($csv, 0, 120)) =~ s/([^\x20-\x7e])/sprintf('\\x%02x', ord $1)/ge;
	if ($hung || $sig || $rc > 1) { push @import_bad, "'$show': " . ($hung ? 'hung' : $sig ? "signal $sig" : "exit $rc"); }
	elsif ($rc == 1 && $after != $count) { push @import_bad, "'$show': failed but imported " . ($after - $count); }
	elsif ($rc == 1 && $err !~ /\S/) { push @import_bad, "'$show': failed without a word"; }
	elsif ($rc == 0 && $out !~ /^\s*(\d+)\s*\|/m) { push @import_bad, "'$show': succeeded without saying how many"; }
	elsif ($rc == 0 && $out =~ /^\s*(\d+)\s*\|/m && $after != $count + $1) { push @import_bad, "'$show': said $1, imported " . ($after - $count); }
	$count = $after;
}
ok(!@import_bad, "import of $files malformed CSV files: exit 0 or 1, all rows or none, every failure explained")
  or diag(join("\n", @import_bad[ 0 .. ($#import_bad > 9 ? 9 : $#import_bad) ]));
figures('client CSV imports', { map { ($_ eq 'exit 0' ? 'ok' : $_) => $import_exits{$_} } keys %import_exits });

# valgrind on a sample: memory errors (invalid reads and writes, uses of
# uninitialised values) and definite leaks fail.
SKIP:
{
	skip 'valgrind is not installed', 1 unless -x '/usr/bin/valgrind';
	my @memcheck = ('valgrind', '-q', '--error-exitcode=99', '--leak-check=full',
		'--show-leak-kinds=definite', '--errors-for-leak-kinds=definite');
	my @vbad;
	my $samples = int(6 * $scale);
	for my $i (1 .. $samples)
	{
		my ($argv, $what);
		if ($i % 2)
		{
			$argv = some_argv();
			$what = join(' ', map { "'$_'" } @$argv);
		}
		else
		{
			open my $fh, '>:raw', "$dir/v.csv" or die $!;
			print $fh some_csv();
			close $fh;
			$argv = [ $conn, '-c', "import $dir/v.csv" ];
			$what = 'import of a mutated CSV';
		}
		my ($rc, $sig, $err, $out, $hung) = run($argv, $i % 4 == 1 ? some_script() : '', \@memcheck);
		push @vbad, "$what: exit $rc\n$err" if $rc == 99 || $sig || $hung || $err =~ /^==\d+==/m;
	}
	ok(!@vbad, "valgrind: no memory error in $samples runs") or diag(join("\n", @vbad[ 0 .. ($#vbad > 2 ? 2 : $#vbad) ]));
}

server_survived($node, 'client fuzz');
$node->stop;
done_testing();
