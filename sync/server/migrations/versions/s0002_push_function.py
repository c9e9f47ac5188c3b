"""PostgreSQL: a push in one statement (`ssoc_push`), so it costs one round trip and one commit.

The function does what `store.admit` and `store.push` do on SQLite, in the same order: count the
request in the device's rate window, check the device and its account, create-and-lock the
learner's feed row, number the new events inside the transaction and insert them, and compare
events already stored with what was sent again (only when the batch was not all new). Called in
autocommit mode it is its own transaction: the feed lock is held until the commit, so sequence
numbers become visible in order. SQLite has no functions of this kind; there the Python path in
`store.py` runs.

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-29
"""

from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None

PUSH_FUNCTION = """
CREATE OR REPLACE FUNCTION ssoc_push(
    p_device varchar,        -- the device of the access token
    p_user varchar,          -- its account (the learner whose feed this is)
    p_window bigint,         -- the current one-minute rate window
    p_per_minute integer,    -- requests allowed per device and window
    p_ids varchar[],         -- the batch, already checked one by one in Python and de-duplicated
    p_dseqs bigint[],
    p_hlcs varchar[],
    p_types varchar[],
    p_payloads text[],       -- canonical JSON (sorted keys), as store.canonical writes it
    OUT status text,         -- ok | rate_limited | device_revoked | unauthenticated
    OUT acked varchar[],     -- stored now or before, with the same content
    OUT taken varchar[]      -- ids already used by another event: never stored
) LANGUAGE plpgsql
-- The plans inside are cached per connection, made when the events table may still be small:
-- a plan that scans or hashes the whole table would then be kept while it grows (seen in the
-- benchmark: 1,112 whole scans of events in one run). Every lookup here is by a key: with
-- sequential scans, hash and merge joins priced out, the planner takes index probes in nested
-- loops whatever the statistics say.
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
    v_count integer;
    v_revoked timestamptz;
    v_owner varchar;
    v_account varchar;
    v_feed varchar := 'learner:' || p_user;
    v_new varchar[];
    v_last bigint;
    v_inserted varchar[];
BEGIN
    acked := '{}';
    taken := '{}';
    INSERT INTO rate_windows AS r (device_id, "window", count) VALUES (p_device, p_window, 1)
        ON CONFLICT (device_id, "window") DO UPDATE SET count = r.count + 1
        RETURNING r.count INTO v_count;
    IF v_count = 1 THEN  -- first request of a window: forget this device's old windows
        DELETE FROM rate_windows WHERE device_id = p_device AND "window" < p_window;
    END IF;
    IF v_count > p_per_minute THEN
        -- The refused request stays counted (on SQLite the refusal rolls its count back):
        -- either way every request above the limit is refused until the next window.
        status := 'rate_limited';
        RETURN;
    END IF;

    SELECT d.revoked_at, d.user_id, u.id INTO v_revoked, v_owner, v_account
        FROM devices d LEFT JOIN users u ON u.id = d.user_id WHERE d.id = p_device;
    IF NOT FOUND OR v_revoked IS NOT NULL THEN
        status := 'device_revoked';
        RETURN;
    END IF;
    IF v_account IS NULL OR v_account <> p_user THEN
        status := 'unauthenticated';
        RETURN;
    END IF;
    status := 'ok';
    IF cardinality(p_ids) = 0 THEN
        RETURN;
    END IF;

    -- Lock the learner's feed row (made at her first push): her pushes now run one after
    -- another. FOR UPDATE writes no new row version; the feed gets one per push, below.
    INSERT INTO feeds (name, last_seq) VALUES (v_feed, 0) ON CONFLICT (name) DO NOTHING;
    SELECT last_seq INTO v_last FROM feeds WHERE name = v_feed FOR UPDATE;

    -- The usual batch is all new: insert it numbered from the feed's last seq. If any id was
    -- there already (a re-sent batch, or another event's id), take those rows out again and
    -- sort the batch out event by event below, so the numbers stay without gaps.
    WITH stored AS (
        INSERT INTO events (id, feed, seq, learner_id, device_id, device_seq, hlc, type, payload,
                            received_at)
        SELECT b.id, v_feed, v_last + b.n, p_user, p_device, b.dseq, b.hlc, b.type, b.payload,
               now()
        FROM unnest(p_ids, p_dseqs, p_hlcs, p_types, p_payloads)
            WITH ORDINALITY AS b(id, dseq, hlc, type, payload, n)
        ORDER BY b.n
        ON CONFLICT DO NOTHING
        RETURNING id
    )
    SELECT coalesce(array_agg(id), '{}') INTO v_inserted FROM stored;
    IF cardinality(v_inserted) = cardinality(p_ids) THEN
        UPDATE feeds SET last_seq = v_last + cardinality(p_ids) WHERE name = v_feed;
        acked := v_inserted;
        RETURN;
    END IF;
    DELETE FROM events WHERE id = ANY(v_inserted);

    SELECT coalesce(array_agg(b.id ORDER BY b.n) FILTER (WHERE e.id IS NULL), '{}'),
           coalesce(array_agg(b.id) FILTER (
               WHERE e.id IS NOT NULL AND e.learner_id = p_user AND e.device_id = p_device
                 AND e.device_seq = b.dseq AND e.type = b.type AND e.payload = b.payload), '{}'),
           coalesce(array_agg(b.id) FILTER (
               WHERE e.id IS NOT NULL AND NOT (e.learner_id = p_user AND e.device_id = p_device
                 AND e.device_seq = b.dseq AND e.type = b.type AND e.payload = b.payload)), '{}')
        INTO v_new, acked, taken
        FROM unnest(p_ids, p_dseqs, p_types, p_payloads)
            WITH ORDINALITY AS b(id, dseq, type, payload, n)
        LEFT JOIN events e ON e.id = b.id;
    IF cardinality(v_new) = 0 THEN
        RETURN;
    END IF;

    LOOP
        WITH fresh AS (
            SELECT b.*, row_number() OVER (ORDER BY b.n) AS k
            FROM unnest(p_ids, p_dseqs, p_hlcs, p_types, p_payloads)
                WITH ORDINALITY AS b(id, dseq, hlc, type, payload, n)
            WHERE b.id = ANY(v_new)
        ), stored AS (
            INSERT INTO events (id, feed, seq, learner_id, device_id, device_seq, hlc, type,
                                payload, received_at)
            SELECT id, v_feed, v_last + k, p_user, p_device, dseq, hlc, type, payload, now()
            FROM fresh ORDER BY k
            ON CONFLICT DO NOTHING
            RETURNING id
        )
        SELECT coalesce(array_agg(id), '{}') INTO v_inserted FROM stored;
        EXIT WHEN cardinality(v_inserted) = cardinality(v_new);
        -- An id taken at this moment by another learner's event: refuse it and number the
        -- rest again, so the feed has no gap.
        taken := taken || ARRAY(SELECT x FROM unnest(v_new) AS x WHERE x <> ALL(v_inserted));
        DELETE FROM events WHERE id = ANY(v_inserted);
        v_new := v_inserted;
        EXIT WHEN cardinality(v_new) = 0;
    END LOOP;
    UPDATE feeds SET last_seq = v_last + cardinality(v_new) WHERE name = v_feed;
    acked := acked || v_new;
END;
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PUSH_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS ssoc_push(varchar, varchar, bigint, integer, varchar[],"
            " bigint[], varchar[], varchar[], text[])"
        )
