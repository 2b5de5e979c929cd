/**
 * A stand-in for the `electron` module (the binary cannot run here): just enough of app, windows,
 * tray, menus, protocol, session, IPC, clipboard and notifications for main/desktop to run in
 * Node, recording what it was asked to do. Used through `vi.mock('electron', …)`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a deliberately loose stand-in for Electron's types */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: any[]) => any;

export class FakeWebContents extends EventEmitter {
  url = '';
  destroyed = false;
  sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: Listener | null = null;
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isLoading() {
    return false;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(fn: Listener) {
    this.windowOpenHandler = fn;
  }
  /** Fires will-navigate the way Chromium does; true when the app prevented it. */
  navigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

export const state = {
  singleInstance: true,
  quitCalls: 0,
  exited: null as number | null,
  quitted: false,
  privileged: [] as unknown[],
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
  ipcHandlers: new Map<string, Listener>(),
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  notifications: [] as { title: string; body: string }[],
  exposed: {} as Record<string, any>,
  permissionRequest: null as Listener | null,
  permissionCheck: null as Listener | null,
  errorBoxes: [] as string[],
};

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  setName: vi.fn(),
  setAppUserModelId: vi.fn(),
  requestSingleInstanceLock: vi.fn(() => state.singleInstance),
  whenReady: () => Promise.resolve(),
  dock: { hide: vi.fn() },
  getAppPath: () => process.cwd(),
  getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
  setLoginItemSettings: vi.fn(),
  exit: vi.fn((code: number) => {
    state.exited = code;
  }),
  quit: vi.fn(() => {
    state.quitCalls++;
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      state.quitted = true;
      for (const w of state.windows) w.close();
    }
  }),
});

export const protocol = {
  registerSchemesAsPrivileged: vi.fn((schemes: unknown[]) => state.privileged.push(...schemes)),
  handle: vi.fn((scheme: string, handler: (req: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, handler)),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (fn: Listener) => (state.permissionRequest = fn),
    setPermissionCheckHandler: (fn: Listener) => (state.permissionCheck = fn),
  },
};

export const shell = { openExternal: vi.fn(async () => {}) };
export const clipboard = { writeText: vi.fn() };
export const dialog = { showErrorBox: vi.fn((title: string, text: string) => state.errorBoxes.push(`${title}: ${text}`)) };

export const nativeImage = {
  createFromPath: (path: string) => ({ path }),
  createEmpty: () => ({ path: null }),
};

export const Menu = { buildFromTemplate: (template: any[]) => ({ items: template }) };

export class FakeTray extends EventEmitter {
  image: any;
  tooltip = '';
  menu: { items: any[] } | null = null;
  destroyed = false;
  constructor(image: any) {
    super();
    this.image = image;
    state.trays.push(this);
  }
  setImage(image: any) {
    this.image = image;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu(m: { items: any[] }) {
    this.menu = m;
  }
  destroy() {
    this.destroyed = true;
  }
  item(id: string) {
    return this.menu?.items.find((i) => i.id === id);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  options: any;
  webContents = new FakeWebContents();
  visible = false;
  destroyed = false;
  constructor(options: any) {
    super();
    this.options = options;
    state.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.webContents.url = url;
    return Promise.resolve();
  }
  show() {
    this.visible = true;
    this.emit('show');
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  isMinimized() {
    return false;
  }
  restore() {}
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    if (this.destroyed) return;
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
  }
}

export const webContents = { getAllWebContents: () => state.windows.map((w) => w.webContents) };

export const ipcMain = {
  handle: vi.fn((channel: string, fn: Listener) => state.ipcHandlers.set(channel, fn)),
  removeHandler: vi.fn((channel: string) => state.ipcHandlers.delete(channel)),
};

export class FakeNotification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(readonly opts: { title: string; body: string }) {
    super();
  }
  show() {
    state.notifications.push({ title: this.opts.title, body: this.opts.body });
  }
}

// Renderer side (the preload).
export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async (_channel: string, _payload: unknown): Promise<unknown> => ({ ok: true, result: null })),
});
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => (state.exposed[key] = api)),
};

/** The module as `import … from 'electron'` sees it. */
export const electron = {
  app,
  protocol,
  session,
  shell,
  clipboard,
  dialog,
  nativeImage,
  Menu,
  Tray: FakeTray,
  BrowserWindow: FakeBrowserWindow,
  webContents,
  ipcMain,
  Notification: FakeNotification,
  ipcRenderer,
  contextBridge,
};
