/**
 * A journal suite on both stores: the stores this machine can run (journalStores: PostgreSQL only
 * where a temp cluster can start, else a loud warning), one temp cluster for the file, and a
 * fresh empty journal location of either store per call.
 */
import { afterAll, beforeAll } from 'vitest';
import { journalPath } from './journal-reader.js';
import { journalStores, startPostgres, type PgCluster } from './postgres.js';
import { tempDir } from './temp-dir.js';

export type Store = 'sqlite' | 'postgres';

export function journalStoreFixture(suite: string): { stores: Store[]; location: (store: Store) => string; cluster: () => PgCluster | null } {
  const stores = journalStores(suite);
  let pg: PgCluster | null = null;
  const dirs: { cleanup: () => void }[] = [];
  beforeAll(async () => {
    if (stores.includes('postgres')) pg = await startPostgres();
  });
  afterAll(() => {
    pg?.destroy();
    for (const d of dirs) d.cleanup();
  });
  return {
    stores,
    /** A fresh, empty journal location of that store: a new database, or a new data dir's file. */
    location(store) {
      if (store === 'postgres') return (pg as PgCluster).createDatabase();
      const dir = tempDir('pinebridge-stores-');
      dirs.push(dir);
      return journalPath(dir.path);
    },
    cluster: () => pg,
  };
}
