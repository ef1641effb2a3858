import { add, type DType, type NestedArray, ones, Tensor, tensor } from '@tsdl/tensor';
import type { OpSpec } from './define-op.js';
// Op imports for the methods below; circular with the op files but only used at call time.
import { abs as absOp } from './ops/abs.js';
import { add as addOp, div as divOp, mul as mulOp, neg as negOp, sub as subOp } from './ops/arithmetic.js';
import { clamp as clampOp } from './ops/clamp.js';
import { concat as concatOp } from './ops/concat.js';
import { exp as expOp, log as logOp } from './ops/exp-log.js';
import { expand as expandOp } from './ops/expand.js';
import { flatten as flattenOp } from './ops/flatten.js';
import { gather as gatherOp } from './ops/gather.js';
import { indexSelect as indexSelectOp } from './ops/index-select.js';
import { leakyRelu as leakyReluOp } from './ops/leaky-relu.js';
import { matmul as matmulOp } from './ops/matmul.js';
import { max as maxOp, min as minOp } from './ops/max-min.js';
import { maximum as maximumOp, minimum as minimumOp } from './ops/maximum-minimum.js';
import { pad as padOp } from './ops/pad.js';
import { permute as permuteOp, transpose as transposeOp } from './ops/permute.js';
import { pow as powOp } from './ops/pow.js';
import { relu as reluOp } from './ops/relu.js';
import { reshape as reshapeOp } from './ops/reshape.js';
import { sigmoid as sigmoidOp } from './ops/sigmoid.js';
import { slice as sliceOp } from './ops/slice.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from './ops/softmax.js';
import { sqrt as sqrtOp } from './ops/sqrt.js';
import { squeeze as squeezeOp, unsqueeze as unsqueezeOp } from './ops/squeeze.js';
import { mean as meanOp, sum as sumOp } from './ops/sum.js';
import { tanh as tanhOp } from './ops/tanh.js';

/** A recorded op application: how `output` was computed from `inputs`. */
export interface GraphNode {
  spec: OpSpec<unknown>;
  inputs: Variable[];
  attrs: unknown;
  /** Forward-time tensors for backward; null once the graph is freed. */
  saved: { inputs: Tensor[]; output: Tensor } | null;
  /** Module path active when the node was recorded under recordGraph (for export errors). */
  scope?: string;
}

export type Input = Variable | Tensor | number;

/**
 * A tensor that remembers how it was computed, so `backward()` can send gradients to the leaves.
 * Leaves are Variables created by the user (`node === null`); parameters are leaves with requiresGrad.
 */
export class Variable {
  data: Tensor;
  grad: Tensor | null = null;
  requiresGrad: boolean;
  node: GraphNode | null = null;
  /** Keep `.grad` on a non-leaf too (torch's retain_grad). */
  retainsGrad = false;

  constructor(data: Tensor, requiresGrad = false) {
    if (!(data instanceof Tensor))
      throw new TypeError(`Variable: data must be a Tensor, received ${typeof data}`);
    this.data = data;
    this.requiresGrad = requiresGrad;
  }

  get shape(): readonly number[] {
    return this.data.shape;
  }
  get dtype(): DType {
    return this.data.dtype;
  }
  get ndim(): number {
    return this.data.ndim;
  }
  get size(): number {
    return this.data.size;
  }
  get isLeaf(): boolean {
    return this.node === null;
  }

  item(): number {
    return this.data.item();
  }
  toArray(): NestedArray {
    return this.data.toArray();
  }
  /** Same data, cut from the graph. */
  detach(): Variable {
    return new Variable(this.data, false);
  }
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }
  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * Back-propagates from this Variable. `grad` defaults to 1 for a one-element output.
   * Frees the graph's saved tensors unless `retainGraph` (a second backward then throws, like PyTorch).
   */
  backward(grad?: Tensor, opts: { retainGraph?: boolean } = {}): void {
    backward(this, grad, opts.retainGraph ?? false);
  }

  toString(): string {
    return `Variable(${this.data.toString()}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  // ---- methods mirroring the differentiable ops ----
  add(o: Input): Variable {
    return addOp(this, o);
  }
  sub(o: Input): Variable {
    return subOp(this, o);
  }
  mul(o: Input): Variable {
    return mulOp(this, o);
  }
  div(o: Input): Variable {
    return divOp(this, o);
  }
  neg(): Variable {
    return negOp(this);
  }
  relu(): Variable {
    return reluOp(this);
  }
  sum(axis?: number | number[], keepdims = false): Variable {
    return sumOp(this, axis, keepdims);
  }
  mean(axis?: number | number[], keepdims = false): Variable {
    return meanOp(this, axis, keepdims);
  }
  reshape(shape: readonly number[]): Variable {
    return reshapeOp(this, shape);
  }
  view(shape: readonly number[]): Variable {
    return reshapeOp(this, shape);
  }
  matmul(o: Input): Variable {
    return matmulOp(this, o);
  }
  pow(o: Input): Variable {
    return powOp(this, o);
  }
  exp(): Variable {
    return expOp(this);
  }
  log(): Variable {
    return logOp(this);
  }
  sqrt(): Variable {
    return sqrtOp(this);
  }
  abs(): Variable {
    return absOp(this);
  }
  sigmoid(): Variable {
    return sigmoidOp(this);
  }
  tanh(): Variable {
    return tanhOp(this);
  }
  leakyRelu(negativeSlope = 0.01): Variable {
    return leakyReluOp(this, negativeSlope);
  }
  clamp(min?: number | null, max?: number | null): Variable {
    return clampOp(this, min, max);
  }
  maximum(o: Input): Variable {
    return maximumOp(this, o);
  }
  minimum(o: Input): Variable {
    return minimumOp(this, o);
  }
  max(axis?: number | number[], keepdims = false): Variable {
    return maxOp(this, axis, keepdims);
  }
  min(axis?: number | number[], keepdims = false): Variable {
    return minOp(this, axis, keepdims);
  }
  transpose(dim0: number, dim1: number): Variable {
    return transposeOp(this, dim0, dim1);
  }
  permute(dims: readonly number[]): Variable {
    return permuteOp(this, dims);
  }
  flatten(startDim = 0, endDim = -1): Variable {
    return flattenOp(this, startDim, endDim);
  }
  squeeze(axis?: number | number[]): Variable {
    return squeezeOp(this, axis);
  }
  unsqueeze(axis: number): Variable {
    return unsqueezeOp(this, axis);
  }
  expand(shape: readonly number[]): Variable {
    return expandOp(this, shape);
  }
  slice(axis: number, start: number, end?: number, step = 1): Variable {
    return sliceOp(this, axis, start, end, step);
  }
  pad(pads: readonly number[], value = 0): Variable {
    return padOp(this, pads, value);
  }
  concat(others: readonly Input[], axis = 0): Variable {
    return concatOp([this, ...others], axis);
  }
  indexSelect(axis: number, indices: Tensor | Variable | readonly number[]): Variable {
    return indexSelectOp(this, axis, indices);
  }
  gather(axis: number, index: Tensor | Variable): Variable {
    return gatherOp(this, axis, index);
  }
  softmax(axis = -1): Variable {
    return softmaxOp(this, axis);
  }
  logSoftmax(axis = -1): Variable {
    return logSoftmaxOp(this, axis);
  }
}

/** Wraps a tensor (or nested numbers, as float32) as a Variable. */
export function variable(data: Tensor | NestedArray, opts: { requiresGrad?: boolean } = {}): Variable {
  return new Variable(data instanceof Tensor ? data : tensor(data), opts.requiresGrad ?? false);
}

/** Leaf tensors and plain numbers become constant Variables; numbers take `dtype`. */
export function toVariable(x: Input, dtype: DType = 'float32'): Variable {
  if (x instanceof Variable) return x;
  if (x instanceof Tensor) return new Variable(x, false);
  if (typeof x === 'number') return new Variable(tensor([x], { dtype, shape: [] }), false);
  throw new TypeError(`expected a Variable, Tensor or number, received ${x === null ? 'null' : typeof x}`);
}

function topoOrder(root: Variable): Variable[] {
  const order: Variable[] = [];
  const seen = new Set<Variable>();
  const stack: [Variable, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [v, i] = top;
    const inputs = v.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const child = inputs[i]!;
      if (!seen.has(child) && child.requiresGrad) {
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(v);
    }
  }
  return order.reverse(); // root first
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** t is row-major over the whole of its storage (what clone() would give). */
function ownsStorage(t: Tensor): boolean {
  return t.offset === 0 && t.data.length === t.size && t.isContiguous();
}

function backward(root: Variable, grad: Tensor | undefined, retainGraph: boolean): void {
  if (!root.requiresGrad) {
    throw new Error('backward: this Variable does not require grad (no input with requiresGrad reached it)');
  }
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: grad can be omitted only for one-element outputs, output shape is [${root.shape.join(',')}]`,
      );
    }
    grad = ones(root.shape, { dtype: root.dtype });
  } else if (!sameShape(grad.shape, root.shape)) {
    throw new Error(
      `backward: grad shape [${grad.shape.join(',')}] differs from output shape [${root.shape.join(',')}]`,
    );
  }
  const grads = new Map<Variable, Tensor>([[root, grad]]);
  // How many delivered gradients hold each storage (a shared one counts 2): a leaf's first .grad is
  // the delivered tensor itself only when it alone holds fresh storage, otherwise a copy, so no two
  // .grads, and no .grad and the caller's `grad`, share memory (clipGradNorm_ scales .grad in place).
  const holders = new Map<unknown, number>([[grad.data, 2]]);
  const hold = (t: Tensor, n: number) => holders.set(t.data, (holders.get(t.data) ?? 0) + n);
  for (const v of topoOrder(root)) {
    const g = grads.get(v);
    if (g === undefined) continue;
    grads.delete(v);
    const node = v.node;
    if (node === null || v.retainsGrad) {
      if (v.grad !== null) v.grad = add(v.grad, g);
      else v.grad = holders.get(g.data) === 1 && ownsStorage(g) ? g : g.contiguous().clone();
    }
    if (node === null) continue;
    if (node.saved === null) {
      throw new Error(
        `backward: the graph through '${node.spec.name}' was already freed by an earlier backward(); pass {retainGraph: true} to the first call`,
      );
    }
    const needsGrad = node.inputs.map((x) => x.requiresGrad);
    const inGrads = node.spec.backward({ ...node.saved, attrs: node.attrs, needsGrad, retainGraph }, g);
    for (let i = 0; i < node.inputs.length; i++) {
      const x = node.inputs[i]!;
      const gi = inGrads[i];
      if (!x.requiresGrad || gi == null) continue;
      if (!sameShape(gi.shape, x.shape)) {
        throw new Error(
          `backward of '${node.spec.name}': gradient for input ${i} has shape [${gi.shape.join(',')}], input is [${x.shape.join(',')}]`,
        );
      }
      const prev = grads.get(x);
      hold(gi, node.spec.freshGrads ? 1 : 2);
      if (prev === undefined) grads.set(x, gi);
      else {
        const sum = add(prev, gi); // fresh storage
        hold(sum, 1);
        grads.set(x, sum);
      }
    }
    if (!retainGraph) node.saved = null;
  }
}
