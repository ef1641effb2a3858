import { Tensor } from '@tsdl/tensor';

export type OnnxBackend = 'node' | 'web';

// The parts of onnxruntime's API used here (onnxruntime-node and -web share it).
interface OrtTensor {
  type: string;
  data: Float32Array | Float64Array | Int32Array | BigInt64Array;
  dims: readonly number[];
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
interface Ort {
  Tensor: new (type: string, data: ArrayLike<number> | BigInt64Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(bytes: Uint8Array, opts?: object): Promise<OrtSession> };
  env: { wasm: { numThreads?: number } };
}

async function loadOrt(backend: OnnxBackend): Promise<Ort> {
  const name = backend === 'node' ? 'onnxruntime-node' : 'onnxruntime-web';
  try {
    const mod = (await import(name)) as Ort & { default?: Ort };
    return mod.InferenceSession ? mod : mod.default!;
  } catch (e) {
    throw new Error(
      `runOnnx: backend '${backend}' needs the optional peer dependency ${name} (${(e as Error).message})`,
    );
  }
}

/** An onnxruntime session over an exported model, fed and answering with tsdl Tensors. */
export class OnnxSession {
  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
  ) {}

  static async create(
    bytes: Uint8Array,
    opts: { backend?: OnnxBackend; threads?: number } = {},
  ): Promise<OnnxSession> {
    const backend = opts.backend ?? 'node';
    const ort = await loadOrt(backend);
    if (backend === 'web') ort.env.wasm.numThreads = opts.threads ?? 1;
    const sessionOpts =
      backend === 'web'
        ? { executionProviders: ['wasm'] }
        : opts.threads
          ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 }
          : {};
    return new OnnxSession(ort, await ort.InferenceSession.create(bytes, sessionOpts));
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [k, t] of Object.entries(feeds)) {
      ortFeeds[k] = new this.ort.Tensor(
        t.dtype === 'float64' ? 'float64' : t.dtype,
        t.toTypedArray(),
        t.shape,
      );
    }
    const res = await this.session.run(ortFeeds);
    const out: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(res)) {
      const d = v.data;
      const data = d instanceof BigInt64Array ? Int32Array.from(d, (x) => Number(x)) : d;
      out[k] = new Tensor(data, [...v.dims]);
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release?.();
  }
}

/** One-shot inference: loads `bytes` into onnxruntime (node or web/wasm) and runs `feeds`. */
export async function runOnnx(
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
  opts: { backend?: OnnxBackend } = {},
): Promise<Record<string, Tensor>> {
  const s = await OnnxSession.create(bytes, opts);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}
