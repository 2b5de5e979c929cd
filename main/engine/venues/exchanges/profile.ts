/**
 * What Pinebridge knows of one exchange, beyond what ccxt's `has` says: one profile per exchange
 * (binance.ts, bybit.ts, okx.ts), a generic one for every other ccxt id (generic.ts), and an
 * alias map from ccxt ids to profiles (index.ts). The ccxt venue, the key check and the
 * clientOrderId maker ask the profile instead of testing exchange ids. As freqtrade's
 * `exchange/<id>.py` with its `_ft_has` overrides and MAP_EXCHANGE_CHILDCLASS.
 *
 * Profiles import nothing of the venues room (this room sits beside it, below it in imports):
 * errors are described as verdicts, which venue-error.ts turns into VenueErrors.
 */
import type { Exchange, Order } from 'ccxt';
import type { Mode } from '../../../../shared/dto/mode.js';
import type { OrderBook, VenueCapabilities, VenueMarket, VenueOrderRequest } from '../../core/ports.js';

/**
 * - `verified`: the exactly-once, fault and crash suites pass against a simulator of its API
 *   (test/exchanges/<id>.test.ts).
 * - `reviewed`: its ccxt class was read for the clientOrderId rules and look-ups; never run.
 * - `untested`: nothing is known beyond ccxt's own `has`.
 */
export type SupportLevel = 'verified' | 'reviewed' | 'untested';

/** How a failed call is to be read; `kind` as VenueErrorKind. */
export interface ErrorVerdict {
  kind: 'transient' | 'permanent' | 'duplicate';
  /** ccxt class name or our own code (`MaybeExecuted`). */
  code: string;
  message: string;
}

/** The exchange's rule for client order ids, and Pinebridge's id that satisfies it. */
export interface ClientOrderIdRule {
  /** What the exchange calls it (`newClientOrderId`, `orderLinkId`, `clOrdId`). */
  readonly field: string;
  readonly maxLength: number;
  /** Every character the exchange accepts, as an anchored pattern. */
  readonly pattern: RegExp;
  /** The deterministic id of one leg of an alert (alert ids are 26-character ULIDs). */
  make(alertId: string, leg: number): string;
}

/** One-way (one position per market) or hedge (a long and a short side per market). */
export type PositionMode = 'oneway' | 'hedge';

export interface ProfileContext {
  /** The ccxt id the account names (`binanceusdm`, `okxus`…). */
  ccxtId: string;
  mode: Mode;
  recvWindowMs: number;
}

/** A dead man's switch the exchange offers (documented here; issue 15b arms it). */
export interface DeadManSwitch {
  /** ccxt's unified method, where there is one. */
  ccxtMethod: 'cancelAllOrdersAfter' | null;
  /** The exchange's own endpoint and what it cancels. */
  endpoint: string;
  note: string;
}

export interface ExchangeProfile {
  /** The profile's id: `binance`, `bybit`, `okx`, `generic`. */
  readonly id: string;
  readonly name: string;
  readonly support: SupportLevel;
  /** What the support level rests on, for the exchange list and the report. */
  readonly evidence: string;
  /** Market types Pinebridge trades there (ccxt market `type`s). */
  readonly marketTypes: readonly ('spot' | 'swap' | 'future')[];

  /** ccxt constructor options for this account (merged under the caller's own). */
  ccxtOptions(c: ProfileContext): Record<string, unknown>;
  /** Options for the keyless market read of paper mode (spot and perpetuals). */
  paperMarketOptions(ccxtId: string): Record<string, unknown>;
  /** What this exchange really does where ccxt's `has` is not the whole story. */
  capabilities(has: Record<string, unknown>, ccxtId: string): Partial<VenueCapabilities>;

  readonly clientOrderId: ClientOrderIdRule;
  /**
   * How long after a send the exchange may still execute it: a look-up that finds nothing proves
   * the order will never exist only after this (Binance and Bybit: recvWindow; OKX: the 30 s its
   * request timestamps stay valid).
   */
  resendGuardMs(options: Record<string, unknown>): number;

  /**
   * Params that make the exchange refuse the request once `expiry` passed (VenueOrderRequest.expiry),
   * or undefined where ccxt cannot carry them per request. `options`: the ccxt exchange's options
   * (its recvWindow and timeDifference).
   */
  expiryParams?(expiry: { timestamp: number; windowMs: number }, options: Record<string, unknown>): Record<string, unknown>;
  /** Adjusts the ccxt exchange once, when its venue is built (the send fence's sign wrapper). */
  prepare?(ex: Exchange): void;
  /** Extra create params for one request (`reduceOnly`, position side, trailing flavour). */
  createParams(r: VenueOrderRequest, market: VenueMarket | undefined): Record<string, unknown>;
  /** Whether the limit / reference price goes with a market order (Bybit spot would read it as a quote amount). */
  readonly marketOrderPrice: boolean;

  /** The order with this clientOrderId in that book, or null when the exchange has none. Throws what ccxt threw otherwise. */
  fetchByClientId(ex: Exchange, symbol: string, clientOrderId: string, book: OrderBook): Promise<Order | null>;
  /** Cancels by clientOrderId; null when there is no such open order. Throws what ccxt threw otherwise. */
  cancelByClientId(ex: Exchange, symbol: string, clientOrderId: string, book: OrderBook): Promise<Order | null>;
  /**
   * A trigger order found by clientOrderId that has fired: the order it placed (with its fills),
   * `pending` when it fired but that order is not readable yet, or null when the found order
   * itself says all (the default).
   */
  triggeredOrder?(ex: Exchange, found: Order, symbol: string): Promise<Order | 'pending' | null>;

  /**
   * The exchange-specific reading of an error (its codes), before the generic reading by ccxt
   * class. `chain`: ccxt class names, most specific first; `raw`: the error's message; `detail`:
   * the exchange's own words from it (`Account has insufficient balance (code -2010)`). Null: generic.
   */
  classify(chain: readonly string[], raw: string, exchange: string, detail: string): ErrorVerdict | null;
  /** A leverage or margin-mode answer that means "it already is that" (success). */
  isAlreadySet(code: string, message: string): boolean;
  /** What a refused key needs, in the exchange's words (`enable spot trading for this key`). */
  readonly permissionHint: string;

  /** Wallet balances (without unrealized P&L) per currency from `fetchBalance().info`, where the exchange gives them. */
  walletBalances(info: unknown): Record<string, number>;
  /** The account's position mode on derivatives, or null where it cannot be read. */
  positionMode(ex: Exchange, symbol: string): Promise<PositionMode | null>;

  /** Conventions of trigger orders, for the toolkit (issue 16). */
  readonly triggers: {
    /** Trigger orders live in their own book (looked up with `{ trigger: true }`). */
    separateBook: 'always' | 'contracts' | 'never';
    /** Native OCO for spot stop-loss + take-profit on the same coins. */
    spotOco: boolean;
  };
  readonly deadMan: DeadManSwitch | null;
  /** Exchange-specific notes for the support list ("contract sizes: ..."). */
  readonly notes: readonly string[];
}

/**
 * The exchange's error codes in a message: Binance `"code":-2010`, Bybit `"retCode":110072`, OKX
 * `"sCode":"51000"`, or as classifyError words them, `(code 110043)`. 0 and 1 (OKX's "some failed") are no codes.
 */
export function errorCodes(raw: string): string[] {
  const out: string[] = [];
  const found = [...raw.matchAll(/"(?:retCode|sCode|code|ret_code)"\s*:\s*"?(-?\d+)"?/g), ...raw.matchAll(/\(code (-?\d+)\)/g)];
  for (const m of found) if (m[1] !== undefined && m[1] !== '0' && m[1] !== '1') out.push(m[1]);
  return out;
}

/** The ccxt class names of an error, most specific first (empty for non-ccxt errors). */
export function ccxtClassChain(e: unknown): string[] {
  const names: string[] = [];
  let proto = e && typeof e === 'object' ? Object.getPrototypeOf(e) : null;
  while (proto && proto !== Error.prototype && proto !== Object.prototype) {
    const name = (proto.constructor as { name?: string } | undefined)?.name;
    if (name) names.push(name);
    proto = Object.getPrototypeOf(proto);
  }
  return names.includes('BaseError') ? names : [];
}

/** A ccxt OrderNotFound (by class name: no `import('ccxt')` needed). */
export function isOrderNotFound(e: unknown): boolean {
  return ccxtClassChain(e).includes('OrderNotFound');
}
