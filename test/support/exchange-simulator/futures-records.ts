/** The futures engine's records: orders, trades and order requests (decimals as bigint Dec). */
import type { Dec } from './decimal.js';
import type { FuturesOrderOrigin, FuturesOrderStatus } from './futures-types.js';
import type { BookOrder, BookTrade } from './order-book.js';
import type { OrderSide } from './types.js';

export interface FuturesOrder extends BookOrder {
  type: 'LIMIT' | 'MARKET';
  timeInForce: 'GTC' | 'IOC' | 'FOK' | 'GTX';
  status: FuturesOrderStatus;
  reduceOnly: boolean;
  origin: FuturesOrderOrigin;
}

export interface FuturesTrade extends BookTrade {
  realizedPnl: Dec;
  maker: boolean;
}

export interface FuturesPlaceRequest {
  symbol: string;
  side: OrderSide;
  type: 'LIMIT' | 'MARKET';
  quantity: Dec;
  price?: Dec;
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'GTX';
  reduceOnly: boolean;
  newClientOrderId?: string;
}
