/**
 * Log lines as the UI streams them.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogEntryDto {
  time: number;
  level: LogLevel;
  msg: string;
  strategy?: string;
  alertId?: string;
  data?: Record<string, unknown>;
}
