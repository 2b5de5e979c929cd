/**
 * Binance: spot (`binance`, `binanceus`), USDⓈ-M (`binanceusdm`) and COIN-M (`binancecoinm`).
 * Facts checked against ccxt 4.5.84 and the Binance simulator (test/support/exchange-simulator):
 * - `newClientOrderId`: up to 36 of [.A-Z:/a-z0-9_-]; looked up and cancelled with
 *   `{ clientOrderId }` (ccxt sends origClientOrderId). A reused id is refused only while the
 *   first order is open (-2010 spot, -4116 futures): blind re-sending duplicates a filled order.
 * - USDⓈ-M conditional orders are algo orders in their own book; once triggered, the order they
 *   placed (`actualOrderId`) has the fills.
 * - USDⓈ-M hedge mode (`GET /fapi/v1/positionSide/dual`): every order names `positionSide` LONG
 *   or SHORT (-4061 without), never with `reduceOnly` (-1106); ccxt passes the param through to
 *   plain and algo orders, and lists one position per side (`hedged: true`, side long / short).
 * - Futures balances: ccxt's `total` is the margin balance (with unrealized P&L); the wallet
 *   balance (`info.assets[].walletBalance`) is what the ledger reconciles with.
 */
import type { Exchange, Order } from 'ccxt';
import { genericProfile, unifiedCancel, unifiedLookUp } from './generic.js';
import { sendByOf } from './send-by.js';
import { errorCodes, isOrderNotFound, type ErrorVerdict, type ExchangeProfile } from './profile.js';

const SPOT_IDS = new Set(['binance', 'binanceus']);
const ALREADY_SET = ['-4046'];

/** Binance futures accounts (`info.assets[]`): the wallet balance, which moves only by realized P&L, fees, funding and transfers. */
export function binanceWalletBalances(info: unknown): Record<string, number> {
  const assets = (info as { assets?: unknown } | undefined)?.assets;
  const out: Record<string, number> = {};
  if (!Array.isArray(assets)) return out;
  for (const a of assets as { asset?: unknown; walletBalance?: unknown }[]) {
    const raw = a?.walletBalance;
    const w = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof a?.asset === 'string' && typeof w === 'number' && Number.isFinite(w)) out[a.asset] = w;
  }
  return out;
}

function classify(chain: readonly string[], raw: string, exchange: string, detail: string): ErrorVerdict | null {
  // Spot: -2010 "Duplicate order sent."; futures: -4116 "ClientOrderId is duplicated.".
  if (/duplicate order sent|clientorderid is duplicated/i.test(raw)) {
    return { kind: 'duplicate', code: 'DuplicateOrderId', message: `${exchange} already has an open order with this clientOrderId` };
  }
  // -4061: the order's position side is not what the account's position mode wants (changed since it was read).
  if (errorCodes(raw).includes('-4061')) {
    return { kind: 'permanent', code: 'PositionModeChanged', message: `${exchange} refused the order: its position side does not match the account's position mode (one-way or hedge), which changed since Pinebridge read it; send the alert again (${detail})` };
  }
  if (!chain.includes('InvalidOrder') && !chain.includes('BadRequest')) return null;
  // -1013 NOTIONAL / MIN_NOTIONAL arrives as BadRequest, LOT_SIZE and PRICE_FILTER as InvalidOrder.
  if (/NOTIONAL/.test(detail)) return { kind: 'permanent', code: chain[0] ?? 'InvalidOrder', message: `${exchange} refused the order: its value is below the market's minimum (${detail})` };
  if (/LOT_SIZE/.test(detail)) return { kind: 'permanent', code: chain[0] ?? 'InvalidOrder', message: `${exchange} refused the order amount: not a multiple of the lot size or outside its limits (${detail})` };
  if (/PRICE_FILTER/.test(detail)) return { kind: 'permanent', code: chain[0] ?? 'InvalidOrder', message: `${exchange} refused the order price: not a multiple of the tick size or outside its limits (${detail})` };
  return null;
}

/**
 * A Binance algo (conditional) order that has triggered placed a plain order of its own
 * (`actualOrderId`): the algo order says nothing of fills, that order does. Triggered but not
 * readable yet: pending (asked again later).
 */
async function triggeredOrder(ex: Exchange, found: Order, symbol: string): Promise<Order | 'pending' | null> {
  const info = (found.info ?? {}) as { algoStatus?: unknown; actualOrderId?: unknown };
  const actual = info.actualOrderId === undefined || info.actualOrderId === null ? '' : String(info.actualOrderId);
  const triggered = typeof info.algoStatus === 'string' && ['TRIGGERING', 'TRIGGERED', 'FINISHED'].includes(info.algoStatus);
  if (actual === '' || actual === '0') return triggered ? 'pending' : null;
  try {
    return await ex.fetchOrder(actual, symbol);
  } catch (e) {
    if (isOrderNotFound(e)) return 'pending';
    throw e;
  }
}

export const binanceProfile: ExchangeProfile = {
  ...genericProfile,
  id: 'binance',
  name: 'Binance',
  support: 'verified',
  evidence: 'test/reliability/exchange-faults.test.ts, crash.test.ts, test/execution/* against the Binance spot and USDⓈ-M simulator',
  marketTypes: ['spot', 'swap'],
  ccxtOptions(c) {
    // recvWindow bounds how late a lost request can still execute: see Venue.resendGuardMs.
    const common = { adjustForTimeDifference: true, recvWindow: c.recvWindowMs };
    // Spot-only Binance makes loadMarkets a single call (exchangeInfo) instead of also calling sapi/fapi/dapi.
    if (SPOT_IDS.has(c.ccxtId)) return { ...common, defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false };
    // Futures: their loadMarkets would also read the spot wallet's coin list and margin pairs
    // (sapi, on the spot API host): one more host and permission that can make it fail.
    return { ...common, fetchCurrencies: false, fetchMargins: false };
  },
  paperMarketOptions: (ccxtId) => (SPOT_IDS.has(ccxtId) ? { fetchMarkets: { types: ['spot', 'linear'] } } : {}),
  clientOrderId: {
    field: 'newClientOrderId',
    maxLength: 36,
    pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/,
    make: (alertId, leg) => `pb${alertId}-${leg}`,
  },
  // Hedge mode: USDⓈ-M orders (plain and algo) take positionSide LONG / SHORT, and no reduceOnly beside it (-1106).
  capabilities: (_has, ccxtId) => (SPOT_IDS.has(ccxtId) ? {} : { hedgeMode: true }),
  createParams(r, m) {
    if (r.positionSide && m?.contract) return { positionSide: r.positionSide.toUpperCase() };
    const p: Record<string, unknown> = r.reduceOnly && m?.contract ? { reduceOnly: true } : {};
    // Spot trailing stops are STOP_LOSS orders with a trailingDelta; ccxt needs to be told which.
    if (r.type === 'trailing_stop' && !m?.contract) p.stopLossOrTakeProfit = 'stopLoss';
    return p;
  },
  // ccxt binance's sign() takes `timestamp` and `recvWindow` from the params over its own (nonce,
  // options.recvWindow): a request signed late still carries the time of the lease check, and
  // Binance refuses it (-1021) once serverTime - timestamp > recvWindow.
  expiryParams: (e, options) => ({ ...sendByOf(e, options) }),
  fetchByClientId: unifiedLookUp,
  cancelByClientId: unifiedCancel,
  triggeredOrder,
  classify: (chain, raw, exchange, detail) => classify(chain, raw, exchange, detail ?? raw),
  isAlreadySet: (code, message) => code === 'MarginModeAlreadySet' || errorCodes(message).some((c) => ALREADY_SET.includes(c)) || /\(code -4046\)|no need to change margin type/i.test(message),
  permissionHint: 'enable spot trading for this key',
  walletBalances: binanceWalletBalances,
  triggers: { separateBook: 'contracts', spotOco: true },
  deadMan: {
    ccxtMethod: null,
    endpoint: 'POST /fapi/v1/countdownCancelAll (USDⓈ-M; spot has none)',
    note: 'cancels every open order of a symbol when the countdown is not renewed',
  },
  notes: ['spot stop-loss and take-profit each lock the coins they would sell: without OCO only one of them rests'],
};
