-- Chat: message ids in commit order per conversation, and a send in one statement.

-- ---------------------------------------------------------------------------------
-- Message ids in commit order, per conversation (as 004 does for notifications).
-- The identity default is drawn before any lock, so two senders of one conversation
-- could commit in the opposite order of their ids: the outbox (whose rows follow
-- commit order) would deliver them in one order and the history show the other.
-- Here every insert first takes both participants' notification locks (4001, lowest
-- id first, as every taker of two of them does, so none can deadlock), held to the end
-- of the transaction, and only then draws its id. The message's outbox row and
-- notification, written after it in the same transaction, then follow the same order.
CREATE FUNCTION messages_assign_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4001, (LEAST(NEW.sender_id, NEW.receiver_id) % 2147483648)::int4);
    PERFORM pg_advisory_xact_lock(4001, (GREATEST(NEW.sender_id, NEW.receiver_id) % 2147483648)::int4);
    NEW.id := nextval(pg_get_serial_sequence('messages', 'id'));
    RETURN NEW;
END
$$;
CREATE TRIGGER messages_id_in_commit_order BEFORE INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_assign_id();

-- ---------------------------------------------------------------------------------
-- chat_send: a whole send in one round trip, decided in the order the API answers
-- (the chat service maps each outcome to its status):
--   'no_caller'   the sender's account is gone                    401
--   'no_other'    the receiver does not exist                     404
--   'to_self'     sender and receiver are one user                400
--   'replayed'    the key holds this very message (returned)      200
--   'key_reused'  the key holds another receiver or text          400
--   'not_friends'                                                 403
--   'created'     stored with its outbox row and notification     201
-- p_client_id NULL: no key. p_text is already trimmed and valid (the service checks
-- the fields and answers their 400s itself). One message per sender and key is the
-- unique index messages_client_id: a concurrent send of the same key waits for the
-- other's transaction in the INSERT, inserts nothing, and then reads the stored one.
-- The friendship is checked by the INSERT itself, so a message is never stored for a
-- pair that is not friends when it runs. Run it as its own transaction (autocommit):
-- the locks of the trigger above are held until it commits.
CREATE FUNCTION chat_send(p_sender bigint, p_receiver bigint, p_text text, p_client_id text)
RETURNS TABLE (outcome text, id bigint, sender_id bigint, receiver_id bigint, text text,
               created_at timestamptz, read_at timestamptz, client_id varchar)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    m messages%ROWTYPE;
BEGIN
    outcome := CASE WHEN NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p_sender) THEN 'no_caller'
                    WHEN NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p_receiver) THEN 'no_other'
                    WHEN p_sender = p_receiver THEN 'to_self' END;
    IF outcome IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    FOR attempt IN 1..2 LOOP
        -- A resend: the first time here; the second, a key stored meanwhile.
        IF p_client_id IS NOT NULL THEN
            SELECT * INTO m FROM messages s
            WHERE s.sender_id = p_sender AND s.client_id = p_client_id;
            IF FOUND THEN
                outcome := CASE WHEN m.receiver_id = p_receiver AND m.text = p_text
                                THEN 'replayed' ELSE 'key_reused' END;
                EXIT;
            END IF;
        END IF;
        EXIT WHEN attempt = 2;
        INSERT INTO messages AS s (sender_id, receiver_id, text, client_id)
        SELECT p_sender, p_receiver, p_text, p_client_id
        WHERE EXISTS (SELECT 1 FROM friendships f
                      WHERE f.user_id = p_sender AND f.friend_id = p_receiver)
        ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
        RETURNING s.* INTO m;
        IF FOUND THEN
            INSERT INTO event_outbox (kind, recipients, subject)
            VALUES ('chat.message', ARRAY[m.sender_id, m.receiver_id], m.id);
            INSERT INTO notifications (user_id, sender_id, type, text, data)
            SELECT m.receiver_id, m.sender_id, 'message', u.username || ' sent you a message.',
                   jsonb_build_object('message_id', m.id, 'conversation_user_id', m.sender_id)
            FROM users u WHERE u.id = m.sender_id;
            outcome := 'created';
            EXIT;
        END IF;
        -- Nothing stored: not friends, or the key was taken meanwhile (look again).
        EXIT WHEN p_client_id IS NULL;
    END LOOP;
    outcome := COALESCE(outcome, 'not_friends');
    IF outcome IN ('created', 'replayed') THEN
        id := m.id; sender_id := m.sender_id; receiver_id := m.receiver_id;
        text := m.text; created_at := m.created_at; read_at := m.read_at;
        client_id := m.client_id;
    END IF;
    RETURN NEXT;
END
$$;

-- The send of 005 in three statements, replaced by chat_send.
DROP FUNCTION chat_message_announce(bigint);
