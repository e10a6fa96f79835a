# Helpers for the closed-loop TAP tests (tests/t/1xx).
package IssuelistLoop;

use strict;
use warnings;
use Exporter 'import';
use PostgreSQL::Test::Cluster;

our @EXPORT = qw(province_node);

# A started cluster whose database "province" has the extension and the
# sample province with synthetic issues from $from to $to ($per_quarter a
# quarter, seed $seed), then runs $more (SQL with search_path issuelist).
sub province_node
{
	my (%opt) = @_;
	my $node = PostgreSQL::Test::Cluster->new($opt{name} // 'main');
	$node->init;
	$node->start;
	$node->safe_psql('postgres', 'CREATE DATABASE province');
	$node->safe_psql('province', qq{
		SET client_min_messages = warning;
		CREATE EXTENSION issuelist CASCADE;
		SET search_path = issuelist, public;
		SELECT load_sample_province();
		SELECT generate_sample_issues('$opt{from}', '$opt{to}', $opt{per_quarter}, $opt{seed});
		$opt{more}
	});
	return $node;
}

1;
