/** Desktop popups: which engine events become popups, switched by settings, batched. */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/api.js';
import { settingsSchema } from '../../main/engine/core/config.js';
import { EventBus } from '../../main/engine/core/event-bus.js';
import { createDesktopNotifier, type Popup } from '../../main/desktop/notification-policy.js';
import type { Notifier } from '../../main/engine/notify/index.js';

const stops: Notifier[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((n) => n.stop()));
});

function setup() {
  const events = new EventBus();
  const settings = settingsSchema.parse({});
  const popups: Popup[] = [];
  const notifier = createDesktopNotifier({ events, settings: () => settings.notifications, show: (p) => popups.push(p), windowMs: 10, gatherMs: 1 });
  stops.push(notifier);
  return { events, settings, popups, notifier };
}

const rejected = (i: number): EngineEvent => ({
  type: 'alert.rejected',
  alert: {
    id: `A${i}`, seq: i, receivedAt: 0, source: 'x', dialect: 'native', strategy: 'ma-cross', action: 'sell', symbol: 'ETHUSDT',
    status: 'rejected', httpStatus: 401, reasonCode: 'bad_secret', reason: 'wrong secret', duplicateOf: null,
  },
});
const tunnel = (state: 'online' | 'offline', url: string): EngineEvent => ({
  type: 'tunnel',
  tunnel: { provider: 'localtunnel', state, publicUrl: url, lastProbeMs: null, lastProbeAt: null, lastError: null },
});

describe('desktop notifications', () => {
  it('every kind is on by default: a rejected alert pops up', async () => {
    const { events, popups, notifier } = setup();
    events.emit(rejected(1));
    await notifier.flush();
    expect(popups).toEqual([{ title: 'Alert rejected', body: 'ma-cross sell ETHUSDT: wrong secret (bad_secret)', urgent: false }]);
  });

  it('follows the switches in settings, as they change', async () => {
    const { events, settings, popups, notifier } = setup();
    settings.notifications = { ...settings.notifications, rejectedAlerts: false, tunnelDown: false };
    events.emit(rejected(1));
    events.emit(tunnel('online', 'https://a-one.loca.lt'));
    events.emit(tunnel('offline', 'https://a-one.loca.lt'));
    await notifier.flush();
    expect(popups).toEqual([]);

    settings.notifications = { ...settings.notifications, tunnelDown: true };
    events.emit(tunnel('online', 'https://a-one.loca.lt'));
    events.emit(tunnel('offline', 'https://a-one.loca.lt'));
    await notifier.flush();
    expect(popups).toMatchObject([{ title: 'Tunnel down', urgent: true }]);
  });

  it('a URL change pops up with the new webhook URL to paste into TradingView', async () => {
    const { events, popups, notifier } = setup();
    events.emit(tunnel('online', 'https://a-one.loca.lt'));
    events.emit(tunnel('online', 'https://b-two.loca.lt'));
    await notifier.flush();
    expect(popups).toEqual([
      { title: 'Webhook URL changed', body: 'New URL: https://b-two.loca.lt/webhook — update the webhook URL of your TradingView alerts.', urgent: false },
    ]);
  });

  it('a burst is one popup with a count', async () => {
    const { events, popups, notifier } = setup();
    for (let i = 0; i < 250; i++) events.emit(rejected(i));
    events.emit({ type: 'log', entry: { time: 0, level: 'error', msg: 'exchange unreachable' } });
    await notifier.flush();
    expect(popups).toHaveLength(1);
    expect(popups[0]!.title).toBe('251 notifications');
    expect(popups[0]!.body.split('\n')[0]).toBe('1 error:');
    expect(popups[0]!.body).toContain('250 rejected alerts:');
    expect(popups[0]!.body).toContain('…and 245 more rejected alerts (see the log)');
  });
});
