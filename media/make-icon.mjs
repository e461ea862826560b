// Renders media/icon.png (128×128, marketplace icon) and media/file-icon.png (32×32, .mmscn file icon)
// from the SVG below with the system Chromium: `node media/make-icon.mjs`. The PNGs are committed.
// The picture: a zone map — pageblocks coloured by migratetype, one isolated block outlined.
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const colors = {
  m: '#4caf7d', // movable
  u: '#e0604f', // unmovable
  r: '#e8b04a', // reclaimable
  c: '#5b8def', // cma
  f: '#3a4a5e', // free / offline
};
const map = ['mmuf', 'mcfm', 'rmmu', 'fmcm'];

function svg(size, withFrame) {
  const pad = withFrame ? 14 : 1;
  const gap = withFrame ? 6 : 2;
  const cell = (size - 2 * pad - 3 * gap) / 4;
  let s = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">`;
  if (withFrame) s += `<rect x="0" y="0" width="${size}" height="${size}" rx="22" fill="#1e2a38"/>`;
  map.forEach((row, y) => [...row].forEach((k, x) => {
    const px = pad + x * (cell + gap);
    const py = pad + y * (cell + gap);
    s += `<rect x="${px}" y="${py}" width="${cell}" height="${cell}" rx="${withFrame ? 4 : 1}" fill="${colors[k]}"/>`;
  }));
  // the isolated pageblock (MIGRATE_ISOLATE): a bright outline on (2,1)
  const px = pad + 2 * (cell + gap) - gap / 2;
  const py = pad + 1 * (cell + gap) - gap / 2;
  s += `<rect x="${px}" y="${py}" width="${cell + gap}" height="${cell + gap}" rx="5" fill="none" stroke="#ffffff" stroke-width="${withFrame ? 3 : 1.5}"/>`;
  return s + '</svg>';
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [file, size, frame] of [['icon.png', 128, true], ['file-icon.png', 32, false]]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg(size, frame)}</body></html>`);
    await page.screenshot({ path: join(here, file), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
