-- pgbench: push a random open issue's due day later.
SELECT load.open_issue_step('extension');
