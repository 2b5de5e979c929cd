import {
  exchangeIdProblem,
  exchangesByLevel,
  exchangeSupport,
  LEVEL_LABEL,
  SUPPORT_LEVELS,
  type ExchangeSupport,
  type SupportLevel,
} from '../../shared/dto/exchange-support.js';
import { CCXT_VERSION } from '../../shared/dto/ccxt-exchanges.js';
import { parse, usage } from './options.js';

/**
 * `pinebridge exchanges [ID] [--level L] [--json]`: every ccxt exchange with its support level and
 * what works there, from the one support table (shared/dto/exchange-support.ts); with an id, that
 * exchange's details (its client order id, look-up and cancel, the suites that verify it).
 */
export async function runExchanges(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { help: { type: 'boolean', short: 'h' }, level: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) {
    process.stdout.write(EXCHANGES_HELP);
    return 0;
  }
  if (positionals.length > 1) throw usage('exchanges takes at most one exchange id');
  const level = values.level as SupportLevel | undefined;
  if (level !== undefined && !SUPPORT_LEVELS.includes(level)) throw usage(`--level must be one of ${SUPPORT_LEVELS.join(', ')}`);
  if (positionals.length === 1) {
    const id = positionals[0]!;
    const e = exchangeSupport(id);
    if (!e) {
      process.stderr.write(`${exchangeIdProblem(id)}\n`);
      return 1;
    }
    process.stdout.write(values.json ? JSON.stringify(e, null, 2) + '\n' : detail(e));
    return 0;
  }
  const list = exchangesByLevel().filter((e) => !level || e.level === level);
  if (values.json) {
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(table(list));
  return 0;
}

const mark = (f: string) => (f === 'yes' ? 'yes' : f === 'no' ? 'no' : '?');

function table(list: ExchangeSupport[]): string {
  const rows = [
    ['exchange', 'level', 'exactly-once', 'protective', 'trailing', 'testnet', "dead man's", 'markets'],
    ...list.map((e) => [e.id, LEVEL_LABEL[e.level], mark(e.exactlyOnce), mark(e.protectiveOrders), mark(e.trailing), e.testnet ? 'yes' : 'no', mark(e.deadManSwitch), e.markets]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
  const counts = SUPPORT_LEVELS.map((l) => `${list.filter((e) => e.level === l).length} ${LEVEL_LABEL[l]}`).join(', ');
  return `${lines.join('\n')}\n\n${counts} (ccxt ${CCXT_VERSION}; ? = not known). \`pinebridge exchanges ID\` for one exchange's details.\n` +
    'Live trading on an exchange that is not verified needs --allow-untested-exchange: a lost answer may not be recoverable.\n';
}

function detail(e: ExchangeSupport): string {
  const out = [
    `${e.name} (${e.id}): ${LEVEL_LABEL[e.level]}${e.markets ? ` — ${e.markets}` : ''}`,
    `  exactly-once: ${mark(e.exactlyOnce)}   protective orders on the exchange: ${mark(e.protectiveOrders)}   trailing: ${mark(e.trailing)}`,
    `  testnet in ccxt: ${e.testnet ? 'yes' : 'no'}   dead man's switch armed by Pinebridge: ${mark(e.deadManSwitch)}`,
  ];
  if (e.suites.length) out.push(`  verified by: ${e.suites.join(', ')}`);
  const c = e.clientOrderId;
  if (c) {
    out.push(`  client order id: ${c.param} — ${c.rule}`, `    sent: ${c.create}`, `    look-up: ${c.lookup}`, `    cancel: ${c.cancel}`);
  }
  out.push(`  notes: ${e.notes}`);
  return out.join('\n') + '\n';
}

export const EXCHANGES_HELP = `Usage: pinebridge exchanges [ID] [--level verified|reviewed|untested] [--json]

Lists every exchange ccxt can trade with its support level in Pinebridge:
  verified                its reliability suites (exactly-once under faults and kill -9, protective
                          orders, reconciliation) pass against a simulator of that exchange
  reviewed, not verified  ccxt's source for it was read (client order id, look-up, cancel): not run
  untested                nothing checked
and what works there (exactly-once, protective orders on the exchange, trailing stops, testnet,
the dead man's switch). With an ID: that exchange's details. Live mode on an exchange that is not
verified needs \`pinebridge serve --allow-untested-exchange\` (or the checkbox in Settings).
`;
