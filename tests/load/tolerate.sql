-- pgbench: tolerate a random open issue after review.
SELECT load.open_issue_step('tolerance');
