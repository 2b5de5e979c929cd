/**
 * Bybit v5, unified trading account: spot and USDT linear perpetuals. Facts from ccxt 4.5.84's
 * `bybit` class and Bybit's v5 docs, checked against the Bybit simulator (test/support/bybit-simulator):
 * - `orderLinkId`: up to 36 of [A-Za-z0-9_-]. ccxt maps `clientOrderId` to it only in createOrder:
 *   look-ups and cancels need `{ orderLinkId }` (an unknown `clientOrderId` param is ignored by
 *   Bybit, and `fetchOrder` then returns the newest open order of the symbol: a different order).
 * - `fetchOrder` on a unified account needs `acknowledged: true` and reads `/v5/order/realtime`
 *   only (open orders and the last 500 closed ones, forgotten when Bybit restarts): a miss there
 *   is asked again in `/v5/order/history`. Looked up with id undefined, a miss throws a TypeError
 *   (ccxt calls `id.toString()`), not OrderNotFound.
 * - A reused orderLinkId is refused (110072 linear, 170141 spot) as InvalidOrder, even after the
 *   first order filled. 10016 (system error) and 170146 (order creation timeout) may hide an
 *   executed order, though ccxt raises them as ExchangeError / InvalidOrder.
 * - `setLeverage` to the current value: 110043; margin mode unchanged: 110026.
 * - Hedge mode (`POST /v5/position/switch-mode` mode 3): linear orders name `positionIdx` 1 (buy
 *   side) or 2 (sell side); 0 is refused there ("position idx not match position mode"), and the
 *   position list has one entry per side. The mode is read from that list's positionIdx.
 * - Spot market buys with a price are sent as a quote amount (`marketUnit: quoteCoin`): Pinebridge
 *   sends none, so the amount stays in the base coin (`marketUnit: baseCoin`).
 */
import type { Exchange, Order } from 'ccxt';
import type { OrderBook } from '../../core/ports.js';
import { positionSideOf } from '../../ledger/position-side.js';
import { genericProfile } from './generic.js';
import { SEND_BY, sendByOf, signWithSendBy } from './send-by.js';
import { errorCodes, isOrderNotFound, type ErrorVerdict, type ExchangeProfile } from './profile.js';

const NO_ID = undefined as unknown as string;
/** The answer was an error, yet the order may have been created. */
const MAYBE_EXECUTED = new Set(['10000', '10016', '170146']);
const DUPLICATE = new Set(['110072', '170141']);
const ALREADY_SET = new Set(['110043', '110026', '34036']);

function trigger(book: OrderBook): Record<string, unknown> {
  return book.trigger ? { trigger: true } : {};
}

async function fetchByLinkId(ex: Exchange, symbol: string, orderLinkId: string, book: OrderBook): Promise<Order | null> {
  try {
    return await ex.fetchOrder(NO_ID, symbol, { orderLinkId, acknowledged: true, ...trigger(book) });
  } catch (e) {
    // Not in realtime (a TypeError from `id.toString()`, or OrderNotFound): older, or after a Bybit restart.
    if (!(e instanceof TypeError) && !isOrderNotFound(e)) throw e;
  }
  const closed = await ex.fetchCanceledAndClosedOrders(symbol, undefined, undefined, { orderLinkId, ...trigger(book) });
  return closed.find((o) => o.clientOrderId === orderLinkId) ?? null;
}

async function cancelByLinkId(ex: Exchange, symbol: string, orderLinkId: string, book: OrderBook): Promise<Order | null> {
  try {
    return await ex.cancelOrder(NO_ID, symbol, { orderLinkId, ...trigger(book) });
  } catch (e) {
    if (e instanceof TypeError || isOrderNotFound(e)) return null;
    throw e;
  }
}

function classify(chain: readonly string[], raw: string, exchange: string, detail: string): ErrorVerdict | null {
  const codes = errorCodes(raw);
  if (codes.some((c) => DUPLICATE.has(c))) return { kind: 'duplicate', code: 'DuplicateOrderId', message: `${exchange} already has an order with this orderLinkId` };
  // The order's positionIdx is not what the account's position mode wants (switched since it was read).
  if (/position idx not match position mode/i.test(raw)) {
    return { kind: 'permanent', code: 'PositionModeChanged', message: `${exchange} refused the order: its position side does not match the account's position mode (one-way or hedge), which changed since Pinebridge read it; send the alert again (${detail})` };
  }
  if (codes.some((c) => MAYBE_EXECUTED.has(c))) {
    return { kind: 'transient', code: 'MaybeExecuted', message: `${exchange} answered with an error that does not say whether the order was placed (${detail})` };
  }
  return null;
}

async function positionMode(ex: Exchange, symbol: string): Promise<'oneway' | 'hedge' | null> {
  const list = await ex.fetchPositions([symbol]);
  const idx = list.map((p) => Number((p.info as { positionIdx?: unknown } | undefined)?.positionIdx)).find((n) => Number.isFinite(n));
  if (idx === undefined) return null;
  return idx === 0 ? 'oneway' : 'hedge';
}

export const bybitProfile: ExchangeProfile = {
  ...genericProfile,
  id: 'bybit',
  name: 'Bybit',
  support: 'verified',
  evidence: 'test/exchanges/bybit.test.ts: spot and USDT perpetuals through `pinebridge serve` against the Bybit v5 simulator',
  marketTypes: ['spot', 'swap'],
  ccxtOptions: (c) => ({
    adjustForTimeDifference: true,
    recvWindow: c.recvWindowMs,
    // Spot and USDT linear only: no inverse or option instruments to load.
    fetchMarkets: { types: ['spot', 'linear'] },
  }),
  paperMarketOptions: () => ({ fetchMarkets: { types: ['spot', 'linear'] } }),
  clientOrderId: {
    field: 'orderLinkId',
    maxLength: 36,
    pattern: /^[A-Za-z0-9_-]{1,36}$/,
    make: (alertId, leg) => `pb${alertId}-${leg}`,
  },
  // ccxt attaches TP/SL to the entry (`createOrderWithTakeProfitAndStopLoss`), but Bybit makes
  // them the position's TP/SL, without an orderLinkId of ours to look up, and refuses them on spot
  // market orders: separate conditional orders, each with its own orderLinkId, instead.
  // Hedge mode: linear orders take positionIdx 1 (the buy side: long) or 2 (the sell side: short).
  capabilities: () => ({ attachedStops: false, hedgeMode: true }),
  createParams(r, m) {
    if (!m?.contract) return {};
    if (!r.positionSide) return r.reduceOnly ? { reduceOnly: true } : {};
    // Bybit takes reduceOnly beside positionIdx: a close of a side stays a close whatever happens meanwhile.
    return { positionIdx: r.positionSide === 'long' ? 1 : 2, ...(positionSideOf(r.side, true) === r.positionSide ? { reduceOnly: true } : {}) };
  },
  marketOrderPrice: false,
  // ccxt bybit's sign() takes X-BAPI-TIMESTAMP from nonce() and X-BAPI-RECV-WINDOW from
  // options.recvWindow, not from params: the fence goes in a param its sign wrapper reads (send-by.ts).
  expiryParams: (e, options) => ({ [SEND_BY]: sendByOf(e, options) }),
  prepare: signWithSendBy,
  fetchByClientId: fetchByLinkId,
  cancelByClientId: cancelByLinkId,
  classify,
  isAlreadySet: (_code, message) => errorCodes(message).some((c) => ALREADY_SET.has(c)) || /leverage not modified|margin mode is not modified/i.test(message),
  permissionHint: 'give the key the Spot Trade and Contract Order / Position permissions (unified trading account)',
  walletBalances: () => ({}),
  positionMode,
  triggers: { separateBook: 'never', spotOco: false },
  deadMan: {
    ccxtMethod: 'cancelAllOrdersAfter',
    endpoint: 'disconnected cancel-all (DCP, websocket) / ccxt cancelAllOrdersAfter',
    note: 'cancels open orders when Pinebridge stops renewing it',
  },
  notes: [
    'conditional (stop) orders share the order list with plain ones on a unified account (orderFilter=StopOrder picks them)',
    'spot stop orders lock the coins they would sell: one protective order per spot position',
  ],
};
