// scripts/package-readme.mjs: the packaged README inlines its relative images (issue 11 item 8).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
// @ts-expect-error a plain .mjs script without types
import { inlineImages } from '../../scripts/package-readme.mjs';

describe('package README', () => {
  it('relative images become data: URIs; https and other links stay', () => {
    const out: string = inlineImages('a ![x](media/icon.png) b ![y](https://e.org/y.png) [doc](docs/language.md)', '.');
    const icon = readFileSync('media/icon.png').toString('base64');
    assert.equal(out, `a ![x](data:image/png;base64,${icon}) b ![y](https://e.org/y.png) [doc](docs/language.md)`);
  });
  it('the real README: every image is inlined', () => {
    const out: string = inlineImages(readFileSync('README.md', 'utf8'), '.');
    const imgs = [...out.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]!);
    assert.ok(imgs.length >= 2);
    for (const u of imgs) assert.match(u, /^data:image\/png;base64,/);
  });
});
