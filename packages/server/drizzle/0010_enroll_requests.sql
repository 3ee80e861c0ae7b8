CREATE TABLE `enroll_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`host_id` text NOT NULL,
	`token_id` text NOT NULL,
	`machine_id` text NOT NULL,
	`key_hash` text NOT NULL,
	`replaces_agent_id` text NOT NULL,
	`hostname` text NOT NULL,
	`os_name` text NOT NULL,
	`ip` text,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`decided_at` text,
	`decided_by` text,
	`used_at` text,
	`agent_id` text,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`token_id`) REFERENCES `enroll_tokens`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `enroll_requests_host_idx` ON `enroll_requests` (`host_id`);--> statement-breakpoint
CREATE INDEX `enroll_requests_expires_idx` ON `enroll_requests` (`expires_at`);