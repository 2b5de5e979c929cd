import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MODES, type Mode } from '../../shared/dto/mode.js';
import type { DeepPartial, Settings } from '../engine/core/config.js';
import { defaultDataDir } from '../engine/core/paths.js';
import { isDatabaseUrl, maskDatabaseUrl } from '../engine/journal/database-url.js';

export function usage(message: string): Error {
  return Object.assign(new Error(message), { code: 'usage' });
}

export function parse<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usage((e as Error).message);
  }
}

export const commonOptions = {
  'data-dir': { type: 'string' },
  database: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const serveOptions = {
  ...commonOptions,
  'webhook-port': { type: 'string' },
  'webhook-host': { type: 'string' },
  'control-port': { type: 'string' },
  mode: { type: 'string' },
  exchange: { type: 'string' },
  'exchange-url': { type: 'string' },
  'allow-untested-exchange': { type: 'boolean' },
  tunnel: { type: 'string' },
  'json-logs': { type: 'boolean' },
  'log-level': { type: 'string' },
} as const;

export function dataDirFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.PINEBRIDGE_DATA_DIR ?? defaultDataDir(env);
}

/** `--database URL` or PINEBRIDGE_DATABASE_URL: the journal on PostgreSQL; undefined: SQLite in the data dir. */
export function databaseUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const url = flag ?? (env.PINEBRIDGE_DATABASE_URL || undefined);
  if (url !== undefined && !isDatabaseUrl(url)) throw usage(`--database must be a postgres:// or postgresql:// URL, got ${JSON.stringify(maskDatabaseUrl(url))}`);
  return url;
}

/** Commands that work on SQLite's file only, given a PostgreSQL journal: what to run instead. */
export function notOnPostgres(command: string, databaseUrl: string | undefined, instead: string): void {
  if (databaseUrl) throw usage(`pinebridge ${command} works on the SQLite journal only, not on PostgreSQL (${maskDatabaseUrl(databaseUrl)}): ${instead}`);
}

function portFrom(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw usage(`${name} must be a port number 0-65535, got ${JSON.stringify(value)}`);
  return n;
}

/** Flags win over environment variables, which win over settings.json. */
export function serveOverrides(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): DeepPartial<Settings> {
  const str = (k: string) => values[k] as string | undefined;
  const mode = str('mode') ?? env.PINEBRIDGE_MODE;
  if (mode !== undefined && !MODES.includes(mode as Mode)) throw usage(`--mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  const tunnel = str('tunnel');
  if (tunnel !== undefined && !['localtunnel', 'none', 'manual'].includes(tunnel)) throw usage(`--tunnel must be localtunnel or none`);
  const exchangeUrl = str('exchange-url') ?? env.PINEBRIDGE_EXCHANGE_URL;
  const o: DeepPartial<Settings> = {};
  if (mode) o.mode = mode as Mode;
  if (str('exchange')) o.exchange = str('exchange');
  if (values['allow-untested-exchange'] === true) o.allowUntestedExchange = true;
  if (exchangeUrl) o.exchangeUrl = exchangeUrl;
  const wp = portFrom(str('webhook-port') ?? env.PINEBRIDGE_WEBHOOK_PORT, '--webhook-port');
  const wh = str('webhook-host');
  if (wp !== undefined || wh !== undefined) o.webhook = { ...(wp !== undefined ? { port: wp } : {}), ...(wh ? { host: wh } : {}) };
  const cp = portFrom(str('control-port') ?? env.PINEBRIDGE_CONTROL_PORT, '--control-port');
  if (cp !== undefined) o.control = { port: cp };
  if (tunnel) o.tunnel = { provider: tunnel as 'localtunnel' | 'none' | 'manual' };
  return o;
}
