// STUB — to be implemented (owner: tensor-ops helper).
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
/** Picks whole slices along `axis` (ONNX Gather, torch.index_select); negative indices count from the end. */
export function indexSelect(x: Tensor, axis: number, indices: Tensor | readonly number[]): Tensor { return fail('indexSelect', `not implemented ${x}${axis}${indices}`); }
/** PyTorch gather: out[i][j] = x[index[i][j]][j] for axis 0, etc. */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor { return fail('gather', `not implemented ${x}${axis}${index}`); }
/** Returns a copy of x with `source` slices added at `indices` along axis (repeats accumulate); backward of indexSelect. */
export function indexAdd(x: Tensor, axis: number, indices: Tensor | readonly number[], source: Tensor): Tensor { return fail('indexAdd', `not implemented ${x}${axis}${indices}${source}`); }
/** Returns a copy of x with src scattered-added at index along axis (PyTorch scatter_add); backward of gather. */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor { return fail('scatterAdd', `not implemented ${x}${axis}${index}${src}`); }
