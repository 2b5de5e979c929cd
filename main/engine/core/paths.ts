import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user app data folder, the same one Electron's `app.getPath('userData')` gives for
 * "Pinebridge", so the desktop app and `pinebridge serve` share one journal by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Pinebridge');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Pinebridge');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Pinebridge');
}

/** Where each thing lives inside a data dir. */
export function dataPaths(dataDir: string) {
  return {
    dataDir,
    journal: join(dataDir, 'journal.sqlite'),
    /** Written when a graceful stop closed the journal, removed at start: the start's quick_check is skipped after a clean stop. */
    cleanStop: join(dataDir, 'journal-clean-stop.json'),
    settings: join(dataDir, 'settings.json'),
    /** The kill switch and open circuit breakers, so a restart does not resume trading by itself. */
    riskState: join(dataDir, 'risk-state.json'),
    controlToken: join(dataDir, 'control-token'),
    /** Which stored exchange keys passed a check (no secret in it). */
    keyChecks: join(dataDir, 'key-checks.json'),
    webhookSecretFile: join(dataDir, 'webhook-secret'),
    logDir: join(dataDir, 'logs'),
    logFile: join(dataDir, 'logs', 'pinebridge.log'),
    lockFile: join(dataDir, 'pinebridge.lock'),
    backups: join(dataDir, 'backups'),
  };
}

export type DataPaths = ReturnType<typeof dataPaths>;
