import { RECIPES } from '../src/model.js';
import { trainMlp } from '../src/train.js';

// Trains the reference MLP for one epoch on the bundled digits (packed as bytes by scripts/pack-digits.mjs).
self.onmessage = async (e: MessageEvent<{ maxSteps?: number; dataUrl: string }>) => {
  try {
    const res = await fetch(e.data.dataUrl);
    if (!res.ok) throw new Error(`could not load ${e.data.dataUrl}: HTTP ${res.status}`);
    const buf = new Uint8Array(await res.arrayBuffer());
    const count = buf.length / 785;
    if (!Number.isInteger(count) || count === 0)
      throw new Error(`${e.data.dataUrl} is not a packed digit file (${buf.length} bytes)`);
    const images = new Float32Array(count * 784);
    for (let i = 0; i < images.length; i++) images[i] = buf[i]! / 255;
    const labels = Int32Array.from(buf.subarray(count * 784));
    trainMlp(
      { images, labels, count },
      {
        recipe: { ...RECIPES.reference, epochs: 1 },
        seed: 0,
        maxSteps: e.data.maxSteps,
        onStep: (s) =>
          postMessage({
            type: 'step',
            step: s.step,
            steps: s.stepsPerEpoch,
            loss: s.loss,
            samplesPerSec: s.samplesPerSec,
          }),
      },
    );
    postMessage({ type: 'done' });
  } catch (err) {
    postMessage({ type: 'error', message: (err as Error).message });
  }
};
