import type { NewAlert } from '../../main/engine/journal/alerts.js';

/** An accepted native alert as the intake hands it to the journal, keyed by its id unless `over` says. */
export function newAlert(id: string, over: Partial<NewAlert> = {}): NewAlert {
  return {
    id,
    receivedAt: 1_000,
    source: '127.0.0.1',
    dialect: 'native',
    strategy: 's1',
    action: 'buy',
    symbol: 'BTC/USDT',
    idemKey: `key-${id}`,
    idemSince: 0,
    body: '{}',
    signal: { time: 900, strategy: 's1' },
    status: 'accepted',
    httpStatus: 200,
    reasonCode: null,
    reason: null,
    ...over,
  };
}
