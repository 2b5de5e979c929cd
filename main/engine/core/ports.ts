/**
 * What the engine depends on, as interfaces. Hosts (desktop, headless, tests) supply the
 * implementations through `createEngine(deps)`.
 */
import type { Mode } from '../../../shared/dto/mode.js';

/** Milliseconds since the epoch. Tests pass a controllable clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Secrets by name. Names are namespaced by the caller, e.g. `webhook-secret`,
 * `account:<alias>:<mode>:apiKey`, so testnet keys can never be read as live ones.
 */
export interface SecretStore {
  /** What backs it, for the UI and logs ("keychain", "environment", "file"). */
  readonly kind: string;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

/** Exchange credentials for one account alias in one mode. */
export interface ApiCredentials {
  apiKey: string;
  secret: string;
  password?: string;
}

export function credentialName(account: string, mode: Mode, part: 'apiKey' | 'secret' | 'password'): string {
  return `account:${account}:${mode}:${part}`;
}

export type TunnelState = 'starting' | 'online' | 'degraded' | 'offline' | 'stopped';

export interface TunnelStatus {
  provider: 'localtunnel' | 'manual' | 'none';
  state: TunnelState;
  /** Public base URL (https://…), without the /webhook path. */
  publicUrl: string | null;
  /** Last self-probe round trip through the public URL, ms. */
  lastProbeMs: number | null;
  lastProbeAt: number | null;
  lastError: string | null;
  /**
   * localtunnel: the saved subdomain this install asks for, when the server gave another one (the
   * webhook URL changed and TradingView alerts must be updated; it keeps asking for this one).
   */
  subdomainRefused?: string | null;
}

/**
 * The tunnel client's own connections to the webhook listener (localtunnel runs in this process):
 * how intake tells them apart from any other loopback peer, and how many sockets the pool has.
 */
export interface TunnelPeers {
  /** True when the peer (as the webhook listener sees it) is one of the tunnel client's connections. */
  isTunnelPeer(remoteAddress: string, remotePort: number): boolean;
  /** Sockets the tunnel server lets the client keep (its max_conn_count); 0 while not connected. */
  poolSize(): number;
  /**
   * Copies the peers, now and as they change, into a PeerMirror's array (the intake thread reads
   * it); returns a function that stops the copying.
   */
  mirror?(into: Int32Array): () => void;
}

/** Exposes the webhook listener (only it) at a public HTTPS URL. */
export interface Tunnel {
  /** Present for a tunnel whose client connects to the webhook listener from this process. */
  readonly peers?: TunnelPeers;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): TunnelStatus;
  /** Subscribe to state and URL changes; returns an unsubscribe function. */
  onChange(listener: (status: TunnelStatus, previous: TunnelStatus) => void): () => void;
  /** Probe now (GET <publicUrl>/healthz) and return the round trip in ms. */
  probe(): Promise<number>;
}

// ---- Venues: where orders go (the ccxt exchange in testnet/live, the paper venue) ----

export type OrderSide = 'buy' | 'sell';
/** One of hedge mode's two positions per market. */
export type PositionSide = 'long' | 'short';
/**
 * `stop_loss` / `take_profit` trigger a market order at `triggerPrice` (a `stop_loss` that opens
 * is a stop-market entry: a buy above the market, a sell below); `stop_limit` places a limit at
 * `price` once `triggerPrice` is reached (same direction as `stop_loss`); `trailing_stop` trails
 * by a percent.
 */
export type VenueOrderType = 'market' | 'limit' | 'stop_loss' | 'take_profit' | 'trailing_stop' | 'stop_limit';
/** A limit order's time in force; `post_only` is refused by the exchange where it would take. */
export type VenueTimeInForce = 'gtc' | 'ioc' | 'fok' | 'post_only';
/** ccxt's unified order statuses. */
export type VenueOrderStatus = 'open' | 'closed' | 'canceled' | 'expired' | 'rejected';

/** One tradable market, in ccxt's unified terms (precision in TICK_SIZE form: 0.00001, not 5). */
export interface VenueMarket {
  /** Unified symbol: `BTC/USDT`, `BTC/USDT:USDT` for a linear perpetual. */
  symbol: string;
  /** The exchange's own id, e.g. `BTCUSDT`. */
  id: string;
  base: string;
  quote: string;
  settle: string | null;
  type: 'spot' | 'swap' | 'future' | 'option' | 'margin';
  contract: boolean;
  contractSize: number | null;
  active: boolean;
  precision: { amount: number | null; price: number | null };
  limits: { amount: { min: number | null; max: number | null }; cost: { min: number | null; max: number | null } };
}

/**
 * The order's options that travel unchanged from the journaled intent's params to the venue's
 * request, declared once: the intent (journal/intents.ts) and the request both take them from
 * here, and `ORDER_OPTION_KEYS` (which the compiler keeps complete) copies them across.
 */
export interface OrderOptions {
  /** Only reduces a position (contracts); ignored on spot. Never set together with `positionSide`. */
  reduceOnly?: boolean;
  /**
   * Hedge mode (an account with a long and a short position per market): the side of the
   * position this order opens, adds to or closes. A close is a sell of `long` / a buy of `short`.
   */
  positionSide?: PositionSide;
  /** trailing_stop: distance in percent. */
  trailingPercent?: number;
  /** Limit and stop-limit orders (the alert's `time_in_force`); the exchange's default (GTC) when absent. */
  timeInForce?: VenueTimeInForce;
  /** Protective orders attached to the entry, where `has.attachedStops`. */
  stopLoss?: number;
  takeProfit?: number;
  /**
   * A stop_loss placed together with a take-profit limit as one native OCO order list (where
   * `has.ocoOrders`): both hold the same coins, whichever executes ends the other.
   */
  oco?: { takeProfitPrice: number; takeProfitClientOrderId: string };
}

export const ORDER_OPTION_KEYS = Object.keys({
  reduceOnly: true,
  positionSide: true,
  trailingPercent: true,
  timeInForce: true,
  stopLoss: true,
  takeProfit: true,
  oco: true,
} satisfies Record<keyof OrderOptions, true>) as (keyof OrderOptions)[];

export interface VenueOrderRequest extends OrderOptions {
  symbol: string;
  side: OrderSide;
  type: VenueOrderType;
  amount: number;
  /** Limit price (limit orders). */
  price?: number;
  /** Trigger price of stop_loss / take_profit orders. */
  triggerPrice?: number;
  /** Deterministic, <= 36 chars of [A-Za-z0-9_-]: the exchange's duplicate protection and our look-up key. */
  clientOrderId: string;
  /**
   * The send fence (several nodes): the request must reach the exchange within `windowMs` of
   * `timestamp` (this node's clock, epoch ms), the lease time left at the last lease check, or be
   * refused by it. Exchanges whose ccxt request takes its own timestamp and receive window get
   * them (Binance); elsewhere only the journal's fence holds.
   */
  expiry?: { timestamp: number; windowMs: number };
}

export interface VenueOrder {
  id: string;
  clientOrderId: string | null;
  symbol: string;
  side: OrderSide;
  type: string;
  status: VenueOrderStatus;
  amount: number;
  filled: number;
  price: number | null;
  /** Average fill price. */
  average: number | null;
  /** Total fee so far, when the venue says (one currency). */
  fee: { cost: number; currency: string } | null;
  timestamp: number | null;
}

export interface VenueTrade {
  id: string;
  orderId: string;
  amount: number;
  price: number;
  fee: { cost: number; currency: string } | null;
  timestamp: number;
}

export type VenueBalances = Record<string, { free: number; used: number; total: number }>;

export interface VenuePosition {
  symbol: string;
  /** Signed: negative for a short. */
  contracts: number;
  /** Hedge mode: which of the market's two positions this is; absent in one-way mode. */
  side?: PositionSide;
  /** The exchange's mark price of the contract, when it says. */
  markPrice?: number | null;
}

/** Leverage and margin mode of one derivatives market; an absent field is left as the account has it. */
export interface MarginSettings {
  leverage?: number;
  marginMode?: 'cross' | 'isolated';
}

export interface VenueCapabilities {
  /** Stop-loss / take-profit can ride on the entry order itself. */
  attachedStops: boolean;
  /** Separate stop-loss and take-profit trigger orders. */
  stopOrders: boolean;
  trailingStop: boolean;
  /** Trades of one order can be fetched (for exact fees). */
  orderTrades: boolean;
  /**
   * Spot sell orders each hold the coins they would sell (Binance locks them): a stop-loss and a
   * take-profit for the same coins cannot both rest (that needs OCO, which is not used yet).
   */
  protectiveOrdersShareFunds: boolean;
  /** Spot OCO order lists (Binance `POST /api/v3/orderList/oco`): a stop-loss and a take-profit for the same coins. */
  ocoOrders?: boolean;
  /** Orders can name their position side (`positionSide`), so an account in hedge mode can be traded. */
  hedgeMode?: boolean;
}

/**
 * Which of the exchange's order books an order is in. Several exchanges keep trigger
 * (conditional) orders apart from plain ones: Binance USDⓈ-M's algo orders, OKX's algo orders,
 * Bybit's and Bitget's plan orders. Asked in the plain book, such an order does not exist: a
 * lost answer would be sent again, a cancel would miss it. Omitted: the plain book.
 */
export interface OrderBook {
  /** A stop-loss, take-profit or trailing-stop order (one with a trigger). */
  trigger?: boolean;
}

/**
 * An exchange account in one mode. Errors are thrown as `VenueError` (venues/venue-error.ts):
 * `transient` ones leave the outcome of a create unknown, `permanent` ones are the exchange's "no".
 */
export interface Venue {
  /** `paper`, or the ccxt exchange id. */
  readonly id: string;
  readonly mode: Mode;
  readonly account: string;
  readonly has: VenueCapabilities;
  /**
   * How long after a send the exchange may still execute it (Binance: recvWindow). A look-up
   * that says "no such order" proves the order will never exist only this long after the send.
   */
  readonly resendGuardMs: number;
  /** Loads markets once; later calls are cheap. `reload` refreshes them. */
  loadMarkets(reload?: boolean): Promise<void>;
  markets(): readonly VenueMarket[];
  market(symbol: string): VenueMarket | undefined;
  /** Paper only: the exchange whose markets it trades (messages say `... is not a market on binance`). */
  readonly marketsOf?: string;
  /** Rounds down to the amount step; 0 when below one step. */
  amountToPrecision(symbol: string, amount: number): number;
  priceToPrecision(symbol: string, price: number): number;
  createOrder(request: VenueOrderRequest): Promise<VenueOrder>;
  /** The order with this clientOrderId, or null when the exchange never saw it (in that book). */
  fetchOrderByClientId(symbol: string, clientOrderId: string, book?: OrderBook): Promise<VenueOrder | null>;
  /** Cancels by clientOrderId; null when there is no such open order (in that book). */
  cancelOrder(symbol: string, clientOrderId: string, book?: OrderBook): Promise<VenueOrder | null>;
  /** The open orders of one book: plain orders, or with `{ trigger: true }` the trigger orders. */
  fetchOpenOrders(symbol?: string, book?: OrderBook): Promise<VenueOrder[]>;
  fetchBalance(): Promise<VenueBalances>;
  /**
   * Open derivatives positions (read only, for reconciliation): signed contracts per unified
   * symbol (negative: short). Absent where the venue has none (spot-only venues).
   */
  fetchPositions?(symbols?: string[]): Promise<VenuePosition[]>;
  lastPrice(symbol: string): Promise<number>;
  fetchOrderTrades(symbol: string, orderId: string): Promise<VenueTrade[]>;
  /**
   * Sets a derivatives market's leverage and margin mode before an order that opens a position.
   * Resolves once the exchange has them (an "already set" answer included; a repeat of what this
   * venue last set asks nothing); throws a permanent VenueError where the exchange cannot set one.
   * Absent: the venue cannot set either.
   */
  setMargin?(symbol: string, wanted: MarginSettings): Promise<void>;
  /**
   * The dead man's switch of one market (venues/dead-man-switch.ts): arms or renews a countdown of
   * `ms` after which the exchange cancels the market's open orders; 0 stops it. Absent, or
   * throwing NotSupported: the exchange has none Pinebridge arms.
   */
  cancelAllAfter?(symbol: string, ms: number): Promise<void>;
  /**
   * The account's position mode for a derivatives market: `hedge` (a long and a short side, each
   * order naming its side) or `oneway`; null where it cannot be read. Absent: always one-way.
   */
  positionMode?(symbol: string): Promise<'oneway' | 'hedge' | null>;
  /** A price seen in an alert (paper fills at it). True when resting orders may have filled. */
  observePrice?(symbol: string, price: number, time: number): boolean;
  close(): Promise<void>;
}
