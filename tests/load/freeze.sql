-- pgbench (one client, as the province): freeze the load's quarter again
-- and again while the others work; each freeze is a new revision.
SELECT issuelist.freeze_quarter(issuelist.quarter(load_day)) FROM load.setting;
