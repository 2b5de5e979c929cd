/**
 * Desktop popups: the engine's notice choices (main/engine/notify) with a popup channel. The same
 * settings switch each kind on or off for popups, Telegram and Discord alike; a burst becomes
 * one popup with a count. No Electron here: notifications.ts supplies `show`.
 */
import { createNotifier, type EventSource, type NotificationSettings, type Notifier } from '../engine/notify/index.js';
import type { NoticeBatch, NoticeKind } from '../engine/notify/index.js';

export interface Popup {
  title: string;
  body: string;
  /** Breaker and tunnel problems stay until dismissed where the OS allows it. */
  urgent: boolean;
}

export interface DesktopNotifierDeps {
  events: EventSource;
  /** The running settings' `notifications` section (read on every notice). */
  settings: () => NotificationSettings;
  show: (popup: Popup) => void;
  /** At most one popup per window, ms (default 5 s). */
  windowMs?: number;
  gatherMs?: number;
}

const URGENT: readonly NoticeKind[] = ['breaker', 'tunnelDown'];

export function popupOf(batch: NoticeBatch): Popup {
  return { title: batch.title, body: batch.body, urgent: batch.kinds.some((k) => URGENT.includes(k)) };
}

export function createDesktopNotifier(deps: DesktopNotifierDeps): Notifier {
  return createNotifier({
    events: deps.events,
    channels: [
      {
        sender: { channel: 'desktop', send: async (batch) => deps.show(popupOf(batch)) },
        toggles: deps.settings,
        windowMs: deps.windowMs ?? 5000,
        gatherMs: deps.gatherMs ?? 500,
      },
    ],
  });
}
