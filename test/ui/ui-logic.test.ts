/** Pure parts of the UI: the SSE parser, log filters and masking, the generated alert message. */
import { describe, expect, it } from 'vitest';
import { alertMessage, filledAlert, pineSnippet } from '../../shared/alert-template.js';
import { SseParser, type SseMessage } from '../../renderer/src/api/sse-parser.js';
import { maskedBody, matchesFilter } from '../../renderer/src/lib/log-filter.js';

describe('SseParser', () => {
  it('reassembles events split anywhere, with multi-line data, comments and CRLF', () => {
    const got: SseMessage[] = [];
    const p = new SseParser((m) => got.push(m));
    const stream = ': hello\n\nevent: log\ndata: {"a":\ndata: 1}\n\r\nevent: status\r\ndata: {}\r\n\r\n';
    for (const ch of stream) p.push(ch);
    expect(got).toEqual([
      { event: 'log', data: '{"a":\n1}' },
      { event: 'status', data: '{}' },
    ]);
  });
});

describe('log filter', () => {
  const e = { time: 1, level: 'warn' as const, msg: 'alert rejected: bad symbol', strategy: 'ma-cross', data: { symbol: 'XYZ' } };
  it('filters by minimum level, strategy and text in message or fields', () => {
    expect(matchesFilter(e, { level: 'info', strategy: '', text: '' })).toBe(true);
    expect(matchesFilter(e, { level: 'error', strategy: '', text: '' })).toBe(false);
    expect(matchesFilter(e, { level: 'info', strategy: 'other', text: '' })).toBe(false);
    expect(matchesFilter(e, { level: 'info', strategy: 'ma-cross', text: 'xyz' })).toBe(true);
    expect(matchesFilter(e, { level: 'info', strategy: '', text: 'filled' })).toBe(false);
  });
  it('masks the secret of an alert body', () => {
    const shown = maskedBody(JSON.stringify({ secret: 's3cr3t-value', strategy: 'x', nested: { token: 'tok-123' } }));
    expect(shown).not.toContain('s3cr3t-value');
    expect(shown).not.toContain('tok-123');
    expect(shown).toContain('"strategy": "x"');
    expect(maskedBody('not json')).toBe('not json');
  });
});

describe('alert template', () => {
  const strategy = { name: 'ma "cross"', quantity: '100usdt', orderType: 'market' as const, symbol: 'BINANCE:BTCUSDT' };
  it('is valid JSON with TradingView placeholders and the secret', () => {
    const msg = JSON.parse(alertMessage({ strategy, secret: 'sek' })) as Record<string, string>;
    expect(msg).toMatchObject({
      secret: 'sek',
      strategy: 'ma "cross"',
      action: '{{strategy.order.action}}',
      contracts: '{{strategy.order.contracts}}',
      market_position: '{{strategy.market_position}}',
      prev_market_position: '{{strategy.prev_market_position}}',
      position_size: '{{strategy.position_size}}',
      price: '{{close}}',
    });
    // The strategy's quantity is its default size (for alerts without contracts), not in the message.
    expect(msg.quantity).toBeUndefined();
  });
  it('fills a test alert with no placeholder left', () => {
    const a = filledAlert({ strategy, secret: 'sek', action: 'buy', price: '64000', now: 1_700_000_000_000 });
    expect(JSON.stringify(a)).not.toContain('{{');
    expect(a).toMatchObject({ action: 'buy', symbol: 'BINANCE:BTCUSDT', price: '64000' });
  });
  it('gives a Pine snippet whose strings stay closed around quotes in names', () => {
    const pine = pineSnippet({ strategy, secret: 'sek' });
    expect(pine).toContain('//@version=6');
    expect(pine).toContain('strategy("ma \\"cross\\"", overlay = true)');
    expect(pine).toContain('strategy.entry("Short", strategy.short, alert_message = pbMsg)');
    for (const p of ['{{strategy.order.action}}', '{{strategy.order.contracts}}', '{{strategy.market_position}}', '{{strategy.prev_market_position}}', '{{strategy.position_size}}']) {
      expect(pine).toContain(p);
    }
    expect(pine).toContain('{{strategy.order.alert_message}}');
  });
});
