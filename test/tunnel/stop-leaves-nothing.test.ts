/**
 * Nothing left running: a process that starts and stops tunnels (the real `localtunnel` client
 * against the local tunnel server) exits on its own.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { startTunnelServer } from '../support/tunnel-server.js';
import { cleanUp, cleanups, freePort } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

afterEach(cleanUp);

describe('stop() leaves no timers or sockets', () => {
  it('a process that starts and stops tunnels exits on its own', async () => {
    const server = await startTunnelServer({ graceMs: 200 });
    cleanups.push(() => server.close());
    const deadPort = await freePort();

    // Run the tunnel modules (transpiled as they are) in a child process that has nothing else to do.
    const dir = join(ROOT, 'node_modules', '.cache', `tunnel-exit-test-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const srcDir = join(ROOT, 'main', 'engine', 'tunnel');
    for (const f of readdirSync(srcDir).filter((n) => n.endsWith('.ts'))) {
      const out = ts.transpileModule(readFileSync(join(srcDir, f), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
        fileName: f,
      });
      writeFileSync(join(dir, f.replace(/\.ts$/, '.js')), out.outputText);
    }
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(dir, 'child.js'),
      `
import http from 'node:http';
import { createLocaltunnelTunnel, createManualTunnel } from './index.js';
const [host, deadPort] = process.argv.slice(2);
const local = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); });
await new Promise((r) => local.listen(0, '127.0.0.1', r));
const port = local.address().port;
const out = {};
// 1. online, probing every 50 ms, reconnect timers armed by nothing
const t = createLocaltunnelTunnel({ localPort: port, host, probeIntervalMs: 50, backoff: { initialMs: 20000, maxMs: 20000 } });
await t.start();
await t.probe();
await new Promise((r) => setTimeout(r, 150));
out.online = t.status().state;
await t.stop();
// 2. first attempt failed, a 20 s reconnect pending
const u = createLocaltunnelTunnel({ localPort: port, host: 'http://127.0.0.1:' + deadPort, backoff: { initialMs: 20000, maxMs: 20000 } });
out.failed = await u.start().then(() => 'resolved', (e) => e.message);
await u.stop();
// 3. manual, probing every 20 s
const m = createManualTunnel({ publicUrl: 'http://127.0.0.1:' + port, probeIntervalMs: 20000 });
await m.start();
out.manual = m.status().state;
await m.stop();
local.close();
console.log(JSON.stringify(out));
`,
    );

    const t0 = Date.now();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
      const child = spawn(process.execPath, [join(dir, 'child.js'), server.url, String(deadPort)], { cwd: dir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
      child.on('exit', (code) => {
        clearTimeout(killer);
        resolve({ code, stdout, stderr, ms: Date.now() - t0 });
      });
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      online: 'online',
      failed: expect.stringMatching(/cannot reach the tunnel server .*ECONNREFUSED/),
      manual: 'online',
    });
    expect(result.ms).toBeLessThan(5000);
  });
});
