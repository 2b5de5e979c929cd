/**
 * The IPC boundary (ipc-handlers.ts) in front of a real engine: only our own top frame may call,
 * only commands of the contract, only arguments their zod schema accepts; errors come back as
 * values with the engine's code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../main/desktop/app-url.js';
import { canReceiveEvents, createInvokeHandler, isTrustedSender, type SenderFrameInfo } from '../../main/desktop/ipc-handlers.js';
import { startHarness, TEST_SECRET, type Harness } from '../support/engine-harness.js';

const OURS: SenderFrameInfo = { url: APP_ENTRY_URL, origin: APP_ORIGIN, isTop: true };

describe('IPC handlers', () => {
  let h: Harness;
  let refused: string[];
  let invoke: ReturnType<typeof createInvokeHandler>;
  beforeEach(async () => {
    h = await startHarness();
    refused = [];
    invoke = createInvokeHandler({
      api: h.engine.api,
      scrub: (s) => h.engine.redactor.scrub(s),
      onRefused: (why, frame) => refused.push(`${why}: ${frame?.url ?? 'none'}`),
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers our own window with {ok:true, result} from the engine', async () => {
    const r = await invoke(OURS, { command: 'getStatus', args: {} });
    expect(r).toMatchObject({ ok: true, result: { mode: 'paper', webhook: { listening: true } } });

    await h.post({ secret: TEST_SECRET, strategy: 's1', action: 'buy', symbol: 'BTCUSDT', quantity: '0.01', id: 'ipc-1' });
    const alerts = await invoke({ ...OURS, url: `${APP_ORIGIN}/#/alerts` }, { command: 'listAlerts', args: { limit: 5 } });
    expect(alerts.ok && (alerts.result as { strategy: string }[]).map((a) => a.strategy)).toEqual(['s1']);
  });

  it.each([
    ['a web page', { url: 'https://evil.example/', origin: 'https://evil.example', isTop: true }],
    ['a local file', { url: 'file:///home/me/Downloads/x.html', origin: 'file://', isTop: true }],
    ['the local webhook listener', { url: 'http://127.0.0.1:8787/', origin: 'http://127.0.0.1:8787', isTop: true }],
    ['an iframe inside our page', { ...OURS, isTop: false }],
    ['an app URL with a forged origin', { ...OURS, origin: 'null' }],
    ['a look-alike host', { url: 'pinebridge://app.evil/index.html', origin: 'pinebridge://app.evil', isTop: true }],
    ['credentials in the URL', { url: 'pinebridge://x@app/index.html', origin: APP_ORIGIN, isTop: true }],
    ['a frame that is gone', null],
  ] as const)('refuses %s without calling the engine', async (_name, frame) => {
    let called = false;
    const guarded = createInvokeHandler({
      api: new Proxy(h.engine.api, { get: (t, p, r) => ((called = true), Reflect.get(t, p, r)) }),
      onRefused: (why) => refused.push(why),
    });
    const r = await guarded(frame, { command: 'getWebhookInfo', args: {} });
    expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: 'This caller may not use the Pinebridge API.' } });
    expect(JSON.stringify(r)).not.toContain(TEST_SECRET);
    expect(called).toBe(false);
    expect(refused).toEqual(['sender is not the Pinebridge window']);
  });

  it('refuses unknown commands, including inherited property names', async () => {
    for (const command of ['deleteEverything', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await expect(invoke(OURS, { command, args: {} })).resolves.toEqual({
        ok: false,
        error: { code: 'unknown_command', message: `There is no command ${JSON.stringify(command)}.` },
      });
    }
    await expect(invoke(OURS, { command: 42 })).resolves.toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    for (const payload of [null, 'getStatus', ['getStatus'], 7]) {
      await expect(invoke(OURS, payload)).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
  });

  it('validates arguments with the command\'s zod schema before the engine sees them', async () => {
    await expect(invoke(OURS, { command: 'listAlerts', args: { limit: 0 } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', message: expect.stringMatching(/^limit: /) },
    });
    await expect(invoke(OURS, { command: 'listAlerts', args: { limit: 5, sql: 'DROP TABLE alerts' } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments' },
    });
    await expect(invoke(OURS, { command: 'getAlert', args: { id: '' } })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    await expect(invoke(OURS, { command: 'getAlert', args: 'id=1' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    await expect(invoke(OURS, { command: 'pauseTrading', args: { reason: 'x'.repeat(201) } })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    // Missing args mean {} (commands without arguments).
    await expect(invoke(OURS, { command: 'getStatus' })).resolves.toMatchObject({ ok: true });
  });

  it('passes the engine\'s own error code through, with secrets scrubbed', async () => {
    const live = await invoke(OURS, { command: 'updateSettings', args: { patch: { mode: 'live' } } });
    expect(live).toMatchObject({ ok: false, error: { code: 'confirm_live' } });

    const failing = createInvokeHandler({
      api: { ...h.engine.api, getStatus: async () => Promise.reject(new Error(`boom with ${TEST_SECRET} inside`)) },
      scrub: (s) => h.engine.redactor.scrub(s),
    });
    await expect(failing(OURS, { command: 'getStatus', args: {} })).resolves.toEqual({
      ok: false,
      error: { code: 'command_failed', message: 'boom with [redacted] inside' },
    });
  });

  it('runs the kill switch over IPC: pause, then resume', async () => {
    await expect(invoke(OURS, { command: 'pauseTrading', args: { reason: 'from a test' } })).resolves.toMatchObject({ ok: true, result: { paused: true, reason: 'from a test' } });
    await expect(invoke(OURS, { command: 'getStatus', args: {} })).resolves.toMatchObject({ ok: true, result: { trading: { paused: true } } });
    await expect(invoke(OURS, { command: 'resumeTrading', args: {} })).resolves.toMatchObject({ ok: true, result: { paused: false } });
  });

  it('trusts only our top frame, and sends events only to our pages', () => {
    expect(isTrustedSender(OURS)).toBe(true);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(canReceiveEvents(APP_ENTRY_URL)).toBe(true);
    expect(canReceiveEvents('https://example.com/')).toBe(false);
    expect(canReceiveEvents('')).toBe(false);
  });
});
