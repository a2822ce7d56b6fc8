-- View counts per post, flushed in batches by each tenant's actor.
ALTER TABLE posts ADD COLUMN views INTEGER NOT NULL DEFAULT 0;
