/**
 * Connects the engine's event stream to notification channels: each event is classified once
 * into notices; each channel keeps the kinds the (live) settings allow and batches them.
 *
 * The engine runs one notifier for the remote channels (Telegram, Discord), so headless servers
 * notify too; the desktop shell runs another with its popup channel.
 */
import type { EngineEvent } from '../../../shared/api.js';
import type { Settings } from '../core/config.js';
import type { Logger } from '../core/logging/logger.js';
import type { Redactor } from '../core/logging/redactor.js';
import type { SecretStore } from '../core/ports.js';
import { NOTIFY_SECRET_NAMES } from '../secrets/names.js';
import { createNoticeBatcher, type NoticeBatcher } from './batch.js';
import { createNoticeClassifier, type BusEvent } from './classifier.js';
import { createDiscordSender } from './discord.js';
import type { FetchLike } from './http-post.js';
import type { NoticeToggles } from './notice.js';
import type { NotifySender } from './sender.js';
import { createTelegramSender } from './telegram.js';

export type NotificationSettings = Settings['notifications'];

export interface ChannelSpec {
  sender: NotifySender;
  /** Read on every notice, so a settings change applies at once. */
  toggles: () => NoticeToggles;
  /** Shortest time between two sends on this channel, ms. */
  windowMs: number;
  /** Gather time after the first notice of a quiet spell, ms (default min(1000, windowMs)). */
  gatherMs?: number;
}

export interface EventSource {
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

export interface NotifierDeps {
  events: EventSource;
  channels?: ChannelSpec[];
  /** Send failures are logged at warn (never error: an error would itself become a notice). */
  logger?: Pick<Logger, 'warn'>;
  redactor?: Pick<Redactor, 'scrub'>;
  now?: () => number;
}

export interface Notifier {
  channels(): string[];
  /** Replaces the channels (the old ones send what they hold first). */
  setChannels(channels: ChannelSpec[]): Promise<void>;
  /** Send everything pending now. */
  flush(): Promise<void>;
  /** Unsubscribe and send what is pending, waiting at most `timeoutMs` (default 5 s). */
  stop(timeoutMs?: number): Promise<void>;
}

interface Active {
  spec: ChannelSpec;
  batcher: NoticeBatcher;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const classifier = createNoticeClassifier(deps.now);
  const scrub = (s: string) => deps.redactor?.scrub(s) ?? s;
  const activate = (spec: ChannelSpec): Active => ({
    spec,
    batcher: createNoticeBatcher({
      windowMs: spec.windowMs,
      gatherMs: spec.gatherMs,
      now: deps.now,
      send: (batch) => spec.sender.send(batch),
      onError: (e, dropped) => {
        const err = e as { message?: unknown; status?: unknown };
        const status = typeof err.status === 'number' ? err.status : undefined;
        const msg = scrub(typeof err.message === 'string' ? err.message : String(e));
        deps.logger?.warn(
          { channel: spec.sender.channel, status, dropped },
          `${spec.sender.channel} notification not sent: ${msg}${dropped ? ` (${dropped} notices dropped)` : ' (will retry)'}`,
        );
      },
    }),
  });
  let active: Active[] = (deps.channels ?? []).map(activate);

  const unsubscribe = deps.events.subscribe((event) => {
    // Classify even with no channel: the classifier tracks tunnel and breaker state.
    const notices = classifier.classify(event as BusEvent);
    for (const n of notices) {
      for (const c of active) {
        if (c.spec.toggles()[n.kind]) c.batcher.push(n);
      }
    }
  });

  return {
    channels: () => active.map((c) => c.spec.sender.channel),
    async setChannels(channels) {
      const old = active;
      active = channels.map(activate);
      await Promise.all(old.map((c) => c.batcher.close()));
    },
    async flush() {
      await Promise.all(active.map((c) => c.batcher.flush()));
    },
    async stop(timeoutMs = 5000) {
      unsubscribe();
      const old = active;
      active = [];
      // Shutdown must not hang on a slow chat API: what is not out by then is dropped.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
      await Promise.race([Promise.all(old.map((c) => c.batcher.close())), deadline]);
      clearTimeout(timer);
    },
  };
}

export interface RemoteNotifierDeps {
  events: EventSource;
  /** The running settings (read live: the control API changes them in place). */
  settings: () => NotificationSettings;
  secrets: SecretStore;
  /** Tokens are registered here before anything could log them. */
  redactor: Pick<Redactor, 'add' | 'scrub'>;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** First line of every message, e.g. "Pinebridge · PAPER". */
  label?: () => string;
  fetch?: FetchLike;
  now?: () => number;
  /** Gather time override (tests); default min(1000, window). */
  gatherMs?: number;
}

export interface RemoteNotifier {
  /** Reads the secrets and builds the channels the settings switch on. */
  start(): Promise<void>;
  /** Re-reads settings and secrets; rebuilds the channels when they changed. */
  reconfigure(): Promise<void>;
  channels(): string[];
  flush(): Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Telegram and Discord, from the engine (so `pinebridge serve` notifies as the desktop does).
 * Reconfigures itself on `settings` events (the UI switching a channel or storing a token).
 */
export function createRemoteNotifier(deps: RemoteNotifierDeps): RemoteNotifier {
  const notifier = createNotifier({ events: deps.events, logger: deps.logger, redactor: deps.redactor, now: deps.now });
  let signature = '';
  let stopped = false;
  let queue: Promise<void> = Promise.resolve();

  const reconfigure = (): Promise<void> => {
    queue = queue.then(async () => {
      if (stopped) return;
      const s = deps.settings();
      const telegramToken = s.telegram.enabled ? await readSecret(NOTIFY_SECRET_NAMES.telegramToken) : null;
      const discordUrl = s.discord.enabled ? await readSecret(NOTIFY_SECRET_NAMES.discordWebhookUrl) : null;
      const next = JSON.stringify([s.batchWindowSec, s.telegram, s.discord, telegramToken, discordUrl]);
      if (next === signature || stopped) return;
      signature = next;
      const windowMs = s.batchWindowSec * 1000;
      const toggles = () => deps.settings();
      const specs: ChannelSpec[] = [];
      if (s.telegram.enabled) {
        if (!telegramToken) deps.logger.warn(`Telegram notifications are on but no bot token is stored (set it in Settings)`);
        else if (!s.telegram.chatId) deps.logger.warn('Telegram notifications are on but no chat id is set (notifications.telegram.chatId)');
        else {
          const sender = createTelegramSender({ token: telegramToken, chatId: s.telegram.chatId, apiBaseUrl: s.telegram.apiBaseUrl, label: deps.label, fetch: deps.fetch });
          specs.push({ sender, toggles, windowMs, gatherMs: deps.gatherMs });
        }
      }
      if (s.discord.enabled) {
        if (!discordUrl) deps.logger.warn('Discord notifications are on but no webhook URL is stored (set it in Settings)');
        else {
          try {
            const sender = createDiscordSender({ webhookUrl: discordUrl, apiBaseUrl: s.discord.apiBaseUrl, label: deps.label, fetch: deps.fetch });
            specs.push({ sender, toggles, windowMs, gatherMs: deps.gatherMs });
          } catch (e) {
            deps.logger.warn(`Discord notifications are off: ${(e as Error).message}`);
          }
        }
      }
      await notifier.setChannels(specs);
      if (specs.length) deps.logger.info({ channels: notifier.channels() }, `notifications go to ${notifier.channels().join(' and ')}`);
    });
    return queue.catch((e) => deps.logger.warn(`notifications not configured: ${deps.redactor.scrub(String((e as Error)?.message ?? e))}`));
  };

  async function readSecret(name: string): Promise<string | null> {
    try {
      const v = await deps.secrets.get(name);
      deps.redactor.add(v);
      // A Discord webhook URL's token is its last path segment: scrub it on its own as well.
      if (v && name === NOTIFY_SECRET_NAMES.discordWebhookUrl) deps.redactor.add(v.replace(/\/+$/, '').split('/').pop());
      return v;
    } catch (e) {
      deps.logger.warn({ secret: name }, `could not read the secret ${name}: ${deps.redactor.scrub((e as Error).message)}`);
      return null;
    }
  }

  const unsubscribe = deps.events.subscribe((e) => {
    if (e.type === 'settings') void reconfigure();
  });

  return {
    start: reconfigure,
    reconfigure,
    channels: () => notifier.channels(),
    flush: () => notifier.flush(),
    async stop(timeoutMs) {
      stopped = true;
      unsubscribe();
      await queue.catch(() => {});
      await notifier.stop(timeoutMs);
    },
  };
}
