# Helpers for the BI tests (tests/t/4xx): a cluster that BI drivers can
# reach, with the sample province, and the logins of the BI tools.
package IssuelistBI;

use strict;
use warnings;
use Exporter 'import';
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

our @EXPORT = qw(bi_node bi_login bi_views bi_columns bi_psql top_dir);

# The repository's root.
sub top_dir { return $ENV{ISSUELIST_TOP} }

# A started cluster listening on 127.0.0.1 (JDBC cannot use a Unix socket),
# with pg_cron loaded for the database "province",
# where logins over TCP give a password (SCRAM), as a BI tool's would; its
# database "province" has the extension and the sample province with
# per_quarter synthetic issues a quarter from 2021Q1 to 2021Q4, every one of
# those quarters frozen, and a quarterly meeting held (so that every BI
# view has rows).
sub bi_node
{
	my ($name, %opt) = @_;
	my $per_quarter = $opt{per_quarter} // 200;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(extra => [ '--locale=C.UTF-8', '--encoding=UTF8' ]);
	# pg_cron as docs/operations.md sets it up, so that its examples run.
	$node->append_conf('postgresql.conf',
		"listen_addresses = '127.0.0.1'\ntimezone = 'UTC'\n"
		  . "shared_preload_libraries = 'pg_cron'\ncron.database_name = 'province'\n"
		  . "cron.use_background_workers = on\nmax_worker_processes = 20\n");
	my $hba = $node->data_dir . '/pg_hba.conf';
	my $rules = slurp_file($hba);
	open my $fh, '>', $hba or die "$hba: $!";
	print $fh "host all all 127.0.0.1/32 scram-sha-256\n", $rules;
	close $fh;
	$node->start;
	$node->safe_psql('postgres', 'CREATE DATABASE province');
	$node->safe_psql('province', qq{
		SET client_min_messages = warning;
		CREATE EXTENSION issuelist CASCADE;
		SELECT issuelist.load_sample_province();
		SELECT issuelist.generate_sample_issues('2021Q1', '2021Q4', $per_quarter, 42);
		SELECT issuelist.freeze_quarter(q) FROM issuelist.quarters('2021Q1', '2021Q4') q;
		-- A quarterly meeting held, so that the meetings view has rows.
		SELECT issuelist.hold_meeting('2021Q4', '2022-01-20', '{audit,inspection}',
			(SELECT array_agg(p.official ORDER BY p.org) FROM issuelist.post p
			  WHERE p.title = 'secretary' AND p.org IN ('330782', '330106')));
	});
	return $node;
}

# Create a BI login with create_bi_login(login, password, org, timeout,
# connection limit) as the operator would.
sub bi_login
{
	my ($node, $login, $password, $org, $timeout, $limit) = @_;
	$node->safe_psql('province',
		sprintf("SELECT issuelist.create_bi_login(%s, %s, %s, %s, %s)",
			map { defined $_ ? "'$_'" : 'DEFAULT' }
			  ($login, $password, $org, $timeout // '30s', $limit // 10)));
}

# The views of issuelist_bi, by name.
sub bi_views
{
	my ($node) = @_;
	return split /\n/, $node->safe_psql('province', q{
		SELECT c.relname FROM pg_class c
		 WHERE c.relnamespace = 'issuelist_bi'::regnamespace ORDER BY 1});
}

# Every column of the views, as "view.column".
sub bi_columns
{
	my ($node) = @_;
	return split /\n/, $node->safe_psql('province', q{
		SELECT c.relname || '.' || a.attname
		  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		 WHERE c.relnamespace = 'issuelist_bi'::regnamespace
		   AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1});
}

# psql as a login over TCP with its password, as a BI tool connects.
# Returns (exit code, stdout, stderr).
sub bi_psql
{
	my ($node, $login, $password, $sql) = @_;
	my ($out, $err) = ('', '');
	local $ENV{PGPASSWORD} = $password;
	IPC::Run::run(
		[
			'psql', '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
			'-h', '127.0.0.1', '-p', $node->port, '-U', $login,
			'-d', 'province', '-c', $sql
		],
		'>', \$out, '2>', \$err);
	chomp $out;
	return ($? >> 8, $out, $err);
}

1;
