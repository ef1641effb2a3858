import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PY = '/usr/bin/python3';

/** True when Debian's python3-onnx is importable. */
export function hasOnnxChecker(): boolean {
  try {
    execFileSync(PY, ['-c', 'import onnx'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs onnx.checker.check_model(full_check=True); throws with the checker's message on failure. */
export function checkModel(bytes: Uint8Array): void {
  const dir = mkdtempSync(join(tmpdir(), 'tsdl-onnx-'));
  const file = join(dir, 'model.onnx');
  try {
    writeFileSync(file, bytes);
    execFileSync(
      PY,
      ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`onnx.checker rejected the model: ${err.stderr?.toString() ?? err.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Skip-or-fail policy for tests that need python3-onnx: visible skip locally, failure under CI. */
export function requireOnnxChecker(): boolean {
  const ok = hasOnnxChecker();
  if (!ok) {
    if (process.env.CI === 'true')
      throw new Error('python3-onnx is required under CI (apt-get install python3-onnx)');
    console.warn('SKIP onnx.checker checks: python3-onnx is not installed (apt-get install python3-onnx)');
  }
  return ok;
}
