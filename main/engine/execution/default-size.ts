/**
 * The size of an alert that names none (the seed's classic `{"action":"buy",...}`): the
 * strategy's own default (the setup wizard asks for it), else 10% of the free balance, which
 * stays inside the default limits (max order notional 2,000 USD of a 10,000 USDT account).
 */
import type { Settings } from '../core/config.js';
import type { Quantity } from '../signals/signal.js';
import { parseQuantity } from '../signals/values.js';

export const DEFAULT_SIZE: Quantity = { kind: 'percent', value: 10 };

export function defaultSizeFor(settings: Pick<Settings, 'strategies'>, strategy: string): Quantity {
  const own = settings.strategies.find((s) => s.name === strategy)?.quantity;
  if (own === undefined) return DEFAULT_SIZE;
  const parsed = parseQuantity(own, `strategy ${strategy}'s quantity`);
  return parsed.ok ? parsed.value : DEFAULT_SIZE;
}
