/**
 * What SQLite has and PostgreSQL lacks, for the migrations' `postgres` parts: a 2-digit round
 * (migration 2), the triggers of migrations 5 and 8 (same effects, in PL/pgSQL): the running
 * figures kept on each fill, and the per-alert latency steps.
 */

/** SQLite's round(REAL, digits) (the paper venue's balances): PostgreSQL rounds only NUMERIC to digits. */
export const PG_ROUND = `
  CREATE FUNCTION round(x DOUBLE PRECISION, digits INTEGER) RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE STRICT AS
    'SELECT round(x::numeric, digits)::double precision';
`;

/**
 * The running figures kept on each fill (pnl_daily, fill_totals), in PL/pgSQL: as migration 5
 * made them, and as migration 9 (hedge mode) replaces them, fill totals kept per position side.
 */
function fillAggregates(bySide: boolean): string {
  const side = (col: string) => (bySide ? `${col}, ` : '');
  const create = bySide ? 'CREATE OR REPLACE FUNCTION' : 'CREATE FUNCTION';
  const sideMatch = bySide ? ' AND position_side = OLD.position_side' : '';
  return `
  ${create} fills_aggregate() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      UPDATE pnl_daily SET realized = realized - coalesce(OLD.realized_pnl, 0), fees = fees - coalesce(OLD.fee_quote, 0), fills = fills - 1
        WHERE account = OLD.account AND mode = OLD.mode AND day = OLD.ts / 86400000 AND strategy = OLD.strategy AND symbol = OLD.symbol;
      UPDATE fill_totals SET amount = amount - OLD.amount, cost = cost - OLD.amount * OLD.price, fee = fee - OLD.fee,
          realized = realized - coalesce(OLD.realized_pnl, 0), fills = fills - 1
        WHERE account = OLD.account AND mode = OLD.mode AND exchange = (SELECT exchange FROM order_intents WHERE client_order_id = OLD.intent_id)
          AND symbol = OLD.symbol${sideMatch} AND side = OLD.side AND fee_currency = coalesce(OLD.fee_currency, '');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      INSERT INTO pnl_daily AS p (account, mode, day, strategy, symbol, realized, fees, fills)
        VALUES (NEW.account, NEW.mode, NEW.ts / 86400000, NEW.strategy, NEW.symbol, coalesce(NEW.realized_pnl, 0), coalesce(NEW.fee_quote, 0), 1)
        ON CONFLICT (account, mode, day, strategy, symbol) DO UPDATE SET
          realized = p.realized + excluded.realized, fees = p.fees + excluded.fees, fills = p.fills + 1;
      INSERT INTO fill_totals AS t (account, mode, exchange, symbol, ${side('position_side')}side, fee_currency, amount, cost, fee, realized, fills)
        SELECT NEW.account, NEW.mode, i.exchange, NEW.symbol, ${side('NEW.position_side')}NEW.side, coalesce(NEW.fee_currency, ''), NEW.amount, NEW.amount * NEW.price,
               NEW.fee, coalesce(NEW.realized_pnl, 0), 1
        FROM order_intents i WHERE i.client_order_id = NEW.intent_id
        ON CONFLICT (account, mode, exchange, symbol, ${side('position_side')}side, fee_currency) DO UPDATE SET
          amount = t.amount + excluded.amount, cost = t.cost + excluded.cost, fee = t.fee + excluded.fee,
          realized = t.realized + excluded.realized, fills = t.fills + 1;
    END IF;
    RETURN NULL;
  END $$;
`;
}

/** Migration 5: the function and its trigger. */
export const PG_FILL_AGGREGATES = `${fillAggregates(false)}  CREATE TRIGGER fills_aggregate AFTER INSERT OR UPDATE OR DELETE ON fills FOR EACH ROW EXECUTE FUNCTION fills_aggregate();
`;

/** Migration 9 (hedge mode): the same function, fill totals per position side (the trigger stays). */
export const PG_FILL_AGGREGATES_BY_SIDE = fillAggregates(true);

export const PG_ALERT_LATENCY = `
  CREATE FUNCTION alert_latency_alerts() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      DELETE FROM alert_latency WHERE alert_id = OLD.id;
    ELSIF NEW.status = 'accepted' THEN
      INSERT INTO alert_latency (alert_id, received_at, fired_at)
        VALUES (NEW.id, NEW.received_at,
          CASE WHEN jsonb_typeof(NEW.signal::jsonb -> 'time') = 'number' THEN trunc((NEW.signal::jsonb ->> 'time')::numeric)::bigint END)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER alert_latency_alerts AFTER INSERT OR DELETE ON alerts FOR EACH ROW EXECUTE FUNCTION alert_latency_alerts();

  -- The alert's own orders (not the protective ones placed after its fill): the first sent,
  -- the first answer from the exchange (an order id, or a refusal), the last one filled.
  CREATE FUNCTION alert_latency_intents() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.purpose NOT IN ('entry', 'exit') THEN RETURN NULL; END IF;
    IF (TG_OP = 'INSERT' AND NEW.sent_at IS NOT NULL) OR (TG_OP = 'UPDATE' AND OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL) THEN
      UPDATE alert_latency SET sent_at = least(coalesce(sent_at, NEW.sent_at), NEW.sent_at) WHERE alert_id = NEW.alert_id;
    END IF;
    IF TG_OP = 'UPDATE' THEN
      IF OLD.status IN ('pending', 'sending', 'unknown') AND (NEW.exchange_order_id IS NOT NULL OR NEW.status = 'rejected') THEN
        UPDATE alert_latency SET acked_at = coalesce(acked_at, NEW.updated_at) WHERE alert_id = NEW.alert_id;
      END IF;
      IF NEW.status = 'filled' AND OLD.status <> 'filled' THEN
        UPDATE alert_latency SET filled_at = greatest(coalesce(filled_at, 0), NEW.updated_at) WHERE alert_id = NEW.alert_id;
      END IF;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER alert_latency_intents AFTER INSERT OR UPDATE ON order_intents FOR EACH ROW EXECUTE FUNCTION alert_latency_intents();
`;
