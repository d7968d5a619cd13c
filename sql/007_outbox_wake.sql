-- The outbox publisher's wake-up without a NOTIFY per write.
--
-- Why: a transaction that NOTIFYs takes one lock for the whole database while it
-- commits (PostgreSQL's notify queue), so no two of them commit at once and their WAL
-- flushes cannot be shared: with a NOTIFY on every outbox insert, every write of the
-- product was serialized on it (bench/chat.sh's rows: 1,690 transactions/s with the
-- NOTIFY, 2,510 without, and no gain from more clients while it was there).
--
-- Now writers NOTIFY only while the publisher is asleep. The publisher (the
-- notification service's outbox actor) stays awake, looking at the outbox every few
-- milliseconds, while there is work; once it has found nothing for a while it says it
-- is asleep here, makes sure no writer is still between reading the old state and
-- committing, looks once more, and only then waits for NOTIFY (and its one-second
-- look). How no row is left unannounced:
--   * a writer takes 4004 key 0 in shared mode before it reads `asleep`, and holds it
--     until it has committed (a transaction lock);
--   * the publisher sets asleep = true, then tries 4004 in exclusive mode (never
--     waiting, so writers never queue behind it): success means every writer that
--     could have read asleep = false has committed, so the look that follows sees its
--     rows; every later writer reads asleep = true and NOTIFYs. While the try fails
--     the publisher stays awake and tries again at its next look.
-- Advisory lock namespace (see 004): 4004 key 0, writers of the outbox in flight.
CREATE TABLE event_outbox_publisher (
    one    boolean PRIMARY KEY DEFAULT true CONSTRAINT event_outbox_publisher_one CHECK (one),
    asleep boolean NOT NULL
);
-- Asleep until a publisher says otherwise: writers NOTIFY, nothing waits a second.
INSERT INTO event_outbox_publisher (asleep) VALUES (true);

CREATE OR REPLACE FUNCTION event_outbox_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(4004, 0);
    IF (SELECT asleep FROM event_outbox_publisher) THEN
        PERFORM pg_notify('event_outbox', '');
    END IF;
    RETURN NULL;
END
$$;
