# The client connects with a conninfo or PG* variables, prints the server and
# extension versions (the "version" command), and fails clearly when it
# cannot connect.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $client = $ENV{ISSUELIST_CLIENT};
my $node = PostgreSQL::Test::Cluster->new('main');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION issuelist CASCADE');

my $connstr = $node->connstr('postgres');
# The version a fresh CREATE EXTENSION installs: the control file's default.
my ($version) = slurp_file("$ENV{ISSUELIST_TOP}/extension/issuelist.control") =~ /^default_version = '([^']+)'/m;
my ($out, $err);
my $ok = IPC::Run::run([ $client, $connstr, '-c', 'version' ], '>', \$out, '2>', \$err);
ok($ok, 'client exits 0 when it connects');
like($out, qr/^server: PostgreSQL 15\.\d+/m, 'prints the server version');
like($out, qr/^extension: \Q$version\E$/m, "prints the extension version, $version");

# PG* variables alone are enough.
{
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGDATABASE} = 'postgres';
	$ok = IPC::Run::run([ $client, '-c', 'version' ], '>', \$out, '2>', \$err);
	like($out, qr/^extension: \Q$version\E$/m, 'same answer from PG* variables');
	ok($ok, 'client connects from PG* variables');
}

# A database without the extension says so.
$node->safe_psql('postgres', 'CREATE DATABASE bare');
IPC::Run::run([ $client, $node->connstr('bare'), '-c', 'version' ], '>', \$out, '2>', \$err);
like($out, qr/^extension: not installed$/m, 'names a missing extension');

# No server: a clear message and a non-zero exit.
$node->stop;
$ok = IPC::Run::run([ $client, $connstr, '-c', 'version' ], '>', \$out, '2>', \$err);
ok(!$ok, 'client exits non-zero when it cannot connect');
is($? >> 8, 2, 'exit code 2 when the connection fails');
like($err, qr/^issuelist: could not connect: /, 'error says it could not connect');

# --version and --help need no server.
$ok = IPC::Run::run([ $client, '--version' ], '>', \$out, '2>', \$err);
ok($ok, '--version exits 0 without a server');
like($out, qr/^issuelist \Q$version\E$/m, '--version names the client version, the release it belongs to');

done_testing();
