import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../main/engine/engine.js';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { tempDir } from '../support/temp-dir.js';

/** A port nothing listens on: the exchange "unreachable". */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * The key check says what happened, through the engine against the exchange simulator (real
 * ccxt): accepted with the balances read (and a warning: the account reports withdrawals enabled),
 * refused (bad key, IP/permissions), unreachable; the keys are saved but unchecked unless a check
 * passed, and the outcome survives a restart of the engine.
 */
describe('key check', () => {
  let sim: Simulator;
  let engine: Engine;
  const dir = tempDir('pinebridge-keycheck-');
  const start = async (exchangeUrl: string) => {
    engine = await createEngine({
      dataDir: dir.path,
      overrides: { mode: 'testnet', exchange: 'binance', exchangeUrl, accounts: [{ name: 'gone', exchange: 'binance', exchangeUrl: `http://127.0.0.1:${await closedPort()}` }], webhook: { port: 0 }, control: { port: 0 } },
      secrets: store,
      webhookSecret: 'key-check-test-webhook-secret-0123456789',
      log: { console: null, level: 'warn', file: false },
    });
  };
  const store = createMemoryStore();
  const creds = async (account: string) => (await engine.api.listCredentials({})).find((c) => c.account === account && c.mode === 'testnet')!;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 1000 } });
    // ccxt's binance has a testnet URL: the check goes to the simulator through --exchange-url.
    await start(sim.url);
  });
  afterAll(async () => {
    await engine?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('good keys: accepted, balances read, the withdrawals warning; saved as checked (with a warning)', async () => {
    await engine.api.setCredentials({ account: 'main', mode: 'testnet', apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET });
    expect((await creds('main')).check).toEqual({ state: 'unchecked', last: null });
    const r = await engine.api.checkCredentials({ account: 'main', mode: 'testnet' });
    expect(r).toMatchObject({ ok: true, outcome: 'warning', balances: [expect.objectContaining({ currency: 'USDT', total: 1000 })] });
    expect(r.message).toMatch(/^binance accepted the keys and read the balances/);
    expect(r.warnings[0]).toMatch(/withdrawals enabled/);
    expect((await creds('main')).check).toMatchObject({ state: 'warning', last: { outcome: 'warning' } });
  });

  it('a refused key (-2015) and a wrong key (-2014) say so and leave the keys unchecked; new keys forget the last check', async () => {
    sim.injectFault({ kind: 'exchangeError', method: 'GET', path: '/api/v3/account', code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    const refused = await engine.api.checkCredentials({ account: 'main', mode: 'testnet' });
    expect(refused).toMatchObject({ ok: false, outcome: 'refused', balances: [] });
    expect(refused.message).toMatch(/^binance refused the keys: the API key is wrong, this computer's IP address is not on the key's whitelist, or the key has no permission .*code -2015/);
    expect((await creds('main')).check).toMatchObject({ state: 'unchecked', last: { outcome: 'refused' } });

    await engine.api.setCredentials({ account: 'main', mode: 'testnet', apiKey: 'not-a-key-of-this-exchange-0000', secret: DEFAULT_SECRET });
    expect((await creds('main')).check).toEqual({ state: 'unchecked', last: null });
    const wrong = await engine.api.checkCredentials({ account: 'main', mode: 'testnet' });
    expect(wrong).toMatchObject({ ok: false, outcome: 'refused' });
    expect(wrong.message).not.toContain('not-a-key-of-this-exchange-0000');
  });

  it('an unreachable exchange is not a refusal: the keys are saved, unchecked, and the message says to check again', async () => {
    await engine.api.setCredentials({ account: 'gone', mode: 'testnet', apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET });
    const r = await engine.api.checkCredentials({ account: 'gone', mode: 'testnet' });
    expect(r).toMatchObject({ ok: false, outcome: 'unreachable' });
    expect(r.message).toMatch(/^binance could not be reached, so the keys are not checked .*saved as unchecked/);
    expect(r.message).not.toMatch(/refused/);
    expect((await creds('gone')).check).toMatchObject({ state: 'unchecked', last: { outcome: 'unreachable' } });
  });

  it('keeps the outcomes across a restart, in a file without any secret', async () => {
    await engine.api.setCredentials({ account: 'main', mode: 'testnet', apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET });
    expect((await engine.api.checkCredentials({ account: 'main', mode: 'testnet' })).ok).toBe(true);
    await engine.stop();
    await start(sim.url);
    expect((await creds('main')).check?.state).toBe('warning');
    expect((await creds('gone')).check?.state).toBe('unchecked');
    const file = join(dir.path, 'key-checks.json');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(DEFAULT_API_KEY);
    expect(text).not.toContain(DEFAULT_SECRET);
  });
});
