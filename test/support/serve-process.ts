import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/pinebridge.js', import.meta.url));

export interface ServeProcess {
  proc: ChildProcess;
  webhookUrl: string;
  baseUrl: string;
  controlUrl: string;
  tokenFile: string;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill9(): Promise<void>;
}

/**
 * Runs the real `pinebridge serve` (built dist/) as a child process on ephemeral ports and waits
 * until it prints its URLs.
 */
export async function spawnServe(opts: {
  dataDir: string;
  args?: string[];
  env?: Record<string, string>;
  /** A command line that runs node (e.g. `unshare --pid --fork …`: the server as PID 1); its kill ends the server. */
  wrap?: string[];
  /** Flags for node itself (`--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}): Promise<ServeProcess> {
  const [command, ...prefix] = [...(opts.wrap ?? []), process.execPath];
  const proc = spawn(
    command!,
    [...prefix, ...(opts.nodeArgs ?? []), BIN, 'serve', '--data-dir', opts.dataDir, '--webhook-port', '0', '--control-port', '0', ...(opts.args ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const ready = await new Promise<{ webhookUrl: string; controlUrl: string; tokenFile: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pinebridge serve did not start:\n${out}`)), 20_000);
    const check = () => {
      const webhook = /Webhook:\s+(\S+)/.exec(out) ?? /"webhookUrl":"([^"]+)"/.exec(out);
      const control = /Web UI:\s+(\S+)/.exec(out) ?? /"controlUrl":"([^"]+)"/.exec(out);
      const token = /Control token:\s+(\S+)/.exec(out) ?? /"controlTokenFile":"([^"]+)"/.exec(out);
      if (webhook && control && token) {
        clearTimeout(timer);
        resolve({ webhookUrl: webhook[1]!, controlUrl: control[1]!, tokenFile: token[1]! });
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pinebridge serve exited with ${code}:\n${out}`));
    });
  });
  return {
    proc,
    ...ready,
    baseUrl: ready.webhookUrl.replace(/\/webhook$/, ''),
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
    async kill9() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
