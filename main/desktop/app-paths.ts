/**
 * Where the desktop app finds its files, from the folder of the running module: the project
 * root is the nearest folder up with a package.json (the project in development, the app.asar
 * archive when packaged; Electron's fs reads inside asar).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AppPaths {
  root: string;
  /** Built by scripts/build-preload.js (CommonJS: the window is sandboxed). */
  preload: string;
  renderer: string;
  trayIcons: string;
  appIcon: string;
}

export function appPaths(fromDir: string): AppPaths {
  let root = fromDir;
  while (!existsSync(join(root, 'package.json'))) {
    const up = dirname(root);
    if (up === root) throw new Error(`No package.json above ${fromDir}: cannot find the app's files`);
    root = up;
  }
  return {
    root,
    preload: join(root, 'dist', 'main', 'desktop', 'preload.cjs'),
    renderer: join(root, 'renderer', 'dist'),
    trayIcons: join(root, 'assets', 'tray'),
    appIcon: join(root, 'assets', 'icon.png'),
  };
}
