/**
 * Batching notices: a burst becomes one message, at most one message per window, and notices
 * survive a rate limit but are dropped on a permanent failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../main/engine/core/event-bus.js';
import {
  NotifySendError,
  createNoticeBatcher,
  createNoticeClassifier,
  createNotifier,
  createTelegramSender,
  type BusEvent,
  type NoticeBatch,
} from '../../main/engine/notify/index.js';
import { ALL_ON, TOKEN, cleanUp, cleanups, fakeApi, rejected, until } from './support.js';

afterEach(cleanUp);

describe('batching', () => {
  it('turns a burst of 1000 rejected alerts into one Telegram message with a count', async () => {
    const api = await fakeApi();
    const events = new EventBus();
    const notifier = createNotifier({
      events,
      channels: [{ sender: createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base }), toggles: () => ALL_ON, windowMs: 60_000, gatherMs: 30 }],
    });
    cleanups.push(() => notifier.stop());

    for (let i = 1; i <= 1000; i++) events.emit(rejected(i));
    await api.waitFor(1);
    await notifier.flush(); // nothing else is pending

    expect(api.requests).toHaveLength(1);
    const text: string = api.requests[0]!.body.text;
    expect(text.split('\n')[0]).toBe('1000 rejected alerts');
    expect(text).toContain('quantity is {{strategy.order.contracts}} #1000');
    expect(text).toContain('#996');
    expect(text).not.toContain('#995 ');
    expect(text).toContain('…and 995 more rejected alerts');
  });

  it('sends at most one message per window; what arrives meanwhile waits for the next one', async () => {
    const sent: NoticeBatch[] = [];
    const batcher = createNoticeBatcher({ windowMs: 60_000, gatherMs: 10, send: async (b) => void sent.push(b), onError: () => {} });
    cleanups.push(() => batcher.close());
    const classifier = createNoticeClassifier();
    const push = (e: BusEvent) => classifier.classify(e).forEach((n) => batcher.push(n));

    push(rejected(1));
    await until(() => sent.length === 1);
    push(rejected(2));
    push(rejected(3));
    await new Promise((r) => setTimeout(r, 100));
    expect(sent).toHaveLength(1); // the window (60 s) is not over
    expect(batcher.pending()).toBe(2);
    await batcher.flush();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.count).toBe(2);
  });

  it('keeps notices through a 429 and delivers them merged with later ones', async () => {
    const api = await fakeApi();
    let calls = 0;
    api.respond = () =>
      ++calls === 1
        ? { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 0', parameters: { retry_after: 0 } } }
        : { status: 200, body: { ok: true } };
    const errors: number[] = [];
    const batcher = createNoticeBatcher({
      windowMs: 20,
      gatherMs: 5,
      send: (b) => createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base }).send(b),
      onError: (_e, dropped) => errors.push(dropped),
    });
    cleanups.push(() => batcher.close());
    const classifier = createNoticeClassifier();
    classifier.classify(rejected(1)).forEach((n) => batcher.push(n));
    await api.waitFor(1);
    classifier.classify(rejected(2)).forEach((n) => batcher.push(n));
    await api.waitFor(2);
    await until(() => batcher.pending() === 0);

    expect(errors).toEqual([0]); // one failure, nothing dropped
    expect(api.requests[1]!.body.text.split('\n')[0]).toBe('2 rejected alerts');
    expect(api.requests[1]!.body.text).toContain('#1');
    expect(api.requests[1]!.body.text).toContain('#2');
  });

  it('drops a batch on a permanent failure instead of retrying forever', async () => {
    let attempts = 0;
    const dropped: number[] = [];
    const batcher = createNoticeBatcher({
      windowMs: 10,
      gatherMs: 1,
      send: async () => {
        attempts++;
        throw new NotifySendError('Telegram: Forbidden: bot was blocked by the user', true, 403);
      },
      onError: (_e, n) => dropped.push(n),
    });
    cleanups.push(() => batcher.close());
    const classifier = createNoticeClassifier();
    classifier.classify(rejected(1)).forEach((n) => batcher.push(n));
    classifier.classify(rejected(2)).forEach((n) => batcher.push(n));
    await until(() => dropped.length === 1);
    await new Promise((r) => setTimeout(r, 80));
    expect(attempts).toBe(1);
    expect(dropped).toEqual([2]);
    expect(batcher.pending()).toBe(0);
  });
});
