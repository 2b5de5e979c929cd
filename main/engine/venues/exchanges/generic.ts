/**
 * The profile of every exchange Pinebridge has no file for, and the base the others extend:
 * ccxt's unified calls as documented (`clientOrderId` in the params of fetchOrder and
 * cancelOrder), a conservative id (`pb` + ULID + leg, alphanumerics only, 32 characters at most,
 * which every exchange that takes a client id at all accepts), and no exchange-specific errors.
 */
import type { Exchange, Order } from 'ccxt';
import type { OrderBook } from '../../core/ports.js';
import { isOrderNotFound, type ClientOrderIdRule, type ExchangeProfile } from './profile.js';

/** `pb` + the alert's ULID (26) + leg, nothing else: [A-Za-z0-9], <= 32 with legs below 10 000. */
export const ALPHANUMERIC_ID: ClientOrderIdRule = {
  field: 'clientOrderId',
  maxLength: 32,
  pattern: /^[A-Za-z0-9]{1,32}$/,
  make: (alertId, leg) => `pb${alertId}${leg}`,
};

/** ccxt's own switch to an exchange's trigger-order book (binance, okx, bybit, bitget…). */
export function bookParams(book: OrderBook): Record<string, unknown> {
  return book.trigger ? { trigger: true } : {};
}

async function orNull(p: Promise<Order>): Promise<Order | null> {
  try {
    return await p;
  } catch (e) {
    if (isOrderNotFound(e)) return null;
    throw e;
  }
}

/** fetchOrder / cancelOrder with `{ clientOrderId }` (and `trigger`) as ccxt documents them. */
export function unifiedLookUp(ex: Exchange, symbol: string, clientOrderId: string, book: OrderBook): Promise<Order | null> {
  return orNull(ex.fetchOrder(undefined as unknown as string, symbol, { clientOrderId, ...bookParams(book) }));
}

export function unifiedCancel(ex: Exchange, symbol: string, clientOrderId: string, book: OrderBook): Promise<Order | null> {
  return orNull(ex.cancelOrder(undefined as unknown as string, symbol, { clientOrderId, ...bookParams(book) }));
}

export const genericProfile: ExchangeProfile = {
  id: 'generic',
  name: 'other ccxt exchange',
  support: 'untested',
  evidence: 'none: only ccxt’s unified API; a lost answer may not be recoverable if the exchange cannot find an order by its client id',
  marketTypes: ['spot', 'swap'],
  ccxtOptions: (c) => ({ adjustForTimeDifference: true, recvWindow: c.recvWindowMs }),
  paperMarketOptions: () => ({}),
  capabilities: () => ({}),
  clientOrderId: ALPHANUMERIC_ID,
  resendGuardMs(options) {
    // A request older than recvWindow is refused by the exchange; a second more for clock drift.
    const recvWindow = Number(options.recvWindow ?? 10_000);
    return (Number.isFinite(recvWindow) ? recvWindow : 10_000) + 1000;
  },
  createParams: (r, m) => (r.reduceOnly && m?.contract ? { reduceOnly: true } : {}),
  marketOrderPrice: true,
  fetchByClientId: unifiedLookUp,
  cancelByClientId: unifiedCancel,
  classify: () => null,
  isAlreadySet: () => false,
  permissionHint: 'enable trading for this key',
  walletBalances: () => ({}),
  /** ccxt's `fetchPositionMode` where it exists (Binance USDⓈ-M: `GET /fapi/v1/positionSide/dual`). */
  async positionMode(ex, symbol) {
    if ((ex.has as Record<string, unknown>).fetchPositionMode !== true) return null;
    const r = (await ex.fetchPositionMode(symbol)) as { hedged?: unknown };
    return r.hedged === true ? 'hedge' : 'oneway';
  },
  triggers: { separateBook: 'never', spotOco: false },
  deadMan: null,
  notes: [],
};
