import type { ProbeReportDto } from '../../shared/dto/probe.js';
import { loadSettings, mergeSettings, type DeepPartial, type Settings } from '../engine/core/config.js';
import { exchangeIdProblem } from '../../shared/dto/exchange-support.js';
import { dataPaths } from '../engine/core/paths.js';
import { probeExchange } from '../engine/control/probe.js';
import { headlessSecretStore } from '../host/headless-secrets.js';
import { commonOptions, dataDirFrom, parse, usage } from './options.js';

/**
 * `pinebridge probe`: the conformance probe against an exchange's testnet, with the account's
 * testnet keys (PINEBRIDGE_API_KEY / PINEBRIDGE_API_SECRET, or the ones saved for the account).
 * Prints each step ok / failed / not supported; exit 1 when a step failed or an order was left open.
 */
export async function runProbe(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    exchange: { type: 'string' },
    'exchange-url': { type: 'string' },
    account: { type: 'string' },
    symbol: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(PROBE_HELP);
    return 0;
  }
  if (positionals.length) throw usage('probe takes no positional arguments');
  const exchange = values.exchange;
  if (exchange !== undefined) {
    const problem = exchangeIdProblem(exchange);
    if (problem) throw usage(`--exchange: ${problem}`);
  }
  const dataDir = dataDirFrom(values['data-dir'], env);
  const account = values.account ?? 'main';
  const overrides: DeepPartial<Settings> = {};
  const url = values['exchange-url'] ?? env.PINEBRIDGE_EXCHANGE_URL;
  // The flags name the exchange of the account probed (the default one, or an alias).
  const stored = loadSettings(dataPaths(dataDir).settings);
  const alias = stored.accounts.find((a) => a.name === account);
  let settings: Settings;
  if (alias) {
    settings = mergeSettings(stored, {});
    const a = settings.accounts.find((x) => x.name === account)!;
    if (exchange) a.exchange = exchange;
    if (url) a.exchangeUrl = url;
  } else {
    if (exchange) overrides.exchange = exchange;
    if (url) overrides.exchangeUrl = url;
    settings = mergeSettings(stored, overrides);
  }
  const secrets = await headlessSecretStore(dataDir, env);
  const report = await probeExchange({ settings, secrets, account, symbol: values.symbol, addSecret: () => {}, now: Date.now });
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : text(report));
  return report.ok ? 0 : 1;
}

const MARK = { ok: 'ok           ', failed: 'FAILED       ', not_supported: 'not supported' } as const;

function text(r: ProbeReportDto): string {
  const lines = [`Probe of ${r.exchange} testnet, account ${r.account}, ${r.symbol}:`];
  const width = Math.max(...r.steps.map((s) => s.step.length));
  for (const s of r.steps) lines.push(`  ${s.step.padEnd(width)}  ${MARK[s.status]}  ${s.detail}`);
  lines.push(
    r.ok
      ? 'Every step passed; nothing the probe placed is left open.'
      : r.leftOpen.length
        ? `Some steps failed, and these orders are still open: ${r.leftOpen.join(', ')}: cancel them on the exchange.`
        : 'Some steps failed (above); nothing the probe placed is left open.',
  );
  return lines.join('\n') + '\n';
}

export const PROBE_HELP = `Usage: pinebridge probe [--exchange ID] [--exchange-url URL] [--account NAME] [--symbol SYMBOL] [--json] [--data-dir DIR]

Checks, on the exchange's testnet with testnet keys, what Pinebridge relies on before you go live:
  markets, balances     the markets and the account's balances read
  place_limit, lookup   a limit buy far below the market (it never fills) placed and found by its
                        clientOrderId; lookup_unknown: a clientOrderId never sent is not found
  cancel                the order cancelled by its clientOrderId
  reduce_only           (perpetuals) a reduce-only order that would open a position is refused
  trigger               a stop order far above the market placed, found and cancelled by clientOrderId
  position_mode         (perpetuals) one-way, as Pinebridge trades
  cleanup               nothing the probe placed is left open (it cancels what it placed, also
                        when a step fails)
Each step reports ok, FAILED or not supported. Exit 1 when a step failed.

Keys: PINEBRIDGE_API_KEY / PINEBRIDGE_API_SECRET (PINEBRIDGE_API_PASSWORD), or the testnet keys
saved for the account. SYMBOL is ccxt's (BTC/USDT; a perpetual: BTC/USDT:USDT). The exchange is
the account's, or --exchange; --exchange-url sends its calls elsewhere (a proxy, a simulator).
`;
