import { describe, expect, it } from 'vitest';
import type { PositionParityDto } from '../../shared/api.js';
import { createNoticeClassifier } from '../../main/engine/notify/classifier.js';

describe('position parity notices', () => {
  const parity = (ok: boolean): PositionParityDto => ({
    account: 'main',
    mode: 'paper',
    strategy: 'wiz',
    symbol: 'BTC/USDT',
    alertId: 'a1',
    tradingView: 0.03,
    expected: 0.03,
    ledger: 0.02,
    ok,
    parity: 'warn',
    at: 1,
    message: "wiz on BTC/USDT: TradingView's position is 0.03, the strategy's ledger holds 0.02 (off by -0.01).",
  });

  it('a difference notifies (as an error) with both numbers; agreement again does not', () => {
    const c = createNoticeClassifier(() => 5);
    expect(c.classify({ type: 'position.parity', parity: parity(false) })).toEqual([
      { kind: 'errors', title: 'Position differs from TradingView', body: parity(false).message, at: 5 },
    ]);
    expect(c.classify({ type: 'position.parity', parity: parity(true) })).toEqual([]);
  });
});
