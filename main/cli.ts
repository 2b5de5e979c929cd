/**
 * `pinebridge`: the headless entry. `pinebridge serve` runs the same engine as the desktop app,
 * with its UI in a browser; other subcommands operate on a data dir.
 */
import { VERSION } from './engine/version.js';
import { runBackup, runRestore } from './cli/backup.js';
import { runDoctor } from './cli/doctor.js';
import { runExport } from './cli/export.js';
import { runSecret } from './cli/secret.js';
import { runServe } from './cli/serve.js';

export const HELP = `Pinebridge ${VERSION}: TradingView alerts to exchange orders.

Usage:
  pinebridge serve [options]     run the webhook receiver, the trading engine and the web UI
  pinebridge secret [--rotate]   print (or replace) the webhook secret for your alert messages
  pinebridge backup [FILE]       consistent copy of the journal, also while the server runs
  pinebridge restore FILE        replace the journal with a checked backup (server stopped)
  pinebridge doctor              full integrity check of the journal (read-only)
  pinebridge export trades [--from DATE] [--to DATE] [--format csv|json] [--out FILE]
                                 fills, fees, P&L per strategy and slippage for accounting
  pinebridge --help | --version  (each command takes --data-dir DIR; COMMAND --help for more)

Options for serve (environment variable in brackets):
  --data-dir DIR          journal, settings, logs, control token  [PINEBRIDGE_DATA_DIR]
                          default: the per-user app data folder (~/.config/Pinebridge on Linux)
  --webhook-port N        webhook listener port, 0 = any free port  [PINEBRIDGE_WEBHOOK_PORT] (8787)
  --webhook-host HOST     webhook listener address (127.0.0.1; the tunnel connects locally)
  --control-port N        control API + web UI port, 127.0.0.1 only  [PINEBRIDGE_CONTROL_PORT] (8788)
  --mode MODE             paper | testnet | live  [PINEBRIDGE_MODE] (paper)
  --exchange ID           ccxt exchange id for testnet/live (binance)
  --exchange-url URL      send the exchange's REST calls to this base URL  [PINEBRIDGE_EXCHANGE_URL]
  --tunnel KIND           localtunnel | none: expose the webhook at a public HTTPS URL
  --json-logs             one JSON object per line on stdout
  --log-level LEVEL       trace | debug | info | warn | error (info)

Secrets: PINEBRIDGE_WEBHOOK_SECRET sets the webhook secret; PINEBRIDGE_API_KEY and
PINEBRIDGE_API_SECRET give exchange keys to a headless server. Otherwise they live in the OS
keychain, or without one in 0600 files in the data dir. They never appear in logs or the journal.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return 0;
      case '--version':
      case '-v':
        process.stdout.write(VERSION + '\n');
        return 0;
      case 'serve':
        return await runServe(rest);
      case 'secret':
        return await runSecret(rest);
      case 'backup':
        return await runBackup(rest);
      case 'restore':
        return await runRestore(rest);
      case 'doctor':
        return await runDoctor(rest);
      case 'export':
        return await runExport(rest);
      default:
        process.stderr.write(`Unknown command ${JSON.stringify(command)}.\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'usage') {
      process.stderr.write(`${err.message}\nSee pinebridge --help.\n`);
      return 2;
    }
    process.stderr.write(`pinebridge: ${err.message ?? String(e)}\n`);
    return 1;
  }
}
