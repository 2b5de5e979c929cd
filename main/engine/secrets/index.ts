/** Secret stores: OS keychain (keytar, optional), environment variables, 0600 files, layering. */
export {
  DEFAULT_KEYCHAIN_SERVICE,
  createKeytarStore,
  explainKeychainError,
  loadKeytar,
  openKeychainStore,
  probeKeytar,
  tryOpenKeychainStore,
  type KeychainOpenResult,
  type KeychainProbeResult,
  type KeytarApi,
  type KeytarLoadResult,
  type KeytarLoader,
  type KeytarStoreOptions,
  type OpenKeychainOptions,
} from './keytar-store.js';
export { WEBHOOK_SECRET_ENV, createEnvStore, envVarsFor, genericCredentialEnvVar, specificCredentialEnvVar } from './env-store.js';
export {
  SECRET_DIR_MODE,
  SECRET_FILE_MODE,
  createFileStore,
  decodeSecretFileName,
  encodeSecretFileName,
  type FileSecretStore,
} from './file-store.js';
export { getWithSource, layerStores, type LayeredSecretStore } from './layered-store.js';
export { createMemoryStore } from './memory-store.js';
export { generateWebhookSecret, loadOrCreateWebhookSecret, rotateWebhookSecret, type WebhookSecretInfo } from './webhook-secret.js';
export { MIN_KEY_LENGTH_FOR_LAST4, describeCredentials, type CredentialsInfo } from './key-info.js';
export {
  CREDENTIAL_PARTS,
  WEBHOOK_SECRET_NAME,
  assertValidName,
  assertValidValue,
  parseCredentialName,
  type CredentialPart,
  type ParsedCredentialName,
} from './names.js';
