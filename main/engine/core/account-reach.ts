/**
 * Whether each account's exchange answers, and when it last did: fed by the venue probe (the
 * default account's balance, every `readiness.venueProbeSec`), by orders the exchange accepted,
 * and by an exchange that could not be reached for an alert. The dashboard's account cards show it.
 */
import type { AccountReachDto } from '../../../shared/dto/accounts.js';

export class AccountReach {
  private readonly byAccount = new Map<string, AccountReachDto>();

  /** The exchange answered for the account at `at` (epoch ms). */
  answered(account: string, at: number): void {
    this.byAccount.set(account, { state: 'reachable', detail: null, lastAnswerAt: at });
  }

  /** The exchange could not be reached for the account. */
  unreachable(account: string, detail: string): void {
    const prev = this.byAccount.get(account);
    // A request's query string (timestamp, signature) tells a person nothing.
    this.byAccount.set(account, { state: 'unreachable', detail: detail.replace(/\?[^\s)]*/g, ''), lastAnswerAt: prev?.lastAnswerAt ?? null });
  }

  get(account: string): AccountReachDto {
    return this.byAccount.get(account) ?? { state: 'unknown', detail: null, lastAnswerAt: null };
  }
}
