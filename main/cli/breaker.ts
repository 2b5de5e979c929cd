/**
 * `pinebridge breaker list|reset <account>`: the circuit breakers per account. While a server
 * runs on the data dir it is asked through its control API (127.0.0.1, the data dir's control
 * token), so its state, events and UI follow at once; with no server, the saved state in
 * `<data-dir>/risk-state.json` is read or re-armed directly, as the server would.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AccountBreakerDto, ApiResult } from '../../shared/api.js';
import { loadSettings } from '../engine/core/config.js';
import { lockOwner } from '../engine/core/lock.js';
import { dataPaths } from '../engine/core/paths.js';
import { CircuitBreakers } from '../engine/risk/circuit-breaker.js';
import { RiskStateFile } from '../engine/risk/state-file.js';
import { PgRiskStore } from '../engine/cluster/pg-risk-store.js';
import { maskDatabaseUrl } from '../engine/journal/database-url.js';
import { Journal } from '../engine/journal/journal.js';
import { SharedStateTable } from '../engine/journal/shared-state.js';
import { commonOptions, databaseUrlFrom, dataDirFrom, parse, usage } from './options.js';

const BREAKER_HELP = `Usage: pinebridge breaker list [--data-dir DIR] [--control-port N] [--database URL]
       pinebridge breaker reset ACCOUNT [--data-dir DIR] [--control-port N] [--database URL]

list: each account's circuit breaker (closed, open: trading halted, half-open), its recent
failures and the last one. reset: re-arms an account's breaker by hand (closed, failures
forgotten): fix what made it open first. While the server runs, it is asked through its control
API (port from --control-port, PINEBRIDGE_CONTROL_PORT or settings.json; default 8788);
otherwise the saved state in the data dir is used, or with --database (PINEBRIDGE_DATABASE_URL)
the state the nodes on that PostgreSQL journal share.
`;

export async function runBreaker(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, { ...commonOptions, 'control-port': { type: 'string' } });
  if (values.help) {
    process.stdout.write(BREAKER_HELP);
    return 0;
  }
  const [what, account, ...extra] = positionals;
  if (what !== 'list' && what !== 'reset') throw usage('breaker what? pinebridge breaker list | pinebridge breaker reset ACCOUNT');
  if (what === 'list' && account !== undefined) throw usage('breaker list takes no account');
  if (what === 'reset' && (account === undefined || extra.length > 0)) throw usage('breaker reset needs one account: pinebridge breaker reset main');
  const paths = dataPaths(dataDirFrom(values['data-dir'], env));
  const settings = loadSettings(paths.settings);
  const running = lockOwner(paths.lockFile) !== null;
  const databaseUrl = databaseUrlFrom(values.database, env);

  let result: AccountBreakerDto[];
  if (running) {
    const port = Number(values['control-port'] ?? env.PINEBRIDGE_CONTROL_PORT ?? settings.control.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw usage(`--control-port must be a port number, got ${JSON.stringify(values['control-port'] ?? env.PINEBRIDGE_CONTROL_PORT)}`);
    if (!existsSync(paths.controlToken)) throw new Error(`A server runs on ${paths.dataDir} but it has no control token (${paths.controlToken}).`);
    const token = readFileSync(paths.controlToken, 'utf8').trim();
    const call = async <T>(command: string, args: Record<string, unknown>): Promise<T> => {
      let res: Response;
      try {
        res = await fetch(`http://127.0.0.1:${port}/api/${command}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(args),
        });
      } catch (e) {
        throw new Error(`A server runs on ${paths.dataDir}, but its control API does not answer on 127.0.0.1:${port} (${(e as Error).message}): give its port with --control-port.`);
      }
      const body = (await res.json()) as ApiResult<T>;
      if (!body.ok) throw new Error(body.error.message);
      return body.result;
    };
    result = what === 'reset' ? [await call<AccountBreakerDto>('resetBreaker', { account })] : await call<AccountBreakerDto[]>('getBreakers', {});
  } else {
    const file = new RiskStateFile(paths.riskState);
    if (file.unreadable) throw new Error(file.unreadable);
    // Several nodes on PostgreSQL: the cluster's state is the truth (the file is a cache of it).
    const journal = databaseUrl ? Journal.open(databaseUrl) : null;
    try {
      const store = journal ? new PgRiskStore(new SharedStateTable(journal.db), file, `cli-${hostname()}-${process.pid}`, Date.now) : file;
      const breakers = new CircuitBreakers({ settings: () => settings.breaker, now: () => Date.now(), store });
      if (what === 'reset') result = [breakers.reset(account!)];
      else result = [...new Set([settings.execution.account, ...breakers.accounts()])].map((a) => breakers.state(a));
      if (store.unsaved) throw new Error(`The reset was not saved: ${store.unsaved}`);
    } finally {
      journal?.close();
    }
  }
  const where = running ? 'the running server' : databaseUrl ? `the cluster's database ${maskDatabaseUrl(databaseUrl)} (no server running here)` : `${paths.riskState} (no server running)`;
  if (what === 'reset') process.stdout.write(`Circuit breaker of account ${account} reset by hand (${where}): trading on it goes on.\n`);
  else {
    process.stdout.write(`Circuit breakers (${where}):\n`);
    for (const b of result) process.stdout.write(`${line(b)}\n`);
  }
  return 0;
}

function line(b: AccountBreakerDto): string {
  const state = b.state === 'open' ? 'OPEN (trading halted)' : b.state;
  const parts = [`  ${b.account}: ${state}`, `${b.failures} recent failure${b.failures === 1 ? '' : 's'}`];
  if (b.state === 'open' && b.reason) parts.push(b.reason);
  if (b.lastFailure) parts.push(`last failure: ${b.lastFailure}`);
  return parts.join(' · ');
}
