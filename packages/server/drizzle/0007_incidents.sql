CREATE TABLE `evidence_items` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`incident_id` text NOT NULL,
	`host_id` text NOT NULL,
	`item` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`truncated` integer NOT NULL,
	`collector` text NOT NULL,
	`source` text NOT NULL,
	`collected_at` text NOT NULL,
	`received_at` text NOT NULL,
	`data` blob NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `evidence_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evidence_items_request_item_idx` ON `evidence_items` (`request_id`,`item`);--> statement-breakpoint
CREATE INDEX `evidence_items_incident_idx` ON `evidence_items` (`incident_id`);--> statement-breakpoint
CREATE TABLE `evidence_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`host_id` text NOT NULL,
	`hours` integer NOT NULL,
	`items` text NOT NULL,
	`state` text NOT NULL,
	`requested_at` text NOT NULL,
	`requested_by` text NOT NULL,
	`sent_at` text,
	`finished_at` text,
	`results` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evidence_requests_incident_idx` ON `evidence_requests` (`incident_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `evidence_requests_host_idx` ON `evidence_requests` (`host_id`,`state`);--> statement-breakpoint
CREATE TABLE `incident_chain` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`position` integer NOT NULL,
	`contact_id` text NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`note` text DEFAULT '' NOT NULL,
	`token_hash` text NOT NULL,
	`notified_at` text NOT NULL,
	`acknowledged_at` text,
	`acknowledged_via` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incident_chain_token_hash_unique` ON `incident_chain` (`token_hash`);--> statement-breakpoint
CREATE INDEX `incident_chain_incident_idx` ON `incident_chain` (`incident_id`,`position`);--> statement-breakpoint
CREATE TABLE `incident_clocks` (
	`incident_id` text NOT NULL,
	`clock_id` text NOT NULL,
	`hours` integer NOT NULL,
	`state` text DEFAULT 'running' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`done_at` text,
	`done_by` text,
	`warned` text,
	PRIMARY KEY(`incident_id`, `clock_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `incident_lessons` (
	`incident_id` text PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`applied` text NOT NULL,
	`recorded_at` text NOT NULL,
	`recorded_by` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `incident_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`title_de` text NOT NULL,
	`title_en` text NOT NULL,
	`help_de` text DEFAULT '' NOT NULL,
	`help_en` text DEFAULT '' NOT NULL,
	`contact` text,
	`outcome` text,
	`note` text DEFAULT '' NOT NULL,
	`done_at` text,
	`done_by` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_steps_incident_idx` ON `incident_steps` (`incident_id`,`position`);--> statement-breakpoint
CREATE TABLE `incident_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`title` text NOT NULL,
	`owner` text NOT NULL,
	`due_on` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`findings` text NOT NULL,
	`state` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`done_at` text,
	`done_by` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_tasks_incident_idx` ON `incident_tasks` (`incident_id`);--> statement-breakpoint
CREATE TABLE `incident_timeline` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` text NOT NULL,
	`at` text NOT NULL,
	`author` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`data` text,
	`corrects_id` integer,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incident_timeline_prev_hash_unique` ON `incident_timeline` (`prev_hash`);--> statement-breakpoint
CREATE INDEX `incident_timeline_incident_idx` ON `incident_timeline` (`incident_id`,`id`);--> statement-breakpoint
CREATE TABLE `incident_watches` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`host_id` text NOT NULL,
	`interval_minutes` integer NOT NULL,
	`started_at` text NOT NULL,
	`started_by` text NOT NULL,
	`until` text NOT NULL,
	`ended_at` text,
	`confirmed_at` text,
	`reverted_at` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_watches_host_idx` ON `incident_watches` (`host_id`,`until`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`title` text NOT NULL,
	`scenario` text NOT NULL,
	`severity` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`state` text NOT NULL,
	`source` text NOT NULL,
	`source_alert_id` text,
	`drill` integer DEFAULT false NOT NULL,
	`espionage_suspected` integer DEFAULT false NOT NULL,
	`host_ids` text DEFAULT '[]' NOT NULL,
	`crown_jewel_ids` text DEFAULT '[]' NOT NULL,
	`aware_at` text NOT NULL,
	`base_url` text,
	`opened_at` text NOT NULL,
	`opened_by` text NOT NULL,
	`contained_at` text,
	`contained_by` text,
	`resolved_at` text,
	`resolved_by` text,
	`closed_at` text,
	`closed_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_number_unique` ON `incidents` (`number`);--> statement-breakpoint
CREATE INDEX `incidents_state_idx` ON `incidents` (`state`,`opened_at`);--> statement-breakpoint
CREATE TABLE `user_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`receipt` text NOT NULL,
	`incident_id` text,
	`via` text NOT NULL,
	`host_id` text,
	`lang` text NOT NULL,
	`answers` text NOT NULL,
	`context` text NOT NULL,
	`reported_at` text NOT NULL,
	`received_at` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_reports_receipt_unique` ON `user_reports` (`receipt`);--> statement-breakpoint
CREATE INDEX `user_reports_incident_idx` ON `user_reports` (`incident_id`,`received_at`);