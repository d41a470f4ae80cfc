-- The sender's delivery id (the Hub's Webhook-Id header). Its dedupe key (webhookIdKey) is claimed
-- in the dedupe table beside the payload key, so either one makes a later copy a duplicate.
ALTER TABLE deliveries ADD COLUMN webhook_id text;
