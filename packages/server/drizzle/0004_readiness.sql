CREATE TABLE `host_cards` (
	`host_id` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `network_plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`data` blob NOT NULL,
	`uploaded_at` text NOT NULL,
	`uploaded_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `record_docs` (
	`kind` text PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `record_items` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`data` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `record_items_kind_idx` ON `record_items` (`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `record_meta` (
	`kind` text PRIMARY KEY NOT NULL,
	`owner` text DEFAULT '' NOT NULL,
	`review_interval_days` integer NOT NULL,
	`last_reviewed_at` text,
	`last_reviewed_by` text
);
--> statement-breakpoint
CREATE TABLE `score_history` (
	`day` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
