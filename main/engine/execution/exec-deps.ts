import type { AlertDetailDto } from '../../../shared/dto.js';
import type { Settings } from '../config.js';
import type { Logger } from '../logging/logger.js';
import type { Signal } from '../signals/signal.js';
import type { VenueProvider } from '../venues/venue-provider.js';
import type { SenderDeps } from './order-sender.js';

/** What the execution parts share. */
export interface ExecDeps extends SenderDeps {
  settings: Settings;
  venues: VenueProvider;
  logger: Logger;
  /** A pre-trade check (kill switch, risk limits): a reason to skip the alert, or null to go on. */
  gate?: (signal: Signal, alert: AlertDetailDto) => { code: string; message: string } | null;
  onVenue?: (ok: boolean, detail?: string) => void;
}

/** The account an alert trades on: its own, else its strategy's, else the default. */
export function accountFor(signal: Signal, settings: Settings): string {
  if (signal.account) return signal.account;
  const strategies = (settings as { strategies?: { name: string; account: string }[] }).strategies ?? [];
  return strategies.find((s) => s.name === signal.strategy)?.account ?? settings.execution.account;
}
