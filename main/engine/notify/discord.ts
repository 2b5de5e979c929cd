/**
 * Discord webhook sender: POST <webhook URL> {content}. Mentions are disabled, so a strategy
 * or symbol name can never ping @everyone.
 */
import { NotifySendError, truncate, type NoticeBatch } from './batch.js';
import { postJson, retryAfterMs, type FetchLike } from './http-post.js';
import type { NotifySender } from './sender.js';

export interface DiscordOptions {
  /** https://discord.com/api/webhooks/<id>/<token> (a secret: the token is in the path). */
  webhookUrl: string;
  /** Replaces the webhook URL's origin (a proxy, or a test server). */
  apiBaseUrl?: string;
  label?: () => string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** Discord caps `content` at 2000 characters. */
export const DISCORD_MAX_CONTENT = 2000;

const WEBHOOK_PATH = /^\/api(\/v\d+)?\/webhooks\/\d+\/[\w-]+\/?$/;

/** Throws when `url` is not a Discord webhook URL (without echoing the URL: it holds the token). */
export function parseDiscordWebhookUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('The Discord webhook URL is not a URL (expected https://discord.com/api/webhooks/<id>/<token>)');
  }
  if (!WEBHOOK_PATH.test(u.pathname)) {
    throw new Error('The Discord webhook URL does not look like https://discord.com/api/webhooks/<id>/<token>');
  }
  return u;
}

export function createDiscordSender(opts: DiscordOptions): NotifySender {
  const parsed = parseDiscordWebhookUrl(opts.webhookUrl);
  const target = new URL(parsed.pathname + parsed.search, opts.apiBaseUrl ?? parsed.origin);
  const fetchFn = opts.fetch ?? (fetch as FetchLike);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    channel: 'discord',
    async send(batch: NoticeBatch) {
      const label = opts.label?.();
      const content = truncate(`${label ? `**${label}**\n` : ''}**${batch.title}**\n${batch.body}`, DISCORD_MAX_CONTENT);
      const res = await postJson(fetchFn, target.href, { content, allowed_mentions: { parse: [] } }, 'Discord', timeoutMs);
      if (res.status >= 200 && res.status < 300) return;
      const body = (res.json ?? {}) as { message?: string; retry_after?: number };
      const message = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
      if (res.status === 429) {
        throw new NotifySendError(`Discord: rate limited (${message})`, false, 429, retryAfterMs(res.headers.get('retry-after'), body.retry_after));
      }
      const permanent = res.status >= 400 && res.status < 500;
      const hint = res.status === 401 || res.status === 404 ? ' (the webhook was deleted or its URL is wrong)' : '';
      throw new NotifySendError(`Discord: ${message}${hint}`, permanent, res.status);
    },
  };
}
