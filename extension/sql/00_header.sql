-- issuelist install script, assembled from extension/sql/*.sql in name order.
\echo Use "CREATE EXTENSION issuelist CASCADE" to load this file. \quit
