/**
 * What `pinebridge serve` prints once it listens: where the webhook is, whether TradingView can
 * reach it (and the one flag that fixes it when not), and commands written as they work where
 * Pinebridge runs: `npm run pinebridge -- secret` in a clone (there is no `pinebridge` command
 * there), `pinebridge secret` once installed as a package.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EventBus } from '../engine/core/event-bus.js';
import type { Settings } from '../engine/core/config.js';
import type { TunnelStatusDto } from '../../shared/dto/tunnel.js';

/** The project folder (dist/main/cli -> the root; main/cli under tsx). */
const ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));

/** A git checkout (a clone or worktree) has `.git`; an installed package has none. */
export function runsFromClone(root: string = ROOT): boolean {
  return existsSync(`${root}/.git`);
}

/** `pinebridge <args>` as the user can type it here. */
export function cliCommand(args: string, clone: boolean = runsFromClone()): string {
  if (!clone) return `pinebridge ${args}`;
  return args.startsWith('serve') ? `npm run serve --${args.slice('serve'.length)}` : `npm run pinebridge -- ${args}`;
}

export interface BannerInput {
  mode: string;
  webhookUrl: string;
  controlUrl: string;
  controlTokenFile: string;
  dataDir: string;
  /** The data dir as given on the command line (repeated in the commands shown), if it was. */
  dataDirFlag: string | undefined;
  tunnel: Settings['tunnel'];
  clone?: boolean;
}

export function serveBanner(b: BannerInput): string {
  const clone = b.clone ?? runsFromClone();
  const dd = b.dataDirFlag ? ` --data-dir ${b.dataDirFlag}` : '';
  const lines = [
    '',
    `  Pinebridge is running in ${b.mode.toUpperCase()} mode.`,
    `  Webhook:       ${b.webhookUrl}`,
    ...reachability(b, clone, dd),
    `  Web UI:        ${b.controlUrl}`,
    `  Control token: ${b.controlTokenFile}  (the Web UI asks for it once per browser tab)`,
    `  Data dir:      ${b.dataDir}`,
    `  Webhook secret: run \`${cliCommand(`secret${dd}`, clone)}\``,
    '',
    '',
  ];
  return lines.join('\n');
}

function reachability(b: BannerInput, clone: boolean, dd: string): string[] {
  switch (b.tunnel.provider) {
    case 'none':
      return [
        '  TradingView cannot reach this webhook: it listens on this computer only, with no public URL.',
        `  Fix: start with --tunnel localtunnel (\`${cliCommand(`serve${dd} --tunnel localtunnel`, clone)}\`),`,
        '       or set your own https URL in the Web UI (Settings > Tunnel) behind your reverse proxy.',
      ];
    case 'manual':
      return [`  TradingView:   ${b.tunnel.publicUrl ? `${b.tunnel.publicUrl.replace(/\/+$/, '')}/webhook` : '(your own URL is not set: Settings > Tunnel)'}  (your own URL)`];
    case 'localtunnel':
      return ['  TradingView:   connecting through localtunnel; the public URL is printed here once it is up'];
  }
}

/**
 * Prints the public webhook URL when the tunnel comes up (now, if `initial` is up already) and
 * whenever it changes. Returns the unsubscribe function.
 */
export function printPublicUrlChanges(events: EventBus, write: (line: string) => void, initial: TunnelStatusDto): () => void {
  let shown: string | null = null;
  const show = (t: TunnelStatusDto): void => {
    const url = t.publicUrl;
    if (t.provider !== 'localtunnel' || !url || url === shown || (t.state !== 'online' && t.state !== 'degraded')) return;
    const changed = shown !== null || !!t.subdomainRefused;
    shown = url;
    const hook = `${url.replace(/\/+$/, '')}/webhook`;
    write(
      changed
        ? `  Your webhook URL changed: update your TradingView alerts. TradingView: ${hook}\n`
        : `  TradingView:   ${hook}  (public URL through localtunnel)\n`,
    );
  };
  show(initial);
  return events.subscribe((e) => {
    if (e.type === 'tunnel') show(e.tunnel);
  });
}
