# Upgrades (docs/versions-and-upgrades.md): for every version of issuelist
# that has its own install script and is older than the default version,
# install it, fill it with data (the sample province, a history, a frozen
# quarter, a user's score model and list weight, an org grant), run ALTER
# EXTENSION issuelist UPDATE, and check
#  - the extension is at the default version;
#  - its schema equals a fresh install's: pg_dump --schema-only in
#    binary-upgrade mode (the only mode in which pg_dump writes out the
#    extension's own objects rather than one CREATE EXTENSION line), with
#    OIDs masked;
#  - every row of every table of the extension is intact (over the columns
#    it had before), and the frozen ranking and every score read the same.
# An updated database must also hold exactly what a fresh install of the
# default version holds when the same rows are written into it (the hashes
# 1.1 chains the history with, computed by the upgrade for the events 1.0
# recorded, equal those a fresh 1.1 computes), its hash chains must be
# intact and its frozen quarters publications whose digest the history
# produces.  It also checks that every upgrade script of the source tree is
# installed, and that every installable version has an update path to the
# default.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IssuelistFuzz qw(new_node);

my $node = new_node('upgrade');
my $top = $ENV{ISSUELIST_TOP};
my $sharedir = `pg_config --sharedir`;
chomp $sharedir;
my $default = $node->safe_psql('postgres',
	q{SELECT default_version FROM pg_available_extensions WHERE name = 'issuelist'});
ok($default, "the default version is $default");

# Versions with an install script of their own, oldest first.
my @installable = sort { version_key($a) cmp version_key($b) }
  map { m{/issuelist--([^-]+)\.sql$} ? $1 : () } glob("$sharedir/extension/issuelist--*.sql");
ok(scalar(grep { $_ eq $default } @installable), "the default version $default has an install script");
note("installable versions: @installable");

sub version_key { return join('.', map { sprintf('%05d', $_) } split /\./, $_[0]); }

# Every upgrade script of the source tree is installed.
for my $script (glob("$top/extension/issuelist--*--*.sql"))
{
	(my $name = $script) =~ s{.*/}{};
	ok(-f "$sharedir/extension/$name", "$name is installed");
}

# Every installable version can reach the default.
my $stranded = $node->safe_psql('postgres', qq{
	CREATE EXTENSION ltree;
	SELECT string_agg(v, ', ')
	  FROM unnest(ARRAY['@{[ join("','", @installable) ]}']) v
	 WHERE v <> '$default'
	   AND NOT EXISTS (SELECT FROM pg_extension_update_paths('issuelist') p
					   WHERE p.source = v AND p.target = '$default' AND p.path IS NOT NULL);
	DROP EXTENSION ltree;
});
is($stranded, '', 'every installable version has an update path to the default');

# The schema of a database, as pg_dump writes it in binary-upgrade mode,
# without what differs between any two databases: OIDs, transaction ids,
# sequence positions (data), the random key of \restrict, and the order of
# the objects.
sub schema_dump
{
	my ($db) = @_;
	my ($dump, $err) = run_command([ 'pg_dump', '--schema-only', '--binary-upgrade',
		'-d', $node->connstr($db) ]);
	die "pg_dump: $err" if $err;
	# A column an upgrade adds with a default keeps that default as the
	# value of the rows written before (binary_upgrade_set_missing_value):
	# storage, not schema.
	$dump =~ s/^-- set missing value\.\nSELECT pg_catalog\.binary_upgrade_set_missing_value\(.*\n\n\n//mg;
	my @lines = grep { !/^\\(un)?restrict / && !/binary_upgrade_set_next_/ } split /\n/, $dump;
	for (@lines)
	{
		s/'\{\d+(,\d+)*\}'/'{oids}'/g;
		s/relfrozenxid = '\d+', relminmxid = '\d+'/relfrozenxid = 'xid', relminmxid = 'mxid'/;
		s/^WHERE oid = '\d+';$/WHERE oid = 'oid';/;
		# The configuration tables' conditions, in the order they were
		# registered (config_tables compares them, by table).
		s/^(SELECT pg_catalog\.binary_upgrade_create_empty_extension\('issuelist', 'issuelist', false, '[^']+', '\{oids\}', )'\{.*?\}'/$1'{conditions}'/;
		# A sequence's position is data (data_digest compares it).
		s/^(SELECT pg_catalog\.setval\('[^']+'), \d+, (true|false)\);$/$1, n);/;
		# The extensions required, in the order they happened to be created.
		s{ARRAY\[([^\]]*)\]::pg_catalog\.text\[\]\);$}{'ARRAY[' . join(',', sort split /,/, $1) . ']::pg_catalog.text[]);'}e;
	}
	# Object by object, in name order: pg_dump orders objects of equal rank
	# by their dependencies and OIDs, which differ between a database that
	# replaced a function in place and one that created it fresh.
	my @blocks = split /(?=^--\n-- (?:Name|Data for Name): )/m, join("\n", @lines) . "\n";
	return join('', sort @blocks);
}

# The lines that differ, as diff -u shows them.
sub schema_diff
{
	my ($a, $b) = @_;
	my $dir = PostgreSQL::Test::Utils::tempdir;
	PostgreSQL::Test::Utils::append_to_file("$dir/fresh.sql", $a);
	PostgreSQL::Test::Utils::append_to_file("$dir/updated.sql", $b);
	my ($out) = run_command([ 'diff', '-u', "$dir/fresh.sql", "$dir/updated.sql" ]);
	return length($out) > 4000 ? substr($out, 0, 4000) . "\n..." : $out;
}

# The configuration tables the extension registered, by name, with the
# condition of what pg_dump dumps of each (their OIDs and conditions are
# masked in the dump), in name order: the order they were registered in
# differs between an install and an upgrade, and does not matter.
sub config_tables
{
	my ($db) = @_;
	return $node->safe_psql($db,
		q{SELECT string_agg(c::text || ' ' || w, ', ' ORDER BY c::text)
			FROM pg_extension, unnest(extconfig::regclass[], extcondition) x(c, w)
		   WHERE extname = 'issuelist'});
}

# A digest of every table of the extension over the given columns (all of
# them when none are given): table|columns|md5 per line.
sub data_digest
{
	my ($db, $columns) = @_;
	$columns ||= { map { split /\|/ } split /\n/, $node->safe_psql($db, q{
		SELECT c.oid::regclass, string_agg(quote_ident(a.attname), ',' ORDER BY a.attnum)
		  FROM pg_class c
		  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
		  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'issuelist'
		  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		 WHERE c.relkind = 'r'
		 GROUP BY c.oid
	}) };
	my $sql = join("\nUNION ALL\n", map {
		"SELECT '$_' || '|' || count(*) || '|' || coalesce(md5(string_agg(r::text, E'\\n' ORDER BY r::text)), '') "
		  . "FROM (SELECT $columns->{$_} FROM $_) r"
	} sort keys %$columns);
	# The positions of the extension's sequences, which go with the data.
	$sql .= q{
		UNION ALL
		SELECT c.oid::regclass || '|' || coalesce(q.last_value::text, 'not called') || '|'
		  FROM pg_class c
		  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
		  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'issuelist'
		  JOIN pg_sequences q ON q.schemaname = c.relnamespace::regnamespace::text
							 AND q.sequencename = c.relname
		 WHERE c.relkind = 'S'};
	return ($node->safe_psql($db, "SET search_path = issuelist, public;\n$sql ORDER BY 1"), $columns);
}

# What users read: the ranking of the frozen quarter (the columns 1.0 has)
# and every score.
my $reports = q{
	SET search_path = issuelist, public;
	SELECT string_agg(concat_ws(' ', r.org, r.name, r.rank, r.score, r.deductions,
			r.on_time_rate, r.on_time_lower, r.open, r.overdue, r.veto, r.top_ten,
			r.rank_change, r.closeness), E'\n' ORDER BY r.org)
	  FROM ranking(quarter(current_date) - 1) r;
	SELECT string_agg(o.code || ' ' || round(score(o.code, quarter(current_date) - 2)::numeric, 9), E'\n' ORDER BY o.code)
	  FROM org o;
};

$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION issuelist CASCADE');
my $fresh_schema = schema_dump('fresh');
like($fresh_schema, qr/CREATE FUNCTION issuelist\.register_issue/, 'the dump holds the extension\'s objects');

my $n = 0;
for my $old (@installable)
{
	next if version_key($old) gt version_key($default);
	my $db = 'from_' . ++$n;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, qq{
		SET client_min_messages = warning;
		CREATE EXTENSION issuelist VERSION '$old' CASCADE;
		-- An update cannot install an extension 1.1 requires: it comes
		-- first (docs/versions-and-upgrades.md).
		CREATE EXTENSION IF NOT EXISTS btree_gist;
		SET search_path = issuelist, public;
		SELECT load_sample_province();
		SELECT generate_sample_issues(quarter(current_date) - 5, quarter(current_date), 300, 5);
		SELECT freeze_quarter(quarter(current_date) - 1);
		INSERT INTO score_model SELECT 'strict', 'a user''s model', 1.5, 3, 7, 13, 0.7, 1.3, 3.1, 0.4,
			0.35, 0.8, 0.9, 35;
		INSERT INTO score_model_list VALUES ('strict', 'audit', 2.5);
		CREATE ROLE upgrade_editor_$n LOGIN IN ROLE issuelist_editor;
		SELECT grant_org('upgrade_editor_$n', '330100');
		SELECT advance(code, 'assigned', 'before the upgrade', current_date)
		  FROM issue WHERE state = 'registered' ORDER BY code LIMIT 5;
	});
	my ($data_before, $columns) = data_digest($db);
	my $reports_before = $node->safe_psql($db, $reports);
	# 1.1 names an issue's official by a code (docs/officials.md): the
	# column is compared through the official's name and organization.
	my $officials_of_issues = q{
		SELECT string_agg(i.code || ' ' || coalesce(f.name || ' of ' || f.org, '-'), E'\n' ORDER BY i.code)
		  FROM issuelist.issue i LEFT JOIN issuelist.official f ON %s};
	my $officials_before = $node->safe_psql($db,
		sprintf($officials_of_issues, 'f.org = i.org AND f.name = i.official'));
	$columns->{'issuelist.issue'} = join(',', grep { $_ ne 'official' } split /,/, $columns->{'issuelist.issue'})
	  if $old ne $default;
	my $sequences_before = { map { ((split /\|/)[0] => 1) } split /\n/, $data_before };
	($data_before) = data_digest($db, $columns);

	$node->safe_psql($db, 'ALTER EXTENSION issuelist UPDATE');
	is($node->safe_psql($db, q{SELECT extversion FROM pg_extension WHERE extname = 'issuelist'}),
		$default, "$old updated: the extension is at $default");
	my $schema = schema_dump($db);
	$schema =~ s/\b$db\b/fresh/g;
	ok($schema eq $fresh_schema, "$old updated: the schema equals a fresh install of $default")
	  or diag(schema_diff($fresh_schema, $schema));
	is(config_tables($db), config_tables('fresh'), "$old updated: the same configuration tables are dumped");
	# The sequences a new version adds are not compared.
	my $data_after = join("\n", grep { $sequences_before->{(split /\|/)[0]} }
		split /\n/, (data_digest($db, $columns))[0]);
	is($data_after, $data_before, "$old updated: every row is intact");
	is($node->safe_psql($db, sprintf($officials_of_issues, 'f.code = i.official')), $officials_before,
		"$old updated: every issue's official is the same person, named by a code")
	  if $old ne $default;
	is($node->safe_psql($db, $reports), $reports_before, "$old updated: the ranking and every score read the same");
	like($data_before, qr/issue_event\|[1-9]\d*\|/, "$old: the data compared is not empty");
	is($node->safe_psql($db, 'SELECT count(*) FROM issuelist.verify_history()'), '0',
		"$old updated: the history's hash chains are intact");
	is($node->safe_psql($db, 'SET search_path = issuelist, public; SELECT verify_quarter(quarter(current_date) - 1)'), 't',
		"$old updated: the frozen quarter is a publication whose digest the history produces");
	next if $old eq $default;
	same_rows_as_fresh($db, $old);
}

# The same rows written into a fresh install of the default version give
# the same tables, every column of them (the history's hashes, computed by
# the upgrade, included): the rows a version before the default had are
# copied from the updated database through postgres_fdw, and the fresh
# install computes the rest (the hashes, the new columns' defaults).
sub same_rows_as_fresh
{
	my ($db, $old) = @_;
	my $copy = "copy_of_$db";
	my @tables = qw(org official org_member issue_counter indicator issue issue_event
	  tolerance score_model score_model_list quarter_freeze rollup);
	my $event_columns = $node->safe_psql($db, q{
		SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
		 WHERE attrelid = 'issuelist.issue_event'::regclass AND attnum > 0
		   AND NOT attisdropped AND attname <> 'hash'});
	$node->safe_psql('postgres', "CREATE DATABASE $copy");
	$node->safe_psql($copy, sprintf(q{
		SET client_min_messages = warning;
		CREATE EXTENSION issuelist CASCADE;
		CREATE EXTENSION postgres_fdw;
		CREATE SERVER updated FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '%s', port '%s', dbname '%s');
		CREATE USER MAPPING FOR CURRENT_USER SERVER updated;
		CREATE SCHEMA updated;
		IMPORT FOREIGN SCHEMA issuelist FROM SERVER updated INTO updated;
		SET search_path = issuelist, public;
		INSERT INTO org SELECT * FROM updated.org ORDER BY path;
		INSERT INTO official SELECT * FROM updated.official;
		INSERT INTO org_member SELECT * FROM updated.org_member;
		INSERT INTO issue_counter SELECT * FROM updated.issue_counter;
		INSERT INTO indicator SELECT * FROM updated.indicator;
		INSERT INTO score_model SELECT * FROM updated.score_model WHERE name <> 'standard';
		-- The built-in model's row as the updated database has it (an
		-- upgrade leaves a row a user may have edited as it is).
		UPDATE score_model m SET description = u.description
		  FROM updated.score_model u WHERE u.name = 'standard' AND m.name = 'standard';
		INSERT INTO score_model_list SELECT * FROM updated.score_model_list;
		INSERT INTO issue OVERRIDING SYSTEM VALUE SELECT * FROM updated.issue ORDER BY id;
		-- Every column but the hash, which the fresh install computes.
		INSERT INTO issue_event (%s) OVERRIDING SYSTEM VALUE
			SELECT %s FROM updated.issue_event ORDER BY issue, seq;
		INSERT INTO tolerance OVERRIDING SYSTEM VALUE SELECT * FROM updated.tolerance ORDER BY id;
		INSERT INTO quarter_freeze SELECT * FROM updated.quarter_freeze;
		INSERT INTO rollup SELECT * FROM updated.rollup;
	}, $node->host, $node->port, $db, $event_columns, $event_columns));
	my $columns = { map { split /\|/ } split /\n/, $node->safe_psql($copy, q{
		SET search_path = issuelist, public;
		SELECT c.oid::regclass, string_agg(quote_ident(a.attname), ',' ORDER BY a.attnum)
		  FROM pg_class c
		  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		 WHERE c.relnamespace = 'issuelist'::regnamespace AND c.relkind = 'r'
		 GROUP BY c.oid}) };
	my %compared = map { ($_ => $columns->{$_}) } grep { exists $columns->{$_} } @tables;
	is(scalar(keys %compared), scalar(@tables), "$old updated: the tables compared with a fresh install exist");
	my $tables_only = sub { join("\n", grep { !/_seq\|/ } split /\n/, $_[0]) };
	is($tables_only->((data_digest($copy, \%compared))[0]),
		$tables_only->((data_digest($db, \%compared))[0]),
		"$old updated: every row, every column, equals the same rows written into a fresh $default");
}
ok($n >= 1, "$n version(s) updated to $default");

$node->stop;
done_testing();
