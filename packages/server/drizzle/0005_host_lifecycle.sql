ALTER TABLE `agents` ADD `revoked_reason` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `enroll_tokens` ADD `may_replace` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `enroll_tokens` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `retired_at` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `identity_at` text;--> statement-breakpoint
CREATE INDEX `hosts_name_idx` ON `hosts` (lower("hostname"));--> statement-breakpoint
ALTER TABLE `users` ADD `disabled_at` text;--> statement-breakpoint
ALTER TABLE `users` ADD `last_login_at` text;