
-- 1.1: issues_as_of gives the official responsible on the day, and their
-- name (official_name, as the view issues): its columns change, so it is
-- dropped here and created again, with its grants, by 33_views.sql.  1.0's
-- report_overdue depends on it; 72_client_reports.sql creates it again.
DROP FUNCTION report_overdue(text, quarter, integer);
DROP FUNCTION issues_as_of(date);
