/**
 * Opening the data dir's journal at start: the data dir made owner-only first (fixed and logged),
 * the journal file created private, then opened with SQLite's quick_check (or the PostgreSQL database given). A damaged journal stops
 * the start untouched, with the command that restores the last backup.
 */
import type { Logger } from '../core/logging/logger.js';
import type { OpenOptions } from '../journal/database.js';
import { damagedJournalMessage, JournalDamagedError } from '../journal/journal-check.js';
import { Journal } from '../journal/journal.js';
import type { DataPaths } from '../core/paths.js';
import { createPrivate, describeFixes, enforcePermissions } from './permissions.js';

export function openDataDirJournal(paths: DataPaths, logger: Logger, options: OpenOptions, databaseUrl?: string): Journal {
  // PostgreSQL: the data dir keeps settings, logs and the token; the journal is the database.
  if (databaseUrl) return Journal.open(databaseUrl, options);
  const fixes = enforcePermissions(paths);
  if (fixes.length) logger.warn({ fixed: fixes.length }, `data dir permissions made owner-only: ${describeFixes(paths.dataDir, fixes)}`);
  createPrivate(paths.journal);
  try {
    return Journal.open(paths.journal, { ...options, quickCheck: true });
  } catch (e) {
    if (e instanceof JournalDamagedError) throw Object.assign(new Error(damagedJournalMessage(e, paths.dataDir, paths.backups)), { code: e.code });
    throw e;
  }
}
