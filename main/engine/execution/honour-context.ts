/**
 * What intake needs to know about an alert's market before it is journaled: spot or derivative
 * (for fields like leverage) and the parity setting (how `position_size` is read). From the
 * settings only: nothing is asked of the exchange before the 200.
 */
import type { Settings } from '../core/config.js';
import type { HonourContext } from '../signals/honour.js';
import type { Signal } from '../signals/signal.js';
import { accountExchange, accountMode } from '../venues/venue-provider.js';
import { accountFor } from './exec-deps.js';
import { parseSymbol } from '../market/symbols.js';

/** ccxt ids whose markets are all derivatives, whatever the symbol looks like. */
const DERIVATIVES_ONLY = new Set(['binanceusdm', 'binancecoinm', 'krakenfutures', 'bitmex', 'deribit', 'delta', 'hyperliquid', 'paradex']);

export function honourContextFor(settings: Settings): (signal: Signal) => HonourContext {
  return (signal) => {
    const account = accountFor(signal, settings);
    const exchange = accountMode(settings, account) === 'paper' ? 'paper' : accountExchange(settings, account).exchange;
    return { derivatives: parseSymbol(signal.symbol).perpetual || DERIVATIVES_ONLY.has(exchange), parity: settings.execution.parity };
  };
}
