-- issuelist upgrade script from 1.0 to 1.1, assembled from
-- extension/upgrade/1.0--1.1/*.sql in name order, then the install script's
-- last fragment (extension/sql/99_search_path.sql), which gives the
-- functions this script creates or replaces their fixed search_path.
-- Every change to an object 1.0 installed is made here as well as in
-- extension/sql/, and tests/t/530_upgrade.pl checks that an upgraded
-- database equals a fresh 1.1 one, object for object and row for row.
\echo Use "ALTER EXTENSION issuelist UPDATE TO '1.1'" to load this file. \quit
