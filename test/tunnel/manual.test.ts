/**
 * The manual tunnel provider (a public URL the user runs themselves, probed on /healthz) and
 * createTunnel picking the provider from the config.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualTunnel, createTunnel, normalizePublicUrl, type TunnelLogger } from '../../main/engine/tunnel/index.js';
import { cleanUp, cleanups, freePort, startLocalListener, waitFor } from './support.js';

afterEach(cleanUp);

describe('manual tunnel', () => {
  it('is online when the URL answers /healthz, degraded when it stops, online again after', async () => {
    const local = await startLocalListener();
    cleanups.push(() => local.close());
    const tunnel = createManualTunnel({ publicUrl: `http://127.0.0.1:${local.port}/`, probeIntervalMs: 100, probeTimeoutMs: 1000 });
    cleanups.push(() => tunnel.stop());
    const states: string[] = [];
    tunnel.onChange((s) => states.push(s.state));

    await tunnel.start();
    expect(tunnel.status()).toMatchObject({ provider: 'manual', state: 'online', publicUrl: `http://127.0.0.1:${local.port}`, lastError: null });
    expect(tunnel.status().lastProbeMs).toBeGreaterThan(0);

    local.healthy = false;
    await waitFor('degraded', () => tunnel.status().state === 'degraded');
    expect(tunnel.status().lastError).toMatch(/answered HTTP 503/);
    local.healthy = true;
    await waitFor('online', () => tunnel.status().state === 'online');
    expect(await tunnel.probe()).toBeGreaterThan(0);

    await tunnel.stop();
    expect(states).toEqual(['starting', 'online', 'degraded', 'online', 'stopped']);
    await expect(tunnel.probe()).rejects.toThrow(/stopped/);
  });

  it('is degraded (start still resolves) when the URL is unreachable', async () => {
    const port = await freePort();
    const tunnel = createManualTunnel({ publicUrl: `http://localhost:${port}`, probeIntervalMs: 60_000 });
    cleanups.push(() => tunnel.stop());
    await tunnel.start();
    expect(tunnel.status().state).toBe('degraded');
    expect(tunnel.status().lastError).toMatch(/ECONNREFUSED/);
    await expect(tunnel.probe()).rejects.toThrow(/healthz: .*ECONNREFUSED/);
  });

  it('validates the URL', () => {
    expect(() => createManualTunnel({ publicUrl: 'http://hooks.example.com' })).toThrow(/must use https:\/\//);
    expect(() => createManualTunnel({ publicUrl: 'hooks.example.com' })).toThrow(/is not a URL/);
    expect(() => createManualTunnel({ publicUrl: '' })).toThrow(/empty/);
    expect(() => createManualTunnel({ publicUrl: 'ftp://hooks.example.com' })).toThrow(/https:\/\//);
    expect(() => createManualTunnel({ publicUrl: 'https://hooks.example.com:8443' })).toThrow(/ports 80 and 443/);
    expect(() => createManualTunnel({ publicUrl: 'https://hooks.example.com/?a=1' })).toThrow(/query/);
    expect(normalizePublicUrl('https://hooks.example.com/')).toBe('https://hooks.example.com');
    expect(normalizePublicUrl(' https://hooks.example.com:443/pb/webhook/ ')).toBe('https://hooks.example.com/pb');
    expect(normalizePublicUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
  });
});

describe('createTunnel', () => {
  it('picks the provider from the config', async () => {
    const logger: TunnelLogger = pino({ level: 'silent' }); // a pino logger fits
    expect(createTunnel({ provider: 'none' })).toBeNull();
    expect(() => createTunnel({ provider: 'manual' })).toThrow(/needs tunnel.publicUrl/);
    expect(() => createTunnel({ provider: 'localtunnel' })).toThrow(/localPort/);
    const lt = createTunnel({ provider: 'localtunnel', localPort: 8787, probeIntervalSec: 30, logger });
    expect(lt?.status()).toEqual({ provider: 'localtunnel', state: 'stopped', publicUrl: null, lastProbeMs: null, lastProbeAt: null, lastError: null });
    const manual = createTunnel({ provider: 'manual', publicUrl: 'https://hooks.example.com', logger });
    expect(manual?.status()).toMatchObject({ provider: 'manual', state: 'stopped' });
    await lt?.stop();
    await manual?.stop();
  });
});
