/**
 * A saved localtunnel subdomain the server did not grant is a URL change even on the first
 * connection of a run (the alerts in TradingView hold the last run's URL): one notice per URL,
 * and a tray item that copies the new URL.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelStatusDto } from '../../shared/api.js';
import { createNoticeClassifier } from '../../main/engine/notify/classifier.js';
import { initialTrayState, reduceTrayState, trayModel } from '../../main/desktop/tray-model.js';

const status = (over: Partial<TunnelStatusDto>): TunnelStatusDto => ({
  provider: 'localtunnel',
  state: 'online',
  publicUrl: 'https://ltabc.loca.lt',
  lastProbeMs: 40,
  lastProbeAt: 1,
  lastError: null,
  ...over,
});

describe('the URL-changed notice for a refused subdomain', () => {
  it('is raised on the first connection, once per URL, and not for a granted one', () => {
    const c = createNoticeClassifier(() => 5);
    expect(c.classify({ type: 'tunnel', tunnel: status({ state: 'starting', publicUrl: null }) })).toEqual([]);
    const first = c.classify({ type: 'tunnel', tunnel: status({ subdomainRefused: 'pb-saved' }) });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: 'urlChanged', title: 'Your webhook URL changed' });
    expect(first[0]!.body).toContain('Your webhook URL changed: update your TradingView alerts. New URL: https://ltabc.loca.lt/webhook');
    expect(first[0]!.body).toContain('pb-saved');
    expect(c.classify({ type: 'tunnel', tunnel: status({ state: 'degraded', subdomainRefused: 'pb-saved' }) })).toEqual([]);
    // Back on the saved name: the URL changed again (alerts updated meanwhile must be updated back).
    const back = c.classify({ type: 'tunnel', tunnel: status({ publicUrl: 'https://pb-saved.loca.lt', subdomainRefused: null }) });
    expect(back.map((n) => n.kind)).toEqual(['urlChanged']);

    const granted = createNoticeClassifier(() => 5);
    expect(granted.classify({ type: 'tunnel', tunnel: status({ publicUrl: 'https://pb-saved.loca.lt' }) })).toEqual([]);
  });

  it('the tray offers the new URL with the reason', () => {
    let tray = initialTrayState('paper', false);
    tray = reduceTrayState(tray, { type: 'tunnel', tunnel: status({ subdomainRefused: 'pb-saved' }) });
    const item = trayModel(tray).menu.find((i) => i.id === 'url-changed');
    expect(item).toMatchObject({ label: expect.stringContaining('Your webhook URL changed'), action: { type: 'copy', text: 'https://ltabc.loca.lt/webhook' } });
    tray = reduceTrayState(tray, { type: 'tunnel', tunnel: status({ publicUrl: 'https://pb-saved.loca.lt', subdomainRefused: null }) });
    expect(trayModel(tray).menu.find((i) => i.id === 'url-changed')).toBeUndefined();
  });
});
