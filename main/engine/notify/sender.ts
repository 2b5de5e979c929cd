import type { NoticeBatch } from './batch.js';

/** Delivers one batch to one place (Telegram, Discord, a desktop popup). Throws NotifySendError. */
export interface NotifySender {
  readonly channel: string;
  send(batch: NoticeBatch): Promise<void>;
}
