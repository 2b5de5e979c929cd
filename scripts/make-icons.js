#!/usr/bin/env node
// Draws Pinebridge's icons and writes them as PNG / ICO / ICNS, with nothing but Node (zlib):
//   assets/tray/tray-<state>.png (16 px) and tray-<state>@2x.png (32 px): live, paused, error, tunnel-down
//   assets/icon.png (256 px): window and notification icon
//   build/icons/<n>x<n>.png (16…1024), build/icons/icon.ico, build/icons/icon.icns: electron-builder
// The outputs are committed; run again only to change the artwork: `node scripts/make-icons.js`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

// ---- shapes in unit coordinates (0..1, y down) ----
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
function roundRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}
function polygon(pts) {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const [xi, yi] = pts[i];
      const [xj, yj] = pts[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}
function segment(ax, ay, bx, by, w) {
  return (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (w / 2) ** 2;
  };
}
/** The upper half of a ring: a bridge arch. */
const arch = (cx, cy, r0, r1) => (x, y) => y <= cy && (x - cx) ** 2 + (y - cy) ** 2 >= r0 * r0 && (x - cx) ** 2 + (y - cy) ** 2 <= r1 * r1;
const union = (...fs) => (x, y) => fs.some((f) => f(x, y));

/** A pine: three stacked triangles on a trunk, inside the box (x0,y0)-(x1,y1). */
function pine(x0, y0, x1, y1) {
  const w = x1 - x0;
  const h = y1 - y0;
  const X = (f) => x0 + f * w;
  const Y = (f) => y0 + f * h;
  return union(
    polygon([[X(0.5), Y(0)], [X(0.78), Y(0.36)], [X(0.22), Y(0.36)]]),
    polygon([[X(0.5), Y(0.2)], [X(0.9), Y(0.62)], [X(0.1), Y(0.62)]]),
    polygon([[X(0.5), Y(0.42)], [X(1), Y(0.88)], [X(0), Y(0.88)]]),
    rect(X(0.42), Y(0.86), X(0.58), Y(1)),
  );
}

// ---- raster ----
function render(size, layers, samples = size <= 32 ? 8 : size <= 128 ? 4 : 3) {
  const px = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let pxi = 0; pxi < size; pxi++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (pxi + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          // Composite the layers for this sample ("over"), premultiplied.
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const { shape, color } of layers) {
            if (!shape(x, y)) continue;
            const [lr, lg, lb, la] = typeof color === 'function' ? color(x, y) : color;
            cr = lr * la + cr * (1 - la);
            cg = lg * la + cg * (1 - la);
            cb = lb * la + cb * (1 - la);
            ca = la + ca * (1 - la);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const n = samples * samples;
      const i = (py * size + pxi) * 4;
      const alpha = a / n;
      px[i] = alpha ? Math.round(r / n / alpha) : 0;
      px[i + 1] = alpha ? Math.round(g / n / alpha) : 0;
      px[i + 2] = alpha ? Math.round(b / n / alpha) : 0;
      px[i + 3] = Math.round(alpha * 255);
    }
  }
  return png(size, size, px);
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(w, h, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * w * 4, w * 4).copy(raw, y * (w * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function ico(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.data)]);
}

function icns(entries) {
  const parts = entries.map(({ type, data }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'latin1');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'latin1');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

// ---- artwork ----
const hex = (h, a = 1) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), a];
const WHITE = hex('#ffffff');

function appIcon() {
  const bg = (x, y) => {
    const t = Math.min(1, Math.max(0, (x + y) / 2));
    const a = hex('#12484f');
    const b = hex('#0b2a33');
    return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t, 1];
  };
  return [
    { shape: roundRect(0.04, 0.04, 0.96, 0.96, 0.2), color: bg },
    { shape: pine(0.3, 0.14, 0.7, 0.62), color: hex('#5fd38d') },
    // The bridge: an arch over the water line, with a deck.
    { shape: arch(0.5, 0.86, 0.27, 0.33), color: hex('#e8eef0') },
    { shape: rect(0.12, 0.7, 0.88, 0.745), color: hex('#e8eef0') },
    { shape: rect(0.3, 0.745, 0.335, 0.86), color: hex('#e8eef0') },
    { shape: rect(0.665, 0.745, 0.7, 0.86), color: hex('#e8eef0') },
  ];
}

const STATE_COLOR = { live: '#2fb860', paused: '#f0a020', error: '#e0413a', 'tunnel-down': '#8a939b' };

function trayIcon(state) {
  const layers = [{ shape: circle(0.5, 0.5, 0.47), color: hex(STATE_COLOR[state]) }];
  if (state === 'live') layers.push({ shape: pine(0.24, 0.16, 0.76, 0.84), color: WHITE });
  if (state === 'paused') layers.push({ shape: union(rect(0.31, 0.26, 0.44, 0.74), rect(0.56, 0.26, 0.69, 0.74)), color: WHITE });
  if (state === 'error') layers.push({ shape: union(roundRect(0.42, 0.18, 0.58, 0.6, 0.06), circle(0.5, 0.76, 0.085)), color: WHITE });
  if (state === 'tunnel-down') {
    layers.push({ shape: pine(0.26, 0.18, 0.74, 0.82), color: hex('#ffffff', 0.55) });
    layers.push({ shape: segment(0.24, 0.24, 0.76, 0.76, 0.13), color: WHITE });
  }
  return layers;
}

function write(rel, data) {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
  console.log(`${rel} (${data.length} bytes)`);
}

for (const state of Object.keys(STATE_COLOR)) {
  write(`assets/tray/tray-${state}.png`, render(16, trayIcon(state)));
  write(`assets/tray/tray-${state}@2x.png`, render(32, trayIcon(state)));
}

const art = appIcon();
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const app = Object.fromEntries(sizes.map((s) => [s, render(s, art)]));
write('assets/icon.png', app[256]);
for (const s of [16, 32, 48, 64, 128, 256, 512]) write(`build/icons/${s}x${s}.png`, app[s]);
write('build/icon.png', app[1024]);
write('build/icons/icon.ico', ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: app[size] }))));
write(
  'build/icons/icon.icns',
  icns([
    { type: 'icp4', data: app[16] },
    { type: 'icp5', data: app[32] },
    { type: 'ic11', data: app[32] },
    { type: 'icp6', data: app[64] },
    { type: 'ic12', data: app[64] },
    { type: 'ic07', data: app[128] },
    { type: 'ic08', data: app[256] },
    { type: 'ic13', data: app[256] },
    { type: 'ic09', data: app[512] },
    { type: 'ic14', data: app[512] },
    { type: 'ic10', data: app[1024] },
  ]),
);
