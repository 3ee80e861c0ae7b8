PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`host_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`kind` text NOT NULL,
	`collected_at` text NOT NULL,
	`received_at` text NOT NULL,
	`body` text,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_reports`("id", "host_id", "agent_id", "kind", "collected_at", "received_at", "body") SELECT "id", "host_id", "agent_id", "kind", "collected_at", "received_at", "body" FROM `reports`;--> statement-breakpoint
DROP TABLE `reports`;--> statement-breakpoint
ALTER TABLE `__new_reports` RENAME TO `reports`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `reports_host_idx` ON `reports` (`host_id`,`received_at`);