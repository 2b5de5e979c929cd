import type { ApiError } from '../../../shared/api.js';

/** A command's refusal or a transport failure, with the code a program reads and the message a person reads. */
export class ApiCallError extends Error implements ApiError {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function errorCode(e: unknown): string | null {
  return e instanceof ApiCallError ? e.code : null;
}
