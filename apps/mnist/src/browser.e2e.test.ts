// End-to-end: the built page (web-dist) in Debian's headless Chromium: draw → onnxruntime-web
// prediction equals tsdl's prediction in Node; Web Worker training lowers the loss.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportOnnx } from '@tsdl/onnx-export';
import { Tensor } from '@tsdl/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledDigits } from './data.js';
import { PIXELS, splitDigits, subset } from './digits.js';
import { logitsOf } from './evaluate.js';
import { RECIPES } from './model.js';
import { argmaxRows, trainMlp } from './train.js';

const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const webDist = join(here, '..', 'web-dist');
const artifacts = join(here, '..', '..', '..', 'test-artifacts', 'mnist');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI === 'true') throw new Error('Chromium is required under CI (apt-get install chromium)');
  console.warn('SKIP browser e2e: /usr/bin/chromium is not installed (apt-get install chromium)');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

describe.skipIf(!haveChromium)('mnist page in headless Chromium', () => {
  let server: Server;
  let url = '';
  let modelBytes: Uint8Array;
  const { train, test } = splitDigits(loadBundledDigits(), 2000, 1234);
  const quick = trainMlp(
    subset(
      train,
      Array.from({ length: 2000 }, (_, i) => i),
    ),
    {
      recipe: { ...RECIPES.reference, epochs: 2 },
      seed: 0,
    },
  );

  beforeAll(async () => {
    if (!existsSync(join(webDist, 'index.html')))
      throw new Error(`build the page first: pnpm --filter mnist build (${webDist} missing)`);
    modelBytes = exportOnnx(quick.model, [new Tensor(new Float32Array(PIXELS), [1, PIXELS])], {
      outputNames: ['logits'],
    });
    server = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      if (path === '/model.onnx') {
        res.writeHead(200, { 'content-type': TYPES['.onnx']! }).end(modelBytes);
        return;
      }
      const file = join(webDist, path === '/' ? 'index.html' : path);
      if (!file.startsWith(webDist) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  async function withPage<T>(fn: (page: import('playwright-core').Page) => Promise<T>): Promise<T> {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}?model=/model.onnx`);
      const out = await fn(page);
      expect(errors).toEqual([]);
      return out;
    } finally {
      await browser.close();
    }
  }

  it('paints a held-out digit and predicts what tsdl predicts in Node', async () => {
    await withPage(async (page) => {
      for (const idx of [0, 1, 2]) {
        const digit = Array.from(test.images.subarray(idx * PIXELS, (idx + 1) * PIXELS));
        const res = await page.evaluate(async (d) => {
          const api = (
            window as unknown as {
              tsdlMnist: {
                paintDigit(p: number[]): void;
                predict(): Promise<{ label: number; probs: number[]; input: number[] }>;
              };
            }
          ).tsdlMnist;
          api.paintDigit(d);
          return api.predict();
        }, digit);
        const node = argmaxRows(
          logitsOf(
            quick.model,
            new Tensor(Float32Array.from(res.input), [1, PIXELS]),
          ).toTypedArray() as Float32Array,
        )[0];
        expect(res.label).toBe(node);
        expect(await page.textContent('#prediction')).toBe(String(node));
        await page.screenshot({ path: join(artifacts, `predict-${idx}.png`) });
      }
    });
  }, 120_000);

  it('trains the MLP in a Web Worker and the loss falls', async () => {
    await withPage(async (page) => {
      const losses = await page.evaluate(() =>
        (window as unknown as { tsdlMnist: { train(n: number): Promise<number[]> } }).tsdlMnist.train(30),
      );
      expect(losses.length).toBe(30);
      const first = losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
      const last = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
      expect(last).toBeLessThan(first * 0.7);
      await page.screenshot({ path: join(artifacts, 'train.png'), fullPage: true });
    });
  }, 180_000);
});
