CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`host_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_seen_at` text,
	`revoked_at` text,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agents_host_idx` ON `agents` (`host_id`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_id` text NOT NULL,
	`measure_id` text NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`state` text NOT NULL,
	`reason_de` text NOT NULL,
	`reason_en` text NOT NULL,
	`opened_at` text NOT NULL,
	`acknowledged_at` text,
	`acknowledged_by` text,
	`resolved_at` text,
	`snoozed_until` text,
	`last_reminded_at` text,
	`escalated_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_one_open_idx` ON `alerts` (`subject_id`,`measure_id`) WHERE state <> 'resolved';--> statement-breakpoint
CREATE INDEX `alerts_state_idx` ON `alerts` (`state`,`opened_at`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`config` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`escalation` integer DEFAULT false NOT NULL,
	`language` text DEFAULT 'de' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `enroll_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text,
	`max_uses` integer,
	`uses` integer DEFAULT 0 NOT NULL,
	`revoked_at` text,
	`tags` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enroll_tokens_token_hash_unique` ON `enroll_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `facts` (
	`host_id` text NOT NULL,
	`fact_id` text NOT NULL,
	`value` text NOT NULL,
	`collected_at` text NOT NULL,
	`report_id` text NOT NULL,
	PRIMARY KEY(`host_id`, `fact_id`),
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `finding_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject_id` text NOT NULL,
	`measure_id` text NOT NULL,
	`status` text NOT NULL,
	`severity` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `finding_history_subject_idx` ON `finding_history` (`subject_id`,`at`);--> statement-breakpoint
CREATE TABLE `findings` (
	`subject_id` text NOT NULL,
	`measure_id` text NOT NULL,
	`status` text NOT NULL,
	`severity` text NOT NULL,
	`reason_de` text NOT NULL,
	`reason_en` text NOT NULL,
	`fix_de` text,
	`fix_en` text,
	`since` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`subject_id`, `measure_id`)
);
--> statement-breakpoint
CREATE INDEX `findings_measure_idx` ON `findings` (`measure_id`,`status`);--> statement-breakpoint
CREATE TABLE `hosts` (
	`id` text PRIMARY KEY NOT NULL,
	`machine_id` text NOT NULL,
	`hostname` text NOT NULL,
	`os_family` text NOT NULL,
	`os_distribution` text NOT NULL,
	`os_version` text NOT NULL,
	`os_build` text,
	`kernel` text NOT NULL,
	`arch` text NOT NULL,
	`agent_version` text NOT NULL,
	`boot_time` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`crown_jewel` integer DEFAULT false NOT NULL,
	`maintenance_until` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_report_at` text,
	`status` text DEFAULT 'unknown' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hosts_machine_id_unique` ON `hosts` (`machine_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` text,
	`channel_id` text NOT NULL,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` text NOT NULL,
	`next_attempt_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`sent_at` text,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`sent_at`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`host_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`kind` text NOT NULL,
	`collected_at` text NOT NULL,
	`received_at` text NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reports_host_idx` ON `reports` (`host_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `threshold_overrides` (
	`scope` text NOT NULL,
	`scope_value` text NOT NULL,
	`values` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`scope`, `scope_value`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);