/**
 * The renderer's HTTP + SSE client against the real control listener and a real engine: commands
 * round-trip, refusals arrive as coded errors, engine events stream live, a wrong token is reported.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/api.js';
import { createControlServer, type ControlServer } from '../../main/engine/control/control-server.js';
import { ApiCallError } from '../../renderer/src/api/api-error.js';
import type { ApiClient } from '../../renderer/src/api/client.js';
import { createHttpClient } from '../../renderer/src/api/http-client.js';
import { startHarness, TEST_SECRET, type Harness } from '../support/engine-harness.js';

const TOKEN = 'control-token-for-tests-0123456789abcdef';

let h: Harness;
let control: ControlServer;
let base: string;
const clients: ApiClient[] = [];

beforeEach(async () => {
  h = await startHarness();
  control = createControlServer({ api: h.engine.api, events: h.engine.events, token: TOKEN, logger: h.engine.logger, redactor: h.engine.redactor, staticDir: null });
  base = `http://127.0.0.1:${await control.listen(0)}`;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await control.close();
  await h.close();
});

function client(token = TOKEN, onUnauthorized?: () => void): ApiClient {
  const c = createHttpClient({ baseUrl: base, token, onUnauthorized, retryDelays: [50] });
  clients.push(c);
  return c;
}

describe('renderer HTTP client', () => {
  it('calls commands and returns their results', async () => {
    const api = client().api;
    expect((await api.getStatus({})).mode).toBe('paper');
    const settings = await api.saveStrategy({ strategy: { name: 'ma-cross', symbol: 'BINANCE:BTCUSDT', quantity: '0.01' } });
    expect(settings.strategies.map((s) => s.name)).toEqual(['ma-cross']);
    expect((await api.getWebhookInfo({})).secret).toBe(TEST_SECRET);
  });

  it('turns a refusal into an ApiCallError with the engine code and message', async () => {
    const api = client().api;
    const live = api.updateSettings({ patch: { mode: 'live' } });
    await expect(live).rejects.toBeInstanceOf(ApiCallError);
    await expect(live).rejects.toMatchObject({ code: 'confirm_live', message: expect.stringContaining('real money') });
    await expect(api.getAlert({ id: '' })).rejects.toMatchObject({ code: 'invalid_arguments' });
    expect((await api.getSettings({})).mode).toBe('paper');
  });

  it('streams engine events as they happen', async () => {
    const c = client();
    const seen: EngineEvent[] = [];
    c.subscribe((e) => seen.push(e));
    await new Promise<void>((resolve) => c.onConnection((s) => s === 'open' && resolve()));
    await c.api.pauseTrading({ reason: 'lunch' });
    const posted = await h.post({ secret: TEST_SECRET, strategy: 's1', action: 'buy', symbol: 'BTCUSDT', quantity: '0.01', id: 'sse-1' });
    expect(posted.status).toBe(200);
    await expect.poll(() => seen.map((e) => e.type)).toEqual(expect.arrayContaining(['trading', 'alert.accepted', 'alert.updated', 'log']));
    const trading = seen.find((e) => e.type === 'trading');
    expect(trading).toMatchObject({ trading: { paused: true, reason: 'lunch' } });
    const updated = seen.find((e) => e.type === 'alert.updated');
    expect(updated).toMatchObject({ alert: { status: 'skipped', reasonCode: 'paused' } });
  });

  it('reports a refused token once, for commands and for the event stream', async () => {
    let refused = 0;
    const c = client('wrong-token-0123456789abcdef', () => refused++);
    c.subscribe(() => {});
    await expect(c.api.getStatus({})).rejects.toMatchObject({ code: 'unauthorized', httpStatus: 401 });
    await expect.poll(() => refused).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(refused).toBe(1);
  });

  it('reconnects the event stream after the listener drops it', async () => {
    const c = client();
    const states: string[] = [];
    const seen: EngineEvent[] = [];
    c.onConnection((s) => states.push(s));
    c.subscribe((e) => seen.push(e));
    await expect.poll(() => states.at(-1)).toBe('open');
    control.server.closeAllConnections();
    await expect.poll(() => states.filter((s) => s === 'open').length).toBe(2);
    await c.api.resumeTrading({});
    await expect.poll(() => seen.some((e) => e.type === 'trading')).toBe(true);
  });
});
