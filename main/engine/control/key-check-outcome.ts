/**
 * What a key check found, in one word and one sentence: the exchange could not be reached, it
 * refused the keys (and why, when it says: a bad key or secret, this computer's IP not on the key's
 * whitelist, no trading permission), or it accepted them (with a warning when the account reports
 * withdrawals enabled). Kept apart from exchange-check.ts, which makes the call.
 */
import type { KeyCheckOutcome } from '../../../shared/dto/accounts.js';
import { classifyError } from '../venues/venue-error.js';

export interface ClassifiedCheck {
  outcome: KeyCheckOutcome;
  message: string;
}

/** The exchange's own code and words from a ccxt error's message (`binance {"code":-2015,"msg":"…"}`). */
function exchangeWords(raw: string): { code: string | null; msg: string } {
  const json = /\{.*\}/s.exec(raw)?.[0];
  if (json) {
    try {
      const body = JSON.parse(json) as { msg?: unknown; message?: unknown; code?: unknown; retCode?: unknown; retMsg?: unknown };
      const msg = body.msg ?? body.message ?? body.retMsg;
      const code = body.code ?? body.retCode;
      if (typeof msg === 'string') return { code: code === undefined ? null : String(code), msg };
    } catch {
      // not JSON after all
    }
  }
  return { code: null, msg: raw.split('\n')[0]!.slice(0, 300) };
}

/** Classifies what the balance call threw. */
export function classifyKeyCheckError(e: unknown, exchange: string): ClassifiedCheck {
  const raw = e instanceof Error ? e.message : String(e);
  const { code, msg } = exchangeWords(raw);
  const said = `${msg}${code !== null ? ` (code ${code})` : ''}`;
  const lower = msg.toLowerCase();
  // Before the class: ccxt files some of these under network classes (Binance -2015 arrives as DDoSProtection).
  if (code === '-2015' || /invalid api-key, ip, or permissions/.test(lower)) {
    return { outcome: 'refused', message: `${exchange} refused the keys: the API key is wrong, this computer's IP address is not on the key's whitelist, or the key has no permission for this (${said}). Check the key in the exchange's API management page.` };
  }
  if (/\bip\b.*(whitelist|not allowed|restricted|cannot access)|(whitelist|not allowed|restricted|cannot access).*\bip\b/.test(lower)) {
    return { outcome: 'refused', message: `${exchange} refused the keys: this computer's IP address is not on the key's whitelist (${said}). Add it in the exchange's API management page, or remove the IP restriction.` };
  }
  if (code === '-2014' || code === '-2008' || /api-key format invalid|invalid api.?key|api key (is )?invalid/.test(lower)) {
    return { outcome: 'refused', message: `${exchange} refused the API key: it is not a valid key for ${exchange} (${said}). Copy it again from the exchange, without spaces.` };
  }
  if (code === '-1022' || /signature/.test(lower)) {
    return { outcome: 'refused', message: `${exchange} refused the API secret: the request's signature is wrong, so the secret does not belong to this key (${said}).` };
  }
  const err = classifyError(e, exchange);
  if (err.kind === 'transient' && err.code !== 'DDoSProtection' && err.code !== 'InvalidNonce') {
    return { outcome: 'unreachable', message: `${exchange} could not be reached, so the keys are not checked (${err.message}). They are saved as unchecked: check again when the exchange answers.` };
  }
  if (err.code === 'PermissionDenied') return { outcome: 'refused', message: `${exchange} refused the key's permissions: enable reading and spot trading for this key (${said}).` };
  if (err.code === 'AuthenticationError') return { outcome: 'refused', message: `${exchange} refused the keys (${said}). Check the key and secret for this account and mode.` };
  return { outcome: 'error', message: `${exchange} did not accept the check: ${err.message}` };
}

/** What the account info of an accepted check says about permissions (Binance: canTrade, canWithdraw). */
export function permissionNotes(info: unknown, exchange: string): { refused: string | null; warnings: string[] } {
  const i = info && typeof info === 'object' ? (info as { canTrade?: unknown; canWithdraw?: unknown }) : {};
  if (i.canTrade === false) return { refused: `${exchange} accepted the keys but reports that they cannot trade (canTrade false): enable spot trading for this key.`, warnings: [] };
  const warnings = i.canWithdraw === true ? [`${exchange} reports withdrawals enabled for this account (canWithdraw): make sure this API key has withdrawal permission switched off.`] : [];
  return { refused: null, warnings };
}
