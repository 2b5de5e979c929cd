/**
 * The IPC boundary, without Electron: every `PinebridgeApi` command over one channel, checked
 * the same way the HTTP adapter checks it. The sender frame must be our own page (top frame,
 * app origin), the payload `{command, args}` must name a command of `commandArgs`, and the
 * arguments must pass its zod schema; only then does the engine see them. Every answer is an
 * `ApiResult`: errors are values here, they never reject across IPC.
 */
import { commandArgs, type ApiResult, type CommandName, type PinebridgeApi } from '../../shared/api.js';
import { APP_ORIGIN, isAppUrl } from './app-url.js';

/** IPC channel names, shared with the preload (which can import only types: see preload.ts). */
export const IPC_INVOKE = 'pinebridge:invoke';
export const IPC_EVENT = 'pinebridge:event';

/** What the handler needs to know of `event.senderFrame` (null when the frame is gone). */
export interface SenderFrameInfo {
  url: string;
  origin: string;
  /** True when the frame is its page's top frame (no iframe may call in). */
  isTop: boolean;
}

export interface IpcHandlerDeps {
  api: PinebridgeApi;
  /** Scrubs secrets from error messages (the engine's redactor). */
  scrub?: (text: string) => string;
  /** Told about refused senders (a sign of something wrong: logged as a warning). */
  onRefused?: (why: string, sender: SenderFrameInfo | null) => void;
}

const fail = (code: string, message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

/** True when the frame is our renderer: top frame, app origin, app URL. */
export function isTrustedSender(frame: SenderFrameInfo | null | undefined): boolean {
  return !!frame && frame.isTop && frame.origin === APP_ORIGIN && isAppUrl(frame.url);
}

/** Builds the `pinebridge:invoke` handler: (sender frame, payload) -> ApiResult. */
export function createInvokeHandler(deps: IpcHandlerDeps) {
  const scrub = deps.scrub ?? ((s: string) => s);
  return async function invoke(frame: SenderFrameInfo | null, payload: unknown): Promise<ApiResult<unknown>> {
    if (!isTrustedSender(frame)) {
      deps.onRefused?.('sender is not the Pinebridge window', frame);
      return fail('forbidden', 'This caller may not use the Pinebridge API.');
    }
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
      return fail('invalid_request', 'Expected {command, args}.');
    }
    const { command, args } = payload as { command?: unknown; args?: unknown };
    if (typeof command !== 'string' || !Object.hasOwn(commandArgs, command)) {
      const shown = typeof command === 'string' ? JSON.stringify(command.slice(0, 40)) : typeof command;
      return fail('unknown_command', `There is no command ${shown}.`);
    }
    const name = command as CommandName;
    const parsed = commandArgs[name].safeParse(args === undefined ? {} : args);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return fail('invalid_arguments', `${i?.path.join('.') || 'arguments'}: ${i?.message ?? 'invalid'}`);
    }
    try {
      const fn = deps.api[name] as (a: unknown) => Promise<unknown>;
      const result = await fn.call(deps.api, parsed.data);
      // Only plain data crosses IPC (structured clone); DTOs are JSON by contract.
      return { ok: true, result: result === undefined ? null : result };
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      const code = typeof err.code === 'string' ? err.code : 'command_failed';
      const message = scrub(typeof err.message === 'string' ? err.message : String(e));
      return fail(code, message);
    }
  };
}

/** Events go only to windows showing our own page (never to a page that navigated away). */
export function canReceiveEvents(windowUrl: string): boolean {
  return isAppUrl(windowUrl);
}
