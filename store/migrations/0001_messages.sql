-- Messages visitors leave for a profile's owner, and the outbox that tells the owner.
-- A message holds the profile handle, the time and what the visitor typed: no
-- address, no SSH username, no key.
CREATE TABLE messages (
	id {{id}},
	handle TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	sender TEXT NOT NULL,
	body TEXT NOT NULL,
	read_at BIGINT,
	done_at BIGINT
);
CREATE INDEX messages_by_handle ON messages (handle, created_at);

-- One row per message and notification channel, written in the message's
-- transaction. delivered_at is set once the channel accepted it.
CREATE TABLE outbox (
	id {{id}},
	message_id BIGINT NOT NULL REFERENCES messages (id),
	channel TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at BIGINT NOT NULL,
	delivered_at BIGINT,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (delivered_at, next_at);
