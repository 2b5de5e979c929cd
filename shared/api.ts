/**
 * The one contract between the engine and every client (Electron IPC, the HTTP control API, the
 * renderer). Every command is declared once here with its zod argument schema and its result
 * type; every event the engine emits is declared in `EngineEvent`.
 *
 * Pure TypeScript: no Node or DOM imports (ESLint enforces it).
 */
import { z } from 'zod';
import type {
  AlertDetailDto,
  AlertSummaryDto,
  LogEntryDto,
  StatusDto,
  WebhookInfoDto,
} from './dto.js';

export * from './dto.js';

/** Errors are values at boundaries: a person reads `message`, a program reads `code`. */
export interface ApiError {
  code: string;
  message: string;
}
export type ApiResult<T> = { ok: true; result: T } | { ok: false; error: ApiError };

/** Argument schemas, validated at every edge (IPC handler, HTTP adapter) before the engine sees them. */
export const commandArgs = {
  getStatus: z.object({}).strict(),
  getWebhookInfo: z.object({}).strict(),
  listAlerts: z
    .object({
      limit: z.number().int().min(1).max(500).optional(),
      beforeSeq: z.number().int().positive().optional(),
      status: z.string().max(32).optional(),
      strategy: z.string().max(64).optional(),
    })
    .strict(),
  getAlert: z.object({ id: z.string().min(1).max(64) }).strict(),
  recentLogs: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
} as const;

export type CommandName = keyof typeof commandArgs;
export type CommandArgs<C extends CommandName> = z.input<(typeof commandArgs)[C]>;

/** What the engine offers every client. Each transport is checked against this by the compiler. */
export interface PinebridgeApi {
  getStatus(args: CommandArgs<'getStatus'>): Promise<StatusDto>;
  getWebhookInfo(args: CommandArgs<'getWebhookInfo'>): Promise<WebhookInfoDto>;
  listAlerts(args: CommandArgs<'listAlerts'>): Promise<AlertSummaryDto[]>;
  getAlert(args: CommandArgs<'getAlert'>): Promise<AlertDetailDto | null>;
  recentLogs(args: CommandArgs<'recentLogs'>): Promise<LogEntryDto[]>;
}

// The compiler keeps the schema table and the interface in step.
type _SameCommands = [CommandName] extends [keyof PinebridgeApi]
  ? [keyof PinebridgeApi] extends [CommandName]
    ? true
    : never
  : never;
export const commandsInSync: _SameCommands = true;

/** Every event the engine emits, streamed to the UI (IPC or SSE), the tray and notifications. */
export type EngineEvent =
  | { type: 'alert.accepted'; alert: AlertSummaryDto }
  | { type: 'alert.duplicate'; alert: AlertSummaryDto }
  | { type: 'alert.rejected'; alert: AlertSummaryDto }
  | { type: 'alert.updated'; alert: AlertSummaryDto }
  | { type: 'log'; entry: LogEntryDto }
  | { type: 'status'; status: StatusDto };

export type EngineEventType = EngineEvent['type'];
