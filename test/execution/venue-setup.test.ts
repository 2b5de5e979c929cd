import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialName } from '../../main/engine/core/ports.js';
import { createExchange } from '../../main/engine/venues/ccxt-setup.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { tempDir } from '../support/temp-dir.js';
import { alertBody, FAST, startExec } from './exec-harness.js';

/** In a fresh Node process (the built dist/), creates an exchange and lists ccxt's exchange modules it loaded. */
function exchangeModulesLoaded(exchangeId: string): { loaded: string[]; error: string } {
  const dir = tempDir('pinebridge-ccxt-');
  try {
    const trace = join(dir.path, 'trace');
    const setup = pathToFileURL(fileURLToPath(new URL('../../dist/main/engine/venues/ccxt-setup.js', import.meta.url))).href;
    const script = `const { createExchange } = await import(${JSON.stringify(setup)});
      try { await createExchange({ exchangeId: ${JSON.stringify(exchangeId)}, mode: 'live', credentials: null }); } catch (e) { console.error(e.message); }`;
    const r = spawnSync(process.execPath, ['--import', fileURLToPath(new URL('../support/ccxt-trace-register.mjs', import.meta.url)), '--input-type=module', '-e', script], {
      env: { ...process.env, PB_CCXT_TRACE: trace },
      encoding: 'utf8',
    });
    let loaded: string[] = [];
    try {
      loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    } catch {
      // nothing loaded
    }
    return { loaded, error: r.stderr.trim() };
  } finally {
    dir.cleanup();
  }
}

describe('ccxt exchange setup', () => {
  it('testnet: sandbox on right after construction, then every API URL rebased on the exchange URL', async () => {
    const ex = await createExchange({ exchangeId: 'binance', mode: 'testnet', credentials: null, exchangeUrl: 'http://127.0.0.1:9/base/' });
    expect(ex.isSandboxModeEnabled).toBe(true);
    const api = ex.urls.api as Record<string, string>;
    // Binance's testnet spot URL is https://testnet.binance.vision/api/v3: its path is kept.
    expect(api.public).toBe('http://127.0.0.1:9/base/api/v3');
    expect(api.private).toBe('http://127.0.0.1:9/base/api/v3');
    expect(Object.values(api).every((u) => u.startsWith('http://127.0.0.1:9/base/'))).toBe(true);
    expect((ex.options as Record<string, unknown>).defaultType).toBe('spot');
    expect(ex.maxRetriesOnFailure ?? 0).toBe(0);
  });

  it('live: the exchange\'s own URLs unless an exchange URL is given', async () => {
    const ex = await createExchange({ exchangeId: 'binance', mode: 'live', credentials: null });
    expect(ex.isSandboxModeEnabled).toBe(false);
    expect((ex.urls.api as Record<string, string>).public).toBe('https://api.binance.com/api/v3');
  });

  it('refuses testnet on an exchange without a sandbox instead of trading live', async () => {
    await expect(createExchange({ exchangeId: 'bitstamp', mode: 'testnet', credentials: null })).rejects.toThrow(
      /bitstamp has no testnet in ccxt.*never falls back to live/,
    );
  });

  it('loads only the exchange it trades on (not ccxt\'s ~110), and all of ccxt only to name the near ones of an unknown id', () => {
    const one = exchangeModulesLoaded('binance');
    expect(one.error).toBe('');
    expect(one.loaded).toEqual(['binance.js']);
    const unknown = exchangeModulesLoaded('binanse');
    expect(unknown.error).toMatch(/ccxt has no exchange "binanse": did you mean binance/);
    expect(unknown.loaded).toContain('kraken.js');
    expect(unknown.loaded.length).toBeGreaterThan(100);
  });

  it('refuses an unknown exchange id, naming similar ones', async () => {
    await expect(createExchange({ exchangeId: 'binanse', mode: 'live', credentials: null })).rejects.toThrow(/ccxt has no exchange "binanse": did you mean binance/);
  });
});

describe('venues through the engine', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startExchangeSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('testnet mode trades with the testnet keys only (live keys are never used for it)', async () => {
    const h = await startExec({ overrides: { ...FAST, mode: 'testnet', exchange: 'binance', exchangeUrl: sim.url } });
    try {
      await h.secrets.set(credentialName('main', 'live', 'apiKey'), sim.apiKey);
      await h.secrets.set(credentialName('main', 'live', 'secret'), sim.secret);
      const none = await h.run(alertBody({ strategy: 't-keys', quantity: '0.001', price: '65000' }));
      expect(none.status).toBe('failed');
      expect(none.reason).toMatch(/No testnet API keys for account "main".*PINEBRIDGE_API_KEY/);
      expect(sim.requestCount('POST', '/api/v3/order')).toBe(0);

      await h.secrets.set(credentialName('main', 'testnet', 'apiKey'), sim.apiKey);
      await h.secrets.set(credentialName('main', 'testnet', 'secret'), sim.secret);
      const ok = await h.run(alertBody({ strategy: 't-keys', quantity: '0.001', price: '65000' }));
      expect(ok.status, ok.reason ?? '').toBe('executed');
      expect(h.intents(ok.id)[0]).toMatchObject({ mode: 'testnet', exchange: 'binance', status: 'filled' });
      expect(sim.ordersByClientId(`pb${ok.id}-0`)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('keeps the exchange keys out of the journal and the log', async () => {
    const h = await startExec({ sim, overrides: FAST });
    try {
      h.engine.logger.warn(`a message that happens to contain ${sim.secret}`);
      const a = await h.run(alertBody({ strategy: 't-redact', quantity: '0.001', price: '65000' }));
      expect(a.status).toBe('executed');
      const dump = JSON.stringify(h.engine.journal().db.prepare('SELECT * FROM events').all()) + JSON.stringify(await h.engine.api.recentLogs({}));
      expect(dump).not.toContain(sim.secret);
      expect(dump).toContain('[redacted]');
    } finally {
      await h.close();
    }
  });
});
