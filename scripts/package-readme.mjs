#!/usr/bin/env node
// The README for the packaged extension (vsce package --readme-path): VS Code's extension details page only
// loads https: and data: images (its content security policy), so the README's relative media/ images are
// inlined as data: URIs there. The repository's README.md keeps its relative links (GitHub shows those).
//
//   node scripts/package-readme.mjs [IN] [OUT]     default README.md → dist/README.package.md
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MIME = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml' };

/** README text with every relative image link (`![alt](path)`) replaced by a data: URI of that file. */
export function inlineImages(text, baseDir) {
  return text.replace(/(!\[[^\]]*\]\()([^)\s]+)((?:\s+"[^"]*")?\))/g, (all, open, target, close) => {
    if (/^(https?:|data:)/i.test(target)) return all;
    const mime = MIME[extname(target).toLowerCase()];
    if (!mime) throw new Error(`package-readme: ${target}: not an image type the README can inline`);
    const bytes = readFileSync(join(baseDir, decodeURIComponent(target)));
    return `${open}data:${mime};base64,${bytes.toString('base64')}${close}`;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const input = resolve(ROOT, process.argv[2] ?? 'README.md');
  const output = resolve(ROOT, process.argv[3] ?? 'dist/README.package.md');
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, inlineImages(readFileSync(input, 'utf8'), dirname(input)));
  console.log(`package-readme: ${output}`);
}
