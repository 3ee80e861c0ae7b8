-- The incident record is evidence: the timeline and the stored evidence are append-only. The server never changes or
-- deletes a row, and neither may anything else that goes through SQLite. (Someone editing the file with other tools is
-- caught by the hash chain of the timeline and the SHA-256 of each file instead: GET /api/v1/incidents/:id/verify.)
CREATE TRIGGER `incident_timeline_no_update` BEFORE UPDATE ON `incident_timeline` BEGIN SELECT RAISE(ABORT, 'incident_timeline is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `incident_timeline_no_delete` BEFORE DELETE ON `incident_timeline` BEGIN SELECT RAISE(ABORT, 'incident_timeline is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `evidence_items_no_update` BEFORE UPDATE ON `evidence_items` BEGIN SELECT RAISE(ABORT, 'evidence_items is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `evidence_items_no_delete` BEFORE DELETE ON `evidence_items` BEGIN SELECT RAISE(ABORT, 'evidence_items is append-only'); END;
