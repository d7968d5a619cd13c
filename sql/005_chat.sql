-- Chat: direct messages between friends (owned by the chat service).
--
-- The chat service inserts a message, and in the same transaction calls
-- chat_message_announce: the receiver's `message` notification (the triggers of 004
-- publish it) and one 'chat.message' outbox row to both participants, whose body the
-- notification service's publisher reads from this table when it publishes.

CREATE TABLE messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender_id   bigint NOT NULL
        CONSTRAINT messages_sender_fk REFERENCES users (id) ON DELETE CASCADE,
    receiver_id bigint NOT NULL
        CONSTRAINT messages_receiver_fk REFERENCES users (id) ON DELETE CASCADE,
    -- Trimmed by the service; the limit is in characters (code points), as the API's.
    text        text NOT NULL
        CONSTRAINT messages_text_length CHECK (char_length(text) BETWEEN 1 AND 4000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz,
    -- The sender's idempotency key (optional): a resend with the same key stores
    -- nothing new (messages_client_id below decides, not the service).
    client_id   varchar(64),
    CONSTRAINT messages_not_to_self CHECK (sender_id <> receiver_id)
);

-- A conversation's history, newest first, by keyset (id < before): one index descent
-- whatever the conversation's length. Queries use the same LEAST/GREATEST expressions.
CREATE INDEX messages_conversation ON messages
    (LEAST(sender_id, receiver_id), GREATEST(sender_id, receiver_id), id DESC);
-- A user's conversations (both directions), and the cascades of a deleted user.
CREATE INDEX messages_sender ON messages (sender_id, receiver_id, id);
CREATE INDEX messages_receiver ON messages (receiver_id, sender_id, id);
-- Unread counts per conversation, and marking them read: only unread rows are indexed.
CREATE INDEX messages_unread ON messages (receiver_id, sender_id) WHERE read_at IS NULL;
-- Idempotency: one message per sender and key, enforced under concurrency.
CREATE UNIQUE INDEX messages_client_id ON messages (sender_id, client_id)
    WHERE client_id IS NOT NULL;

-- The outbox gets a kind for chat messages: recipients {sender, receiver}, subject
-- the message id (the body is read when published).
ALTER TABLE event_outbox DROP CONSTRAINT event_outbox_kind_valid;
ALTER TABLE event_outbox ADD CONSTRAINT event_outbox_kind_valid
    CHECK (kind IN ('notification', 'presence', 'user_gone', 'chat.message'));

-- The events of message p_message, in the inserting transaction: the 'chat.message'
-- outbox row, then the receiver's notification. Both participants' notification
-- locks (4001, see 004) are taken first, lowest id first so two messages of one
-- conversation in opposite directions cannot deadlock: one recipient's outbox rows
-- then follow commit order, as 004 promises for notifications.
CREATE FUNCTION chat_message_announce(p_message bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    m messages%ROWTYPE;
BEGIN
    SELECT * INTO STRICT m FROM messages WHERE id = p_message;
    PERFORM pg_advisory_xact_lock(4001, (LEAST(m.sender_id, m.receiver_id) % 2147483648)::int4);
    PERFORM pg_advisory_xact_lock(4001, (GREATEST(m.sender_id, m.receiver_id) % 2147483648)::int4);
    INSERT INTO event_outbox (kind, recipients, subject)
    VALUES ('chat.message', ARRAY[m.sender_id, m.receiver_id], m.id);
    INSERT INTO notifications (user_id, sender_id, type, text, data)
    SELECT m.receiver_id, m.sender_id, 'message', s.username || ' sent you a message.',
           jsonb_build_object('message_id', m.id, 'conversation_user_id', m.sender_id)
    FROM users s WHERE s.id = m.sender_id;
END
$$;
