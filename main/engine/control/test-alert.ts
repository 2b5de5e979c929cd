/**
 * "Send a test alert" from the setup wizard: the engine posts a filled-in alert for a strategy to
 * its own webhook through the public URL (or the local one), exactly as TradingView would, and
 * reports the answer. Refused in live mode: it would place a real order.
 */
import type { CommandArgs } from '../../../shared/api.js';
import { filledAlert } from '../../../shared/alert-template.js';
import type { TestAlertResultDto } from '../../../shared/dto/alerts.js';
import type { Settings } from '../core/config.js';
import { accountMode } from '../venues/venue-provider.js';
import { coded } from '../core/commands.js';

export interface TestAlertDeps {
  settings: Settings;
  secret: () => string;
  localUrl: () => string;
  publicUrl: () => string | null;
  now: () => number;
}

export async function sendTestAlert(d: TestAlertDeps, args: CommandArgs<'sendTestAlert'>): Promise<TestAlertResultDto> {
  const strategy = d.settings.strategies.find((s) => s.name === args.strategy);
  if (!strategy) throw coded('not_found', `There is no strategy ${JSON.stringify(args.strategy)}: save it first.`);
  if (accountMode(d.settings, strategy.account) === 'live') {
    throw coded(
      'live_test_refused',
      `A test alert would place a real order: account ${strategy.account} trades live. Use the tunnel self-test, or put the account on paper or testnet.`,
    );
  }
  const via = args.via ?? 'public';
  let url = d.localUrl();
  if (via === 'public') {
    const base = d.publicUrl();
    if (!base) throw coded('no_public_url', 'There is no public URL yet: start the tunnel, or send the test alert to the local URL.');
    // Keep a path prefix (a tunnel or reverse proxy may serve us under one).
    url = `${base.replace(/\/+$/, '')}/webhook`;
  }
  const body = filledAlert({ strategy, secret: d.secret(), action: args.action ?? 'buy', price: args.price, now: d.now() });
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'bypass-tunnel-reminder': '1', 'User-Agent': 'pinebridge-test-alert' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw coded('test_alert_failed', `Could not reach ${url}: ${(e as Error).message}`);
  }
  const answer = (await res.text()).slice(0, 2000);
  let alertId: string | null = null;
  try {
    const parsed = JSON.parse(answer) as { alertId?: unknown };
    if (typeof parsed.alertId === 'string') alertId = parsed.alertId;
  } catch {
    // not JSON: shown as text
  }
  return { url, via, httpStatus: res.status, answer, ms: Math.round(performance.now() - started), alertId };
}
