/**
 * The renderer's IPC transport against the desktop's real invoke handler (no Electron binary
 * here: the bridge below is what the preload does, calling the same handler main registers).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult, EngineEvent, PinebridgeBridge } from '../../shared/api.js';
import { APP_ORIGIN } from '../../main/desktop/app-url.js';
import { createInvokeHandler } from '../../main/desktop/ipc-handlers.js';
import { ApiCallError } from '../../renderer/src/api/api-error.js';
import { createIpcClient } from '../../renderer/src/api/ipc-client.js';
import { startHarness, TEST_SECRET, type Harness } from '../support/engine-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function bridge(frameUrl: string): PinebridgeBridge {
  const handler = createInvokeHandler({ api: h.engine.api, scrub: (s) => h.engine.redactor.scrub(s) });
  // Electron reports a registered standard scheme's origin as scheme://host (Node's URL says "null").
  const frame = { url: frameUrl, origin: frameUrl.startsWith(APP_ORIGIN) ? APP_ORIGIN : new URL(frameUrl).origin, isTop: true };
  return {
    invoke: ((command: string, args: unknown) => handler(frame, { command, args })) as PinebridgeBridge['invoke'],
    onEvent: (listener: (e: EngineEvent) => void) => h.engine.events.subscribe(listener),
  };
}

describe('renderer IPC client', () => {
  it('unwraps results, including results that have an `ok` field of their own', async () => {
    const c = createIpcClient(bridge(`${APP_ORIGIN}/index.html`));
    expect((await c.api.getWebhookInfo({})).secret).toBe(TEST_SECRET);
    const check = await c.api.checkCredentials({ account: 'main', mode: 'paper' });
    expect(check).toMatchObject({ ok: true, mode: 'paper', account: 'main' });
  });

  it('turns ApiResult errors into ApiCallError with the code', async () => {
    const c = createIpcClient(bridge(`${APP_ORIGIN}/index.html`));
    await expect(c.api.updateSettings({ patch: { mode: 'live' } })).rejects.toBeInstanceOf(ApiCallError);
    await expect(c.api.updateSettings({ patch: { mode: 'live' } })).rejects.toMatchObject({ code: 'confirm_live' });
    const foreign = createIpcClient(bridge('https://evil.example/'));
    await expect(foreign.api.getStatus({})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('delivers engine events', async () => {
    const c = createIpcClient(bridge(`${APP_ORIGIN}/index.html`));
    const seen: EngineEvent[] = [];
    const off = c.subscribe((e) => seen.push(e));
    await c.api.pauseTrading({});
    expect(seen.find((e) => e.type === 'trading')).toMatchObject({ trading: { paused: true } });
    off();
    const r: ApiResult<unknown> = await bridge(`${APP_ORIGIN}/index.html`).invoke('resumeTrading', {});
    expect(r.ok).toBe(true);
    expect(seen.filter((e) => e.type === 'trading')).toHaveLength(1);
  });
});
