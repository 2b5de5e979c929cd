/**
 * Which engine events become notices. Written against event type strings: the `EngineEvent`
 * union of today, plus a type the risk part is expected to add (`breaker`). Fields are read
 * defensively (a missing one reads as unknown), so a future event needs no change here as long
 * as it carries the fields below.
 *
 * | kind           | event                                                                              |
 * | -------------- | ---------------------------------------------------------------------------------- |
 * | fills          | `order.filled` {order: OrderDto, fill: OrderFillDto}                               |
 * | rejectedAlerts | `alert.rejected`                                                                   |
 * | errors         | `alert.failed`; `order.failed` of a protective order (stop loss, take profit,      |
 * |                | trailing stop: entry/exit failures arrive as `alert.failed`); `log` at error/fatal |
 * |                | not about an alert (those are covered by the two before)                           |
 * | tunnelDown     | `tunnel` {tunnel: TunnelStatusDto} entering `offline`                              |
 * | urlChanged     | `tunnel` whose publicUrl changed from one URL to another, or whose saved localtunnel |
 * |                | subdomain was not granted (`subdomainRefused`: the URL differs from the last run's) |
 * | rejectedAlerts | `risk.rejected` {alert, message}: an alert refused by a risk limit before any order |
 * | breaker        | `status` whose `breaker.state` became `open`; `breaker` {breaker, account}          |
 * | errors         | `position.parity` {parity: PositionParityDto} with ok = false: TradingView's position |
 * |                | and the strategy's ledger differ after an alert                                    |
 */
import type { AlertSummaryDto, EngineEvent } from '../../../shared/api.js';
import type { Notice, NoticeKind } from './notice.js';

/** An event on the bus: today's union, or one of the future types above. */
export type BusEvent = EngineEvent | { readonly type: string; readonly [field: string]: unknown };

type Rec = Record<string, unknown>;

export interface NoticeClassifier {
  /** The notices one event gives (usually none or one). */
  classify(event: BusEvent): Notice[];
}

export function createNoticeClassifier(now: () => number = Date.now): NoticeClassifier {
  // Last seen states, so a stream of status events becomes "went down" / "URL changed" once.
  let tunnelState: string | null = null;
  let tunnelUrl: string | null = null;
  let refusedUrl: string | null = null;
  const breakerOpen = new Map<string, boolean>();

  const notice = (kind: NoticeKind, title: string, body: string): Notice => ({ kind, title, body: oneLine(body), at: now() });

  function tunnel(status: Rec): Notice[] {
    const out: Notice[] = [];
    const state = str(status.state);
    const url = str(status.publicUrl);
    if (state === 'offline' && tunnelState !== null && tunnelState !== 'offline') {
      const why = str(status.lastError);
      out.push(notice('tunnelDown', 'Tunnel down', `TradingView cannot reach Pinebridge${why ? `: ${why}` : ''}. Reconnecting…`));
    }
    const refused = str(status.subdomainRefused);
    if (url && refused && refusedUrl !== url) {
      // Said once per URL: the alerts in TradingView still post to the saved address.
      out.push(
        notice(
          'urlChanged',
          'Your webhook URL changed',
          `Your webhook URL changed: update your TradingView alerts. New URL: ${webhookUrl(url)} (the tunnel server did not give this computer its saved address ${refused}; Pinebridge keeps asking for it).`,
        ),
      );
    } else if (url && tunnelUrl && url !== tunnelUrl) {
      out.push(notice('urlChanged', 'Webhook URL changed', `New URL: ${webhookUrl(url)} — update the webhook URL of your TradingView alerts.`));
    }
    refusedUrl = refused && url ? url : state === 'stopped' || (url && !refused) ? null : refusedUrl;
    if (state) tunnelState = state;
    if (url) tunnelUrl = url;
    return out;
  }

  function breaker(b: Rec | null, account: string | null): Notice[] {
    if (!b) return [];
    const key = account ?? '';
    const open = str(b.state) === 'open';
    const was = breakerOpen.get(key) ?? false;
    breakerOpen.set(key, open);
    if (!open || was) return [];
    const reason = str(b.reason);
    const at = num(b.reopensAt) ?? num(b.until);
    const rearm = typeof at === 'number' ? ` Re-arms at ${new Date(at).toISOString().slice(11, 16)} UTC.` : ' Re-arm it by hand in the dashboard.';
    return [
      notice(
        'breaker',
        'Trading halted: circuit breaker open',
        `${account ? `Account ${account}: ` : ''}${reason ?? 'too many execution failures'}.${rearm}`,
      ),
    ];
  }

  function filled(order: Rec, fill: Rec): Notice[] {
    const amount = num(fill.amount) ?? num(order.filled);
    const price = num(fill.price) ?? num(order.average);
    const title = PURPOSE_FILLED[str(order.purpose) ?? ''] ?? 'Order filled';
    return [notice('fills', title, `${describeOrder(order, amount)}${price !== null ? ` @ ${price}` : ''}${tags(order)}`)];
  }

  return {
    classify(event) {
      const e = event as Rec & { type: string };
      switch (e.type) {
        case 'alert.rejected': {
          const a = e.alert as AlertSummaryDto;
          return [notice('rejectedAlerts', 'Alert rejected', `${describeAlert(a)}: ${a.reason ?? 'rejected'}${a.reasonCode ? ` (${a.reasonCode})` : ''}`)];
        }
        case 'alert.failed': {
          const a = e.alert as AlertSummaryDto;
          const why = (str(e.message) ?? a.reason ?? 'execution failed').replace(/^Not executed:\s*/, '');
          return [notice('errors', 'Alert not executed', `${describeAlert(a)}: ${why}`)];
        }
        case 'order.failed': {
          const o = rec(e.order) ?? {};
          const purpose = str(o.purpose);
          if (!purpose || !PROTECTIVE.includes(purpose)) return [];
          return [notice('errors', 'Protective order failed', `${purpose.replace(/_/g, ' ')}: ${describeOrder(o, num(o.amount))}${tags(o)}: ${str(e.message) ?? 'refused'}`)];
        }
        case 'log': {
          const entry = rec(e.entry) ?? {};
          if (entry.level !== 'error' && entry.level !== 'fatal') return [];
          if (str(entry.alertId)) return []; // about one alert: `alert.failed` / `order.failed` say it better
          return [notice('errors', entry.level === 'fatal' ? 'Fatal error' : 'Error', str(entry.msg) ?? 'unknown error')];
        }
        case 'tunnel': {
          const t = rec(e.tunnel);
          return t ? tunnel(t) : [];
        }
        case 'status': {
          const s = rec(e.status);
          // Keyed by the breaker's account when it names one, so the `breaker` event of the same trip is not told twice.
          const b = s && 'breaker' in s ? rec(s.breaker) : null;
          return b ? breaker(b, str(b.account)) : [];
        }
        case 'risk.rejected': {
          const a = e.alert as AlertSummaryDto;
          return [notice('rejectedAlerts', 'Alert refused by a risk limit', `${describeAlert(a)}: ${str(e.message) ?? a.reason ?? 'over a limit'}`)];
        }
        case 'breaker': {
          const b = rec(e.breaker);
          return breaker(b, str(e.account) ?? (b ? str(b.account) : null));
        }
        case 'order.filled':
          return filled(rec(e.order) ?? {}, rec(e.fill) ?? {});
        case 'position.parity': {
          const p = rec(e.parity) ?? {};
          if (p.ok !== false) return [];
          return [notice('errors', 'Position differs from TradingView', str(p.message) ?? 'the ledger and TradingView disagree')];
        }
        default:
          return [];
      }
    },
  };
}

const PROTECTIVE = ['stop_loss', 'take_profit', 'trailing_stop'];
const PURPOSE_FILLED: Record<string, string> = {
  stop_loss: 'Stop loss filled',
  take_profit: 'Take profit filled',
  trailing_stop: 'Trailing stop filled',
};

/** "BUY 0.01 BTC/USDT" */
function describeOrder(o: Rec, amount: number | string | null): string {
  const parts = [(str(o.side) ?? '').toUpperCase(), amount, str(o.symbol)].filter((x) => x !== null && x !== '');
  return parts.length ? parts.join(' ') : 'order';
}

/** " (ma-cross, PAPER)" */
function tags(o: Rec): string {
  const t = [str(o.strategy), str(o.mode)?.toUpperCase()].filter(Boolean).join(', ');
  return t ? ` (${t})` : '';
}

function describeAlert(a: AlertSummaryDto): string {
  const parts = [a.action, a.symbol].filter(Boolean).join(' ');
  return `${a.strategy ?? 'alert'}${parts ? ` ${parts}` : ''}`;
}

/** `<public base>/webhook`, unless it already names that path. */
function webhookUrl(base: string): string {
  return /\/webhook(\/|$)/.test(base) ? base : `${base.replace(/\/+$/, '')}/webhook`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function num(v: unknown): number | string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return v;
  return null;
}

function rec(v: unknown): Rec | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null;
}
