/**
 * Packaging, short of building a package (that downloads Electron): electron-builder.yml passes
 * electron-builder's own schema validation, sets the fuses and tray-only mode, and every icon
 * and file it names exists and is what its name says.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TRAY_ICONS } from '../../main/desktop/tray-model.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
/** The parts of the electron-builder configuration looked at here. */
interface BuilderConfig {
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
  npmRebuild: boolean;
  files: string[];
  extraMetadata: { main: string };
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string; entitlements: string; extendInfo: Record<string, unknown> };
  win: { target: string[]; icon: string };
}
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s configuration schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, notAnOption: true }, { isEnabled: false, add() {} })).rejects.toThrow(/unknown property 'notAnOption'/);
  });

  it('flips the fuses, unpacks native modules, and is a tray-only app on macOS', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**/*', 'node_modules/keytar/**/*']));
    expect(config.npmRebuild).toBe(true);
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toEqual(['nsis']);
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'renderer/dist/**/*', 'assets/**/*']));
    expect(existsSync(join(ROOT, config.mac.entitlements))).toBe(true);
  });

  it('names icons that exist: Linux PNG set, Windows ICO, macOS ICNS', () => {
    for (const s of [16, 32, 48, 64, 128, 256, 512]) expect(pngSize(join(ROOT, config.linux.icon, `${s}x${s}.png`))).toEqual({ width: s, height: s });
    const ico = readFileSync(join(ROOT, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1); // icon type
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(5); // images
    expect(ico[6 + 16 * (ico.readUInt16LE(4) - 1)]).toBe(0); // the last is 256 px (stored as 0)
    const icns = readFileSync(join(ROOT, config.mac.icon));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.includes(Buffer.from('ic10'))).toBe(true); // 1024 px
  });
});

describe('app files', () => {
  it('has a 16 px and a 32 px (@2x) tray icon for every tray state, and the app icon', () => {
    for (const state of TRAY_ICONS) {
      expect(pngSize(join(ROOT, 'assets', 'tray', `tray-${state}.png`))).toEqual({ width: 16, height: 16 });
      expect(pngSize(join(ROOT, 'assets', 'tray', `tray-${state}@2x.png`))).toEqual({ width: 32, height: 32 });
    }
    expect(pngSize(join(ROOT, 'assets', 'icon.png'))).toEqual({ width: 256, height: 256 });
  });

  it('builds the CommonJS preload with the main process, and rebuilds native modules for npm start', () => {
    expect(pkg.scripts['build:main']).toContain('node scripts/build-preload.js');
    expect(pkg.scripts.start).toMatch(/native:electron.*&& electron \.$/);
    expect(pkg.scripts['native:electron']).toBe('node scripts/native-modules.js electron');
    expect(pkg.main).toBe('dist/main/desktop/main.js');
  });
});

describe('scripts/native-modules.js', () => {
  it('finds better-sqlite3 and keytar loading in Node, without rebuilding', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, ['scripts/native-modules.js', 'node', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toContain('better-sqlite3 and keytar load in node');
  });

  it('says plainly when there is no Electron binary to rebuild for', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['scripts/native-modules.js', 'electron', '--check'], { cwd: ROOT, encoding: 'utf8' });
    let binary = false;
    try {
      require('electron');
      binary = true;
    } catch {
      // the package without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD)
    }
    if (binary) expect(r.status === 0 || /built for another runtime/.test(r.stderr)).toBe(true);
    else expect(r).toMatchObject({ status: 1, stderr: expect.stringContaining('no Electron binary to run') });
  });
});
