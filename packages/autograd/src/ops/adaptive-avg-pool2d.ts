// Adaptive average pooling (F.adaptive_avg_pool2d) over NCHW or CHW, from the tensor package's kernels.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';
import { emitPool } from './pool2d.js';

const adaptiveAvgPool2dOp = defineOp<{ outputSize: T.AdaptiveOutputSize }>({
  name: 'adaptiveAvgPool2d',
  forward: ([x], { outputSize }) => T.adaptiveAvgPool2d(x!, outputSize),
  backward: ({ inputs: [x] }, dy) => [T.adaptiveAvgPool2dGrad(dy, x!.shape)],
  // ONNX has no adaptive pooling: the traced sizes pick a fixed-window equivalent, when there is one.
  onnx: (g, [x], { inputs: [xt], output }) => {
    const [H, W] = xt!.shape.slice(-2) as [number, number];
    const [oh, ow] = output.shape.slice(-2) as [number, number];
    if (oh === 1 && ow === 1) return emitPool(g, 'GlobalAveragePool', x!, xt!.ndim, {});
    if (H % oh !== 0 || W % ow !== 0) {
      throw new Error(
        `adaptiveAvgPool2d: ONNX export needs the input size to be a multiple of the output size (then the windows are AveragePool's), received input ${H}×${W} → output ${oh}×${ow}`,
      );
    }
    const kernel = [H / oh, W / ow];
    return emitPool(g, 'AveragePool', x!, xt!.ndim, {
      kernel_shape: { ints: kernel },
      strides: { ints: kernel },
    });
  },
});

/**
 * Average pooling to a fixed output size (F.adaptive_avg_pool2d): outputSize is one number for both
 * dims or [h, w] with null keeping that input size. Output cell i covers input rows
 * floor(i·H/oh) to ceil((i+1)·H/oh), PyTorch's windows.
 */
export function adaptiveAvgPool2d(x: Input, outputSize: T.AdaptiveOutputSize): Variable {
  // A copy, so that the recorded attribute cannot change under the graph.
  const size = Array.isArray(outputSize) ? ([...outputSize] as [number | null, number | null]) : outputSize;
  return adaptiveAvgPool2dOp.run([x], { outputSize: size });
}
