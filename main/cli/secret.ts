import { randomBytes } from 'node:crypto';
import { headlessSecretStore } from './headless-secrets.js';
import { commonOptions, dataDirFrom, parse } from './options.js';

/** `pinebridge secret [--rotate]`: the webhook secret to paste into the alert message. */
export async function runSecret(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parse(argv, { ...commonOptions, rotate: { type: 'boolean' } });
  if (env.PINEBRIDGE_WEBHOOK_SECRET) {
    if (values.rotate) {
      process.stderr.write('The webhook secret comes from PINEBRIDGE_WEBHOOK_SECRET: change it there.\n');
      return 1;
    }
    process.stdout.write(env.PINEBRIDGE_WEBHOOK_SECRET + '\n');
    return 0;
  }
  const dataDir = dataDirFrom(values['data-dir'], env);
  const store = await headlessSecretStore(dataDir, env);
  let secret = values.rotate ? null : await store.get('webhook-secret');
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    await store.set('webhook-secret', secret);
    if (values.rotate) process.stderr.write('New webhook secret (update your TradingView alerts, then restart Pinebridge):\n');
  }
  process.stdout.write(secret + '\n');
  return 0;
}
