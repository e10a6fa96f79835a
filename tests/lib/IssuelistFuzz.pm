# IssuelistFuzz: what the reliability tests share.  Mutation of valid
# literals the way pgvector's input test does it (truncate, insert, replace
# with awkward tokens), random strings and bytes, the SQLSTATEs a rejection
# may carry, checks that the server survived, and the figures the long runs
# print.
#
# Randomness is reproducible: the seed comes from ISSUELIST_FUZZ_SEED or is
# drawn and printed, so a failing run can be replayed exactly.  The size of
# a run is multiplied by ISSUELIST_FUZZ_SCALE (1 in make test; make fuzz
# raises it).
package IssuelistFuzz;

use strict;
use warnings;
use Exporter 'import';
use Test::More;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;

our @EXPORT_OK = qw(
  fuzz_seed fuzz_scale pick mutate_text random_text mutate_bytes random_bytes
  new_node sample_province server_survived check_results figures count_states
);

# Draw (or take) the seed once per test file and say what it is.
sub fuzz_seed
{
	my $seed = $ENV{ISSUELIST_FUZZ_SEED} // (time() ^ ($$ << 8)) % 2**31;
	srand($seed);
	note("fuzz seed $seed (ISSUELIST_FUZZ_SEED=$seed replays this run)");
	return $seed;
}

# How many times larger than the make-test run this run is.
sub fuzz_scale
{
	my $s = $ENV{ISSUELIST_FUZZ_SCALE} // 1;
	return $s =~ /^\d+(\.\d+)?$/ && $s > 0 ? $s : 1;
}

sub pick { return $_[ int(rand(@_)) ]; }

# Tokens that break parsers: separators, signs, digits at the edges of the
# integer types, special floats, quotes, escapes, control characters,
# multibyte characters (Chinese, as the users type them), NUL.
our @TEXT_TOKENS = (
	' ', "\t", "\n", ',', ':', ';', '-', '+', '.', '@', '{', '}', '(', ')',
	'[', ']', '=', 'Q', 'q', '0', '1', '4', '5', '9', '00', '99999',
	'2147483647', '2147483648', '-2147483649', '9223372036854775807',
	'9223372036854775808', '-9223372036854775809', '1e308', 'NaN', 'Infinity',
	'-infinity', "'", '"', '\\', '%s', '%n', "\x{7f}", "\x{01}",
	"\x{4e00}", "\x{91cd}\x{5927}", "\x{ff11}", "\x{00e9}", "\x{200b}", "\0"
);

# pgvector's mutation: one to three edits, each a truncation, an insertion
# or a replacement at a random place; plus duplication of a slice, which
# pgvector does not do and which finds length and count limits.
sub mutate_text
{
	my ($input, $tokens) = @_;
	$tokens ||= \@TEXT_TOKENS;
	for (1 .. 1 + int(rand(3)))
	{
		my $r = int(rand(length($input) + 1));
		my $sub = pick(@$tokens);
		my $op = rand();
		if ($sub eq "\0") { $input = substr($input, 0, $r); }
		elsif ($op < 0.45) { substr($input, $r, 0) = $sub; }
		elsif ($op < 0.9) { substr($input, $r, length($sub)) = $sub; }
		else
		{
			my $len = int(rand(length($input) - $r + 1));
			my $slice = substr($input, $r, $len);
			# At most about 64 kB: long enough for every length limit.
			my $times = 1 + int(rand(50));
			$times = 1 + int(65536 / (length($slice) + 1)) if length($slice) * $times > 65536;
			substr($input, $r, 0) = $slice x $times;
		}
	}
	return $input;
}

# A random string: ASCII printable mostly, some control and CJK characters.
sub random_text
{
	my ($maxlen) = @_;
	my $len = int(rand(($maxlen // 40) + 1));
	my $s = '';
	for (1 .. $len)
	{
		my $r = rand();
		$s .=
			$r < 0.8 ? chr(32 + int(rand(95)))
		  : $r < 0.9 ? chr(1 + int(rand(31)))
		  :            chr(0x4e00 + int(rand(0x5000)));
	}
	return $s;
}

# Binary mutations: flip a bit, set a byte to an edge value, truncate,
# append junk, or overwrite a 2-, 4- or 8-byte field with an extreme.
sub mutate_bytes
{
	my ($b) = @_;
	for (1 .. 1 + int(rand(3)))
	{
		my $len = length $b;
		my $r = $len ? int(rand($len)) : 0;
		my $op = int(rand(6));
		if ($op == 0 && $len)
		{
			substr($b, $r, 1) = chr(ord(substr($b, $r, 1)) ^ (1 << int(rand(8))));
		}
		elsif ($op == 1 && $len)
		{
			substr($b, $r, 1) = chr(pick(0, 1, 0x7f, 0x80, 0xff, int(rand(256))));
		}
		elsif ($op == 2) { $b = substr($b, 0, $r); }
		elsif ($op == 3) { $b .= random_bytes(16); }
		else
		{
			my $w = pick(2, 4, 8);
			my $field = pick("\xff" x $w, "\x7f" . ("\xff" x ($w - 1)),
				"\x80" . ("\0" x ($w - 1)), "\0" x $w, ("\0" x ($w - 1)) . "\x01");
			substr($b, $r, $w) = $field if $r + $w <= $len;
		}
	}
	return $b;
}

sub random_bytes
{
	my ($maxlen) = @_;
	return join('', map { chr(int(rand(256))) } 1 .. int(rand($maxlen + 1)));
}

# A cluster for the reliability tests: UTF-8, so that the Chinese
# spellings are real input, and C collation, so results do not depend on
# the machine's locale.
sub new_node
{
	my ($name, %conf) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(extra => [ '--encoding=UTF8', '--locale=C' ]);
	$node->append_conf('postgresql.conf', join('', map { "$_ = $conf{$_}\n" } sort keys %conf))
	  if %conf;
	$node->start;
	return $node;
}

# The extension in $db with the sample province and $per_quarter synthetic
# issues in each of the last $quarters quarters up to today.  Returns the
# last finished quarter, e.g. 2026Q3.
sub sample_province
{
	my ($node, $db, $quarters, $per_quarter, $seed) = @_;
	my $out = $node->safe_psql($db, qq{
		SET client_min_messages = warning;
		CREATE EXTENSION issuelist CASCADE;
		SET search_path = issuelist, public;
		SELECT load_sample_province();
		SELECT generate_sample_issues(quarter(current_date) - ($quarters - 1), quarter(current_date),
									  $per_quarter, $seed);
		SELECT quarter(current_date) - 1;
	});
	my ($q) = $out =~ /(\d{4}Q\d)\s*$/;
	return $q;
}

# The server is up and answers, and no backend died of a signal (a crash
# restarts the server quietly: only the log tells).
sub server_survived
{
	my ($node, $what) = @_;
	my $ok = eval { $node->safe_psql('postgres', 'SELECT 1') eq '1' };
	my $log = PostgreSQL::Test::Utils::slurp_file($node->logfile);
	my @deaths = $log =~ /^.*(?:terminated by signal|was terminated by exception|PANIC:|TRAP:).*$/mg;
	ok($ok && !@deaths, "$what: the server survived")
	  or diag(join("\n", 'server deaths:', @deaths[ 0 .. ($#deaths > 4 ? 4 : $#deaths) ]));
	return $ok && !@deaths;
}

# Count outcomes by SQLSTATE ("ok" for accepted, "lost" when the connection
# died).
sub count_states
{
	my ($results) = @_;
	my %n;
	$n{ $_->{ok} ? 'ok' : $_->{lost} ? 'lost' : $_->{sqlstate} }++ for @$results;
	return \%n;
}

# Every rejection carries one of the allowed SQLSTATEs; none lost the
# connection.  Shows a few offending inputs when not.
sub check_results
{
	my ($what, $inputs, $results, $allowed, $show) = @_;
	my %allowed = map { $_ => 1 } @$allowed;
	my (@bad, $lost);
	for my $i (0 .. $#$results)
	{
		my $r = $results->[$i];
		next if $r->{ok};
		if ($r->{lost}) { $lost //= $i; next; }
		push @bad, $i unless $allowed{ $r->{sqlstate} };
	}
	ok(!defined $lost, "$what: no call lost the connection")
	  or diag("first input that lost it: " . $show->($inputs->[$lost]));
	ok(!@bad, "$what: every rejection has a documented SQLSTATE (@$allowed)")
	  or diag(join("\n",
		map { "$results->[$_]{sqlstate} $results->[$_]{message} <- " . $show->($inputs->[$_]) }
		  @bad[ 0 .. ($#bad > 9 ? 9 : $#bad) ]));
	return !defined $lost && !@bad;
}

# Print the figures of a run: inputs tried, accepted, rejections by SQLSTATE.
# Long runs (scale > 1) print them; make test keeps them in the TAP log.
sub figures
{
	my ($what, $counts) = @_;
	my $total = 0;
	$total += $_ for values %$counts;
	my $line = sprintf('%-40s %9d tried %9d accepted  %s', $what, $total, $counts->{ok} // 0,
		join(' ', map { "$_=$counts->{$_}" } sort grep { $_ ne 'ok' } keys %$counts));
	if (fuzz_scale() > 1 || $ENV{ISSUELIST_FIGURES}) { diag($line); }
	else { note($line); }
	return $total;
}

1;
