/**
 * OKX v5: spot and USDT-margined swaps (`okx`; `okxus`, `myokx` and the old `okex` ids share it).
 * Facts from ccxt 4.5.84's `okx` class and OKX's v5 docs, checked against the OKX simulator
 * (test/support/okx-simulator):
 * - `clOrdId` (plain orders) and `algoClOrdId` (trigger / conditional algo orders): up to 32
 *   case-sensitive alphanumerics, no `-` or `_`: Pinebridge's id is `pb` + ULID + leg here.
 *   ccxt maps `clientOrderId` to them in createOrder, fetchOrder and cancelOrder (`trigger: true`
 *   for the algo book). A reused id is refused with 51016 (InvalidOrder).
 * - Stop-loss and take-profit orders are algo orders (own book, looked up with `trigger: true`
 *   by `algoClOrdId`, which ccxt's createOrder does not set from `clientOrderId`: the profile does).
 * - A spot stop-loss / take-profit is a `conditional` algo order that ccxt sends with the margin
 *   mode (`cross`), not `cash` (OKX answers 51000 "Parameter tdMode error" to cash there); with the
 *   account's autoLoan off it sells the coins held and borrows none. Its coins are held from then on.
 * - Request timestamps stay valid 30 s (50102 after): a lost request can still execute that long.
 * - 50001 / 50004 / 50013 / 50026 (maintenance, endpoint timeout, busy, system error) say nothing
 *   of whether an order was placed; ccxt raises them as NetworkErrors already.
 * - Swaps are sized in contracts of `ctVal` base units (ccxt's contractSize).
 */
import { ALPHANUMERIC_ID, genericProfile } from './generic.js';
import { errorCodes, type ErrorVerdict, type ExchangeProfile } from './profile.js';

/** OKX refuses a request whose OK-ACCESS-TIMESTAMP is older than this. */
export const OKX_TIMESTAMP_WINDOW_MS = 30_000;

function classify(_chain: readonly string[], raw: string, exchange: string): ErrorVerdict | null {
  if (errorCodes(raw).includes('51016')) return { kind: 'duplicate', code: 'DuplicateOrderId', message: `${exchange} already has an order with this clOrdId` };
  return null;
}

export const okxProfile: ExchangeProfile = {
  ...genericProfile,
  id: 'okx',
  name: 'OKX',
  support: 'verified',
  evidence: 'test/exchanges/okx.test.ts: spot and USDT swaps through `pinebridge serve` against the OKX v5 simulator',
  marketTypes: ['spot', 'swap'],
  ccxtOptions: () => ({ adjustForTimeDifference: true, fetchMarkets: { types: ['spot', 'swap'] } }),
  paperMarketOptions: () => ({ fetchMarkets: { types: ['spot', 'swap'] } }),
  // Attached TP/SL (attachAlgoOrds) get OKX's own algo ids, not an algoClOrdId of ours: separate
  // algo orders instead, each found again by its own id after a lost answer.
  capabilities: () => ({ attachedStops: false }),
  clientOrderId: { ...ALPHANUMERIC_ID, field: 'clOrdId' },
  resendGuardMs: () => OKX_TIMESTAMP_WINDOW_MS + 1000,
  createParams(r, m) {
    const p: Record<string, unknown> = r.reduceOnly && m?.contract ? { reduceOnly: true } : {};
    // ccxt sends a trigger order's clientOrderId as `clOrdId` (the id of the order it places once
    // triggered), while its look-up and cancel ask for `algoClOrdId`: without it here, a stop-loss
    // whose answer was lost is never found again, and is sent twice.
    if (r.type !== 'market' && r.type !== 'limit') p.algoClOrdId = r.clientOrderId;
    return p;
  },
  classify,
  // OKX answers a repeat of the current leverage or margin mode with success.
  isAlreadySet: () => false,
  permissionHint: 'give the key the Trade permission',
  triggers: { separateBook: 'always', spotOco: true },
  deadMan: {
    ccxtMethod: 'cancelAllOrdersAfter',
    endpoint: 'POST /api/v5/trade/cancel-all-after',
    note: 'cancels every open order (not algo orders) unless renewed within the timeout',
  },
  notes: ['swap amounts are contracts of ctVal base units (BTC-USDT-SWAP: 0.01 BTC on OKX)'],
};
