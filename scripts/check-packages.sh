#!/usr/bin/env bash
# Checks what npm users would get from each published @tsdl/* package, on the packed tarballs
# themselves (not the workspace): contents, publint, arethetypeswrong, entry sizes, the
# changesets state, and that @tsdl/metrics and @tsdl/tensor install and run on their own.
# Run from anywhere after `pnpm build`; exits non-zero if any check fails.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"

PACKAGES=(tensor autograd nn metrics data onnx-export)
# Minified + gzipped size limit of @tsdl/tensor's entry (bundled, dependencies external).
# Measured 24.4 KB when this limit was set at 40 KB; it includes the WebAssembly kernels (inlined
# bytes). Raised to 48 KB with the float32 elementwise, LSTM and GRU kernels (37.0 → 42.7 KB, after
# building the relaxed-SIMD and shared variants with sgemm/im2col only and trimming inlined copies:
# 59.6 KB at first). Raised to 52 KB with sgemm's unpacked matrix-vector/outer-product path (in all
# four sgemm builds) and the LSTM/GRU backward kernels: 45.4 → 49.2 KB. Raised to 60 KB with the direct
# stride-1 convolutions (assembly/conv-direct.ts: four register-blocked forms the pool runs, so in all
# four builds, ~2.4 KB as base64 + gzip alone each) and the SGD kernel: 49.1 → 57.7 KB.
# gzip only finds repeats within 32 KB, so the size can jump with a small change to a kernel: a
# 124-byte larger base64 took it from 58 787 to 61 981 bytes once (build-wasm.mjs orders the builds
# for the best fit: 56.8 KB, 58 132 bytes, at the end of the tenth bench round).
TENSOR_LIMIT_BYTES=$((60 * 1024))

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tsdl-check-packages.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tgz" "$WORK/unpacked"

failures=()
fail() { echo "  FAIL: $*"; failures+=("$*"); }
pass() { echo "  ok: $*"; }
section() { printf '\n== %s\n' "$*"; }
# npm on some machines warns about unrelated user config; keep only errors.
npm_q() { npm --loglevel=error --no-audit --no-fund --no-update-notifier "$@"; }

declare -A TARBALL
declare -A SIZES

for p in "${PACKAGES[@]}"; do
  dir="packages/$p"
  name="$(node -p "require('./$dir/package.json').name")"
  section "$name"
  if [ ! -f "$dir/dist/index.js" ]; then
    fail "$name: $dir/dist/index.js missing (run pnpm build first)"
    continue
  fi

  # pnpm pack (not npm pack): it rewrites workspace:^ dependencies to versions, as `pnpm publish` does.
  (cd "$dir" && pnpm pack --pack-destination "$WORK/tgz" >/dev/null)
  tgz="$(ls "$WORK"/tgz/"$(echo "${name#@}" | tr / -)"-*.tgz)"
  TARBALL[$p]="$tgz"
  pass "packed $(basename "$tgz") ($(wc -c <"$tgz") bytes)"

  # Contents: dist (JS, .d.ts, maps), src (the TypeScript the maps point at), README, LICENSE,
  # CHANGELOG, package.json only; no tests or test helpers in either.
  listing="$(tar -tzf "$tgz")"
  bad="$(
    grep -vE '^package/(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist/.+|src/.+\.ts)$' <<<"$listing"
    grep -E '^package/(dist|src)/(.*/)?([^/]*\.(test|spec)\.[^/]*|test-utils/.*|__fixtures__/.*)$' <<<"$listing"
    grep -E '^package/dist/.*\.ts$' <<<"$listing" | grep -vE '\.d\.ts$'
  )" || true
  if [ -n "$bad" ]; then fail "$name: unexpected files in tarball:"$'\n'"$bad"; else pass "tarball holds only dist + metadata ($(wc -l <<<"$listing") files)"; fi
  # Every source and declaration map must point at a file the tarball holds (editors and stack
  # traces follow them).
  mapdir="$WORK/maps/$p"
  mkdir -p "$mapdir" && tar -xzf "$tgz" -C "$mapdir"
  if out="$(node -e '
    const fs = require("node:fs"), path = require("node:path");
    const root = process.argv[1]; const missing = [];
    const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith(".map")) for (const s of JSON.parse(fs.readFileSync(f, "utf8")).sources)
        if (!fs.existsSync(path.resolve(path.dirname(f), s))) missing.push(path.relative(root, f) + " -> " + s);
    } };
    walk(path.join(root, "package", "dist"));
    if (missing.length) { console.log(missing.slice(0, 5).join("\n")); process.exit(1); }
  ' "$mapdir" 2>&1)"; then pass "source maps resolve inside the tarball"; else echo "$out"; fail "$name: source maps point outside the tarball"; fi
  for f in package.json README.md LICENSE; do
    grep -qx "package/$f" <<<"$listing" || fail "$name: $f missing from tarball"
  done
  packed_json="$(tar -xzOf "$tgz" package/package.json)"
  if grep -q 'workspace:' <<<"$packed_json"; then fail "$name: packed package.json still has workspace: ranges"; fi
  node -e '
    const p = JSON.parse(process.argv[1]);
    const missing = ["description", "license", "engines", "exports", "files"].filter((k) => !p[k] || (typeof p[k] === "string" && !p[k].trim()));
    if (missing.length) { console.log(`  FAIL: ${p.name}: package.json lacks ${missing.join(", ")}`); process.exit(1); }
  ' "$packed_json" || failures+=("$name: package.json metadata")

  # publint (--strict: its warnings count as errors).
  if out="$(publint --strict "$tgz" 2>&1)"; then pass "publint"; else echo "$out"; fail "$name: publint"; fi

  # arethetypeswrong on the same tarball (attw --pack would run npm pack, which keeps workspace:^).
  # The packages are ESM-only by design (`type: module`, for Node >= 20 and browsers): the esm-only profile ignores the node10 and node16-from-CJS resolutions, which can
  # only report "ESM (dynamic import only)" for such a package. Every other rule stays on.
  if out="$(attw --profile esm-only --format table-flipped --no-color --no-emoji "$tgz" 2>&1)"; then
    pass "attw --profile esm-only"
  else
    echo "$out"
    fail "$name: attw"
  fi

  # Size of each entry point: esbuild bundle of the packed dist, minified, every bare import
  # (workspace packages, papaparse, node:*) external, then gzip -9.
  mkdir -p "$WORK/unpacked/$p"
  tar -xzf "$tgz" -C "$WORK/unpacked/$p"
  pkgdir="$WORK/unpacked/$p/package"
  entries="$(node -e '
    const e = require(process.argv[1]).exports;
    for (const [k, v] of Object.entries(e)) if (k !== "./package.json") console.log(`${k}\t${v.default ?? v.import}`);
  ' "$pkgdir/package.json")"
  while IFS=$'\t' read -r key file; do
    bytes="$(esbuild "$pkgdir/$file" --bundle --minify --format=esm --platform=neutral \
      --packages=external --log-level=error | gzip -9 | wc -c)"
    label="$name${key#.}"
    SIZES[$label]="$bytes"
    awk -v l="$label" -v b="$bytes" 'BEGIN { printf "  size: %-22s %6.1f KB min+gz (%d bytes)\n", l, b / 1024, b }'
  done <<<"$entries"
done

section "size budget"
t="${SIZES[@tsdl/tensor]:-}"
if [ -z "$t" ]; then
  fail "@tsdl/tensor size not measured"
elif [ "$t" -gt "$TENSOR_LIMIT_BYTES" ]; then
  fail "@tsdl/tensor entry is $t bytes min+gz, over the limit of $TENSOR_LIMIT_BYTES"
else
  pass "@tsdl/tensor entry $t bytes min+gz <= limit $TENSOR_LIMIT_BYTES"
fi

section "changesets"
if out="$(pnpm --silent changeset status 2>&1)"; then
  echo "$out" | sed 's/^/  /'
  pass "changeset status"
else
  echo "$out"
  fail "changeset status"
fi

# Selective install: a fresh npm project outside the workspace, only the tarballs it needs,
# --offline so nothing can come from the registry or the workspace's node_modules.
install_alone() { # dir tarballs...
  local d="$1"; shift
  mkdir -p "$d"
  (cd "$d" && npm_q init -y >/dev/null && npm_q install --offline --ignore-scripts "$@" >/dev/null)
}

section "selective install: @tsdl/metrics (+ its dependency @tsdl/tensor)"
if [ -n "${TARBALL[metrics]:-}" ] && [ -n "${TARBALL[tensor]:-}" ]; then
  d="$WORK/alone-metrics"
  if install_alone "$d" "${TARBALL[metrics]}" "${TARBALL[tensor]}"; then
    pass "npm install --offline $(basename "${TARBALL[metrics]}") $(basename "${TARBALL[tensor]}") in $d"
    cat >"$d/check.mts" <<'EOF'
import { accuracy, confusionMatrix, f1, precision, recall } from '@tsdl/metrics';
import { tensor } from '@tsdl/tensor';

const yTrue = [0, 1, 1, 0, 1, 1];
const yPred = [0, 1, 0, 0, 1, 1];
const got = {
  accuracy: accuracy(yTrue, yPred),
  precision: precision(yTrue, yPred),
  recall: recall(yTrue, yPred),
  f1: f1(tensor(yTrue, { dtype: 'int32' }), tensor(yPred, { dtype: 'int32' })), // Tensor inputs too
};
const want = { accuracy: 5 / 6, precision: 1, recall: 3 / 4, f1: 6 / 7 };
for (const [k, v] of Object.entries(want)) {
  const g = got[k as keyof typeof got];
  if (Math.abs(g - v) > 1e-12) throw new Error(`${k}: got ${g}, expected ${v}`);
}
const cm = confusionMatrix(yTrue, yPred);
if (JSON.stringify(cm) !== '[[2,0],[1,3]]') throw new Error(`confusionMatrix: got ${JSON.stringify(cm)}`);
const where = new URL(import.meta.resolve('@tsdl/metrics')).pathname;
if (!where.startsWith(new URL('.', import.meta.url).pathname)) throw new Error(`@tsdl/metrics resolved outside the project: ${where}`);
console.log(`  metrics from ${where}:`, JSON.stringify(got), 'confusionMatrix', JSON.stringify(cm));
EOF
    # Type-check against the installed .d.ts (lib check on: the types must stand alone), then run.
    cat >"$d/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "skipLibCheck": false, "types": [],
    "target": "ES2022", "lib": ["ES2022", "DOM"], "module": "NodeNext", "moduleResolution": "NodeNext"
  },
  "files": ["check.mts"]
}
EOF
    if (cd "$d" && tsc -p tsconfig.json); then
      pass "types of @tsdl/metrics + @tsdl/tensor check (tsc strict, no skipLibCheck)"
    else fail "@tsdl/metrics: types do not check when installed alone"; fi
    cp "$d/check.mts" "$d/check.mjs"
    sed -i 's/ as keyof typeof got//' "$d/check.mjs"
    if (cd "$d" && node check.mjs); then pass "accuracy/precision/recall/f1/confusionMatrix values"; else fail "@tsdl/metrics script"; fi
  else
    fail "npm install of @tsdl/metrics + @tsdl/tensor tarballs"
  fi
else
  fail "metrics or tensor tarball missing"
fi

section "selective install: @tsdl/tensor alone"
if [ -n "${TARBALL[tensor]:-}" ]; then
  d="$WORK/alone-tensor"
  if install_alone "$d" "${TARBALL[tensor]}"; then
    pass "npm install --offline $(basename "${TARBALL[tensor]}") in $d ($(ls "$d/node_modules/@tsdl") only)"
    cat >"$d/check.mjs" <<'EOF'
import { linalg, matmul, tensor } from '@tsdl/tensor';

const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toArray();
if (JSON.stringify(c) !== '[[19,22],[43,50]]') throw new Error(`matmul: got ${JSON.stringify(c)}`);
// A = [[3,0],[4,5]]: AᵀA has eigenvalues 45 and 5, so S = [√45, √5]; U·diag(S)·Vh must give A back.
const a = tensor([[3, 0], [4, 5]], { dtype: 'float64' });
const { U, S, Vh } = linalg.svd(a);
const s = Array.from(S.toTypedArray());
if (Math.abs(s[0] - Math.sqrt(45)) > 1e-12 || Math.abs(s[1] - Math.sqrt(5)) > 1e-12) throw new Error(`svd: S = ${s}`);
const back = matmul(matmul(U, tensor([[s[0], 0], [0, s[1]]], { dtype: 'float64' })), Vh).toTypedArray();
const err = Math.max(...Array.from(back, (v, i) => Math.abs(v - [3, 0, 4, 5][i])));
if (err > 1e-12) throw new Error(`svd: U·diag(S)·Vh differs from A by ${err}`);
console.log(`  matmul ${JSON.stringify(c)}; svd S = [${s.map((v) => v.toFixed(6))}], reconstruction error ${err.toExponential(1)}`);
EOF
    if (cd "$d" && node check.mjs); then pass "matmul and linalg.svd values"; else fail "@tsdl/tensor script"; fi
  else
    fail "npm install of the @tsdl/tensor tarball"
  fi
fi

section "summary"
if [ "${#failures[@]}" -gt 0 ]; then
  echo "${#failures[@]} check(s) failed:"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
echo "all package checks passed"
