-- Before host lifecycle actions existed, an agent was revoked only when its PC was enrolled again.
UPDATE `agents` SET `revoked_reason` = 'agent-replaced' WHERE `revoked_at` IS NOT NULL AND `revoked_reason` IS NULL;
