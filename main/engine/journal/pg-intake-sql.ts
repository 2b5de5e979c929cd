/**
 * Migration 11's PostgreSQL functions: the intake's batch of alerts in one statement (one round
 * trip, one commit), with AlertStore.record's rules, and the answer times written without waiting
 * on the WAL. Built from the lock seed and duplicate reason alerts.ts uses (alert-dedup.ts), so both paths agree.
 * Never edit once shipped (a migration's text): replace the function in a new migration.
 */
import { duplicateReason, IDEM_LOCK_SEED } from './alert-dedup.js';

export const PG_RECORD_ALERTS = `
  -- batch: a JSON array of alerts rows (alerts.ts alertRow, with idem_since). For each in order,
  -- an accepted alert with a key is a duplicate of the first alert with that key received at or
  -- after idem_since that is not itself rejected or a duplicate (earlier ones of this batch
  -- included); it is stored either way, and its id, seq and first id are returned.
  CREATE FUNCTION pinebridge_record_alerts(batch JSONB) RETURNS TABLE (alert_id TEXT, alert_seq BIGINT, first_id TEXT)
  LANGUAGE plpgsql AS $$
  DECLARE
    a JSONB;
    h BIGINT;
    dup TEXT;
  BEGIN
    -- The keys' locks (AlertStore.record's), all first and in one order: a node recording the
    -- same key waits for this commit and then sees this alert; two batches never deadlock.
    FOR h IN SELECT DISTINCT hashtextextended(e.value ->> 'idem_key', ${IDEM_LOCK_SEED}) FROM jsonb_array_elements(batch) AS e(value)
        WHERE e.value ->> 'status' = 'accepted' AND e.value ->> 'idem_key' IS NOT NULL ORDER BY 1 LOOP
      PERFORM pg_advisory_xact_lock(h);
    END LOOP;
    FOR a IN SELECT e.value FROM jsonb_array_elements(batch) WITH ORDINALITY AS e(value, n) ORDER BY e.n LOOP
      dup := NULL;
      IF a ->> 'status' = 'accepted' AND a ->> 'idem_key' IS NOT NULL THEN
        SELECT x.id INTO dup FROM alerts x
          WHERE x.idem_key = a ->> 'idem_key' AND x.received_at >= (a ->> 'idem_since')::BIGINT AND x.status NOT IN ('rejected', 'duplicate')
          ORDER BY x.seq LIMIT 1;
      END IF;
      INSERT INTO alerts (id, received_at, source, dialect, strategy, action, symbol, idem_key, body, body_bytes, signal,
          status, http_status, reason_code, reason, duplicate_of, updated_at)
        VALUES (a ->> 'id', (a ->> 'received_at')::BIGINT, a ->> 'source', a ->> 'dialect', a ->> 'strategy', a ->> 'action', a ->> 'symbol',
          a ->> 'idem_key', a ->> 'body', (a ->> 'body_bytes')::BIGINT, a ->> 'signal',
          CASE WHEN dup IS NULL THEN a ->> 'status' ELSE 'duplicate' END, (a ->> 'http_status')::BIGINT,
          CASE WHEN dup IS NULL THEN a ->> 'reason_code' ELSE 'duplicate' END,
          CASE WHEN dup IS NULL THEN a ->> 'reason' ELSE '${duplicateReason(`' || dup || '`)}' END,
          dup, (a ->> 'received_at')::BIGINT)
        RETURNING seq INTO alert_seq;
      alert_id := a ->> 'id';
      first_id := dup;
      RETURN NEXT;
    END LOOP;
  END $$;

  -- answers: a JSON array of {alert_id, answered}: each alert's answer time, kept if already set.
  CREATE FUNCTION pinebridge_mark_answered(answers JSONB) RETURNS VOID LANGUAGE plpgsql AS $$
  BEGIN
    -- A latency figure, not an alert: its commit need not wait for the WAL's flush.
    PERFORM set_config('synchronous_commit', 'off', true);
    UPDATE alert_latency l SET answered_at = coalesce(l.answered_at, v.answered)
      FROM jsonb_to_recordset(answers) AS v(alert_id TEXT, answered BIGINT) WHERE l.alert_id = v.alert_id;
  END $$;
`;
