/**
 * How a domain serves its part of the API. Each domain (risk, settings, credentials, tunnel,
 * ledger, positions, ops...) exports a table of handlers, typed from the contract in
 * shared/api.ts (the Actual Budget pattern: a command's handler is written once, in its domain,
 * next to the schema's name it answers), and the engine joins the tables into its `api`.
 */
import { commandArgs, type CommandName, type PinebridgeApi } from '../../../shared/api.js';

/** The handlers of some commands: what a domain's table is. */
export type Handlers<C extends CommandName> = Pick<PinebridgeApi, C>;

/** An error a client reads by its code (the transports answer `{code, message}`). */
export function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The one answer to a command that needs a part the engine builds when it starts. */
export function notStarted(): Error {
  return coded('not_started', 'The engine is not started.');
}

/** A getter for a part that exists only while the engine runs: before (and after), `notStarted()`. */
export function whileRunning<T>(get: () => T | null | undefined): () => T {
  return () => {
    const part = get();
    if (part === null || part === undefined) throw notStarted();
    return part;
  };
}

/**
 * The API from two sets of tables: `standing` answer from construction on; `running` exist while
 * the engine runs (they are built with the journal it opened), so before start and after stop
 * their commands answer `notStarted()`. The types make the two cover every command once; the
 * check below catches a command served twice or by no table at all.
 */
export function joinHandlers<S extends CommandName>(
  standing: Handlers<S>,
  running: () => Handlers<Exclude<CommandName, S>> | null,
): PinebridgeApi {
  const api: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(commandArgs) as CommandName[]) {
    const own = (standing as Partial<PinebridgeApi>)[name] as ((args: unknown) => Promise<unknown>) | undefined;
    api[name] =
      own ??
      (async (args: unknown) => {
        const table = running() as Partial<PinebridgeApi> | null;
        const handler = table?.[name] as ((args: unknown) => Promise<unknown>) | undefined;
        if (!table) throw notStarted();
        if (!handler) throw coded('command_failed', `No part of the engine answers ${name}.`);
        return handler(args);
      });
  }
  return api as unknown as PinebridgeApi;
}

/** Joins domain tables into one, refusing a command that two of them serve. */
export function mergeHandlers<T extends object[]>(...tables: T): UnionToIntersection<T[number]> {
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    for (const [name, handler] of Object.entries(table)) {
      if (Object.hasOwn(out, name)) throw new Error(`Command ${name} is served by two domains.`);
      out[name] = handler;
    }
  }
  return out as UnionToIntersection<T[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
