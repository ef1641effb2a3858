// Feature detection and synchronous compilation of the embedded WebAssembly kernels.
// The modules are a few KB, so synchronous compilation is allowed on a browser main thread too.
import { relaxed, simd } from './wasm-bytes.generated.js';

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

/** The compiled module for a variant, or null when this engine does not support it. */
export function wasmModule(variant: WasmVariant): WebAssembly.Module | null {
  if (cache.has(variant)) return cache.get(variant)!;
  let mod: WebAssembly.Module | null = null;
  if (typeof WebAssembly === 'object') {
    if (variant === 'relaxed') enableRelaxedSimdInNode();
    const bytes = decode(variant === 'relaxed' ? relaxed : simd);
    try {
      if (WebAssembly.validate(bytes)) mod = new WebAssembly.Module(bytes);
    } catch {
      mod = null;
    }
  }
  cache.set(variant, mod);
  return mod;
}

/** The best variant this engine runs (relaxed SIMD first), or null: no WebAssembly SIMD at all. */
export function bestVariant(): WasmVariant | null {
  if (wasmModule('relaxed')) return 'relaxed';
  if (wasmModule('simd')) return 'simd';
  return null;
}
