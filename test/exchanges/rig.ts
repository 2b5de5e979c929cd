/**
 * One exchange simulator as the per-exchange suites (exchange-suite.ts) see it: where orders are
 * created and looked up, which requests carry a client id, and what the exchange holds per
 * client id, in one vocabulary for Bybit and OKX.
 */
import type { FaultHandle, FaultSpec, RequestLogEntry } from '../support/exchange-simulator/index.js';

/** An order's state, normalized: `filled`, `open` (resting or untriggered), `canceled`, `other`. */
export type OrderState = 'filled' | 'open' | 'canceled' | 'other';

export interface MarketCase {
  /** As an alert names it (`BYBIT:BTCUSDT`, `BTCUSDT.P`). */
  symbol: string;
  /** The simulator's own symbol for setPrice / position (`BTCUSDT`). */
  simSymbol: string;
  /** In base units, as the alert says (Pinebridge converts to contracts). */
  quantity: string;
  price: string;
  /** The position one such buy makes, as the simulator counts it (contracts on OKX). */
  simPosition: number;
  perp: boolean;
}

export interface SimUnderTest {
  readonly url: string;
  readonly apiKey: string;
  readonly secret: string;
  /** OKX's passphrase. */
  readonly password?: string;
  close(): Promise<void>;
  injectFault(f: FaultSpec): FaultHandle;
  clearFaults(): void;
  setReachable(reachable: boolean): void;
  requests(filter?: { method?: string; path?: string }): RequestLogEntry[];
  setPrice(simSymbol: string, price: number): void;
  /** Create requests (plain orders) that carried this client id, oldest first. */
  sends(cid: string): RequestLogEntry[];
  /** Look-ups (realtime, history, by id) that asked for this client id. */
  lookups(cid: string): RequestLogEntry[];
  /** Plain orders the exchange holds with this client id. */
  orders(cid: string): OrderState[];
  /** Every plain order's client id, once per order. */
  allOrderClientIds(): string[];
  /** Trigger (conditional / algo) orders with this client id. */
  triggers(cid: string): { state: OrderState; triggerPrice: number; reduceOnly: boolean }[];
  /** An exchange-side service restart, where the exchange forgets something (Bybit: realtime's closed orders). */
  restart?(): void;
  /** Signed position size of a perpetual, in the units orders are sized in. */
  position(simSymbol: string): number;
}

export interface ExchangeRig {
  /** The ccxt id `--exchange` names. */
  id: string;
  start(): Promise<SimUnderTest>;
  spot: readonly MarketCase[];
  perp: readonly MarketCase[];
  /** Pinebridge's clientOrderId of an alert's leg on this exchange. */
  cid(alertId: string, leg: number): string;
  /** Fault target: order creation (plain orders). */
  create: { method: 'POST'; path: string };
  /** Fault target: trigger-order creation (Bybit: the same endpoint as plain orders; OKX: order-algo). */
  triggerCreate: { method: 'POST'; path: string };
  /** Fault target: the order look-up by client id. */
  lookup: { method: 'GET'; path: string };
  /** Spot protective orders can be checked on this simulator (null), or why not. */
  spotProtectiveGap: string | null;
  /** The exchange's own answers that hide an executed order (Bybit 10016 / 170146, OKX 50013...). */
  maybeExecutedCodes: readonly (number | string)[];
}
