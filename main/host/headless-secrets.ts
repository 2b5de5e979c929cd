import type { Logger } from '../engine/core/logging/logger.js';
import type { SecretStore } from '../engine/core/ports.js';
import { createEnvStore, createFileStore, layerStores, openKeychainStore } from '../engine/secrets/index.js';

/**
 * Headless secret lookup: environment variables first, then the OS keychain when a Secret
 * Service answers, else 0600 files in the data dir.
 */
export async function headlessSecretStore(dataDir: string, env: NodeJS.ProcessEnv, logger?: Logger): Promise<SecretStore> {
  const keychain =
    env.PINEBRIDGE_NO_KEYCHAIN === '1'
      ? null
      : await openKeychainStore({ onUnavailable: (reason) => logger?.info({ reason, dataDir }, 'no OS keychain: secrets kept in 0600 files in the data dir') });
  const writable = keychain ?? createFileStore(dataDir);
  return layerStores([createEnvStore(env), writable], writable);
}
