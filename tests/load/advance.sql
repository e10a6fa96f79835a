-- pgbench: move a random issue one step along the loop (sometimes a step
-- the loop forbids, and often one another client takes first).
SELECT load.advance();
