/**
 * `pinebridge`: the headless entry. `pinebridge serve` runs the same engine as the desktop app,
 * with its UI in a browser; other subcommands operate on a data dir.
 */
import { VERSION } from './engine/core/version.js';
import { runBackup, runRestore } from './cli/backup.js';
import { runBreaker } from './cli/breaker.js';
import { runDoctor } from './cli/doctor.js';
import { runExchanges } from './cli/exchanges.js';
import { runExport } from './cli/export.js';
import { runMigrate } from './cli/migrate.js';
import { runProbe } from './cli/probe.js';
import { runSecret } from './cli/secret.js';
import { runServe } from './cli/serve.js';
import { HELP } from './cli/help.js';

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
      case 'breaker':
        return await runBreaker(rest);
      case 'migrate':
        return await runMigrate(rest);
      case 'export':
        return await runExport(rest);
      case 'exchanges':
        return await runExchanges(rest);
      case 'probe':
        return await runProbe(rest);
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
