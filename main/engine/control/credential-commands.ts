/**
 * Exchange keys from the UI: stored in the secret store (keychain, or 0600 files headless), shown
 * back only as set / not set and the API key's last 4 characters, and checked with one read-only
 * call (fetch balance) whose refusal is shown in the exchange's own words.
 */
import type { CommandArgs } from '../../../shared/api.js';
import type { CredentialCheckDto, CredentialsDto } from '../../../shared/dto/accounts.js';
import type { Mode } from '../../../shared/dto/mode.js';
import type { Settings } from '../core/config.js';
import type { Logger } from '../core/logging/logger.js';
import type { Redactor } from '../core/logging/redactor.js';
import { credentialName, type SecretStore } from '../core/ports.js';
import { describeCredentials } from '../secrets/index.js';
import { accountExchange, knownAccounts } from '../venues/venue-provider.js';
import { checkExchangeKeys } from './exchange-check.js';
import { probeExchange } from './probe.js';
import type { ProbeReportDto } from '../../../shared/dto/probe.js';
import { coded, type Handlers } from '../core/commands.js';
import { KeyCheckStore } from './key-check-store.js';

export interface CredentialCommandDeps {
  settings: Settings;
  secrets: SecretStore;
  redactor: Redactor;
  logger: Logger;
  /** Where the checks' outcomes are kept (null: in memory only). */
  checksFile?: string | null;
  now?: () => number;
}

const KEYED_MODES: Mode[] = ['testnet', 'live'];

export type CredentialCommandName = 'listCredentials' | 'setCredentials' | 'deleteCredentials' | 'checkCredentials' | 'probeExchange';

export function createCredentialCommands(d: CredentialCommandDeps): Handlers<CredentialCommandName> {
  const checks = new KeyCheckStore(d.checksFile ?? null);
  const now = d.now ?? (() => Date.now());
  const describe = async (account: string, mode: Mode): Promise<CredentialsDto> => {
    const info = await describeCredentials(d.secrets, account, mode);
    return { account, mode, ...info, ...(info.apiKey.set ? { check: checks.get(account, mode) } : {}) };
  };

  return {
    async listCredentials(): Promise<CredentialsDto[]> {
      const accounts = [...new Set(['main', ...knownAccounts(d.settings)])];
      const out: CredentialsDto[] = [];
      for (const account of accounts) for (const mode of KEYED_MODES) out.push(await describe(account, mode));
      return out;
    },

    async setCredentials({ account, mode, apiKey, secret, password }: CommandArgs<'setCredentials'>): Promise<CredentialsDto> {
      if (mode === 'paper') throw coded('paper_needs_no_keys', 'Paper mode trades without exchange keys.');
      for (const v of [apiKey, secret, password]) d.redactor.add(v);
      await d.secrets.set(credentialName(account, mode, 'apiKey'), apiKey);
      await d.secrets.set(credentialName(account, mode, 'secret'), secret);
      if (password) await d.secrets.set(credentialName(account, mode, 'password'), password);
      else await d.secrets.delete(credentialName(account, mode, 'password'));
      // New keys are unchecked until a check passes.
      checks.forget(account, mode);
      d.logger.info({ account, mode, store: d.secrets.kind }, `exchange keys saved for ${account} (${mode})`);
      return describe(account, mode);
    },

    async deleteCredentials({ account, mode }: CommandArgs<'deleteCredentials'>): Promise<CredentialsDto> {
      for (const part of ['apiKey', 'secret', 'password'] as const) await d.secrets.delete(credentialName(account, mode, part));
      checks.forget(account, mode);
      d.logger.info({ account, mode }, `exchange keys removed for ${account} (${mode})`);
      return describe(account, mode);
    },

    async checkCredentials({ account, mode }: CommandArgs<'checkCredentials'>): Promise<CredentialCheckDto> {
      const where = accountExchange(d.settings, account);
      const base = { account, mode, exchange: where.exchange, balances: [], warnings: [] };
      if (mode === 'paper') return { ...base, ok: true, outcome: 'passed', message: 'Paper mode trades without exchange keys: nothing to check.' };
      const [apiKey, secret, password] = await Promise.all(
        (['apiKey', 'secret', 'password'] as const).map((p) => d.secrets.get(credentialName(account, mode, p))),
      );
      if (!apiKey || !secret) return { ...base, ok: false, outcome: 'missing', message: `No API key and secret are stored for ${account} (${mode}).` };
      for (const v of [apiKey, secret, password]) d.redactor.add(v);
      const r = await checkExchangeKeys({
        exchange: where.exchange,
        exchangeUrl: where.exchangeUrl,
        testnet: mode === 'testnet',
        credentials: { apiKey, secret, ...(password ? { password } : {}) },
      });
      const message = d.redactor.scrub(r.message);
      const warnings = r.warnings.map((w) => d.redactor.scrub(w));
      checks.record(account, mode, r.outcome, [message, ...warnings].join(' '), now());
      d.logger.info({ account, mode, ok: r.ok, outcome: r.outcome }, `key check for ${account} (${mode}): ${r.outcome}: ${message}`);
      return { ...base, ok: r.ok, outcome: r.outcome, warnings, message, balances: r.balances };
    },

    async probeExchange({ account, symbol }: CommandArgs<'probeExchange'>): Promise<ProbeReportDto> {
      const r = await probeExchange({ settings: d.settings, secrets: d.secrets, account: account ?? 'main', symbol, addSecret: (v) => d.redactor.add(v), now: Date.now });
      const report = { ...r, steps: r.steps.map((s) => ({ ...s, detail: d.redactor.scrub(s.detail) })) };
      const failed = report.steps.filter((s) => s.status === 'failed').map((s) => s.step);
      d.logger.info({ account: r.account, exchange: r.exchange, symbol: r.symbol, failed }, `probe of ${r.exchange} testnet (${r.symbol}): ${r.ok ? 'every step ok' : `failed: ${failed.join(', ')}`}`);
      return report;
    },
  };
}
