
-- 1.1: an import's ref column (the finding's number in its round).
ALTER TYPE import_row ADD ATTRIBUTE ref text;
