/**
 * Opening the data dir's journal at start: the data dir made owner-only first (fixed and logged),
 * the journal file created private, then opened with SQLite's quick_check unless the last stop was
 * clean and left the files as they are (clean-stop.ts), or the PostgreSQL database given. A damaged
 * journal stops the start untouched, with the command that restores the last backup.
 */
import type { Logger } from '../core/logging/logger.js';
import type { OpenOptions } from '../journal/database.js';
import { damagedJournalMessage, JournalDamagedError } from '../journal/journal-check.js';
import { Journal } from '../journal/journal.js';
import type { DataPaths } from '../core/paths.js';
import { takeCleanStop } from './clean-stop.js';
import { createPrivate, describeFixes, enforcePermissions } from './permissions.js';

export function openDataDirJournal(paths: DataPaths, logger: Logger, options: OpenOptions, databaseUrl?: string): Journal {
  // PostgreSQL: the data dir keeps settings, logs and the token; the journal is the database.
  if (databaseUrl) return Journal.open(databaseUrl, options);
  const fixes = enforcePermissions(paths);
  if (fixes.length) logger.warn({ fixed: fixes.length }, `data dir permissions made owner-only: ${describeFixes(paths.dataDir, fixes)}`);
  const clean = takeCleanStop(paths);
  createPrivate(paths.journal);
  const t = performance.now();
  try {
    const journal = Journal.open(paths.journal, { ...options, quickCheck: !clean });
    if (clean) logger.info('journal check skipped: the last stop was clean and the journal is as it left it');
    else logger.info({ ms: Math.round(performance.now() - t) }, 'journal check (quick_check) passed: the last stop was not clean, or the journal changed since');
    return journal;
  } catch (e) {
    if (e instanceof JournalDamagedError) throw Object.assign(new Error(damagedJournalMessage(e, paths.dataDir, paths.backups)), { code: e.code });
    throw e;
  }
}
