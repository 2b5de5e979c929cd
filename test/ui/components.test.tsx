/**
 * Components rendered to HTML with React's server renderer: the states and safety properties
 * that matter (live unmistakable, secrets masked, loading / error / empty for every query).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../renderer/src/api/api-error.js';
import { ErrorBox } from '../../renderer/src/components/error-box.js';
import { ModeBadge } from '../../renderer/src/components/mode-badge.js';
import { QueryView } from '../../renderer/src/components/query-view.js';
import type { Query } from '../../renderer/src/hooks/use-query.js';
import { LogLine } from '../../renderer/src/screens/log-line.js';
import { PositionsTable } from '../../renderer/src/screens/positions-screen.js';
import type { PositionDto } from '../../shared/api.js';
import { LimitsFields } from '../../renderer/src/settings/limits-fields.js';
import { LIMIT_NAMES, LIMITS, NO_LIMITS } from '../../shared/dto/limits.js';

const query = <T,>(q: Partial<Query<T>>): Query<T> => ({ data: undefined, error: null, loading: false, reload: () => {}, ...q });

describe('ModeBadge', () => {
  it('says real money in live mode, and only there', () => {
    expect(renderToStaticMarkup(<ModeBadge mode="live" />)).toContain('LIVE · REAL MONEY');
    expect(renderToStaticMarkup(<ModeBadge mode="live" />)).toContain('mode-live');
    for (const m of ['paper', 'testnet'] as const) expect(renderToStaticMarkup(<ModeBadge mode={m} />)).not.toMatch(/LIVE|REAL MONEY/);
  });
});

describe('LogLine', () => {
  it('masks secret-looking fields the engine did not know about', () => {
    const html = renderToStaticMarkup(
      <LogLine entry={{ time: 0, level: 'info', msg: 'keys saved', data: { account: 'main', apiKey: 'AKIA-REAL-KEY', nested: { password: 'hunter2' }, ok: true } }} />,
    );
    expect(html).toContain('keys saved');
    expect(html).toContain('main');
    expect(html).not.toContain('AKIA-REAL-KEY');
    expect(html).not.toContain('hunter2');
  });
});

describe('QueryView', () => {
  const child = (d: string[]) => <ul>{d.map((x) => <li key={x}>{x}</li>)}</ul>;
  it('shows loading, then the error with a retry, then empty, then the data', () => {
    expect(renderToStaticMarkup(<QueryView query={query<string[]>({ loading: true })}>{child}</QueryView>)).toContain('role="status"');
    const failed = renderToStaticMarkup(<QueryView query={query<string[]>({ error: new ApiCallError('unreachable', 'Pinebridge is not answering') })}>{child}</QueryView>);
    expect(failed).toContain('Pinebridge is not answering');
    expect(failed).toContain('Try again');
    const empty = renderToStaticMarkup(
      <QueryView query={query({ data: [] as string[] })} isEmpty={(d) => d.length === 0} empty={{ title: 'No alerts yet' }}>
        {child}
      </QueryView>,
    );
    expect(empty).toContain('No alerts yet');
    expect(renderToStaticMarkup(<QueryView query={query({ data: ['a1'] })}>{child}</QueryView>)).toContain('<li>a1</li>');
  });
});

describe('ErrorBox', () => {
  it('says "not available yet" for a command this engine does not have, instead of an error', () => {
    const html = renderToStaticMarkup(<ErrorBox error={new ApiCallError('unknown_command', 'There is no command "getPositions".')} />);
    expect(html).toContain('Not available in this version yet');
    expect(html).not.toContain('There is no command');
  });
});

describe('PositionsTable', () => {
  const row = (over: Partial<PositionDto>): PositionDto => ({
    account: 'main',
    mode: 'paper',
    strategy: 's',
    symbol: 'BTC/USDT',
    qty: 0.01,
    avgEntry: 65_000,
    realizedPnl: 0,
    fees: 0,
    markPrice: 65_000,
    unrealizedPnl: 0,
    liquidationPrice: null,
    leverage: null,
    updatedAt: 0,
    ...over,
  });
  it('shows a paper perpetual\'s liquidation price and says funding is not modelled, only where paper perps are shown', () => {
    const perp = renderToStaticMarkup(<PositionsTable rows={[row({}), row({ symbol: 'BTC/USDT:USDT', liquidationPrice: 58_734.94 })]} />);
    expect(perp).toContain('58,734.94');
    expect(perp).toContain('funding is not modelled');
    const spot = renderToStaticMarkup(<PositionsTable rows={[row({}), row({ mode: 'live', symbol: 'BTC/USDT:USDT' })]} />);
    expect(spot).not.toContain('funding is not modelled');
    expect(spot).toContain('Liq. price');
  });
  it('shows the leverage of a perpetual position, and a dash where there is none', () => {
    const html = renderToStaticMarkup(<PositionsTable rows={[row({}), row({ symbol: 'BTC/USDT:USDT', leverage: 5 })]} />);
    expect(html).toContain('Leverage');
    expect(html.match(/data-testid="leverage">([^<]*)</g)).toEqual(['data-testid="leverage">—<', 'data-testid="leverage">5x<']);
  });
  it("names the side of a hedge-mode position (a market's long and short are two rows), and nothing for a one-way one", () => {
    const html = renderToStaticMarkup(
      <PositionsTable rows={[row({ symbol: 'BTC/USDT:USDT', positionSide: 'long' }), row({ symbol: 'BTC/USDT:USDT', positionSide: 'short', qty: -0.02 }), row({ symbol: 'ETH/USDT:USDT' })]} />,
    );
    expect(html.match(/data-testid="position-side">([^<]*)</g)).toEqual(['data-testid="position-side">long side<', 'data-testid="position-side">short side<']);
  });
});

describe('LimitsFields', () => {
  it('shows one field per limit of the shared table, with its value, and says what empty means', () => {
    const html = renderToStaticMarkup(<LimitsFields value={{ ...NO_LIMITS, maxOrderNotional: 750, allowedSymbols: ['BTC/USDT', 'ETH/USDT'] }} onChange={() => {}} />);
    for (const k of LIMIT_NAMES) {
      expect(html, k).toContain(`>${LIMITS[k].label}</label>`);
      expect(html, k).toContain(LIMITS[k].hint);
    }
    expect(html.match(/<input/g)).toHaveLength(LIMIT_NAMES.length);
    expect(html).toContain('value="750"');
    expect(html).toContain('value="BTC/USDT, ETH/USDT"');
    expect(html).toContain('placeholder="no limit"');
    expect(html).not.toContain('global limit');
    // Whole-number limits step by one; amounts take decimals.
    expect(html).toMatch(/step="1"[^>]*inputMode="numeric"|inputMode="numeric"[^>]*step="1"/);

    const own = renderToStaticMarkup(<LimitsFields inherit value={NO_LIMITS} onChange={() => {}} />);
    expect(own).toContain('placeholder="global limit"');
    expect(own).toContain('empty: the global list');
  });
});
