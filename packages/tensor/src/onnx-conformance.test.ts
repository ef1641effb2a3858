// Runs ONNX's own backend node tests (Debian's libonnx-testdata) through tsdl ops: each case's
// model.onnx graph is interpreted node by node with a small ONNX → tsdl mapping, fed
// test_data_set_0/input_*.pb and compared with output_*.pb. One vitest test per case; a skip
// always says why. Cases are picked by op: a graph is in scope when it uses any op below.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  add,
  avgPool2d,
  concat,
  conv2d,
  div,
  erf,
  exp,
  flatten,
  indexSelect,
  layerNormForward,
  leakyRelu,
  log,
  logSoftmax,
  matmul,
  max,
  maxPool2d,
  maxPool2dWithIndices,
  maxUnpool2d,
  mean,
  mul,
  pad,
  permute,
  relu,
  reshape,
  sigmoid,
  softmax,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  unsqueeze,
} from './index.js';

const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type IAttr = onnxProto.onnx.IAttributeProto;
type ITensor = onnxProto.onnx.ITensorProto;
type IModel = onnxProto.onnx.IModelProto;
type IValueInfo = onnxProto.onnx.IValueInfoProto;

const DATA_DIR = process.env.ONNX_TESTDATA_DIR ?? '/usr/share/libonnx-testdata/data/node';

/** The ops with a tsdl counterpart (the brief's list; ReduceMax and Constant let the *_expanded graphs run too). */
const OPS = new Set([
  'Relu',
  'Sigmoid',
  'Tanh',
  'LeakyRelu',
  'Exp',
  'Log',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Softmax',
  'LogSoftmax',
  'MatMul',
  'Gemm',
  'Transpose',
  'Concat',
  'Flatten',
  'Reshape',
  'ReduceSum',
  'ReduceMean',
  'Conv',
  'MaxPool',
  'MaxUnpool',
  'AveragePool',
  'Gather',
  'Erf',
  'LayerNormalization',
  'GlobalAveragePool',
]);
const HELPER_OPS = new Set(['Constant', 'ReduceMax']);

/** Float32 tolerance: |got - want| ≤ ATOL + RTOL·|want|. */
const RTOL = 1e-4;
const ATOL = 1e-5;

class Unsupported extends Error {}

// ---- protobuf → tsdl ---------------------------------------------------------------------

type Long = number | { toNumber(): number };
const num = (v: Long | null | undefined): number =>
  v == null ? 0 : typeof v === 'number' ? v : v.toNumber();

const ONNX_DTYPE: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  10: 'float16',
  11: 'float64',
};

/** TensorProto → Tensor. int64 becomes int32 (tsdl's integer dtype) after a range check. */
function toTensor(t: ITensor): Tensor {
  const dims = (t.dims ?? []).map(num);
  const dt = t.dataType ?? 0;
  // Copy: protobufjs hands out Buffers that are views into a shared pool (unaligned offsets).
  const raw = t.rawData && t.rawData.length > 0 ? new Uint8Array(t.rawData) : null;
  const n = dims.reduce((a, b) => a * b, 1);
  switch (dt) {
    case 1:
      return tensor(raw ? new Float32Array(raw.buffer, 0, n) : Float32Array.from(t.floatData ?? []), {
        shape: dims,
      });
    case 11:
      return tensor(raw ? new Float64Array(raw.buffer, 0, n) : Float64Array.from(t.doubleData ?? []), {
        shape: dims,
      });
    case 6:
      return tensor(raw ? new Int32Array(raw.buffer, 0, n) : Int32Array.from(t.int32Data ?? []), {
        shape: dims,
      });
    case 7: {
      const vals = raw
        ? Array.from(new BigInt64Array(raw.buffer, 0, n), Number)
        : (t.int64Data ?? []).map(num);
      if (vals.some((v) => Math.abs(v) > 2 ** 31 - 1))
        throw new Unsupported('int64 values beyond int32 range');
      return tensor(Int32Array.from(vals), { shape: dims });
    }
    default:
      throw new Unsupported(`${ONNX_DTYPE[dt] ?? `dtype ${dt}`} tensors (tsdl has float32, float64, int32)`);
  }
}

function attrs(node: INode): Map<string, IAttr> {
  return new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
}
const attrInt = (a: Map<string, IAttr>, name: string, dflt: number): number =>
  a.has(name) ? num(a.get(name)!.i) : dflt;
const attrFloat = (a: Map<string, IAttr>, name: string, dflt: number): number =>
  a.has(name) ? (a.get(name)!.f ?? dflt) : dflt;
const attrInts = (a: Map<string, IAttr>, name: string): number[] | undefined =>
  a.has(name) ? (a.get(name)!.ints ?? []).map(num) : undefined;
const attrString = (a: Map<string, IAttr>, name: string, dflt: string): string =>
  a.has(name) ? new TextDecoder().decode(a.get(name)!.s ?? new Uint8Array()) : dflt;

const ints = (t: Tensor): number[] => Array.from(t.toTypedArray());

// ---- the interpreter ----------------------------------------------------------------------

/** ONNX pads [h_begin, w_begin, h_end, w_end] for auto_pad SAME_* (total padding split, extra at end or begin). */
function samePads(
  mode: string,
  inp: number[],
  k: number[],
  s: number[],
  d: number[],
): [number, number, number, number] {
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 2; i++) {
    const out = Math.ceil(inp[i]! / s[i]!);
    const total = Math.max(0, (out - 1) * s[i]! + (k[i]! - 1) * d[i]! + 1 - inp[i]!);
    const small = Math.floor(total / 2);
    begin.push(mode === 'SAME_UPPER' ? small : total - small);
    end.push(mode === 'SAME_UPPER' ? total - small : small);
  }
  return [begin[0]!, begin[1]!, end[0]!, end[1]!];
}

/** Geometry shared by Conv / MaxPool / AveragePool: kernel, strides, dilations and explicit pads. */
function windowAttrs(a: Map<string, IAttr>, x: Tensor, kernel: number[], defaultStride: number[]) {
  if (x.ndim !== 4) throw new Unsupported(`${x.ndim - 2}-d spatial input (tsdl has 2-d conv/pool only)`);
  const strides = attrInts(a, 'strides') ?? defaultStride;
  const dilations = attrInts(a, 'dilations') ?? [1, 1];
  const autoPad = attrString(a, 'auto_pad', 'NOTSET');
  let pads = (attrInts(a, 'pads') ?? [0, 0, 0, 0]) as [number, number, number, number];
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = samePads(autoPad, [x.shape[2]!, x.shape[3]!], kernel, strides, dilations);
  } else if (autoPad !== 'NOTSET') throw new Unsupported(`auto_pad ${autoPad}`);
  return {
    stride: [strides[0]!, strides[1]!] as [number, number],
    dilation: [dilations[0]!, dilations[1]!] as [number, number],
    pads,
  };
}

function reduceAxes(
  node: INode,
  a: Map<string, IAttr>,
  ins: (Tensor | undefined)[],
  opset: number,
): number[] | undefined | null {
  // ReduceSum takes axes as an input from opset 13 (other reductions from 18); null = identity.
  const axesFromInput = node.opType === 'ReduceSum' ? opset >= 13 : opset >= 18;
  const axes = axesFromInput ? (ins[1] ? ints(ins[1]) : undefined) : attrInts(a, 'axes');
  if (axes === undefined || axes.length === 0)
    return axesFromInput && attrInt(a, 'noop_with_empty_axes', 0) === 1 ? null : undefined;
  return axes;
}

/** Softmax/LogSoftmax: axis over one dim from opset 13; before, coerced to 2-d at axis (default 1). */
function softmaxLike(f: typeof softmax, x: Tensor, a: Map<string, IAttr>, opset: number): Tensor {
  if (opset >= 13) return f(x, attrInt(a, 'axis', -1));
  let axis = attrInt(a, 'axis', 1);
  if (axis < 0) axis += x.ndim;
  const outer = x.shape.slice(0, axis).reduce((p, q) => p * q, 1);
  return reshape(f(reshape(x, [outer, -1]), 1), x.shape);
}

/**
 * tsdl's (PyTorch's) per-plane argmax h·W + w → ONNX MaxPool's Indices: flat over the whole N·C·H·W
 * input, row-major (storage_order 0) or with each plane stored column-major, w·H + h (storage_order 1).
 */
function onnxPoolIndices(perPlane: Tensor, xShape: readonly number[], storageOrder: number): Tensor {
  const [H, W] = xShape.slice(-2) as [number, number];
  const n = perPlane.shape.at(-2)! * perPlane.shape.at(-1)!;
  const src = perPlane.toTypedArray();
  const out = Int32Array.from(src, (a, k) => {
    const within = storageOrder === 1 ? (a % W) * H + Math.floor(a / W) : a;
    return Math.floor(k / n) * H * W + within;
  });
  return tensor(out, { shape: [...perPlane.shape] });
}

/** ONNX MaxUnpool's whole-tensor indices → per output plane (subtract each plane's offset), checked. */
function planeIndices(whole: Tensor, planeSize: number): Tensor {
  const n = whole.shape.at(-2)! * whole.shape.at(-1)!;
  const src = whole.toTypedArray();
  const out = Int32Array.from(src, (a, k) => {
    const p = Math.floor(k / n);
    if (Math.floor(a / planeSize) !== p)
      throw new Error(`MaxUnpool index ${a} at ${k} is outside plane ${p}`);
    return a - p * planeSize;
  });
  return tensor(out, { shape: [...whole.shape] });
}

function runNode(node: INode, ins: (Tensor | undefined)[], opset: number): Tensor[] {
  const a = attrs(node);
  const x = ins[0]!;
  switch (node.opType) {
    case 'Constant': {
      const v = a.get('value')?.t;
      if (!v) throw new Unsupported('Constant without a tensor value');
      return [toTensor(v)];
    }
    case 'Erf':
      return [erf(x)];
    case 'GlobalAveragePool':
      return [adaptiveAvgPool2d(x, 1)];
    case 'LayerNormalization': {
      // Normalises over dims axis..end; Mean and InvStdDev keep the leading dims, the rest become 1.
      let axis = attrInt(a, 'axis', -1);
      if (axis < 0) axis += x.ndim;
      const r = layerNormForward(
        x,
        x.shape.slice(axis),
        ins[1] ?? null,
        ins[2] ?? null,
        attrFloat(a, 'epsilon', 1e-5),
      );
      const keep = x.shape.map((d, i) => (i < axis ? d : 1));
      return [r.y, reshape(r.mean.to(x.dtype), keep), reshape(r.invStd.to(x.dtype), keep)];
    }
    case 'Relu':
      return [relu(x)];
    case 'Sigmoid':
      return [sigmoid(x)];
    case 'Tanh':
      return [tanh(x)];
    case 'Exp':
      return [exp(x)];
    case 'Log':
      return [log(x)];
    case 'LeakyRelu':
      return [leakyRelu(x, attrFloat(a, 'alpha', 0.01))];
    case 'Add':
      return [add(x, ins[1]!)];
    case 'Sub':
      return [sub(x, ins[1]!)];
    case 'Mul':
      return [mul(x, ins[1]!)];
    case 'Div': {
      const y = div(x, ins[1]!);
      return [x.dtype === 'int32' && ins[1]!.dtype === 'int32' ? y.to('int32') : y];
    }
    case 'Softmax':
      return [softmaxLike(softmax, x, a, opset)];
    case 'LogSoftmax':
      return [softmaxLike(logSoftmax, x, a, opset)];
    case 'MatMul':
      return [matmul(x, ins[1]!)];
    case 'Gemm': {
      const A = attrInt(a, 'transA', 0) ? permute(x, [1, 0]) : x;
      const B = attrInt(a, 'transB', 0) ? permute(ins[1]!, [1, 0]) : ins[1]!;
      let y = mul(matmul(A, B), attrFloat(a, 'alpha', 1));
      if (ins[2]) y = add(y, mul(ins[2], attrFloat(a, 'beta', 1)));
      return [y];
    }
    case 'Transpose': {
      const perm = attrInts(a, 'perm') ?? [...x.shape.keys()].reverse();
      return [permute(x, perm)];
    }
    case 'Concat':
      return [
        concat(
          ins.filter((t): t is Tensor => t !== undefined),
          attrInt(a, 'axis', 0),
        ),
      ];
    case 'Flatten': {
      let axis = attrInt(a, 'axis', 1);
      if (axis < 0) axis += x.ndim;
      if (axis === 0) return [unsqueeze(flatten(x), 0)];
      if (axis === x.ndim) return [unsqueeze(flatten(x), 1)];
      return [flatten(flatten(x, axis, -1), 0, axis - 1)];
    }
    case 'Reshape': {
      const allowZero = attrInt(a, 'allowzero', 0) === 1;
      const shape = ints(ins[1]!).map((d, i) => (d === 0 && !allowZero ? x.shape[i]! : d));
      return [reshape(x, shape)];
    }
    case 'ReduceSum':
    case 'ReduceMean':
    case 'ReduceMax': {
      const axes = reduceAxes(node, a, ins, opset);
      if (axes === null) return [x];
      const keep = attrInt(a, 'keepdims', 1) === 1;
      const f = node.opType === 'ReduceSum' ? sum : node.opType === 'ReduceMean' ? mean : max;
      return [f(x, axes, keep)];
    }
    case 'Gather': {
      // ONNX Gather with n-d indices = indexSelect with flat indices, then the indices' shape spliced in.
      let axis = attrInt(a, 'axis', 0);
      if (axis < 0) axis += x.ndim;
      const idx = ins[1]!;
      const picked = indexSelect(x, axis, reshape(idx, [idx.size]));
      return [reshape(picked, [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)])];
    }
    case 'Conv': {
      const w = ins[1]!;
      const kernel = attrInts(a, 'kernel_shape') ?? w.shape.slice(2);
      const g = windowAttrs(a, x, kernel, [1, 1]);
      return [conv2d(x, w, ins[2] ?? null, { ...g, groups: attrInt(a, 'group', 1) })];
    }
    case 'MaxPool': {
      const kernel = attrInts(a, 'kernel_shape')!;
      const g = windowAttrs(a, x, kernel, [1, 1]);
      const opts = {
        kernelSize: [kernel[0]!, kernel[1]!] as const,
        ...g,
        ceilMode: attrInt(a, 'ceil_mode', 0) === 1,
      };
      if ((node.output ?? []).filter(Boolean).length < 2) return [maxPool2d(x, opts)];
      const { values, indices } = maxPool2dWithIndices(x, opts);
      return [values, onnxPoolIndices(indices, x.shape, attrInt(a, 'storage_order', 0))];
    }
    case 'MaxUnpool': {
      const kernel = attrInts(a, 'kernel_shape')!;
      const stride = attrInts(a, 'strides') ?? [1, 1];
      const pads = attrInts(a, 'pads') ?? [0, 0, 0, 0];
      // Without output_shape the output is (in − 1)·stride + kernel − pads per dim. With it, ONNX (its
      // reference implementation and this test data) ignores pads, counts the indices in the
      // (in − 1)·stride + kernel plane and zero-pads that at the end up to output_shape; onnxruntime
      // instead counts them in output_shape's plane. tsdl's exporter never emits output_shape for that reason.
      const given = ins[2] ? ints(ins[2]).slice(-2) : undefined;
      const plane = [0, 1].map(
        (i) => (x.shape[2 + i]! - 1) * stride[i]! + kernel[i]! - (given ? 0 : pads[i]! + pads[i + 2]!),
      );
      const y = maxUnpool2d(x, planeIndices(ins[1]!, plane[0]! * plane[1]!), {
        kernelSize: [kernel[0]!, kernel[1]!],
        stride: [stride[0]!, stride[1]!],
        outputSize: plane,
      });
      return [given ? pad(y, [0, given[1]! - plane[1]!, 0, given[0]! - plane[0]!]) : y];
    }
    case 'AveragePool': {
      const kernel = attrInts(a, 'kernel_shape')!;
      const g = windowAttrs(a, x, kernel, [1, 1]);
      return [
        avgPool2d(x, {
          kernelSize: [kernel[0]!, kernel[1]!],
          stride: g.stride,
          pads: g.pads,
          ceilMode: attrInt(a, 'ceil_mode', 0) === 1,
          countIncludePad: attrInt(a, 'count_include_pad', 0) === 1,
        }),
      ];
    }
    default:
      throw new Unsupported(`op ${node.opType} has no tsdl mapping`);
  }
}

function runGraph(model: IModel, feeds: Tensor[]): Tensor[] {
  const graph = model.graph!;
  const opset = num((model.opsetImport ?? []).find((o) => !o.domain)?.version ?? 0);
  const values = new Map<string, Tensor>();
  for (const init of graph.initializer ?? []) values.set(init.name ?? '', toTensor(init));
  const inputs = (graph.input ?? []).filter((i) => !values.has(i.name ?? ''));
  inputs.forEach((i, k) => {
    values.set(i.name ?? '', feeds[k]!);
  });
  for (const node of graph.node ?? []) {
    const ins = (node.input ?? []).map((n) => (n === '' ? undefined : values.get(n)));
    const outs = runNode(node, ins, opset);
    (node.output ?? []).forEach((n, k) => {
      if (n && outs[k]) values.set(n, outs[k]);
    });
  }
  return (graph.output ?? []).map((o) => values.get(o.name ?? '')!);
}

// ---- case discovery ---------------------------------------------------------------------

const elemType = (v: IValueInfo): number => v.type?.tensorType?.elemType ?? 0;
const rankOf = (v: IValueInfo): number => v.type?.tensorType?.shape?.dim?.length ?? -1;

/** Why a case cannot run through tsdl (decided from the model alone), or null. */
function skipReason(model: IModel): string | null {
  const graph = model.graph!;
  const unmapped = [...new Set((graph.node ?? []).map((n) => n.opType ?? ''))].filter(
    (o) => !OPS.has(o) && !HELPER_OPS.has(o),
  );
  if (unmapped.length) return `graph uses ops without a tsdl mapping: ${unmapped.join(', ')}`;
  for (const v of [...(graph.input ?? []), ...(graph.output ?? [])]) {
    const t = elemType(v);
    if (t !== 1 && t !== 11 && t !== 6 && t !== 7)
      return `${ONNX_DTYPE[t] ?? `dtype ${t}`} tensors (tsdl has float32, float64, int32)`;
  }
  for (const n of graph.node ?? []) {
    const op = n.opType ?? '';
    if (
      op === 'Conv' ||
      op === 'MaxPool' ||
      op === 'AveragePool' ||
      op === 'MaxUnpool' ||
      op === 'GlobalAveragePool'
    ) {
      const x = (graph.input ?? []).find((i) => i.name === n.input?.[0]);
      const r = x ? rankOf(x) : 4;
      if (r !== 4) return `${r - 2}-d ${op} (tsdl has 2-d conv/pool only)`;
    }
  }
  return null;
}

interface Case {
  name: string;
  dir: string;
  model: IModel;
  op: string;
  skip: string | null;
  float32: boolean;
}

/**
 * The cases of the mapped ops: single-node graphs whose op is in OPS, plus their `_expanded`
 * twins (the same test written as a function body of smaller ops).
 */
function discover(): Case[] {
  const models = new Map<string, IModel>();
  for (const name of readdirSync(DATA_DIR).sort()) {
    const file = join(DATA_DIR, name, 'model.onnx');
    if (name.startsWith('test_') && existsSync(file))
      models.set(name, onnx.ModelProto.decode(readFileSync(file)));
  }
  const singleOp = (m: IModel | undefined): string | undefined => {
    const nodes = m?.graph?.node ?? [];
    return nodes.length === 1 && OPS.has(nodes[0]!.opType ?? '') ? nodes[0]!.opType! : undefined;
  };
  const out: Case[] = [];
  for (const [name, model] of models) {
    const base = name.endsWith('_expanded') ? name.slice(0, -'_expanded'.length) : name;
    const op = singleOp(models.get(base));
    if (!op || (base !== name && singleOp(model))) continue;
    const float32 = [...(model.graph?.input ?? []), ...(model.graph?.output ?? [])].some(
      (v) => elemType(v) === 1,
    );
    out.push({
      name,
      dir: join(DATA_DIR, name),
      model,
      op: base === name ? op : `${op} (expanded)`,
      skip: skipReason(model),
      float32,
    });
  }
  return out;
}

function readPbs(dir: string, prefix: string): Tensor[] {
  const set = join(dir, 'test_data_set_0');
  return readdirSync(set)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((p, q) => Number(p.slice(prefix.length, -3)) - Number(q.slice(prefix.length, -3)))
    .map((f) => toTensor(onnx.TensorProto.decode(readFileSync(join(set, f)))));
}

/** Worst |got - want| / (ATOL + RTOL·|want|) (≤ 1 passes); NaN must match NaN, ±inf must match exactly. */
function worstError(got: Tensor, want: Tensor): number {
  const g = got.toTypedArray();
  const w = want.toTypedArray();
  let worst = 0;
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
    worst = Math.max(worst, Math.abs(a - b) / (ATOL + RTOL * Math.abs(b)));
  }
  return worst;
}

// ---- tests ----------------------------------------------------------------------------------

type Status = 'passed' | 'failed' | 'skipped';
const results = new Map<string, { op: string; status: Status; reason: string }>();

if (!existsSync(DATA_DIR)) {
  const msg = `ONNX conformance: ${DATA_DIR} is missing (apt-get install libonnx-testdata, or set ONNX_TESTDATA_DIR)`;
  if (process.env.CI === 'true') {
    it('libonnx-testdata is installed (required in CI)', () => {
      throw new Error(msg);
    });
  } else {
    console.warn(`${msg}; skipping`);
    it.skip(`${msg}`, () => {});
  }
} else {
  const cases = discover();

  describe('ONNX backend node tests (libonnx-testdata) through tsdl ops', () => {
    for (const c of cases) {
      if (c.skip) {
        results.set(c.name, { op: c.op, status: 'skipped', reason: c.skip });
        it.skip(`${c.name} [${c.op}] — skipped: ${c.skip}`, () => {});
        continue;
      }
      it(`${c.name} [${c.op}]`, () => {
        results.set(c.name, { op: c.op, status: 'failed', reason: '' });
        try {
          const outs = runGraph(c.model, readPbs(c.dir, 'input_'));
          const wants = readPbs(c.dir, 'output_');
          expect(outs.length).toBe(wants.length);
          wants.forEach((want, k) => {
            const got = outs[k]!;
            expect(got, `output ${k} missing`).toBeDefined();
            expect([...got.shape], `output ${k} shape`).toEqual([...want.shape]);
            // int64 outputs come back as int32 (tsdl's integer dtype); floats keep their width.
            expect(got.dtype, `output ${k} dtype`).toBe(want.dtype);
            const err = worstError(got, want);
            expect(
              err,
              `output ${k}: worst error ${err.toPrecision(3)}× tolerance (atol ${ATOL}, rtol ${RTOL})`,
            ).toBeLessThanOrEqual(1);
          });
          results.set(c.name, { op: c.op, status: 'passed', reason: '' });
        } catch (e) {
          results.set(c.name, {
            op: c.op,
            status: 'failed',
            reason: (e as Error).message.split('\n')[0]!.slice(0, 160),
          });
          throw e;
        }
      });
    }

    it('runs every float32 case of the mapped ops (no silent gaps)', () => {
      const f32 = cases.filter((c) => c.float32 && !c.skip);
      expect(f32.length).toBeGreaterThan(100);
      // Skips of float32 cases are only for features tsdl does not have, each with a reason.
      for (const c of cases.filter((c) => c.skip)) expect(c.skip!.length).toBeGreaterThan(0);
    });
  });

  afterAll(() => {
    const byOp = new Map<string, Record<Status, number>>();
    for (const r of results.values()) {
      const row = byOp.get(r.op) ?? { passed: 0, failed: 0, skipped: 0 };
      row[r.status]++;
      byOp.set(r.op, row);
    }
    const table = Object.fromEntries([...byOp.entries()].sort());
    const total = { passed: 0, failed: 0, skipped: 0 };
    for (const r of results.values()) total[r.status]++;
    console.log(
      `ONNX conformance (${DATA_DIR}): ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`,
    );
    console.table({ ...table, TOTAL: total });
    const notes = [...results.entries()].filter(([, r]) => r.status !== 'passed');
    if (notes.length)
      console.log(notes.map(([n, r]) => `  ${r.status.padEnd(7)} ${n}: ${r.reason}`).join('\n'));
  });
}
