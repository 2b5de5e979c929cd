import { expect, it } from 'vitest';
import { ccxtRequested } from '../../main/engine/venues/ccxt-setup.js';
import { alertBody, startExec } from './exec-harness.js';

// Its own file (its own process): nothing else here may load ccxt first.
// With `paper.markets: auto` (the default) paper reads the exchange's markets through ccxt; on the
// shipped snapshot it needs none of ccxt.
it('paper mode on the snapshot markets never loads ccxt (0.8 s and 65 MB saved)', async () => {
  const h = await startExec({ overrides: { paper: { markets: 'snapshot' } } });
  try {
    const a = await h.run(alertBody({ strategy: 'no-ccxt', quantity: '0.01', price: '65000' }));
    expect(a.status, a.reason ?? '').toBe('executed');
    await h.engine.api.getBalances({});
    expect(ccxtRequested()).toBe(false);
  } finally {
    await h.close();
  }
});
