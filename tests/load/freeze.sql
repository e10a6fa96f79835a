-- pgbench (one client, as the province): publish the load's quarter again
-- and again while the others work; each publication is a new revision,
-- with its reason.
SELECT issuelist.freeze_quarter(issuelist.quarter(load_day), 'load: published again while the districts work')
  FROM load.setting;
