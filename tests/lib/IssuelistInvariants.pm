# IssuelistInvariants: what must hold of an issuelist database after load,
# after a crash, and on every shard.  Each check is one query that counts
# violations; check_invariants() turns each into a test.
#
#  - every issue has a history numbered 1..n without gaps, that starts with
#    its registration;
#  - every history follows the transition table: a transition starts from
#    the state the previous event left, the loop allows it, the reopen
#    count grows exactly at closed -> reopened, the due day moves only with
#    an extension and only later, a correction changes neither state nor
#    due day, the organization changes only by a correction, effective days
#    never go back;
#  - every issue's state, due day, closed day, reopen count and tolerance
#    equal the snapshot of its last event;
#  - every tolerance record has its tolerance event and vice versa;
#  - a frozen quarter's scores equal the scores computed issue by issue
#    from the history, in plain SQL straight from the definition
#    (docs/scoring.md), for every county and city.
package IssuelistInvariants;

use strict;
use warnings;
use Exporter 'import';
use Test::More;

our @EXPORT_OK = qw(check_invariants check_scores invariant_queries);

my %queries = (
	'every issue has a history numbered 1..n' => q{
		SELECT count(*) FROM issuelist.issue i
		  LEFT JOIN (SELECT e.issue, min(e.seq) AS lo, max(e.seq) AS hi, count(*) AS n
					   FROM issuelist.issue_event e GROUP BY e.issue) h ON h.issue = i.id
		 WHERE h.issue IS NULL OR h.lo <> 1 OR h.hi <> h.n
	},
	'every history starts with the registration, and only there' => q{
		SELECT count(*) FROM issuelist.issue_event e
		 WHERE (e.seq = 1) <> (e.event = 'registered')
	},
	'every history follows the transition table' => q{
		SELECT count(*)
		  FROM issuelist.issue_event e
		  JOIN issuelist.issue_event p ON p.issue = e.issue AND p.seq = e.seq - 1
		 WHERE e.on_date < p.on_date
			OR e.org <> p.org AND e.field IS DISTINCT FROM 'org'
			OR CASE e.event
				 WHEN 'transition' THEN
					  e.from_state IS DISTINCT FROM p.state
					  OR NOT issuelist.can_advance(e.from_state, e.to_state)
					  OR e.state IS DISTINCT FROM e.to_state
					  OR e.due_on <> p.due_on
				 WHEN 'extension' THEN e.state <> p.state OR e.due_on <= p.due_on
				 WHEN 'tolerance' THEN e.state <> p.state OR e.due_on <> p.due_on
				 WHEN 'correction' THEN e.state <> p.state OR e.due_on <> p.due_on
				 ELSE true END
			OR e.reopen_count <> p.reopen_count
				 + (e.event = 'transition' AND e.to_state = 'reopened')::int
			OR (e.closed_on IS NOT NULL) <> NOT issuelist.is_open(e.state)
	},
	'every issue stands as its last event left it' => q{
		SELECT count(*)
		  FROM issuelist.issue i
		  JOIN LATERAL (SELECT * FROM issuelist.issue_event e WHERE e.issue = i.id
						 ORDER BY e.seq DESC LIMIT 1) l ON true
		 WHERE (i.state, i.due_on, i.closed_on, i.reopen_count, i.tolerated_until, i.org)
			   IS DISTINCT FROM
			   (l.state, l.due_on, l.closed_on, l.reopen_count, l.tolerated_until, l.org)
	},
	'every tolerance record has its event' => q{
		SELECT count(*)
		  FROM (SELECT t.issue, count(*) AS n FROM issuelist.tolerance t GROUP BY t.issue) r
		  FULL JOIN (SELECT e.issue, count(*) AS n FROM issuelist.issue_event e
					  WHERE e.event = 'tolerance' GROUP BY e.issue) e USING (issue)
		 WHERE r.n IS DISTINCT FROM e.n
	},
	'every frozen revision is complete' => q{
		SELECT count(*)
		  FROM issuelist.quarter_freeze f
		 WHERE f.issues <> coalesce((SELECT sum(issuelist.tally_count(r.tally, 'issues'))
									   FROM issuelist.rollup r
									  WHERE r.q = f.q AND r.revision = f.revision), 0)
			OR f.revision <> (SELECT count(*) FROM issuelist.quarter_freeze g
							   WHERE g.q = f.q AND g.revision <= f.revision)
	},
);

sub invariant_queries { return \%queries; }

# Run every invariant query on $db of $node; one test each, named with
# $label.  Returns true when all hold.
sub check_invariants
{
	my ($node, $db, $label) = @_;
	my $all = 1;
	for my $name (sort keys %queries)
	{
		# The operators of the extension's types live in its schema.
		my $n = $node->safe_psql($db, "SET search_path = issuelist, public; $queries{$name}");
		$all &&= is($n, '0', "$label: $name");
	}
	return $all;
}

# Σ d_i of each organization's own issues in quarter $q under model
# 'standard', straight from the definition, as a SQL query returning
# (org, d).
sub plain_deductions_sql
{
	my ($q) = @_;
	return qq{
		SELECT i.org,
			   sum(CASE WHEN (i.state IN ('closed', 'withdrawn') AND i.closed_on < lower(q.q))
						  OR i.state = 'withdrawn' OR i.tolerated THEN 0
					ELSE coalesce(lw.weight, 1)
					   * CASE i.severity WHEN 'general' THEN m.w_general WHEN 'serious' THEN m.w_serious
										 WHEN 'major' THEN m.w_major ELSE m.w_critical END
					   * CASE i.origin WHEN 'self' THEN m.w_self WHEN 'external' THEN m.w_external
									   ELSE m.w_concealed END
					   * CASE WHEN i.state = 'closed' THEN
								  CASE WHEN i.closed_on <= i.due_on THEN m.closed_on_time
									   ELSE m.closed_late END
							  WHEN upper(q.q) > i.due_on THEN
								  1 + m.overdue_rate * least(12, ceil((upper(q.q) - i.due_on) / 30.0))
							  ELSE 1 END
					   * (1 + m.recurrence_rate * i.reopen_count)
					END) AS d
		  FROM (SELECT '$q'::issuelist.quarter AS q) q
		 CROSS JOIN LATERAL issuelist.issues_as_of(upper(q.q)) i
		  JOIN issuelist.score_model m ON m.name = 'standard'
		  LEFT JOIN issuelist.score_model_list lw ON lw.model = m.name AND lw.list = i.list
		 GROUP BY i.org
	};
}

# The scores of every county and city in quarter $q (frozen: read from the
# rollup) equal 100 K / (K + D) with D computed from the issues.  Returns
# the number of organizations compared.
sub check_scores
{
	my ($node, $db, $q, $label) = @_;
	my $plain = plain_deductions_sql($q);
	my ($n, $bad, $worst) = split /\|/, $node->safe_psql($db, qq{
		SET search_path = issuelist, public;
		WITH own AS ($plain),
		cmp AS (
			SELECT o.code, issuelist.score(o.code, '$q'::issuelist.quarter) AS from_rollup,
				   100 * m.k / (m.k + coalesce((SELECT sum(own.d) FROM own
												  JOIN issuelist.org s ON s.code = own.org
												 WHERE s.path <@ o.path), 0)) AS from_issues
			  FROM issuelist.org o, issuelist.score_model m
			 WHERE o.level IN ('county', 'city') AND m.name = 'standard')
		SELECT count(*), count(*) FILTER (WHERE abs(from_rollup - from_issues) > 1e-9 * from_issues),
			   max(abs(from_rollup - from_issues))
		  FROM cmp
	});
	is($bad, '0', "$label: the scores of $n counties and cities from the rollup equal those from the issues")
	  or diag("largest difference $worst");
	return $n;
}

1;
