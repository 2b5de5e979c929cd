/**
 * A run of the same warning is one line and a count (a risk limit refusing hundreds of alerts a
 * second must not cost a log line each), and a new kind of warning is never held back.
 */
import { describe, expect, it } from 'vitest';
import { LogCoalescer } from '../../main/engine/core/logging/coalesce.js';

describe('LogCoalescer', () => {
  it('logs the first of a kind at once, counts the rest of the window in one line, and starts again after it', () => {
    let now = 1_000;
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const c = new LogCoalescer((fields, message) => lines.push({ fields, message }), 10_000, () => now);
    c.log('main\u0000maxOrdersPerMinute', { alertId: 'a1' }, 'risk limit: too many orders');
    c.log('main\u0000dailyLossLimit', { alertId: 'a2' }, 'risk limit: daily loss');
    for (let i = 3; i <= 6; i++) c.log('main\u0000maxOrdersPerMinute', { alertId: `a${i}` }, 'risk limit: too many orders');
    expect(lines.map((l) => l.fields.alertId)).toEqual(['a1', 'a2']);

    now += 10_000;
    c.log('main\u0000maxOrdersPerMinute', { alertId: 'a7' }, 'risk limit: too many orders');
    expect(lines.slice(2)).toEqual([
      { fields: { alertId: 'a6', more: 4 }, message: 'risk limit: too many orders (and 4 more like it within 10 s: each is in the journal)' },
      { fields: { alertId: 'a7' }, message: 'risk limit: too many orders' },
    ]);

    c.log('main\u0000maxOrdersPerMinute', { alertId: 'a8' }, 'risk limit: too many orders');
    c.flush();
    expect(lines.slice(4)).toEqual([{ fields: { alertId: 'a8', more: 1 }, message: 'risk limit: too many orders (and 1 more like it within 10 s: each is in the journal)' }]);
    c.flush();
    expect(lines).toHaveLength(5);
  });

  it('writes the count when the window ends, without another warning to trigger it', async () => {
    const lines: string[] = [];
    const c = new LogCoalescer((_f, message) => lines.push(message), 50);
    c.log('k', {}, 'w');
    c.log('k', {}, 'w');
    await new Promise((r) => setTimeout(r, 120));
    expect(lines).toEqual(['w', 'w (and 1 more like it within 50 ms: each is in the journal)']);
  });
});
