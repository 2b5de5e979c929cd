/**
 * Telegram Bot API sender: POST <apiBaseUrl>/bot<token>/sendMessage {chat_id, text}.
 * Plain text (no parse_mode), so alert text can never break Markdown/HTML parsing.
 */
import { NotifySendError, truncate, type NoticeBatch } from './batch.js';
import { postJson, retryAfterMs, type FetchLike } from './http-post.js';
import type { NotifySender } from './sender.js';

export interface TelegramOptions {
  token: string;
  chatId: string;
  apiBaseUrl?: string;
  /** A first line naming the app and mode, e.g. "Pinebridge · PAPER". */
  label?: () => string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** Telegram caps a message at 4096 characters. */
export const TELEGRAM_MAX_TEXT = 4096;

export function createTelegramSender(opts: TelegramOptions): NotifySender {
  const base = (opts.apiBaseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const url = `${base}/bot${opts.token}/sendMessage`;
  const fetchFn = opts.fetch ?? (fetch as FetchLike);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    channel: 'telegram',
    async send(batch: NoticeBatch) {
      const label = opts.label?.();
      const text = truncate(`${label ? `${label}\n` : ''}${batch.title}\n${batch.body}`, TELEGRAM_MAX_TEXT);
      const res = await postJson(fetchFn, url, { chat_id: opts.chatId, text, disable_web_page_preview: true }, 'Telegram', timeoutMs);
      const body = (res.json ?? {}) as { ok?: boolean; description?: string; error_code?: number; parameters?: { retry_after?: number } };
      if (res.status >= 200 && res.status < 300 && body.ok !== false) return;
      const description = typeof body.description === 'string' ? body.description : `HTTP ${res.status}`;
      if (res.status === 429) {
        throw new NotifySendError(`Telegram: rate limited (${description})`, false, 429, retryAfterMs(res.headers.get('retry-after'), body.parameters?.retry_after));
      }
      // 400 chat not found, 401 bad token, 403 bot blocked or kicked, 404 bad token path: fix settings.
      const permanent = res.status >= 400 && res.status < 500;
      const hint = res.status === 401 || res.status === 404 ? ' (check the bot token)' : res.status === 400 || res.status === 403 ? ' (check the chat id and that the bot is in the chat)' : '';
      throw new NotifySendError(`Telegram: ${description}${hint}`, permanent, res.status);
    },
  };
}
