/**
 * What the UI may know about stored exchange credentials: whether each part is set, and the last
 * 4 characters of the API key (to tell keys apart). Never the secret or password, not even partly.
 */
import type { Mode } from '../../../shared/dto/mode.js';
import { credentialName, type SecretStore } from '../core/ports.js';

export interface CredentialsInfo {
  apiKey: { set: boolean; last4: string | null };
  secret: { set: boolean };
  password: { set: boolean };
}

/** Keys shorter than this get no last4 (4 characters would give away too much of them). */
export const MIN_KEY_LENGTH_FOR_LAST4 = 8;

export async function describeCredentials(store: SecretStore, account: string, mode: Mode): Promise<CredentialsInfo> {
  const [apiKey, secret, password] = await Promise.all([
    store.get(credentialName(account, mode, 'apiKey')),
    store.get(credentialName(account, mode, 'secret')),
    store.get(credentialName(account, mode, 'password')),
  ]);
  return {
    apiKey: { set: isSet(apiKey), last4: isSet(apiKey) && apiKey.length >= MIN_KEY_LENGTH_FOR_LAST4 ? apiKey.slice(-4) : null },
    secret: { set: isSet(secret) },
    password: { set: isSet(password) },
  };
}

function isSet(v: string | null): v is string {
  return v !== null && v !== '';
}
