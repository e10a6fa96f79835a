# The shell on a terminal (a pty, as psql's own 010_tab_completion.pl does):
# tab completion of commands, organization names (Chinese too), issue codes,
# official codes and names (Chinese too), meeting and pack keywords, files,
# states and quarters read from the database; history kept across two
# sessions; the prompt's transaction state; the pager only for output taller
# than the screen; Ctrl-C cancels a running query and the shell lives on;
# backslash commands in any case, with and without a statement typed, never
# end the shell.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

eval { require IO::Pty; };
plan skip_all => 'IO::Pty is needed to run this test' if $@;

my $node = client_node('pty');
my $dir = PostgreSQL::Test::Utils::tempdir;
my $history = "$dir/history";

# Forget the line being typed and wait for a fresh prompt.
sub clear_line
{
	my ($s) = @_;
	local $Test::Builder::Level = $Test::Builder::Level + 1;
	pty_send($s, "\025\n", qr/fixture=# $/, 'control-U clears the line');
}

my $s = pty_session($node, 'fixture', ISSUELIST_HISTORY => $history,
	PAGER => 'wc -l', LINES => '20', COLUMNS => '200');

# completion
pty_send($s, "rep\t", qr/report $/, 'a command: rep<tab> gives report');
pty_send($s, "Yiw\t", qr/Yiwu $/, 'an organization name: Yiw<tab> gives Yiwu');
pty_send($s, "2025Q\t\t", qr/2025Q1\s+2025Q2\s+2025Q3\s+2025Q4/, 'quarters: 2025Q<tab><tab> lists them');
clear_line($s);
pty_send($s, "overdue 义乌\t", qr/义乌市 $/, 'a Chinese name: 义乌<tab> gives 义乌市');
clear_line($s);
pty_send($s, "issue AUD-2025-00001\t\t", qr/AUD-2025-000010\s+AUD-2025-000011\s+AUD-2025-000012/,
	'issue codes: the choices');
pty_send($s, "1\t", qr/1 $/, 'issue codes: one more digit completes it');
clear_line($s);
pty_send($s, "advance AUD-2025-000001 \t\t", qr/assigned\s+withdrawn/,
	'states: only those the issue can go to');
clear_line($s);
pty_send($s, "find org=Jin\t", qr/org=Jin(dong|hua)?/, 'find keys complete their values');
pty_send($s, "d\t", qr/dong $/, 'find org=Jind<tab> gives org=Jindong');
clear_line($s);
pty_send($s, "official 李\t", qr/李明 $/, 'an official\'s Chinese name: 李<tab> gives 李明');
clear_line($s);
pty_send($s, "term YW\t", qr/YW0002 $/, 'an official\'s code: YW<tab> gives YW0002');
clear_line($s);
pty_send($s, "assign AUD-2025-000001 Wang\t", qr/Wang Fang/, 'assign completes the official\'s name');
clear_line($s);
pty_send($s, "meeting topic aud\t", qr/topic audit $/, 'meeting topic completes a list');
clear_line($s);
pty_send($s, "meeting by imp\t", qr/by improvement $/, 'meeting by completes improvement');
clear_line($s);
pty_send($s, "pa\t", qr/pack $/, 'pa<tab> gives pack');
pty_send($s, "2025Q2 . top\t", qr/topic $/, 'pack QUARTER DIR: then topic or --pdf');
pty_send($s, "sup\t", qr/supervision $/, 'pack topic completes a list');
clear_line($s);
open my $old_pdf, '>', "$dir/pack-old.pdf" or die $!;
close $old_pdf;
pty_send($s, "pack 2025Q2 . --pdf $dir/pack-o\t", qr/pack-old\.pdf $/, 'pack --pdf completes a file name');
clear_line($s);
pty_send($s, "\\tim\t", qr/\\timing $/, 'a backslash command: \\tim<tab> gives \\timing');
clear_line($s);
pty_send($s, "\\TIM\t\n", qr/invalid command \\TIM/,
	'backslash commands complete case-sensitively: \\TIM<tab> stays \\TIM, an unknown command');

# the prompt tells the transaction state
pty_send($s, "BEGIN;\n", qr/fixture=\*# $/, 'in a transaction: =*#');
pty_send($s, "SELECT nope;\n", qr/fixture=!# $/, 'in a failed transaction: =!#');
pty_send($s, "ROLLBACK;\n", qr/fixture=# $/, 'after it: =#');
pty_send($s, "SELECT 1 AS a,\n", qr/fixture-# $/, 'inside a statement: -#');
pty_send($s, "'x\n", qr/fixture'# $/, "inside a quote: '#");
pty_send($s, "' AS b;\n", qr/ a \| b\s.*fixture=# $/s, 'a statement over three lines');

# the pager: used for output taller than the screen only
pty_send($s, "SELECT generate_series(1, 100) AS n;\n", qr/^\s*104\s*$/m,
	'100 rows go through the pager (wc -l counts 104 lines)');
pty_send($s, "SELECT 'short' AS s;\n", qr/ s\s+-------\s+short\s+\(1 row\)/,
	'a short result is printed, not paged');

# Ctrl-C
pty_send($s, "SELECT 'half typed\003", qr/fixture=# $/, 'Ctrl-C at the prompt drops the line');
pty_send($s, "SELECT pg_sleep(10);\n", qr/pg_sleep/, 'a long query starts');
$node->poll_query_until('fixture',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(10);'")
  or die 'the query did not start';
pty_send($s, "\003", qr/canceling statement due to user request.*fixture=# $/s,
	'Ctrl-C cancels the running query');
pty_send($s, "SELECT 'alive' AS still;\n", qr/alive/, 'and the shell lives on');

pty_send($s, "lists\n", qr/\(7 rows\)/, 'a command runs');
is(pty_finish($s), 0, '\q ends the shell with exit 0');
ok(-s $history, 'the history file is written');
like(slurp_file($history), qr/^lists$/m, 'with the commands typed');

# a second session remembers the first one's commands
$s = pty_session($node, 'fixture', ISSUELIST_HISTORY => $history);
pty_send($s, "\020", qr/\\q/, 'control-P brings back the last line of the last session');
pty_send($s, "\020", qr/lists/, 'and the one before');
pty_send($s, "\n", qr/\(7 rows\)/, 'which runs again');
pty_send($s, "\020\020\020\020\020\020\020\020\020\020", qr/SELECT 1 AS a,(\^J|\r?\n)'x(\^J|\r?\n)' AS b;/,
	'a statement over several lines comes back whole, as one entry');
clear_line($s);
is(pty_finish($s), 0, 'second session ends');

$s = pty_session($node, 'fixture', ISSUELIST_HISTORY => "$dir/history-backslash", PAGER => 'cat');
# backslash commands: case-sensitive, an unknown one says so and the shell
# goes on; \g, \gx, \p and \r act on the statement typed so far
pty_send($s, "\\G\n", qr/invalid command \\G\r?\nTry \\\? for help\.\r?\nfixture=# $/,
	'\G is an unknown command, with psql\'s hint');
pty_send($s, "SELECT 41 AS answer \\G\n", qr/invalid command \\G.*fixture-# $/s,
	'SELECT ... \G: unknown, and the statement stays in the buffer');
pty_send($s, "\\p\n", qr/^SELECT 41 AS answer\s*$/m, '\p shows it');
pty_send($s, "\\gx\n", qr/-\[ RECORD 1 \]\r?\nanswer \| 41.*fixture=# $/s, '\gx sends it, expanded');
pty_send($s, "\\g\n", qr/ answer\s+-+\s+41\s+\(1 row\).*fixture=# $/s, '\g sends the last one again');
pty_send($s, "SELECT 'half' AS h\n\\r\n", qr/Query buffer reset \(cleared\)\.\r?\nfixture=# $/,
	'\r forgets the statement typed so far');

# Every backslash command of \?, in its case and in upper case, with and
# without a statement in the buffer: the prompt always comes back.
my (undef, $help) = run_client([ $node->connstr('fixture'), '-X', '-c', '\?' ]);
my @backslash = grep { $_ ne '\q' } $help =~ /^  (\\\S+)/mg;
ok(@backslash >= 10, 'the backslash commands, from \?: ' . join(' ', @backslash));
for my $cmd (@backslash)
{
	for my $typed ($cmd, uc($cmd), "\\" . ucfirst(substr($cmd, 1)))
	{
		pty_send($s, "$typed\n", qr/fixture[=-]# $/, "$typed: back at the prompt");
		pty_send($s, "SELECT 1 AS buffered $typed\n", qr/fixture[=-]# $/,
			"SELECT ... $typed: back at the prompt");
		pty_send($s, "\\r\n", qr/fixture=# $/, "$typed: \\r empties the buffer");
	}
}
pty_send($s, "\\o\n\\x off\n\\timing off\n\\pset format table\nSELECT 'alive' AS still;\n",
	qr/ still\s+-+\s+alive/, 'the shell lives on');

is(pty_finish($s), 0, 'a third session ends with exit 0');
is($? & 127, 0, 'not by a signal');

done_testing();
