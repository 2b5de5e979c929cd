/** Notifications: which engine events matter, batching, and the Telegram and Discord senders. */
export { NOTICE_KINDS, togglesOf, type Notice, type NoticeKind, type NoticeToggles } from './notice.js';
export { createNoticeClassifier, type BusEvent, type NoticeClassifier } from './classifier.js';
export { NotifySendError, createNoticeBatcher, formatBatch, truncate, type BatcherOptions, type NoticeBatch, type NoticeBatcher } from './batch.js';
export type { NotifySender } from './sender.js';
export type { FetchLike } from './http-post.js';
export { createTelegramSender, TELEGRAM_MAX_TEXT, type TelegramOptions } from './telegram.js';
export { createDiscordSender, parseDiscordWebhookUrl, DISCORD_MAX_CONTENT, type DiscordOptions } from './discord.js';
export {
  createNotifier,
  createRemoteNotifier,
  type ChannelSpec,
  type EventSource,
  type NotificationSettings,
  type Notifier,
  type NotifierDeps,
  type RemoteNotifier,
  type RemoteNotifierDeps,
} from './notifier.js';
