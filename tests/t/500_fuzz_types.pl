# Bad input to every type: mutated and random strings to the text input of
# severity, issue_state, quarter and tally, and mutated and random bytes to
# their binary input (a binary protocol parameter reaches the receive
# function, which SQL cannot call).  Every rejection must be a clean error
# with a documented SQLSTATE, the server must never crash, and every
# accepted input must come out canonical: out(in(out(x))) = out(x), and for
# binary input recv(send(x)) = x.
#
# make test runs about 30,000 inputs; make fuzz (ISSUELIST_FUZZ_SCALE) runs
# many more and prints the figures.
use strict;
use warnings;
use Encode qw(encode);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistFuzz qw(fuzz_seed fuzz_scale pick mutate_text random_text mutate_bytes
  random_bytes new_node server_survived check_results figures count_states);
use IssuelistWire;

fuzz_seed();
my $scale = fuzz_scale();
my $per_type = int(6000 * $scale);

my $node = new_node('fuzz_types');
$node->safe_psql('postgres', 'CREATE EXTENSION issuelist CASCADE');
my $wire = IssuelistWire->connect(host => $node->host, port => $node->port,
	user => scalar getpwuid($<), db => 'postgres');

# SQLSTATEs a rejected input may carry (docs/errors.md, docs/reliability.md).
# Text: bad syntax 22P02, a value out of range 22003, and 22021 for bytes
# that are not UTF-8 (raised by the server before the type sees them).
# Binary: 22P03 from the receive function, 08P01 "insufficient data left in
# message" from the core when the bytes end early, 22003 for a value out of
# range.
my @text_states = qw(22P02 22003 22021);
my @binary_states = qw(22P03 08P01 22003);

# Valid literals to mutate, as users write them.
my %literals = (
	severity => [ qw(general serious major critical IV III II I Critical),
		' major ', "\x{4e00}\x{822c}", "\x{8f83}\x{5927}", "\x{91cd}\x{5927}",
		"\x{7279}\x{522b}\x{91cd}\x{5927}" ],
	issue_state => [ qw(registered assigned rectifying continuing rectified closed
		  reopened withdrawn), ' Closed ', "\x{5df2}\x{9500}\x{53f7}" ],
	quarter => [ '2021Q1', '2021-Q1', '2021q4', '2021 Q2', '0001Q1', '9999Q4',
		'  1999Q3 ', '1q3' ],
	tally => [],
);

# Real tallies, from the aggregate over random issues: valid text and
# binary forms to mutate.
my $tallies = $node->safe_psql('postgres', q{
	SET search_path = issuelist, public;
	WITH i AS (
		SELECT g % 40 AS grp, (8080 + g % 8)::text AS qn,
			   (1 + random() * 15)::int2 AS list,
			   severity((1 + random() * 3)::int) AS sev,
			   (ARRAY['self', 'external', 'concealed'])[1 + (random() * 2)::int] AS origin,
			   (ARRAY['registered', 'assigned', 'rectifying', 'continuing', 'rectified',
					  'closed', 'reopened', 'withdrawn'])[1 + (random() * 7)::int]::issue_state AS st,
			   random() AS r
		  FROM generate_series(1, 2000) g
	), iq AS (
		SELECT i.*, quarter(date '2020-01-01' + (qn::int - 8080) * 92) AS q FROM i
	)
	SELECT t::text || E'\t' || encode(tally_send(t), 'hex')
	  FROM (SELECT tally(q, upper(q), list, sev, origin, st,
						 lower(q) - (r * 200)::int, lower(q) + (r * 100)::int,
						 CASE WHEN st = 'closed' THEN lower(q) + 10 END,
						 (r * 3)::int, r < 0.1) AS t
			  FROM iq GROUP BY grp, q) s
});
my @tally_binary;
for (split /\n/, $tallies)
{
	my ($text, $hex) = split /\t/;
	push @{ $literals{tally} }, $text;
	push @tally_binary, pack('H*', $hex);
}
push @{ $literals{tally} }, '2021Q1@2021-03-31{}',
  '2021Q1@2021-03-31{1:critical:external overdue=1 overdue_months=3}',
  ' 2021Q1@2021-03-31{ 3:general:self new=2 open_in_time=2 ;1:major:concealed withdrawn=1 } ',
  # The quarter of a tally is read by the quarter's own reader (quarter.c),
  # in any of its spellings.
  '2021-q1@2021-03-31{2:serious:self new=1}', '2021 Q4 @2021-12-31{}',
  '1q1@0001-03-31{}', '9999Q4@9999-12-31{16:critical:concealed reopened=1}';
ok(@tally_binary >= 20, 'real tallies to mutate');

# Tokens that mean something to a particular type's grammar.
my %tokens = (
	quarter => [ @IssuelistFuzz::TEXT_TOKENS, 'Q0', 'Q5', '10000', '0000', '-Q' ],
	tally => [ @IssuelistFuzz::TEXT_TOKENS, 'Q0', 'Q5', 'q', '10000', '0000', '-Q',
		'open_in_time=', 'overdue_months=999',
		'days_to_close=-1', ':critical:', ':self', '16:', '17:', '0:', '2021Q1@',
		'@2021-04-01', '2021-02-30', '; ', ' new=1', '=1', 'reopened=9223372036854775807' ],
);

# Show an input readably in a failure message.
sub show
{
	my ($s) = @_;
	(my $v = $s) =~ s/([^\x20-\x7e])/sprintf('\\x{%x}', ord $1)/ge;
	return length($v) > 200 ? substr($v, 0, 200) . '...' : "'$v'";
}

# Text input of one type: the statement parses its parameter with the
# type's input function, prints it and prints the reparsed print.
sub fuzz_text
{
	my ($type) = @_;
	my $oid = $node->safe_psql('postgres', "SELECT 'issuelist.$type'::regtype::oid");
	$wire->prepare("SELECT \$1::text, (\$1::text)::issuelist.$type\::text", [$oid]);
	my @inputs;
	for (1 .. $per_type)
	{
		my $r = rand();
		my $s =
		  $r < 0.8 ? mutate_text(pick(@{ $literals{$type} }), $tokens{$type})
		  : $r < 0.95 ? random_text(60)
		  :             pick(@{ $literals{$type} });
		my $bytes = encode('UTF-8', $s);
		# Some inputs are not UTF-8 at all.
		substr($bytes, int(rand(length($bytes) + 1)), 0) = pick("\xff", "\xc3", "\xe4\xb8")
		  if rand() < 0.02;
		push @inputs, $bytes;
	}
	my $res = $wire->run_many([ map { [$_] } @inputs ], 0);
	check_results("$type text input", \@inputs, $res, \@text_states, \&show);
	my @noncanonical = grep { $res->[$_]{ok} && $res->[$_]{rows}[0][0] ne $res->[$_]{rows}[0][1] }
	  0 .. $#$res;
	ok(!@noncanonical, "$type text input: every accepted input prints canonically")
	  or diag(join("\n", map { show($inputs[$_]) . " -> $res->[$_]{rows}[0][0]" } @noncanonical[0 .. 4]));
	figures("$type text input", count_states($res));
}

# Binary input of one type: mutations of real send() output and random
# bytes.  Accepted values print canonically, and their send() output reads
# back to the same value.
sub fuzz_binary
{
	my ($type, $valid) = @_;
	my $oid = $node->safe_psql('postgres', "SELECT 'issuelist.$type'::regtype::oid");
	my $maxlen = length($valid->[0]) * 2 + 8;
	$wire->prepare("SELECT \$1::text, (\$1::text)::issuelist.$type\::text, "
		  . "encode(issuelist.${type}_send(\$1), 'hex')", [$oid]);
	my @inputs = map {
		my $r = rand();
		$r < 0.85 ? mutate_bytes(pick(@$valid)) : $r < 0.97 ? random_bytes($maxlen) : pick(@$valid)
	} 1 .. $per_type;
	my $res = $wire->run_many([ map { [$_] } @inputs ], 1);
	check_results("$type binary input", \@inputs, $res, \@binary_states, \&show);
	my @accepted = grep { $res->[$_]{ok} } 0 .. $#$res;
	my @noncanonical = grep { $res->[$_]{rows}[0][0] ne $res->[$_]{rows}[0][1] } @accepted;
	ok(!@noncanonical, "$type binary input: every accepted value prints canonically")
	  or diag(join("\n", map { show($inputs[$_]) . " -> $res->[$_]{rows}[0][0]" } @noncanonical[0 .. 4]));
	# recv(send(x)) = x for every accepted x.
	my @sent = map { pack('H*', $res->[$_]{rows}[0][2]) } @accepted;
	my $back = $wire->run_many([ map { [$_] } @sent ], 1);
	my @differ = grep { !$back->[$_]{ok} || $back->[$_]{rows}[0][0] ne $res->[ $accepted[$_] ]{rows}[0][0] }
	  0 .. $#sent;
	ok(!@differ, "$type binary input: send() of every accepted value reads back the same")
	  or diag(join("\n", map { show($sent[$_]) } @differ[0 .. 4]));
	figures("$type binary input", count_states($res));
}

my %binary = (
	severity => [ map { pack('n', $_) } 1 .. 4 ],
	issue_state => [ map { pack('n', $_) } 1 .. 8 ],
	quarter => [ map { pack('N', $_) } 4, 8084, 8087, 39999, 9999 * 4 + 3 ],
	tally => \@tally_binary,
);

for my $type (qw(severity issue_state quarter tally))
{
	fuzz_text($type);
	fuzz_binary($type, $binary{$type});
	server_survived($node, "$type fuzz");
}

$wire->close;
$node->stop;
done_testing();
