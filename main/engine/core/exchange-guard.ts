/**
 * The exchange ids the settings name must be ccxt ids (a typo is refused with the near ones), and
 * live trading on an exchange that is not verified needs the explicit opt-in
 * (`allowUntestedExchange`: `pinebridge serve --allow-untested-exchange`, or the checkbox in
 * Settings), because there a lost answer may not be recoverable.
 */
import { exchangeIdProblem, exchangeSupport, LEVEL_LABEL, needsUntestedOptIn } from '../../../shared/dto/exchange-support.js';
import type { Settings } from './config.js';

/** Every (account, mode, exchange) the settings trade on: the default account and each alias. */
function accountsOf(s: Settings): { account: string; mode: Settings['mode']; exchange: string }[] {
  const out = [{ account: s.execution.account, mode: s.mode, exchange: s.exchange }];
  for (const a of s.accounts) out.push({ account: a.name, mode: a.mode ?? s.mode, exchange: a.exchange ?? s.exchange });
  for (const st of s.strategies) if (!out.some((x) => x.account === st.account)) out.push({ account: st.account, mode: s.mode, exchange: s.exchange });
  return out;
}

export interface ExchangeSettingsProblem {
  code: 'unknown_exchange' | 'untested_exchange';
  message: string;
}

/** null when the settings may run as they are; otherwise the first problem, in words. */
export function exchangeSettingsProblem(s: Settings): ExchangeSettingsProblem | null {
  for (const id of [s.exchange, ...s.accounts.map((a) => a.exchange).filter((x): x is string => !!x)]) {
    const problem = exchangeIdProblem(id);
    if (problem) return { code: 'unknown_exchange', message: problem };
  }
  if (s.allowUntestedExchange) return null;
  for (const a of accountsOf(s)) {
    if (a.mode !== 'live' || !needsUntestedOptIn(a.exchange)) continue;
    const level = exchangeSupport(a.exchange)?.level ?? 'untested';
    return {
      code: 'untested_exchange',
      message:
        `Live trading on ${a.exchange} (account ${a.account}) needs an explicit opt-in: ${a.exchange} is ${LEVEL_LABEL[level]} in Pinebridge, ` +
        'so an order whose answer is lost (timeout, dropped connection, crash) may not be recoverable: it may be placed twice or never known. ' +
        'Allow it with `pinebridge serve --allow-untested-exchange` or the checkbox in Settings > Mode and exchange, or use testnet / a verified exchange (`pinebridge exchanges`).',
    };
  }
  return null;
}
