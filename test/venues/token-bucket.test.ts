import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bucketFor, TokenBucket } from '../../main/engine/venues/token-bucket.js';

/** The bucket on a fake clock: what goes at once, what waits, and in which order. */
describe('the order throttle (token bucket)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const clock = () => Date.now();
  const track = (p: Promise<void>, log: string[], name: string) => void p.then(() => log.push(name));

  it('a burst up to the capacity goes at once; beyond it requests wait in arrival order at the sustained rate', async () => {
    const bucket = new TokenBucket(1 / 50, 3, clock); // 1 token per 50 ms, burst of 3
    const gone: string[] = [];
    for (const n of ['a', 'b', 'c', 'd', 'e']) track(bucket.take(1), gone, n);
    await vi.advanceTimersByTimeAsync(0);
    expect(gone).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(49);
    expect(gone).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(1);
    expect(gone).toEqual(['a', 'b', 'c', 'd']);
    await vi.advanceTimersByTimeAsync(50);
    expect(gone).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('refills while idle: a request after a quiet spell is not held (ccxt\'s throttle holds it for its whole cost)', async () => {
    const bucket = new TokenBucket(1 / 50, 1, clock);
    await bucket.take(1);
    await vi.advanceTimersByTimeAsync(100);
    const gone: string[] = [];
    track(bucket.take(1), gone, 'next');
    await vi.advanceTimersByTimeAsync(0);
    expect(gone).toEqual(['next']);
  });

  it('a cheap request never overtakes an expensive one queued before it', async () => {
    const bucket = new TokenBucket(1 / 10, 2, clock);
    const gone: string[] = [];
    track(bucket.take(2), gone, 'first');
    track(bucket.take(2), gone, 'heavy');
    track(bucket.take(0.2), gone, 'light');
    await vi.advanceTimersByTimeAsync(0);
    expect(gone).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(20);
    expect(gone).toEqual(['first', 'heavy']);
    await vi.advanceTimersByTimeAsync(2);
    expect(gone).toEqual(['first', 'heavy', 'light']);
  });

  it('sustained over a long run: never more than the burst plus the rate', async () => {
    const bucket = new TokenBucket(1 / 50, 3, clock);
    let gone = 0;
    for (let n = 0; n < 100; n++) void bucket.take(1).then(() => gone++);
    await vi.advanceTimersByTimeAsync(1000);
    expect(gone).toBe(3 + 20);
  });

  it('sized from ccxt\'s rateLimit: one second of it as the burst, at least 3 and at most 20', async () => {
    const binance = bucketFor(50); // 20 units/s: a burst of 20
    let gone = 0;
    for (let n = 0; n < 30; n++) void binance.take(1).then(() => gone++);
    await vi.advanceTimersByTimeAsync(0);
    expect(gone).toBe(20);
    const slow = bucketFor(3000); // 1 unit per 3 s: a burst of 3
    let slowGone = 0;
    for (let n = 0; n < 5; n++) void slow.take(1).then(() => slowGone++);
    await vi.advanceTimersByTimeAsync(0);
    expect(slowGone).toBe(3);
  });
});
