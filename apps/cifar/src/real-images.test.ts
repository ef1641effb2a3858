// CI accuracy check: the `simple` network trained for one epoch on 10 000 real CIFAR-10 images.
//
// The real images come from ../shared/data/cifar10-images/cifar10-images.tar.gz beside the repository
// (all 60 000 CIFAR-10 images as JPEG; see its README). That archive is NOT part of the repository:
// when it is absent (a plain clone), this test says so and runs the same pipeline on a generated
// fixture image folder instead, so it never fails for want of data. Either way it goes through the
// image-folder reader, the training-set normalisation, one epoch of training and a held-out evaluation.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { x as untar } from 'tar';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadCifar } from './dataset.js';
import { RECIPES } from './model.js';
import { makeFixtureSet, writeImageFolder } from './test-utils/fixture.js';
import { accuracyOf, trainCnn } from './train.js';

const here = dirname(fileURLToPath(import.meta.url));
const ARCHIVE =
  process.env.CIFAR10_IMAGES_ARCHIVE ??
  resolve(here, '../../../../shared/data/cifar10-images/cifar10-images.tar.gz');

/** Unpacks the archive once into the temp folder (atomically: a marker file is written last); the unpacked
 * folder is a cache kept between runs, the staging folder is removed if unpacking fails. */
async function realImages(): Promise<string | null> {
  if (!existsSync(ARCHIVE)) return null;
  const dir = join(tmpdir(), 'tsdl-cifar10-images');
  if (existsSync(join(dir, '.complete'))) return dir;
  const tmp = mkdtempSync(join(tmpdir(), 'tsdl-cifar10-images-'));
  try {
    await untar({ file: ARCHIVE, cwd: tmp, strict: true });
    writeFileSync(join(tmp, '.complete'), ARCHIVE);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

function fixtureFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-fixture-images-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(dir, { recursive: true });
  writeImageFolder(dir, 'train', makeFixtureSet(3000, 11), 'png'); // PNG: jpeg-js encodes slowly
  writeImageFolder(dir, 'test', makeFixtureSet(500, 12), 'png');
  return dir;
}

describe('simple CNN, one epoch on 10 000 CIFAR-10 images', () => {
  it('reaches a held-out accuracy clearly above chance (≥ 25%; chance is 10%)', async () => {
    const real = await realImages();
    if (!real)
      console.warn(
        `NOTE: ${ARCHIVE} is absent (it is not in the repository); training on a generated fixture image folder instead`,
      );
    const dir = real ?? fixtureFolder();
    const { train, test } = loadCifar(dir, { train: 10_000, test: 2_000, seed: 0 });
    // One epoch of the reference network with SGD momentum 0.9 and batch 100 as in the reference, but
    // lr 0.05 instead of 0.001: at 0.001 a single epoch of 100 steps stays on the initial plateau
    // (measured 9.4%, and the reference itself reports 18% after 6 full epochs), which would test nothing.
    const recipe = real
      ? { ...RECIPES.simple, epochs: 1, lr: 0.05 }
      : { ...RECIPES.simple, epochs: 1, lr: 0.02, batchSize: 50 };
    const r = await trainCnn(train, { model: 'simple', recipe, seed: 0 });
    const acc = accuracyOf(r.model, test, r.stats);
    console.log(
      `${real ? 'real CIFAR-10 JPEGs' : 'generated fixture'}: ${train.count} train / ${test.count} held-out images, ` +
        `held-out accuracy ${(acc * 100).toFixed(2)}%, ${r.secondsPerEpoch.toFixed(1)} s for the epoch (${Math.round(r.samplesPerSec)} samples/s)`,
    );
    // Measured on the real images: 30–34% (lr 0.05, depending on the subset). 25% is 2.5× chance and, with 2 000 held-out images
    // (standard error of an accuracy near 0.1 is 0.7 points), far outside what an untrained or broken
    // network can reach by luck, while leaving room for seed and JPEG noise.
    expect(acc).toBeGreaterThanOrEqual(0.25);
  }, 240_000);
});
