/**
 * The dashboard's Nodes card rendered to HTML: one row per node under real table headers, this
 * node named, a stale node's "not seen for" in the warning colour, the last take-over, and no
 * card at all on SQLite (one node).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../renderer/src/api/api-error.js';
import { NodesCardView } from '../../renderer/src/screens/nodes-card.js';
import type { ClusterDto, ClusterNodeDto } from '../../shared/api.js';

const node = (over: Partial<ClusterNodeDto>): ClusterNodeDto => ({ node: 'n', host: 'h', version: '1.0.0', role: 'standby', accounts: [], heartbeatAgoSec: 1.6, startedAt: 1, stale: false, ...over });
const cluster = (over: Partial<ClusterDto>): ClusterDto => ({
  enabled: true,
  node: 'node-b',
  role: 'executor',
  executor: 'node-b',
  accounts: [{ account: 'main', executor: 'node-b' }],
  leaseSec: 10,
  lastFailoverSec: 10.4,
  nodes: [node({ node: 'node-a', host: 'box-a', version: '1.0.0', heartbeatAgoSec: 40.2, stale: true }), node({ node: 'node-b', host: 'box-b', version: '1.1.0', role: 'executor', accounts: ['main'] })],
  ...over,
});
const rows = (html: string) => html.match(/<tr data-node="[^"]*"[^>]*>.*?<\/tr>/g) ?? [];

describe('NodesCardView', () => {
  it('lists each node with its role, last heartbeat and version under column headers, and names this node', () => {
    const html = renderToStaticMarkup(<NodesCardView cluster={cluster({})} />);
    expect(html).toContain('<h2 id="nodes-title">Nodes</h2>');
    expect(html).toContain('aria-labelledby="nodes-title"');
    expect(html.match(/<th scope="col">([^<]*)<\/th>/g)).toEqual(['Node', 'Role', 'Last heartbeat', 'Version', 'Accounts'].map((h) => `<th scope="col">${h}</th>`));
    const [a, b] = rows(html);
    expect(rows(html)).toHaveLength(2);
    expect(b).toContain('<th scope="row">node-b<span class="muted small"> (this node)</span>');
    expect(b).toContain('<strong>Executor</strong>');
    expect(b).toContain('data-testid="node-heartbeat">1s ago<');
    expect(b).toContain('<td>1.1.0</td>');
    expect(b).toContain('<td data-testid="node-accounts">main</td>');
    expect(a).toContain('<td data-testid="node-accounts">—</td>');
    expect(a).not.toContain('this node');
    expect(a).toContain('<td>Standby</td>');
    expect(html).toContain('<strong>node-b</strong> executes');
    expect(html).toContain('last take-over (by this node) after 10.40 s');
  });

  it('shows a stale node in the warning colour as not seen for its age, and only that one', () => {
    const html = renderToStaticMarkup(<NodesCardView cluster={cluster({})} />);
    const [a, b] = rows(html);
    expect(a).toContain('data-stale="true"');
    expect(a).toContain('<td class="warn-text" data-testid="node-heartbeat">not seen for 40s</td>');
    expect(b).not.toContain('warn-text');
    expect(b).not.toContain('not seen');
    expect(html).toContain('card nodes-card warn-card');
    const fresh = renderToStaticMarkup(<NodesCardView cluster={cluster({ nodes: [node({ node: 'node-b', role: 'executor' })] })} />);
    expect(fresh).not.toContain('warn-card');
    expect(fresh).not.toContain('not seen');
  });

  it('says when no node executes, and leaves out the take-over when there was none', () => {
    const html = renderToStaticMarkup(<NodesCardView cluster={cluster({ executor: null, role: 'standby', lastFailoverSec: null })} />);
    expect(html).toContain('No node executes right now');
    expect(html).not.toContain('take-over (by this node)');
  });

  it('several accounts: names the executor of each, and says which has none right now', () => {
    const html = renderToStaticMarkup(
      <NodesCardView
        cluster={cluster({
          accounts: [{ account: 'alt', executor: 'node-a' }, { account: 'main', executor: 'node-b' }, { account: 'paper2', executor: null }],
          nodes: [node({ node: 'node-a', role: 'executor', accounts: ['alt'] }), node({ node: 'node-b', role: 'executor', accounts: ['main'] })],
        })}
      />,
    );
    expect(html).toContain('alt: <strong>node-a</strong>');
    expect(html).toContain('main: <strong>node-b</strong>');
    expect(html).toContain('paper2: <span class="warn-text">no executor right now</span>');
    expect(html).not.toContain('executes');
    expect(rows(html)[0]).toContain('<td data-testid="node-accounts">alt</td>');
  });

  it('is hidden on SQLite (one node) and before the first answer', () => {
    const single = cluster({ enabled: false, nodes: [node({ node: 'node-b', role: 'executor' })], lastFailoverSec: null });
    expect(renderToStaticMarkup(<NodesCardView cluster={single} />)).toBe('');
    expect(renderToStaticMarkup(<NodesCardView cluster={undefined} />)).toBe('');
  });

  it('says why when the nodes cannot be listed, with a retry', () => {
    const html = renderToStaticMarkup(<NodesCardView cluster={undefined} error={new ApiCallError('database_unreachable', 'The shared journal does not answer')} onRetry={() => {}} />);
    expect(html).toContain('The nodes cannot be listed');
    expect(html).toContain('The shared journal does not answer');
    expect(html).toContain('Try again');
  });
});
