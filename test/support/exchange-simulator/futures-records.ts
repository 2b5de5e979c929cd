/** The futures engine's records: orders, trades and order requests (decimals as bigint Dec). */
import type { Dec } from './decimal.js';
import type { PositionSide } from './futures-account.js';
import type { FuturesOrderOrigin, FuturesOrderStatus } from './futures-types.js';
import type { BookOrder, BookTrade } from './order-book.js';
import type { OrderSide } from './types.js';

export interface FuturesOrder extends BookOrder {
  type: 'LIMIT' | 'MARKET';
  timeInForce: 'GTC' | 'IOC' | 'FOK' | 'GTX';
  status: FuturesOrderStatus;
  reduceOnly: boolean;
  /** BOTH in one-way mode; LONG / SHORT in hedge mode (the side it moves). */
  positionSide: PositionSide;
  origin: FuturesOrderOrigin;
}

export interface FuturesTrade extends BookTrade {
  realizedPnl: Dec;
  maker: boolean;
  positionSide: PositionSide;
}

export interface FuturesPlaceRequest {
  symbol: string;
  side: OrderSide;
  type: 'LIMIT' | 'MARKET';
  quantity: Dec;
  price?: Dec;
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'GTX';
  reduceOnly: boolean;
  /** Default BOTH. */
  positionSide?: PositionSide;
  newClientOrderId?: string;
}
