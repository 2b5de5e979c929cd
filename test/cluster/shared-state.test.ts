/**
 * Issue 19: the kill switch, the circuit breakers and the settings of several nodes on one real
 * PostgreSQL journal (two Journal connections with their own data dirs = two nodes): what one
 * node changes the other applies and announces; a node paused alone pauses the cluster when it
 * joins; a pause the database could not take holds and is written once it answers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBreaker } from '../../main/cli/breaker.js';
import { attachSharedState } from '../../main/engine/cluster/shared-state.js';
import { PER_NODE_SETTINGS, sharedDocument, settingsChanges } from '../../main/engine/cluster/shared-settings.js';
import { loadSettings, mergeSettings, settingsSchema, type DeepPartial, type Settings } from '../../main/engine/core/config.js';
import { EventBus } from '../../main/engine/core/event-bus.js';
import { createLogger } from '../../main/engine/core/logging/logger.js';
import { Redactor } from '../../main/engine/core/logging/redactor.js';
import { createSettingsCommands, type SettingsCommandDeps } from '../../main/engine/control/settings-commands.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { SharedStateTable } from '../../main/engine/journal/shared-state.js';
import { CircuitBreakers } from '../../main/engine/risk/circuit-breaker.js';
import { KillSwitch } from '../../main/engine/risk/kill-switch.js';
import { SwappableRiskStore } from '../../main/engine/risk/risk-store.js';
import { RiskStateFile } from '../../main/engine/risk/state-file.js';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually } from '../execution/serve-client.js';

const missing = postgresMissing();
if (missing) console.warn(`\n!!! shared risk state and settings on PostgreSQL: NOT tested here: ${missing}.\n`);

const dirs: { cleanup(): void }[] = [];
let pg: PgCluster | null = null;
afterAll(() => {
  pg?.destroy();
  for (const d of dirs) d.cleanup();
});
const cluster = async () => (pg ??= await startPostgres());

/** One node: its data dir (settings.json, risk-state.json), its kill switch, breakers and settings, on the shared journal. */
async function startNode(url: string, name: string, o: { settings?: Record<string, unknown>; risk?: unknown; overrides?: DeepPartial<Settings> } = {}) {
  const dir = tempDir(`pinebridge-shared-${name}-`);
  dirs.push(dir);
  const settingsFile = join(dir.path, 'settings.json');
  const riskPath = join(dir.path, 'risk-state.json');
  if (o.settings) writeFileSync(settingsFile, JSON.stringify(o.settings));
  if (o.risk) writeFileSync(riskPath, JSON.stringify(o.risk));
  const settings = mergeSettings(loadSettings(settingsFile), o.overrides ?? {});
  const events = new EventBus();
  const seen: { type: string }[] = [];
  events.subscribe((e) => seen.push(e));
  const logger = createLogger({ level: 'error', console: null, redactor: new Redactor() });
  const file = new RiskStateFile(riskPath);
  const store = new SwappableRiskStore(file);
  const killSwitch = new KillSwitch(store);
  killSwitch.onChange((trading) => events.emit({ type: 'trading', trading }));
  const breakers = new CircuitBreakers({
    settings: () => settings.breaker,
    now: Date.now,
    store,
    onAdopted: (b) => events.emit({ type: 'breaker', account: b.account, breaker: b }),
  });
  const settingsDeps: SettingsCommandDeps = { settings, settingsFile, secrets: createMemoryStore(), redactor: new Redactor(), events, logger, now: Date.now };
  const journal = Journal.open(url);
  const detach = await attachSharedState({ journal, node: name, store, file, killSwitch, breakers, settings: settingsDeps, overrides: o.overrides ?? {}, logger, now: Date.now, pollMs: 50 });
  return {
    name, dir: dir.path, settings, settingsFile, riskPath, killSwitch, breakers, store, seen, journal,
    commands: createSettingsCommands(settingsDeps),
    async stop() {
      await detach();
      journal.close();
    },
  };
}

describe.skipIf(missing !== null)('shared risk state and settings on PostgreSQL', () => {
  it('a pause on one node pauses the other at once (an alert it holds is refused), a resume there resumes both; both announce it', async () => {
    const url = (await cluster()).createDatabase();
    const a = await startNode(url, 'a');
    const b = await startNode(url, 'b');
    try {
      expect(a.killSwitch.paused).toBe(false);
      const receivedOnA = Date.now() - 5;
      b.killSwitch.pause('news', Date.now());
      // Before any poll: the executor's check reads the shared row, so the alert is not executed.
      expect(a.killSwitch.blocks(receivedOnA, { fresh: true })).toMatch(/trading is paused \(news\)/);
      expect(a.killSwitch.state()).toMatchObject({ paused: true, reason: 'news' });
      expect(a.seen).toContainEqual(expect.objectContaining({ type: 'trading', trading: expect.objectContaining({ paused: true }) }));
      a.killSwitch.resume(Date.now());
      await eventually(() => !b.killSwitch.paused, 10_000, 'b resumes');
      expect(b.seen.filter((e) => e.type === 'trading').at(-1)).toMatchObject({ trading: { paused: false } });
      // Received before the pause: still not executed late after the resume, on either node.
      expect(b.killSwitch.blocks(receivedOnA)).toMatch(/received before trading was paused/);
      expect(a.killSwitch.blocks(receivedOnA)).toMatch(/received before trading was paused/);
      expect(a.killSwitch.blocks(Date.now() + 1)).toBeNull();
      // Each node's file follows (the cache a restart starts from).
      expect(JSON.parse(readFileSync(b.riskPath, 'utf8')).trading).toMatchObject({ paused: false });
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a breaker opened on the executor is seen on the other node and kept when it takes over; a reset there closes it everywhere', async () => {
    const url = (await cluster()).createDatabase();
    const breaker = { maxFailures: 2, windowSec: 60, coolDownSec: 3600 };
    const a = await startNode(url, 'a', { settings: { breaker } });
    const b = await startNode(url, 'b', { settings: { breaker } });
    try {
      a.breakers.failure('main', 'exchange down');
      // Opened inside a journal transaction that rolls back: its shared write is not part of it (written after).
      expect(() =>
        a.journal.db.transaction(() => {
          a.breakers.failure('main', 'exchange down');
          throw new Error('rolled back');
        })(),
      ).toThrow('rolled back');
      expect(a.breakers.state('main').state).toBe('open');
      await eventually(() => b.breakers.state('main').state === 'open', 10_000, 'b sees it open');
      expect(b.breakers.blocks('main')).toMatch(/circuit breaker open/);
      expect(b.seen).toContainEqual(expect.objectContaining({ type: 'breaker', breaker: expect.objectContaining({ state: 'open' }) }));
      const aDir = a.dir;
      // The executor dies; a third node joining now (the new executor) starts with it open too.
      await a.stop();
      const c = await startNode(url, 'c');
      expect(c.breakers.state('main')).toMatchObject({ state: 'open', reason: expect.stringMatching(/2 execution failures/) });
      b.breakers.reset('main');
      await eventually(() => c.breakers.state('main').state === 'closed', 10_000, 'c sees it closed');
      await c.stop();
      // a comes back with its file still saying open: the cluster's close stands, for a too.
      const back = await startNode(url, 'a2', { risk: JSON.parse(readFileSync(join(aDir, 'risk-state.json'), 'utf8')) });
      expect(JSON.parse(readFileSync(join(aDir, 'risk-state.json'), 'utf8')).breakers.main).toMatchObject({ state: 'open' });
      expect(back.breakers.state('main').state).toBe('closed');
      expect(b.breakers.state('main').state).toBe('closed');
      await back.stop();
    } finally {
      await b.stop();
    }
  });

  it('pinebridge breaker reset --database, with no server running: the reset is the cluster\'s (the next node starts with it closed)', async () => {
    const url = (await cluster()).createDatabase();
    const a = await startNode(url, 'a', { settings: { breaker: { maxFailures: 1, windowSec: 60, coolDownSec: 3600 } } });
    a.breakers.failure('main', 'exchange down');
    expect(a.breakers.state('main').state).toBe('open');
    await a.stop();
    const cliDir = tempDir('pinebridge-shared-cli-');
    dirs.push(cliDir);
    await expect(runBreaker(['reset', 'main', '--data-dir', cliDir.path, '--database', url], {})).resolves.toBe(0);
    const b = await startNode(url, 'b');
    expect(b.breakers.state('main').state).toBe('closed');
    await b.stop();
  });

  it("a node paused alone pauses the cluster when it joins (the safer state); a node that was not, or whose pause is older than the cluster's resume, takes the cluster state", async () => {
    const url = (await cluster()).createDatabase();
    const a = await startNode(url, 'a');
    const b = await startNode(url, 'b', { risk: { trading: { paused: true, reason: 'paused offline', changedAt: 1, lastPausedAt: 1 }, breakers: {} } });
    try {
      expect(b.killSwitch.paused).toBe(true);
      await eventually(() => a.killSwitch.paused, 10_000, 'a pauses');
      expect(a.killSwitch.state().reason).toBe('paused offline');
      const c = await startNode(url, 'c');
      expect(c.killSwitch.paused).toBe(true);
      await c.stop();
      // Resumed since: a node whose file still says paused (from before the resume) takes the cluster's state.
      a.killSwitch.resume(Date.now());
      const d = await startNode(url, 'd', { risk: { trading: { paused: true, reason: 'paused offline', changedAt: 1, lastPausedAt: 1 }, breakers: {} } });
      expect(d.killSwitch.paused).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
      expect(a.killSwitch.paused).toBe(false);
      await d.stop();
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('settings: the first node writes its own; a change on another node is applied here (not its per-node keys, not a flag of this run)', async () => {
    const url = (await cluster()).createDatabase();
    const a = await startNode(url, 'a', {
      settings: { limits: { maxOrderNotional: 500 }, webhook: { port: 9001 }, cluster: { node: 'a' } },
      overrides: { mode: 'live', exchangeUrl: 'http://127.0.0.1:1/' },
    });
    // b's own file differs: the cluster's document (a's) wins, b's per-node keys stay.
    const b = await startNode(url, 'b', { settings: { limits: { maxOrderNotional: 99 }, webhook: { port: 9002 }, mode: 'paper' } });
    try {
      expect(b.settings.limits.maxOrderNotional).toBe(500);
      expect(b.settings.webhook.port).toBe(9002);
      expect(loadSettings(b.settingsFile).limits.maxOrderNotional).toBe(500);
      await b.commands.updateSettings({ patch: { limits: { maxOrderNotional: 250 }, mode: 'testnet' } });
      await eventually(() => a.settings.limits.maxOrderNotional === 250, 10_000, 'a applies the limit');
      expect(a.seen).toContainEqual(expect.objectContaining({ type: 'settings', settings: expect.objectContaining({ limits: expect.objectContaining({ maxOrderNotional: 250 }) }) }));
      // The file takes the change; the running copy keeps this run's --mode flag.
      expect(loadSettings(a.settingsFile)).toMatchObject({ mode: 'testnet', webhook: { port: 9001 }, cluster: { node: 'a' } });
      expect(a.settings.mode).toBe('live');
      expect(a.settings.exchangeUrl).toBe('http://127.0.0.1:1/');
      // The shared document holds no per-node key.
      const doc = JSON.parse(new SharedStateTable(a.journal.db).get('settings')!.value) as Record<string, Record<string, unknown>>;
      expect(doc.cluster).toBeUndefined();
      expect(doc.tunnel).toBeUndefined();
      expect(doc.webhook?.port).toBeUndefined();
      expect(doc.limits?.maxOrderNotional).toBe(250);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a pause the database could not take holds (never resumed by a poll) and is written once it answers; a settings change it could not take is refused', async () => {
    const c = await cluster();
    const url = c.createDatabase();
    const a = await startNode(url, 'a');
    try {
      c.stop();
      a.killSwitch.pause('outage', Date.now());
      expect(a.killSwitch.state()).toMatchObject({ paused: true, notSaved: expect.stringMatching(/paused, not saved: the cluster database could not be written/) });
      // A settings change the other nodes could not get is refused, nothing changed here either.
      await expect(a.commands.updateSettings({ patch: { limits: { maxOrderNotional: 42 } } })).rejects.toMatchObject({ code: 'settings_not_shared' });
      expect(a.settings.limits.maxOrderNotional).not.toBe(42);
      expect(loadSettings(a.settingsFile).limits.maxOrderNotional).not.toBe(42);
      await new Promise((r) => setTimeout(r, 300));
      expect(a.killSwitch.paused).toBe(true);
      c.start();
      await eventually(() => !a.killSwitch.state().notSaved, 10_000, 'the pause is written');
      const b = await startNode(url, 'b');
      expect(b.killSwitch.state()).toMatchObject({ paused: true, reason: 'outage' });
      await b.stop();
    } finally {
      await a.stop();
    }
  });
});

describe('shared settings document', () => {
  it('leaves out the per-node keys and finds the changed leaves', () => {
    const s = settingsSchema.parse({ webhook: { port: 1234, dedupWindowSec: 30 }, cluster: { node: 'x' }, limits: { maxOrderNotional: 5 } });
    const doc = sharedDocument(s);
    expect(doc).not.toHaveProperty('cluster');
    expect(doc).not.toHaveProperty('tunnel');
    expect(doc).not.toHaveProperty('logs');
    expect(doc.webhook).not.toHaveProperty('port');
    expect(doc.webhook).toHaveProperty('dedupWindowSec', 30);
    const next = sharedDocument(settingsSchema.parse({ limits: { maxOrderNotional: 7 }, strategies: [{ name: 's', symbol: 'BTCUSDT', quantity: '1' }] }));
    expect(settingsChanges(doc, next).map((c) => c.path.join('.')).sort()).toEqual(['limits.maxOrderNotional', 'strategies', 'webhook.dedupWindowSec']);
  });

  it('README names every per-node key in its PostgreSQL section', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### PostgreSQL (several nodes)'), readme.indexOf('### Exporting trades'));
    const perNode = section.slice(section.indexOf('**Per node**'));
    for (const key of PER_NODE_SETTINGS) expect(perNode, key).toContain(`\`${key}\``);
  });
});
