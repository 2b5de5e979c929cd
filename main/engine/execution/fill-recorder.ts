/**
 * Records what the venue says about an order: the intent's status and cumulative fill, the new
 * part of the fill as one fills row (keyed by the cumulative amount, so a report seen twice is
 * recorded once), and the strategy's position, all in one transaction.
 */
import type { OrderFillDto } from '../../../shared/dto/orders.js';
import { FINAL, type Intent, type IntentStatus } from '../journal/intents.js';
import type { Journal } from '../journal/journal.js';
import type { PositionKey } from '../journal/positions.js';
import type { LedgerPosition } from '../ledger/ledger.js';
import type { Venue, VenueOrder } from '../core/ports.js';
import { ledgerSideOf } from './position-side.js';

export interface Recorded {
  intent: Intent;
  changed: boolean;
  fill: OrderFillDto | null;
  /** The strategy's position after the fill, when there was one. */
  position: LedgerPosition | null;
  key: PositionKey;
}

const STATUS: Record<VenueOrder['status'], IntentStatus> = {
  open: 'open',
  closed: 'filled',
  canceled: 'cancelled',
  expired: 'expired',
  rejected: 'rejected',
};

export async function recordOrder(journal: Journal, venue: Venue, intent: Intent, order: VenueOrder, now: number): Promise<Recorded> {
  // Hedge mode: the fill moves the side the order named (`long` / `short`); one-way: `net`.
  const key: PositionKey = { account: intent.account, mode: intent.mode, strategy: intent.strategy, symbol: intent.symbol, side: ledgerSideOf(intent.params) };
  let fee = order.fee;
  const finished = order.status !== 'open';
  if (!fee && order.filled > intent.filled && finished && venue.has.orderTrades) {
    // The order look-up carries no fees on some exchanges (Binance): its trades do.
    try {
      const trades = await venue.fetchOrderTrades(intent.symbol, order.id);
      const withFee = trades.filter((t) => t.fee);
      const currency = withFee[0]?.fee?.currency;
      if (currency && withFee.every((t) => t.fee?.currency === currency)) {
        fee = { cost: withFee.reduce((s, t) => s + (t.fee?.cost ?? 0), 0), currency };
      }
    } catch {
      // Fees are nice to have; the fill itself is what matters.
    }
  }
  const m = venue.market(intent.symbol);
  const [base, quote] = m ? [m.base, m.quote] : (intent.symbol.split(/[/:]/) as [string, string]);

  return journal.transaction(() => {
    const current = journal.intents.get(intent.clientOrderId) ?? intent;
    const reported = STATUS[order.status] ?? 'open';
    // An older report never reopens an order already known to be done.
    const status = reported === 'open' && FINAL.includes(current.status) ? current.status : reported;
    const delta = order.filled - current.filled;
    let fill: OrderFillDto | null = null;
    let position: LedgerPosition | null = null;
    const feeTotal = fee && (current.feeCurrency === null || current.feeCurrency === fee.currency) ? fee.cost : current.fee;
    if (delta > 1e-12) {
      const avg = order.average ?? order.price ?? current.price ?? 0;
      const price = current.filled > 0 && current.average !== null ? (avg * order.filled - current.average * current.filled) / delta : avg;
      fill = { amount: delta, price, fee: Math.max(0, feeTotal - current.fee), feeCurrency: fee?.currency ?? current.feeCurrency };
      position = journal.positions.recordFill(
        key,
        { intentId: current.clientOrderId, tradeId: `cum:${order.filled}`, side: current.side, ...fill, ts: order.timestamp ?? now },
        base,
        quote,
        m ? m.contract : true,
      );
    }
    const changed = status !== current.status || delta > 1e-12 || current.exchangeOrderId !== order.id;
    if (changed || current.errorCode) {
      journal.intents.applyOrder(
        current.clientOrderId,
        { status, exchangeOrderId: order.id, filled: Math.max(order.filled, current.filled), average: order.average ?? current.average, fee: feeTotal, feeCurrency: fee?.currency ?? null },
        now,
      );
    }
    const updated = journal.intents.get(current.clientOrderId) ?? current;
    return { intent: updated, changed, fill, position, key };
  });
}
