/** An account's balances on its current venue, as the API shows them (empty currencies left out). */
import type { Handlers } from '../core/commands.js';
import type { Execution } from './execution.js';

export function balanceCommands(execution: Execution): Handlers<'getBalances'> {
  return {
    async getBalances({ account }) {
      const b = await execution.balances(account);
      const balances = Object.entries(b.balances)
        .filter(([, v]) => v.total !== 0 || v.free !== 0)
        .map(([currency, v]) => ({ currency, ...v }));
      return { account: b.account, mode: b.mode, exchange: b.exchange, balances };
    },
  };
}
