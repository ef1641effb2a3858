// Fits y = m·x + b to five points by the normal equations, using @tsdl/tensor only.
import { matmul, ones, stack, tensor } from '@tsdl/tensor';

const x = tensor([1, 2, 3, 4, 5], { dtype: 'float64' });
const y = tensor([[1], [3], [2], [3], [5]], { dtype: 'float64' });
const X = stack([x, ones([5], { dtype: 'float64' })], 1); // [5, 2] design matrix
const Xt = X.transpose(0, 1);
const A = matmul(Xt, X).toArray(); // 2×2, solved by hand (Cramer's rule)
const r = matmul(Xt, y).toArray();
const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
const m = (r[0][0] * A[1][1] - A[0][1] * r[1][0]) / det;
const b = (A[0][0] * r[1][0] - A[1][0] * r[0][0]) / det;
console.log(`least squares on X=[1..5], y=[1,3,2,3,5]: m = ${m.toFixed(4)}, b = ${b.toFixed(4)}`);
if (Math.abs(m - 0.8) > 1e-9 || Math.abs(b - 0.4) > 1e-9) {
  console.error('expected m = 0.8, b = 0.4');
  process.exit(1);
}
