import { Variable } from '@tsdl/autograd';
import { Tensor } from '@tsdl/tensor';

/**
 * Rescales the gradients of `params` so their joint `normType`-norm is at most maxNorm, like
 * torch.nn.utils.clip_grad_norm_: coef = min(maxNorm / (total + 1e-6), 1), applied to every gradient.
 * Returns the total norm before clipping. Parameters without a gradient are skipped.
 */
export function clipGradNorm(
  params: Iterable<Variable> | Variable,
  maxNorm: number,
  normType = 2,
  opts: { errorIfNonfinite?: boolean } = {},
): number {
  if (!(maxNorm >= 0)) throw new Error(`clipGradNorm: maxNorm must be >= 0, received ${maxNorm}`);
  if (!(normType > 0))
    throw new Error(`clipGradNorm: normType must be positive or Infinity, received ${normType}`);
  const ps = (params instanceof Variable ? [params] : [...params]).filter((p) => p.grad !== null);
  if (ps.length === 0) return 0;
  const f32 = ps.every((p) => p.grad!.dtype === 'float32');
  const f = f32 ? Math.fround : (x: number) => x;
  // Per-tensor norms then the norm of those norms, each rounded like torch's float32 results.
  const norms = ps.map((p) => {
    const g = p.grad!.toTypedArray();
    let acc = 0;
    if (normType === Infinity) for (let i = 0; i < g.length; i++) acc = Math.max(acc, Math.abs(g[i]!));
    else for (let i = 0; i < g.length; i++) acc += Math.abs(g[i]!) ** normType;
    return f(normType === Infinity ? acc : acc ** (1 / normType));
  });
  let total: number;
  if (normType === Infinity) total = Math.max(...norms);
  else total = f(norms.reduce((a, n) => a + n ** normType, 0) ** (1 / normType));
  if (opts.errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(`clipGradNorm: the total norm of order ${normType} of the gradients is ${total}`);
  }
  const coef = Math.min(f(maxNorm / f(total + 1e-6)), 1);
  if (coef < 1) {
    for (const p of ps) {
      const g = p.grad!.toTypedArray();
      for (let i = 0; i < g.length; i++) g[i] = f(g[i]! * coef);
      p.grad = new Tensor(g, p.grad!.shape);
    }
  }
  return total;
}
