// Feature detection and synchronous compilation of the embedded WebAssembly kernels.
// The modules are a few KB, so synchronous compilation is allowed on a browser main thread too.
import { relaxed, relaxedShared, simd, simdShared } from './wasm-bytes.generated.js';

export type WasmVariant = 'relaxed' | 'simd';

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Node 20 ships relaxed SIMD behind a flag; it must be set before the module is compiled and
 * cannot come from NODE_OPTIONS. Browsers that support it have it on; elsewhere this is a no-op.
 */
function enableRelaxedSimdInNode(): void {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?(f: string): void } | undefined;
    v8?.setFlagsFromString?.('--experimental-wasm-relaxed-simd');
  } catch {
    // Not Node, or flags locked: the plain-SIMD variant (or the JS reference) is used instead.
  }
}

const cache = new Map<string, WebAssembly.Module | null>();

/**
 * The compiled module for a variant, or null when this engine does not support it. `shared`: the
 * build that imports a shared memory (env.memory, ≤ 16384 pages), for the worker pool.
 */
export function wasmModule(variant: WasmVariant, shared = false): WebAssembly.Module | null {
  const key = shared ? `${variant}Shared` : variant;
  if (cache.has(key)) return cache.get(key)!;
  let mod: WebAssembly.Module | null = null;
  if (typeof WebAssembly === 'object') {
    if (variant === 'relaxed') enableRelaxedSimdInNode();
    const b64 = variant === 'relaxed' ? (shared ? relaxedShared : relaxed) : shared ? simdShared : simd;
    const bytes = decode(b64);
    try {
      if (WebAssembly.validate(bytes)) mod = new WebAssembly.Module(bytes);
    } catch {
      mod = null;
    }
  }
  cache.set(key, mod);
  return mod;
}

/** The best variant this engine runs (relaxed SIMD first), or null: no WebAssembly SIMD at all. */
export function bestVariant(): WasmVariant | null {
  if (wasmModule('relaxed')) return 'relaxed';
  if (wasmModule('simd')) return 'simd';
  return null;
}
