-- pgbench: register an issue in one of the hot counties.
SELECT load.register();
