/**
 * Secret names and the checks every store applies to names and values.
 *
 * Names are namespaced by the caller (see `credentialName` in ../ports.ts):
 * `webhook-secret`, `account:<alias>:<mode>:apiKey|secret|password`.
 */
import { MODES, type Mode } from '../../../shared/dto/mode.js';

/** The webhook secret's name in every store. */
export const WEBHOOK_SECRET_NAME = 'webhook-secret';

export type CredentialPart = 'apiKey' | 'secret' | 'password';
export const CREDENTIAL_PARTS: readonly CredentialPart[] = ['apiKey', 'secret', 'password'];

export interface ParsedCredentialName {
  account: string;
  mode: Mode;
  part: CredentialPart;
}

/**
 * The inverse of `credentialName`: `account:<alias>:<mode>:<part>` (the alias may itself contain
 * `:`). Null for anything else, including an unknown mode.
 */
export function parseCredentialName(name: string): ParsedCredentialName | null {
  const m = /^account:(.+):([^:]+):(apiKey|secret|password)$/.exec(name);
  if (!m) return null;
  const [, account, mode, part] = m;
  if (account === undefined || mode === undefined || part === undefined) return null;
  if (!(MODES as readonly string[]).includes(mode)) return null;
  return { account, mode: mode as Mode, part: part as CredentialPart };
}

export function assertValidName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('A secret name must be a non-empty string');
}

/**
 * Values every writable store accepts: non-empty strings without NUL characters (the Secret Service
 * path of keytar stores C strings: everything after a NUL would be silently cut off).
 */
export function assertValidValue(name: string, value: string): void {
  if (typeof value !== 'string') throw new TypeError(`The value for "${name}" must be a string`);
  if (value.length === 0) throw new TypeError(`Refusing to store an empty value for "${name}": use delete() to remove a secret`);
  if (value.includes('\u0000')) throw new TypeError(`The value for "${name}" contains a NUL character, which secret stores cannot keep`);
}

/** Error message text of an unknown thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export const NOTIFY_SECRET_NAMES = {
  telegramToken: 'notify:telegram-token',
  discordWebhookUrl: 'notify:discord-webhook-url',
} as const;
