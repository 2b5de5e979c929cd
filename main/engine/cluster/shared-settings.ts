/**
 * Several nodes on one PostgreSQL journal share one settings document (`shared_state` row
 * 'settings'): the first node to start writes its settings.json there; from then on the
 * database's document is the truth. A change made on a node is written there before its own file
 * (settings-commands `publish`); the other nodes see the new version on their poll and apply what
 * changed through the same path a change in their own UI takes. Per-node keys stay out of it.
 */
import { loadSettings, type DeepPartial, type Settings } from '../core/config.js';
import type { Logger } from '../core/logging/logger.js';
import { applySettingsChange, type SettingsCommandDeps } from '../control/settings-commands.js';
import type { SharedStateTable } from '../journal/shared-state.js';

export const SETTINGS_KEY = 'settings';

/** Settings each node keeps for itself (README "PostgreSQL"): where it listens, its tunnel, its logs, its name. */
export const PER_NODE_SETTINGS = ['cluster', 'webhook.host', 'webhook.port', 'control', 'tunnel', 'logs', 'startAtLogin', 'disk'] as const;

type Doc = Record<string, unknown>;
/** One changed leaf: its path and its new value (undefined: removed). */
export interface SettingsLeaf {
  path: string[];
  value: unknown;
}

const isPlain = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The settings without the per-node keys: what every node shares. */
export function sharedDocument(s: Settings): Doc {
  const doc = structuredClone(s) as unknown as Doc;
  for (const key of PER_NODE_SETTINGS) {
    const path = key.split('.');
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (isPlain(o) ? o[k] : undefined), doc);
    if (isPlain(parent)) delete parent[path.at(-1)!];
  }
  return doc;
}

/** The leaves that differ from `from` to `to` (objects compared key by key, arrays and values whole). */
export function settingsChanges(from: Doc, to: Doc, at: string[] = []): SettingsLeaf[] {
  const out: SettingsLeaf[] = [];
  for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const a = from[k];
    const b = to[k];
    if (isPlain(a) && isPlain(b)) out.push(...settingsChanges(a, b, [...at, k]));
    else if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path: [...at, k], value: structuredClone(b) });
  }
  return out;
}

function setLeaf(target: Doc, { path, value }: SettingsLeaf): void {
  let o = target;
  for (const k of path.slice(0, -1)) {
    if (!isPlain(o[k])) o[k] = {};
    o = o[k] as Doc;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** A flag or environment variable set this path for the run: the running copy keeps it. */
function overridden(overrides: DeepPartial<Settings>, path: string[]): boolean {
  let o: unknown = overrides;
  for (const k of path) {
    if (!isPlain(o)) return false;
    o = o[k];
    if (o === undefined) return false;
    if (!isPlain(o)) return true;
  }
  return true;
}

export interface SharedSettingsDeps {
  table: SharedStateTable;
  node: string;
  now: () => number;
  settings: SettingsCommandDeps;
  overrides: DeepPartial<Settings>;
  logger: Logger;
}

export class SharedSettings {
  private version: number | null = null;
  private doc: Doc | null = null;

  constructor(private readonly d: SharedSettingsDeps) {}

  /** Writes the settings every node applies (the stored copy's, never a flag's); throws when it cannot. */
  publish(stored: Settings): void {
    const doc = sharedDocument(stored);
    this.version = this.d.table.put(SETTINGS_KEY, JSON.stringify(doc), this.d.node, this.d.now());
    this.doc = doc;
  }

  /** On start: the cluster's first node writes its settings; the others take the database's. */
  async attach(): Promise<void> {
    const row = this.d.table.get(SETTINGS_KEY);
    const local = sharedDocument(loadSettings(this.d.settings.settingsFile));
    if (!row) {
      this.publish(loadSettings(this.d.settings.settingsFile));
      this.d.logger.info('settings: the first node of this cluster wrote its settings.json for every node');
      return;
    }
    await this.take(row.version, row.value, row.node, local);
  }

  /** Applies the document another node wrote since the last look (throws when the database is away). */
  async poll(): Promise<void> {
    const row = this.d.table.get(SETTINGS_KEY);
    if (!row || row.version === this.version) return;
    await this.take(row.version, row.value, row.node, this.doc ?? sharedDocument(loadSettings(this.d.settings.settingsFile)));
  }

  private async take(version: number, value: string, node: string, from: Doc): Promise<void> {
    this.version = version;
    let to: Doc;
    try {
      to = JSON.parse(value) as Doc;
    } catch (e) {
      this.d.logger.error({ node }, `settings: the shared settings document written by node ${node} is not JSON (${(e as Error).message}); this node keeps its own`);
      return;
    }
    const changes = settingsChanges(from, to);
    if (!changes.length) {
      this.doc = to;
      return;
    }
    const overrides = this.d.overrides;
    try {
      await applySettingsChange(
        this.d.settings,
        (s, target) => {
          for (const c of changes) if (target === 'stored' || !overridden(overrides, c.path)) setLeaf(s, c);
        },
        { publish: false },
      );
      this.doc = to;
      this.d.logger.info({ node, changed: changes.map((c) => c.path.join('.')) }, `settings changed on node ${node} applied here`);
    } catch (e) {
      this.d.logger.error({ node, err: (e as Error).message }, `settings: the change made on node ${node} cannot apply on this node: ${(e as Error).message}`);
    }
  }
}
