-- The audit log is append-only: the server never changes or deletes a row, and neither may anything else that
-- goes through SQLite. (Someone editing the file with other tools is caught by the hash chain instead.)
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
