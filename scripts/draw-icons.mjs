// Draws the app and tray icons into resources/icons/ with nothing but node:zlib, so they can be
// regenerated on any build machine: `node scripts/draw-icons.mjs`. The output is deterministic.
//
// The picture: a body-worn recorder (white, with its lens and recording light) docked in an
// amber cradle, on the unit's navy. The tray version drops the small details, which vanish at
// 16 px, and keeps the silhouette.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const OUT_DIR = new URL('../resources/icons/', import.meta.url);

const NAVY_TOP = [0x1d, 0x4e, 0x89];
const NAVY_BOTTOM = [0x0f, 0x2c, 0x4f];
const NAVY = [0x0f, 0x2c, 0x4f];
const WHITE = [0xf4, 0xf6, 0xf8];
const AMBER = [0xf5, 0xb8, 0x41];
const LENS_RING = [0x2f, 0x6d, 0xb3];
const RED = [0xe5, 0x38, 0x3b];
const GRILLE = [0xc5, 0xcc, 0xd6];

/** Signed-distance tests in unit coordinates (0..1, y down). */
function inRoundedRect(x, y, [x0, y0, x1, y1], r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inCircle(x, y, cx, cy, r) {
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The full icon: returns [r, g, b] or null (transparent) for one sample point. */
function appIcon(x, y) {
  if (!inRoundedRect(x, y, [0.04, 0.04, 0.96, 0.96], 0.2)) return null;
  let color = mix(NAVY_TOP, NAVY_BOTTOM, (y - 0.04) / 0.92);
  if (inRoundedRect(x, y, [0.33, 0.16, 0.67, 0.76], 0.07)) color = WHITE;
  if (inRoundedRect(x, y, [0.42, 0.555, 0.58, 0.572], 0.008)) color = GRILLE;
  if (inRoundedRect(x, y, [0.42, 0.6, 0.58, 0.617], 0.008)) color = GRILLE;
  if (inCircle(x, y, 0.5, 0.37, 0.105)) color = NAVY;
  if (inCircle(x, y, 0.5, 0.37, 0.062)) color = LENS_RING;
  if (inCircle(x, y, 0.5, 0.37, 0.034)) color = NAVY;
  if (inCircle(x, y, 0.478, 0.348, 0.016)) color = WHITE;
  if (inCircle(x, y, 0.605, 0.225, 0.024)) color = RED;
  // The cradle is drawn last so the recorder looks seated in it.
  if (inRoundedRect(x, y, [0.2, 0.69, 0.8, 0.83], 0.05)) color = AMBER;
  if (inRoundedRect(x, y, [0.3, 0.69, 0.7, 0.72], 0.012)) color = darken(AMBER, 0.8);
  return color;
}

function trayIcon(x, y) {
  if (!inRoundedRect(x, y, [0, 0, 1, 1], 0.22)) return null;
  let color = NAVY;
  if (inRoundedRect(x, y, [0.29, 0.1, 0.71, 0.8], 0.1)) color = WHITE;
  if (inCircle(x, y, 0.5, 0.37, 0.13)) color = NAVY;
  if (inRoundedRect(x, y, [0.12, 0.74, 0.88, 0.92], 0.07)) color = AMBER;
  return color;
}

function mix(a, b, t) {
  const k = Math.min(Math.max(t, 0), 1);
  return a.map((v, i) => v + (b[i] - v) * k);
}

function darken(color, factor) {
  return color.map((v) => v * factor);
}

/** Renders with n×n supersampling per pixel; returns straight (non-premultiplied) RGBA. */
function render(size, paint, n) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const color = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (color === null) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          a += 1;
        }
      }
      const offset = (py * size + px) * 4;
      if (a > 0) {
        pixels[offset] = Math.round(r / a);
        pixels[offset + 1] = Math.round(g / a);
        pixels[offset + 2] = Math.round(b / a);
      }
      pixels[offset + 3] = Math.round((255 * a) / (n * n));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  // Every scanline is stored unfiltered (filter byte 0); deflate does the rest.
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const ICONS = [
  // electron-builder makes the .icns, .ico and Linux icon sets from the 512 px image.
  { file: 'icon.png', size: 512, paint: appIcon, samples: 4 },
  { file: 'icon-256.png', size: 256, paint: appIcon, samples: 4 },
  // Electron loads tray@2x.png by itself on high-DPI screens.
  { file: 'tray.png', size: 16, paint: trayIcon, samples: 8 },
  { file: 'tray@2x.png', size: 32, paint: trayIcon, samples: 8 },
];

mkdirSync(OUT_DIR, { recursive: true });
for (const { file, size, paint, samples } of ICONS) {
  writeFileSync(new URL(file, OUT_DIR), png(size, render(size, paint, samples)));
  console.log(`resources/icons/${file} (${size}×${size})`);
}
