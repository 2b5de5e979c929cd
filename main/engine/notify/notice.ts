/**
 * What a notification is about, independent of where it goes (desktop popup, Telegram, Discord).
 */

/** The kinds a user switches on and off (settings `notifications.<kind>`, for every channel). */
export const NOTICE_KINDS = ['fills', 'rejectedAlerts', 'errors', 'breaker', 'tunnelDown', 'urlChanged'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export type NoticeToggles = Record<NoticeKind, boolean>;

/** One thing worth telling the trader. */
export interface Notice {
  kind: NoticeKind;
  /** Short, e.g. "Alert rejected". */
  title: string;
  /** One line with the specifics (already free of secrets: it is built from redacted events). */
  body: string;
  /** Epoch ms. */
  at: number;
}

/** Stronger kinds first when a batch mixes kinds: a halted breaker matters more than a fill. */
export const KIND_ORDER: readonly NoticeKind[] = ['breaker', 'tunnelDown', 'urlChanged', 'errors', 'rejectedAlerts', 'fills'];

/** How a kind reads in a summary line: "12 more rejected alerts". */
export const KIND_NOUN: Record<NoticeKind, [singular: string, plural: string]> = {
  fills: ['fill', 'fills'],
  rejectedAlerts: ['rejected alert', 'rejected alerts'],
  errors: ['error', 'errors'],
  breaker: ['circuit breaker trip', 'circuit breaker trips'],
  tunnelDown: ['tunnel outage', 'tunnel outages'],
  urlChanged: ['webhook URL change', 'webhook URL changes'],
};

/** The toggles out of the settings' `notifications` section (which also holds channel settings). */
export function togglesOf(n: NoticeToggles): NoticeToggles {
  const out = {} as NoticeToggles;
  for (const k of NOTICE_KINDS) out[k] = n[k] === true;
  return out;
}
