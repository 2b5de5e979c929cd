/**
 * Read-only secrets from environment variables, for headless servers and containers.
 *
 * - `webhook-secret`                 <- PINEBRIDGE_WEBHOOK_SECRET
 * - `account:<alias>:<mode>:apiKey`   <- PINEBRIDGE_<ALIAS>_<MODE>_API_KEY, else PINEBRIDGE_API_KEY
 * - `account:<alias>:<mode>:secret`   <- PINEBRIDGE_<ALIAS>_<MODE>_API_SECRET, else PINEBRIDGE_API_SECRET
 * - `account:<alias>:<mode>:password` <- PINEBRIDGE_<ALIAS>_<MODE>_API_PASSWORD, else PINEBRIDGE_API_PASSWORD
 *
 * `<ALIAS>` and `<MODE>` are upper-cased with every non-alphanumeric character replaced by `_`
 * (alias `main-binance`, mode `testnet` -> `PINEBRIDGE_MAIN_BINANCE_TESTNET_API_KEY`). The generic
 * `PINEBRIDGE_API_*` variables answer for every alias and mode: the process runs in one mode, and
 * the engine only asks for the names of the mode it runs in. An empty variable counts as unset.
 */
import type { SecretStore } from '../core/ports.js';
import { assertValidName, parseCredentialName, WEBHOOK_SECRET_NAME, type CredentialPart } from './names.js';

export const WEBHOOK_SECRET_ENV = 'PINEBRIDGE_WEBHOOK_SECRET';

const PART_SUFFIX: Record<CredentialPart, string> = { apiKey: 'API_KEY', secret: 'API_SECRET', password: 'API_PASSWORD' };

/** `PINEBRIDGE_API_KEY`, `PINEBRIDGE_API_SECRET`, `PINEBRIDGE_API_PASSWORD`. */
export function genericCredentialEnvVar(part: CredentialPart): string {
  return `PINEBRIDGE_${PART_SUFFIX[part]}`;
}

/** `PINEBRIDGE_<ALIAS>_<MODE>_API_KEY` etc. */
export function specificCredentialEnvVar(account: string, mode: string, part: CredentialPart): string {
  return `PINEBRIDGE_${envSegment(account)}_${envSegment(mode)}_${PART_SUFFIX[part]}`;
}

function envSegment(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The environment variables that answer for a secret name, most specific first ([] if none). */
export function envVarsFor(name: string): string[] {
  if (name === WEBHOOK_SECRET_NAME) return [WEBHOOK_SECRET_ENV];
  const parsed = parseCredentialName(name);
  if (!parsed) return [];
  return [specificCredentialEnvVar(parsed.account, parsed.mode, parsed.part), genericCredentialEnvVar(parsed.part)];
}

/** Read-only store over `env` (read on every call, so later changes are seen). kind = 'environment'. */
export function createEnvStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  function readOnly(name: string, action: string): Error {
    const vars = envVarsFor(name);
    if (vars.length === 0) {
      return new Error(`Cannot ${action} "${name}": secrets from environment variables are read-only, and no environment variable maps to this name`);
    }
    return new Error(
      `Cannot ${action} "${name}": secrets from environment variables are read-only. Set the environment variable ${vars.join(' (or ')}${vars.length > 1 ? ')' : ''} instead${action === 'delete' ? ' (unset it to remove the secret)' : ''}.`,
    );
  }

  return {
    kind: 'environment',
    async get(name) {
      assertValidName(name);
      for (const v of envVarsFor(name)) {
        const value = env[v];
        if (value !== undefined && value !== '') return value;
      }
      return null;
    },
    async set(name) {
      assertValidName(name);
      throw readOnly(name, 'set');
    },
    async delete(name) {
      assertValidName(name);
      throw readOnly(name, 'delete');
    },
  };
}
