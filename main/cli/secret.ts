import { loadOrCreateWebhookSecret, rotateWebhookSecret } from '../engine/secrets/index.js';
import { headlessSecretStore } from '../host/headless-secrets.js';
import { commonOptions, dataDirFrom, parse } from './options.js';

/** `pinebridge secret [--rotate]`: the webhook secret to paste into the alert message. */
export async function runSecret(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parse(argv, { ...commonOptions, rotate: { type: 'boolean' } });
  const store = await headlessSecretStore(dataDirFrom(values['data-dir'], env), env);
  if (values.rotate) {
    const { secret } = await rotateWebhookSecret(store);
    process.stderr.write('New webhook secret (update your TradingView alerts, then restart Pinebridge):\n');
    process.stdout.write(secret + '\n');
    return 0;
  }
  const { secret } = await loadOrCreateWebhookSecret(store);
  process.stdout.write(secret + '\n');
  return 0;
}
