import { AlertStore } from './alerts.js';
import { BaselineStore } from './baselines.js';
import { openDatabase, type Db, type OpenOptions } from './database.js';
import { EventStore } from './events.js';
import { IntentStore } from './intents.js';
import { PaperStore } from './paper.js';
import { PositionStore } from './positions.js';

/**
 * The durable journal: one SQLite file in the data dir (WAL). Stores hang off it by concept; a
 * `durable` transaction groups writes so one fsync covers them all.
 */
export class Journal {
  readonly alerts: AlertStore;
  readonly events: EventStore;
  readonly intents: IntentStore;
  readonly positions: PositionStore;
  readonly paper: PaperStore;
  readonly baselines: BaselineStore;

  private constructor(
    readonly db: Db,
    readonly path: string,
  ) {
    this.alerts = new AlertStore(db);
    this.events = new EventStore(db);
    this.intents = new IntentStore(db);
    this.positions = new PositionStore(db);
    this.paper = new PaperStore(db);
    this.baselines = new BaselineStore(db);
  }

  static open(path: string, options?: OpenOptions): Journal {
    return new Journal(openDatabase(path, options), path);
  }

  /** Atomic, and survives a killed process; made durable against power loss by the next durable commit. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Atomic and durable (fsync before it returns): for what must be on disk before the outside
   * world hears of it: an alert before its 200, an order intent before the order is sent.
   */
  durable<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn(); // the outer transaction decides
    this.db.pragma('synchronous = FULL');
    try {
      return this.db.transaction(fn)();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
