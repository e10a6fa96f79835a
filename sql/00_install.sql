-- The extension installs with its one dependency, ltree, into schema issuelist.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS issuelist CASCADE;
RESET client_min_messages;
SELECT extname, extversion, extnamespace::regnamespace
  FROM pg_extension WHERE extname IN ('issuelist', 'ltree') ORDER BY 1;
