/**
 * The one state every surface shows (header, tray, `status` events), from the same readiness
 * `GET /readyz` answers from, plus the breakers, the kill switch and whether TradingView can reach
 * the webhook. Worst first: a person sees the thing that stops trading, and what to do about it.
 */
import type { EngineStateDto } from '../../../shared/dto/status.js';
import type { AccountBreakerDto } from '../../../shared/dto/risk.js';
import type { TunnelStatusDto } from '../../../shared/dto/tunnel.js';

export interface EngineStateInputs {
  /** Readiness parts that are not ready, by name (journal, worker, venue, disk), with why. */
  failing: { part: string; detail: string | null }[];
  breakers: AccountBreakerDto[];
  paused: boolean;
  pauseReason: string | null;
  tunnel: TunnelStatusDto;
  /** The exchange id of the default account (`paper` in paper mode). */
  exchange: string;
}

/** What the readiness parts say before they first reported: the engine is still starting. */
const NOT_YET = new Set(['not started', 'not open', 'not running', 'has not answered yet']);

export function engineState(i: EngineStateInputs): EngineStateDto {
  if (i.failing.length > 0 && i.failing.every((f) => f.detail !== null && NOT_YET.has(f.detail))) {
    return { kind: 'not_ready', label: 'Starting…', detail: `Waiting for ${i.failing.map((f) => f.part).join(', ')}. Alerts are not executed yet.` };
  }
  const broken = i.failing.filter((f) => f.part !== 'venue');
  if (broken.length > 0) {
    return {
      kind: 'not_ready',
      label: 'Not ready',
      detail: `${broken.map((f) => `${f.part}: ${f.detail ?? 'not ready'}`).join('; ')}. Alerts are not executed until it recovers (see the log).`,
    };
  }
  const venue = i.failing.find((f) => f.part === 'venue');
  if (venue) {
    return {
      kind: 'unreachable',
      label: 'Exchange unreachable',
      detail: `${i.exchange} does not answer (${(venue.detail ?? 'no answer yet').replace(/\?[^\s)]*/g, '')}). Alerts are received and journaled; orders wait for it. Check the internet connection or the exchange's status page.`,
    };
  }
  const open = i.breakers.find((b) => b.state === 'open');
  if (open) {
    return {
      kind: 'halted',
      label: `Halted (breaker on account ${open.account})`,
      detail: `${open.reason ?? 'execution failures'}. Fix the cause, then reset the breaker (dashboard, tray or pinebridge breaker reset ${open.account}).`,
      account: open.account,
    };
  }
  if (i.paused) return { kind: 'paused', label: 'Paused', detail: `${i.pauseReason ?? 'paused by hand'}. Alerts are answered and journaled, not executed; resume to trade.` };
  const t = i.tunnel;
  if (t.provider === 'none' || !t.publicUrl || t.state === 'offline' || t.state === 'stopped') {
    return {
      kind: 'no_public_url',
      label: 'Not reachable from TradingView (no public URL)',
      detail:
        t.provider === 'none'
          ? 'No tunnel and no public URL are set: TradingView cannot post to this computer. Choose a tunnel or your own URL in Settings > Tunnel.'
          : `The public URL is not up (${t.lastError ?? t.state}). Alerts from TradingView cannot arrive until it is.`,
    };
  }
  return { kind: 'trading', label: 'Trading', detail: null };
}
