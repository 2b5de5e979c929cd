/**
 * Commands live with their domain and are joined once: through the real control listener and a
 * real engine (SQLite journal in a temp dir), a command that needs the journal answers the one
 * `not_started` refusal before start and after stop, and works in between; the commands that
 * need no journal answer throughout. The joins refuse a command served twice, and the compiler
 * refuses a table that misses a command or serves one the contract does not declare.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commandArgs, type CommandName } from '../../shared/api.js';
import { createControlServer, type ControlServer } from '../../main/engine/control/control-server.js';
import { joinHandlers, mergeHandlers, type Handlers } from '../../main/engine/core/commands.js';
import { createEngine, type Engine } from '../../main/engine/engine.js';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import { tempDir } from '../support/temp-dir.js';

const TOKEN = 'control-token-for-tests-0123456789abcdef';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function engineWithControl(): Promise<{ engine: Engine; call: (name: string, args?: unknown) => Promise<{ status: number; body: unknown }> }> {
  const dir = tempDir();
  cleanups.push(() => dir.cleanup());
  const engine = await createEngine({
    dataDir: dir.path,
    secrets: createMemoryStore(),
    webhookSecret: 'commands-test-webhook-secret-0123456789',
    overrides: { webhook: { port: 0 } },
    log: { console: null, level: 'warn' },
  });
  cleanups.push(() => engine.stop());
  const control: ControlServer = createControlServer({ api: engine.api, events: engine.events, token: TOKEN, logger: engine.logger, redactor: engine.redactor, staticDir: null });
  const base = `http://127.0.0.1:${await control.listen(0)}`;
  cleanups.push(() => control.close());
  const call = async (name: string, args: unknown = {}) => {
    const res = await fetch(`${base}/api/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    return { status: res.status, body: await res.json() };
  };
  return { engine, call };
}

/** Commands that read the journal, and so exist only while the engine runs. */
const NEED_JOURNAL: CommandName[] = ['listAlerts', 'listOrders', 'listFills', 'getPositions', 'getPnlHistory', 'getPnlSummary', 'exportTrades', 'getLimits', 'getReconciliation'];
const NOT_STARTED = { ok: false, error: { code: 'not_started', message: 'The engine is not started.' } };

describe('commands joined from their domains', () => {
  it('answers not_started the same way before start and after stop, and works in between', async () => {
    const { engine, call } = await engineWithControl();
    for (const name of NEED_JOURNAL) expect(await call(name), name).toEqual({ status: 400, body: NOT_STARTED });
    // Needs no journal: answers before start.
    expect((await call('getStatus')).body).toMatchObject({ ok: true, result: { mode: 'paper', webhook: { listening: false } } });
    expect((await call('pauseTrading', { reason: 'before start' })).body).toMatchObject({ ok: true, result: { paused: true } });
    expect((await call('getSettings')).body).toMatchObject({ ok: true, result: { mode: 'paper' } });

    await engine.start();
    for (const name of NEED_JOURNAL) expect((await call(name)).body, name).toMatchObject({ ok: true });
    expect((await call('getStatus')).body).toMatchObject({ ok: true, result: { webhook: { listening: true }, trading: { paused: true } } });

    await engine.stop();
    for (const name of NEED_JOURNAL) expect(await call(name), name).toEqual({ status: 400, body: NOT_STARTED });
    await expect(engine.api.getAlert({ id: 'x' })).rejects.toMatchObject({ code: 'not_started' });
  });

  it('serves every command of the contract, each from exactly one table', async () => {
    const { engine } = await engineWithControl();
    expect(Object.keys(engine.api).sort()).toEqual(Object.keys(commandArgs).sort());
    const a = { getStatus: async () => ({}) };
    const b = { getStatus: async () => ({}) };
    expect(() => mergeHandlers(a, b)).toThrow('Command getStatus is served by two domains.');
  });

  it('does not compile a table that misses a command or serves an undeclared one', () => {
    const standing = {} as Handlers<'getStatus'>;
    // @ts-expect-error the running table must serve every command the standing one does not
    joinHandlers(standing, () => ({}) as Handlers<'listAlerts'>);
    // @ts-expect-error a handler for a command the contract does not declare
    const extra: Handlers<'getStatus' | 'noSuchCommand'> = { getStatus: async () => ({}) as never, noSuchCommand: async () => null };
    expect(extra).toBeDefined();
  });
});
