-- Version 2: look up change-log entries by table and row key, for `riskreg verify`'s replay of
-- the log against the register and for `riskreg log ID` on rows without their own ID.
CREATE INDEX change_log_row ON change_log (kind, row_key);
