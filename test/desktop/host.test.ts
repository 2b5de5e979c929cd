/**
 * What the desktop app runs, in plain Node: host.ts composes the data-dir lock, secrets, tunnel
 * and engine; the tray state follows the real engine's events.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/api.js';
import { createDesktopHost, type DesktopHost, type DesktopHostOptions } from '../../main/desktop/host.js';
import { initialTrayState, reduceTrayState, trayModel, type TrayState } from '../../main/desktop/tray-model.js';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function host(dataDir: string, overrides: DesktopHostOptions['overrides'] = {}): Promise<DesktopHost> {
  const h = await createDesktopHost({
    dataDir,
    env: {},
    secrets: createMemoryStore({ 'webhook-secret': 'host-test-webhook-secret-0123456789' }),
    overrides: { webhook: { port: 0 }, ...overrides },
    log: { console: null, level: 'warn' },
  });
  cleanups.push(() => h.stop());
  return h;
}

describe('desktop host', () => {
  it('starts the engine; a second app on the same data dir is refused until the first stops', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const first = await host(dir.path);
    const { webhookUrl } = await first.start();
    expect(webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    expect(first.tunnel).toBeNull(); // provider "none" by default

    await expect(host(dir.path)).rejects.toThrow(/Another Pinebridge \(pid \d+\) is using this data dir/);
    await first.stop();
    await first.stop(); // twice is fine
    const again = await host(dir.path);
    await expect(again.start()).resolves.toMatchObject({ webhookUrl: expect.stringContaining('/webhook') });
  });

  it('composes the manual tunnel from settings; the tray shows its URL and follows pause/resume', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const port = await freePort();
    // The "public" URL is the listener itself: the manual tunnel's self-probe then really passes.
    const h = await host(dir.path, { webhook: { port }, tunnel: { provider: 'manual', publicUrl: `http://127.0.0.1:${port}`, probeIntervalSec: 5 } });
    let tray: TrayState = initialTrayState(h.engine.settings.mode, false);
    const seen: EngineEvent['type'][] = [];
    h.engine.events.subscribe((e) => {
      seen.push(e.type);
      tray = reduceTrayState(tray, e);
    });
    await h.start();
    expect(h.tunnel).not.toBeNull();
    await until(() => tray.tunnel?.state === 'online');

    let m = trayModel(tray);
    expect(m.icon).toBe('live');
    expect(m.menu.find((i) => i.id === 'webhook')?.action).toEqual({ type: 'copy', text: `http://127.0.0.1:${port}/webhook` });

    await h.engine.api.pauseTrading({ reason: 'paused from the tray' });
    m = trayModel(tray);
    expect(m.icon).toBe('paused');
    expect(m.menu.find((i) => i.id === 'trading')).toMatchObject({ label: 'Resume trading', action: { type: 'resume' } });

    await h.engine.api.resumeTrading({});
    expect(trayModel(tray).icon).toBe('live');
    expect(seen).toEqual(expect.arrayContaining(['status', 'tunnel', 'trading']));
  });

  it('an unusable tunnel setting does not stop the app: it runs with the local URL and says why', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const h = await host(dir.path, { tunnel: { provider: 'manual' } }); // no publicUrl
    await h.start();
    expect(h.tunnel).toBeNull();
    // The tunnel starts in the background after the webhook listener: its refusal is logged once it is known.
    const why = 'no tunnel: tunnel: provider "manual" needs tunnel.publicUrl (your public https:// address)';
    let msgs: string[] = [];
    const end = Date.now() + 5_000;
    while (!msgs.includes(why) && Date.now() < end) {
      msgs = (await h.engine.api.recentLogs({})).map((l) => l.msg);
      if (!msgs.includes(why)) await new Promise((r) => setTimeout(r, 20));
    }
    expect(msgs).toContain(why);
    const info = await h.engine.api.getWebhookInfo({});
    expect(info.publicUrl).toBeNull();
    expect(info.localUrl).toMatch(/\/webhook$/);
  });
});

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
