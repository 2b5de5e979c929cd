/** The futures engine's records: orders, trades and order requests (decimals as bigint Dec). */
import type { Dec } from './decimal.js';
import type { FuturesOrderOrigin, FuturesOrderStatus } from './futures-types.js';
import type { OrderSide } from './types.js';

export interface FuturesOrder {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: OrderSide;
  type: 'LIMIT' | 'MARKET';
  timeInForce: 'GTC' | 'IOC' | 'FOK' | 'GTX';
  status: FuturesOrderStatus;
  price: Dec;
  origQty: Dec;
  executedQty: Dec;
  cumQuote: Dec;
  reduceOnly: boolean;
  origin: FuturesOrderOrigin;
  time: number;
  updateTime: number;
}

export interface FuturesTrade {
  id: number;
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: OrderSide;
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  commissionAsset: string;
  realizedPnl: Dec;
  maker: boolean;
  time: number;
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
