/**
 * Read-only views of the journal's ledger tables (order intents, fills, positions) for the UI.
 * The execution and positions parts write these tables; nothing here writes.
 */
import type { CommandArgs } from '../../../shared/api.js';
import type { Mode } from '../../../shared/dto/mode.js';
import type { FillDto, OrderDto } from '../../../shared/dto/orders.js';
import type { PnlHistoryDto, PositionDto, PositionParityDto } from '../../../shared/dto/positions.js';
import { perpFields, PNL_HISTORY_FILLS } from '../../../shared/dto/positions.js';
import { lastParity } from '../execution/parity.js';
import { toIntent, type IntentRow } from '../journal/intents.js';
import type { Journal } from '../journal/journal.js';
import type { FillRow } from '../journal/positions.js';
import { toOrderDto } from '../journal/order-dto.js';
import type { Handlers } from '../core/commands.js';

interface PositionRow {
  account: string;
  mode: string;
  strategy: string;
  symbol: string;
  position_side: 'net' | 'long' | 'short';
  qty: number;
  avg_entry: number;
  realized_pnl: number;
  fees: number;
  updated_at: number;
}

type ListOrders = CommandArgs<'listOrders'>;
type ListFills = CommandArgs<'listFills'>;

/**
 * Newest first, a page at a time (keyset: `after` the last order of the previous page), read
 * through the created_at indexes: a page costs the same at any journal size.
 */
export function listOrders(j: Journal, o: ListOrders): OrderDto[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (o.alertId) add(where, params, 'alert_id = ?', o.alertId);
  if (o.strategy) add(where, params, 'strategy = ?', o.strategy);
  if (o.beforeCreatedAt) add(where, params, 'created_at < ?', o.beforeCreatedAt);
  if (o.after) {
    // The same order as ORDER BY below; `created_at <= ?` first so the index gives the range.
    where.push('created_at <= ? AND (created_at < ? OR leg > ? OR (leg = ? AND client_order_id > ?))');
    params.push(o.after.createdAt, o.after.createdAt, o.after.leg, o.after.leg, o.after.clientOrderId);
  }
  const sql = `SELECT * FROM order_intents ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, leg ASC, client_order_id ASC LIMIT ?`;
  const rows = j.db.prepare(sql).all(...params, o.limit ?? 100) as IntentRow[];
  // The same DTO as the live order events: a stop order shows its trigger price in both.
  return rows.map((r) => toOrderDto(toIntent(r)));
}

/** The newest `limit` fills (older than `before`, the previous page's oldest), returned oldest first (a chart's order). */
export function listFills(j: Journal, o: ListFills): FillDto[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (o.strategy) add(where, params, 'strategy = ?', o.strategy);
  if (o.account) add(where, params, 'account = ?', o.account);
  if (o.since !== undefined) add(where, params, 'ts >= ?', o.since);
  if (o.before) {
    where.push('ts <= ? AND (ts < ? OR id < ?)');
    params.push(o.before.time, o.before.time, o.before.id);
  }
  const sql = `SELECT * FROM (SELECT * FROM fills ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ts DESC, id DESC LIMIT ?) page ORDER BY ts ASC, id ASC`;
  const rows = j.db.prepare(sql).all(...params, o.limit ?? 1000) as FillRow[];
  return rows.map(toFill);
}

export function getPositions(j: Journal, o: { account?: string; strategy?: string; includeFlat?: boolean }): PositionDto[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (o.account) add(where, params, 'account = ?', o.account);
  if (o.strategy) add(where, params, 'strategy = ?', o.strategy);
  if (!o.includeFlat) where.push('qty != 0');
  const sql = `SELECT * FROM positions ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY account, strategy, symbol, position_side`;
  const rows = j.db.prepare(sql).all(...params) as PositionRow[];
  const lastPrice = j.db.prepare(`SELECT price FROM fills WHERE symbol = ? ORDER BY ts DESC, id DESC LIMIT 1`);
  return rows.map((r) => {
    // Paper knows the latest alert price too: a newer mark than the last fill.
    const paperMark = r.mode === 'paper' ? j.paper.price(r.symbol)?.price : undefined;
    const mark = paperMark ?? (lastPrice.get(r.symbol) as { price: number } | undefined)?.price ?? null;
    return {
      account: r.account,
      mode: r.mode as Mode,
      strategy: r.strategy,
      symbol: r.symbol,
      ...(r.position_side === 'long' || r.position_side === 'short' ? { positionSide: r.position_side } : {}),
      qty: r.qty,
      avgEntry: r.avg_entry,
      realizedPnl: r.realized_pnl,
      fees: r.fees,
      markPrice: mark,
      unrealizedPnl: r.qty === 0 ? 0 : mark === null ? null : (mark - r.avg_entry) * r.qty,
      ...perpFields(r.mode === 'paper' && r.qty !== 0 ? j.paper.perpPosition(r.account, r.symbol, r.position_side) : null),
      updatedAt: r.updated_at,
      parity: openParity(j, r),
    };
  });
}

/** The position's last parity difference, unless a later check found it agreeing again. */
function openParity(j: Journal, r: PositionRow): PositionParityDto | null {
  const last = lastParity(j, { account: r.account, mode: r.mode, strategy: r.strategy, symbol: r.symbol });
  return last && !last.ok ? last : null;
}

/**
 * Cumulative realized P&L (net of fees) over the newest fills, from the ledger's own figures: each
 * fill row carries the realized P&L and quote fee the position ledger booked for it, and the curve
 * starts from what the fills before the page added up to (the `pnl_daily` running figures less the
 * page's own), so its last point is the ledger's total however long the history.
 */
export function pnlHistory(j: Journal, o: { account?: string; strategy?: string }): PnlHistoryDto {
  const where: string[] = [];
  const params: unknown[] = [];
  if (o.account) add(where, params, 'account = ?', o.account);
  if (o.strategy) add(where, params, 'strategy = ?', o.strategy);
  const filter = where.length ? 'WHERE ' + where.join(' AND ') : '';
  const rows = j.db
    .prepare(`SELECT * FROM (SELECT * FROM fills ${filter} ORDER BY ts DESC, id DESC LIMIT ?) AS newest ORDER BY ts ASC, id ASC`)
    .all(...params, PNL_HISTORY_FILLS) as (FillRow & { realized_pnl: number | null; fee_quote: number | null })[];
  const total = (j.db.prepare(`SELECT coalesce(SUM(realized - fees), 0) AS net FROM pnl_daily ${filter}`).get(...params) as { net: number }).net;
  const net = (r: (typeof rows)[number]) => (r.realized_pnl ?? 0) - (r.fee_quote ?? 0);
  let value = total - rows.reduce((sum, r) => sum + net(r), 0);
  const points: PnlHistoryDto['points'] = rows.map((r) => {
    value += net(r);
    return { time: r.ts, value: Math.round(value * 1e8) / 1e8 };
  });
  return { points, fills: rows.map(toFill) };
}

function add(where: string[], params: unknown[], clause: string, value: unknown): void {
  where.push(clause);
  params.push(value);
}

function toFill(r: FillRow): FillDto {
  return {
    id: r.id,
    clientOrderId: r.intent_id,
    tradeId: r.trade_id,
    account: r.account,
    mode: r.mode as Mode,
    strategy: r.strategy,
    symbol: r.symbol,
    side: r.side,
    amount: r.amount,
    price: r.price,
    fee: r.fee,
    feeCurrency: r.fee_currency,
    time: r.ts,
  };
}

/** The ledger views of the API, read from the journal the engine opened. */
export function ledgerCommands(j: Journal): Handlers<'listOrders' | 'listFills' | 'getPositions' | 'getPnlHistory'> {
  return {
    listOrders: async (a) => listOrders(j, a),
    listFills: async (a) => listFills(j, a),
    getPositions: async (a) => getPositions(j, a),
    getPnlHistory: async (a) => pnlHistory(j, a),
  };
}
