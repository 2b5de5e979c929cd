/** The engine's one reading of an alert, whatever dialect it arrived in. */

export const ACTIONS = ['buy', 'sell', 'long', 'short', 'close', 'close_long', 'close_short', 'exit', 'add', 'cancel', 'position'] as const;
export type Action = (typeof ACTIONS)[number];

/** `{{strategy.market_position}}` / `{{strategy.prev_market_position}}`; TradersPost's sentiment maps onto it. */
export const MARKET_POSITIONS = ['long', 'short', 'flat'] as const;
export type MarketPosition = (typeof MARKET_POSITIONS)[number];

/** `margin_mode` of a derivatives order. */
export type MarginMode = 'cross' | 'isolated';

/** `stop`: a stop-market entry at `stop_price`; `stop_limit`: at `stop_price` a limit at `price`. */
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** `time_in_force` of a limit (or stop-limit) order; `post_only` is refused where it would take. */
export const TIMES_IN_FORCE = ['gtc', 'ioc', 'fok', 'post_only'] as const;
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];

/** How much to trade. */
export type Quantity =
  | { kind: 'base'; value: number } // 0.01 (BTC)
  | { kind: 'quote'; value: number; currency: string } // 100usdt
  | { kind: 'percent'; value: number } // 25% of available balance
  | { kind: 'risk'; percent: number }; // risk=1% of equity, needs a stop

/** A price level given either as a price or as a distance in percent from the entry. */
export interface Level {
  price?: number;
  percent?: number;
}

/** One level of a take-profit ladder: where, and how much of the position (percent of the entry's fill). */
export interface TakeProfitLevel {
  level: Level;
  sizePercent: number;
}

export interface Leg {
  price: number;
  quantity: Quantity;
}

export interface Signal {
  dialect: 'native' | 'seed' | 'traderspost';
  strategy: string;
  /** Either an action, or a target position (`{{strategy.position_size}}`): never both absent. */
  action?: Action;
  /** `position_size` / `position` (`{{strategy.position_size}}`): where TradingView's strategy is, signed. */
  targetPosition?: number;
  /** `market_position` (or TradersPost `sentiment`): where the strategy is after this order. */
  marketPosition?: MarketPosition;
  prevMarketPosition?: MarketPosition;
  /** `market_position_size` (`{{strategy.market_position_size}}`): the size of that position, unsigned. */
  marketPositionSize?: number;
  /**
   * Which row of the semantics table applies, and whether the orders depend on the strategy's
   * current position (then alerts of one strategy and market must run in order).
   */
  semantics?: { row: string; dependsOnPosition: boolean };
  /** Fields that were ignored or could not be honoured, said back in the answer and the alert's detail. */
  warnings?: string[];
  symbol: string;
  quantity?: Quantity;
  orderType: OrderType;
  /** The limit of a limit / stop-limit order; otherwise the market price when the alert fired. */
  price?: number;
  /** The trigger of a stop / stop-limit entry (`stop_price`). */
  stopPrice?: number;
  timeInForce?: TimeInForce;
  /** `limit_offset`: a limit order's distance from `price`, towards the maker side (a buy below, a sell above). */
  limitOffset?: { percent: number } | { amount: number };
  /** `expire_after`: seconds after the alert an unfilled resting entry is cancelled. */
  expireAfterSec?: number;
  stopLoss?: Level;
  takeProfit?: Level;
  /** `take_profit` given as a list: each level its own reduce-only order (execution/ladder.ts). */
  takeProfitLadder?: TakeProfitLevel[];
  /** `move_stop_to_breakeven_after`: once this many take-profit levels filled, the stop goes to the entry (fees included). */
  breakevenAfter?: number;
  /** `trailing_after`: the trailing stop starts (replacing the stop) once this many take-profit levels filled. */
  trailingAfter?: number;
  trailingStop?: { percent: number };
  /** Several limit legs from one alert (scaled entry or exit). */
  legs?: Leg[];
  /** Account alias to trade on; the strategy's or the default when absent. */
  account?: string;
  /** The sender's own id, used for idempotency when present. */
  id?: string;
  /** When the alert fired (epoch ms), if the sender said. */
  time?: number;
  comment?: string;
  /**
   * Derivatives: set on the exchange before the order (execution/margin.ts), or the alert is
   * refused; ignored with a warning on spot (signals/honour.ts).
   */
  leverage?: number;
  marginMode?: MarginMode;
}
