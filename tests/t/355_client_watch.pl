# watch on a terminal (a pty, as 330): the shell listens on
# issuelist_events and prints each event another session records, only
# those of the organization asked for; Ctrl-C ends the watch, UNLISTENs and
# leaves the shell usable; inside a transaction watch is refused; completion
# of the commands of issue 13.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistClient;

eval { require IO::Pty; };
plan skip_all => 'IO::Pty is needed to run this test' if $@;

my $node = client_node('watch');
my $s = pty_session($node, 'fixture');

pty_send($s, "watch Yiwu\n", qr/Watching the events of 330782; Ctrl-C stops\.\r?\ncode  org  event  state  actor  day\r?\n/,
	'watch Yiwu starts');
$node->poll_query_until('fixture',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE query = 'LISTEN issuelist_events'")
  or die 'the shell does not listen';

# another session: one issue in Xihu (not shown), one in Yiwu, then a step
my $user = $node->safe_psql('fixture', 'SELECT current_user');
my $xihu = $node->safe_psql('fixture',
	"SELECT issuelist.register_issue('audit', '330106', 'general', 'not watched')");
my $yiwu = $node->safe_psql('fixture',
	"SELECT issuelist.register_issue('audit', '330782', 'general', 'watched')");
my $today = $node->safe_psql('fixture', 'SELECT current_date');
my $out = pty_send($s, '', qr/\Q$yiwu\E  330782  registered  registered  \Q$user\E  \Q$today\E/,
	'a registration in Yiwu appears');
unlike($out, qr/\Q$xihu\E/, 'the one in Xihu does not');
$node->safe_psql('fixture', "SELECT issuelist.advance('$yiwu', 'assigned', 'to the county')");
pty_send($s, '', qr/\Q$yiwu\E  330782  transition  assigned  \Q$user\E  \Q$today\E/,
	'a step appears as it happens');
# a rolled-back step announces nothing; the next one comes through
$node->safe_psql('fixture',
	"BEGIN; SELECT issuelist.advance('$yiwu', 'rectifying', 'started'); ROLLBACK;");
$node->safe_psql('fixture', "SELECT issuelist.advance('$yiwu', 'withdrawn', 'a duplicate')");
$out = pty_send($s, '', qr/\Q$yiwu\E  330782  transition  withdrawn/, 'the next step appears');
unlike($out, qr/rectifying/, 'the rolled-back one never did');

pty_send($s, "\003", qr/fixture=# $/, 'Ctrl-C ends the watch, back at the prompt');
pty_send($s, "SELECT count(*) AS listening FROM pg_listening_channels();\n",
	qr/listening\s+-+\s+0\s+\(1 row\)/, 'nothing is listened to any more');
pty_send($s, "lists\n", qr/\(7 rows\).*fixture=# $/s, 'the shell is usable');

# watch everything, then Ctrl-C at once
pty_send($s, "watch\n", qr/Watching the events; Ctrl-C stops\./, 'watch without ORG');
$node->safe_psql('fixture',
	"SELECT issuelist.register_issue('audit', '330106', 'general', 'seen this time')");
pty_send($s, '', qr/330106  registered  registered/, 'an event of any organization');
pty_send($s, "\003", qr/fixture=# $/, 'Ctrl-C again');

# completion knows the new commands and their keywords
pty_send($s, "wat\t", qr/watch $/, 'wat<tab> gives watch');
pty_send($s, "\025\n", qr/fixture=# $/, 'control-U clears the line');
pty_send($s, "requests ap\t", qr/requests approved $/, 'requests ap<tab> gives approved');
pty_send($s, "\025\n", qr/fixture=# $/, 'control-U clears the line');
pty_send($s, "evidence g\t", qr/evidence get $/, 'evidence g<tab> gives get');
pty_send($s, "\025\n", qr/fixture=# $/, 'control-U clears the line');
pty_send($s, "decide 1 r\t", qr/decide 1 refuse $/, 'decide ID r<tab> gives refuse');
pty_send($s, "\025\n", qr/fixture=# $/, 'control-U clears the line');

pty_send($s, "watch Nowhere\n", qr/IL005.*fixture=# $/s, 'an unknown organization is refused');
pty_send($s, "BEGIN;\n", qr/fixture=\*# $/, 'a transaction');
pty_send($s, "watch\n", qr/watch: not inside a transaction.*fixture=\*# $/s,
	'watch is refused inside it');
pty_send($s, "ROLLBACK;\n", qr/fixture=# $/, 'and the transaction goes on as before');
is(pty_finish($s), 0, '\q ends the shell with exit 0');

done_testing();
