/** An order the planner means to send, before it is journaled as an intent. */
import type { IntentParams } from './intents.js';

export interface PlannedOrder {
  leg: number;
  purpose: 'entry' | 'exit';
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: number;
  price: number | null;
  params: IntentParams;
}
