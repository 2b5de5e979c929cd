/** An order the planner means to send, before it is journaled as an intent. */
import type { IntentParams } from './intents.js';

export interface PlannedOrder {
  leg: number;
  purpose: 'entry' | 'exit';
  side: 'buy' | 'sell';
  /** `stop_loss` / `stop_limit`: a stop entry (order_type stop / stop_limit) at `triggerPrice`. */
  type: 'market' | 'limit' | 'stop_loss' | 'stop_limit';
  amount: number;
  price: number | null;
  triggerPrice?: number | null;
  params: IntentParams;
}
