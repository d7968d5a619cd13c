-- pgbench -f script for bench/chat.sh: the rows one chat message writes (the message,
-- with the friendship check and the id trigger; its outbox row; the receiver's
-- notification), in one transaction, for a pair drawn from bench_pairs (1..:pairs).
\set n random(1, :pairs)
BEGIN;
INSERT INTO messages (sender_id, receiver_id, text)
  SELECT p.sender, p.receiver, 'bench message with some words in it' FROM bench_pairs p
  WHERE p.n = :n AND EXISTS (SELECT 1 FROM friendships f WHERE f.user_id = p.sender AND f.friend_id = p.receiver)
  RETURNING id AS message_id, sender_id AS sender, receiver_id AS receiver \gset
INSERT INTO event_outbox (kind, recipients, subject)
  VALUES ('chat.message', ARRAY[:sender, :receiver]::bigint[], :message_id);
INSERT INTO notifications (user_id, sender_id, type, text, data)
  SELECT :receiver::bigint, :sender::bigint, 'message', u.username || ' sent you a message.',
         jsonb_build_object('message_id', :message_id::bigint, 'conversation_user_id', :sender::bigint)
  FROM users u WHERE u.id = :sender;
COMMIT;
