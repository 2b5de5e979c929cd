import { fileURLToPath } from 'node:url';
import { createControlServer } from '../engine/control/control-server.js';
import { loadOrCreateControlToken } from '../engine/control/token.js';
import type { LogLevel } from '../../shared/dto/logs.js';
import { printPublicUrlChanges, serveBanner } from './banner.js';
import { HELP } from './help.js';
import { exchangeSettingsProblem } from '../engine/core/exchange-guard.js';
import { LOG_LEVELS, startHost } from '../host/start-host.js';
import { databaseUrlFrom, dataDirFrom, parse, serveOptions, serveOverrides, usage } from './options.js';

export async function runServe(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parse(argv, serveOptions);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const level = (values['log-level'] ?? env.PINEBRIDGE_LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw usage(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const json = values['json-logs'] === true;
  const dataDir = dataDirFrom(values['data-dir'], env);
  const overrides = serveOverrides(values, env);

  const databaseUrl = databaseUrlFrom(values.database, env);
  const host = await startHost({ dataDir, env, overrides, log: { level, json }, databaseUrl });
  const { engine, paths } = host;
  // A typo in the exchange id, or live on an exchange that is not verified without the opt-in:
  // refused before anything listens, in words.
  const refused = exchangeSettingsProblem(engine.settings);
  if (refused) {
    await host.stop().catch(() => {});
    process.stderr.write(`pinebridge serve: ${refused.message}\n`);
    return 2;
  }
  const log = engine.logger;

  process.on('unhandledRejection', (e) => log.error({ err: engine.redactor.scrub(String((e as Error)?.stack ?? e)) }, 'unhandled rejection'));

  const token = loadOrCreateControlToken(paths.controlToken);
  engine.addSecret(token);
  const staticDir = fileURLToPath(new URL('../../../renderer/dist', import.meta.url));
  const control = createControlServer({
    api: engine.api,
    events: engine.events,
    token,
    logger: log,
    redactor: engine.redactor,
    staticDir,
    extraRoutes: { '/metrics': engine.metrics.handler },
  });

  let webhookUrl: string;
  let controlPort: number;
  try {
    ({ webhookUrl } = await host.start());
    controlPort = await control.listen(engine.settings.control.port);
  } catch (e) {
    await host.stop().catch(() => {});
    throw e;
  }
  const controlUrl = `http://127.0.0.1:${controlPort}/`;
  // Handlers first: a signal that comes right after the URLs are printed must find them.
  const done = new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) {
        // A second signal: the operator wants out now. Committed alerts are already durable.
        log.warn(`${signal} again: exiting now`);
        host.releaseLock();
        process.exit(1);
      }
      stopping = true;
      log.info({ signal, graceSec: engine.settings.shutdown.graceSec }, 'shutting down');
      // Never hang: past the grace (plus closing time) exit anyway.
      setTimeout(() => {
        log.error('shutdown took too long: exiting');
        host.releaseLock();
        process.exit(1);
      }, (engine.settings.shutdown.graceSec + 10) * 1000).unref();
      Promise.allSettled([host.stop(), control.close()]).then(() => {
        resolve(0);
        // Whatever handle a library leaves open (sockets, agents) must not keep a stopped server alive.
        setTimeout(() => process.exit(), 2000).unref();
      });
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  });
  if (json) {
    log.info({ webhookUrl, controlUrl, controlTokenFile: paths.controlToken, dataDir, journal: engine.journal().path, mode: engine.settings.mode }, 'pinebridge ready');
  } else {
    process.stdout.write(
      serveBanner({ mode: engine.settings.mode, webhookUrl, controlUrl, controlTokenFile: paths.controlToken, dataDir, dataDirFlag: values['data-dir'] ? dataDir : undefined, tunnel: engine.settings.tunnel }),
    );
    // The password masked: the journal's name is the URL without it.
    if (databaseUrl) process.stdout.write(`Journal: PostgreSQL ${engine.journal().path}\n`);
    printPublicUrlChanges(engine.events, (line) => process.stdout.write(line), await engine.api.getTunnelStatus({}));
  }

  return done;
}
