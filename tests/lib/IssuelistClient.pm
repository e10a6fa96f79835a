# Helpers for the client's TAP tests: a cluster with the golden fixture, the
# client run with arguments and input, golden-file comparison, and an
# interactive session on a pty.
package IssuelistClient;

use strict;
use warnings;
use Exporter 'import';
use File::Temp ();
use IPC::Run ();
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

our @EXPORT = qw(utf8_node client_node run_client golden_compare sanitize client_path
  top_dir pty_session pty_send pty_finish peak_memory);

# The repository's root and the client under test.
sub top_dir { return $ENV{ISSUELIST_TOP} }
sub client_path { return $ENV{ISSUELIST_CLIENT} }

# A started cluster in UTF-8 and UTC, as the goldens and the manual's
# outputs were made.
sub utf8_node
{
	my ($name) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
	$node->append_conf('postgresql.conf', "timezone = 'UTC'\n");
	$node->start;
	return $node;
}

# A started cluster with the extension and the golden fixture loaded in the
# database "fixture" (a template: tests that change data copy it).
sub client_node
{
	my ($name) = @_;
	my $node = utf8_node($name);
	$node->safe_psql('postgres', 'CREATE DATABASE fixture');
	$node->safe_psql('fixture', 'CREATE EXTENSION issuelist CASCADE');
	my ($ret, $out, $err) = $node->psql('fixture', undef,
		extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f',
			top_dir() . '/tests/golden/fixture.sql' ]);
	die "fixture did not load: $err" if $ret != 0;
	return $node;
}

# Run the client: args (array ref), optional stdin text and environment.
# Returns (exit code, stdout, stderr).
sub run_client
{
	my ($args, %opt) = @_;
	my ($out, $err) = ('', '');
	my $in = $opt{stdin} // '';
	local %ENV = (%ENV, %{ $opt{env} // {} });
	# no rc file, history or pager from the environment of whoever runs this
	local $ENV{ISSUELISTRC} = '/dev/null' unless $opt{env} && exists $opt{env}{ISSUELISTRC};
	IPC::Run::run([ client_path(), @$args ], '<', \$in, '>', \$out, '2>', \$err);
	return ($? >> 8, $out, $err);
}

# Run the client and measure its peak resident memory in kB: exactly with
# GNU time when it is there, else by sampling VmHWM in /proc while it runs.
# Returns (exit code, peak kB, bytes written to stdout, stderr).
sub peak_memory
{
	my (@args) = @_;
	my ($in, $err, $outlen, $peak, $pid) = ('', '', 0, 0, undef);
	my $time_file = File::Temp->new;
	my @cmd = (client_path(), @args);
	@cmd = ('/usr/bin/time', '-o', "$time_file", '-f', '%M', @cmd) if -x '/usr/bin/time';
	my $sample = sub {
		return unless $pid && open my $fh, '<', "/proc/$pid/status";
		while (<$fh>) { $peak = $1 if /^VmHWM:\s+(\d+)/ && $1 > $peak }
	};
	local $ENV{ISSUELISTRC} = '/dev/null';
	my $h = IPC::Run::start(\@cmd, '<', \$in,
		'>', sub { $outlen += length $_[0]; $sample->() }, '2>', \$err);
	$pid = $h->{KIDS}[0]{PID};
	while ($h->pumpable)
	{
		$h->pump_nb;
		$sample->();
		select(undef, undef, undef, 0.005);
	}
	$h->finish;
	my $rc = $? >> 8;
	if (-x '/usr/bin/time')
	{
		my $text = slurp_file("$time_file");
		$peak = $1 if $text =~ /(\d+)\s*$/;
	}
	return ($rc, $peak, $outlen, $err);
}

# Replace what changes from run to run: wall-clock times, the server's
# version, \timing figures.
sub sanitize
{
	my ($text) = @_;
	$text =~ s/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?\+00/<recorded at>/g;
	$text =~ s/PostgreSQL 15\.\S+(?: \([^)]*\))?/PostgreSQL 15/g;
	$text =~ s/Time: [0-9.]+ ms/Time: <ms>/g;
	return $text;
}

# Compare text with tests/golden/NAME; ISSUELIST_GOLDEN_UPDATE=1 rewrites
# the file instead (then read every line of the diff before committing).
# tests/run-tap runs the tests from a copy of the tree and copies the
# rewritten golden files back into the checkout.
sub golden_compare
{
	my ($name, $got) = @_;
	my $path = top_dir() . "/tests/golden/$name";
	if ($ENV{ISSUELIST_GOLDEN_UPDATE})
	{
		open my $fh, '>:raw', $path or die "$path: $!";
		print $fh $got;
		close $fh;
	}
	my $want = -e $path ? slurp_file($path) : '';
	my $ok = $got eq $want;
	ok($ok, "golden $name");
	if (!$ok)
	{
		my $tmp = File::Temp->new;
		binmode $tmp;
		print $tmp $got;
		close $tmp;
		diag(`diff -u $path $tmp 2>&1 | head -80`);
	}
	return $ok;
}

# An interactive session on a pty: the environment readline tests need
# (no TERM escapes, no inputrc, a UTF-8 locale), plus extra variables.
sub pty_session
{
	my ($node, $db, %env) = @_;
	my $s = { in => '', out => '', timer => IPC::Run::timer(10) };
	local %ENV = %ENV;
	delete $ENV{TERM};
	delete $ENV{LS_COLORS};
	$ENV{INPUTRC} = '/dev/null';
	$ENV{LC_ALL} = 'C.UTF-8';
	$ENV{ISSUELISTRC} = '/dev/null';
	$ENV{$_} = $env{$_} for keys %env;
	$s->{h} = IPC::Run::start([ client_path(), $node->connstr($db) ],
		'<pty<', \$s->{in}, '>pty>', \$s->{out}, $s->{timer});
	pty_send($s, '', qr/=# $/, 'shell starts with a prompt');
	return $s;
}

# Send keys and wait until the output matches; one test.
sub pty_send
{
	my ($s, $keys, $pattern, $name) = @_;
	local $Test::Builder::Level = $Test::Builder::Level + 1;
	$s->{out} = '';
	$s->{timer}->start(10);
	$s->{in} .= $keys;
	IPC::Run::pump($s->{h})
	  until $s->{out} =~ $pattern || $s->{timer}->is_expired;
	my $ok = $s->{out} =~ $pattern;
	ok($ok, $name);
	diag("output was: " . $s->{out}) unless $ok;
	return $s->{out};
}

# Quit the shell and wait for it.
sub pty_finish
{
	my ($s) = @_;
	$s->{timer}->start(10);
	$s->{in} .= "\\q\n";
	IPC::Run::finish($s->{h});
	return $? >> 8;
}

1;
