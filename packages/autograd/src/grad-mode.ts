// Global switches read by every op call.
let gradEnabled = true;
let recordAll = 0;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording the graph (like torch.no_grad); nests and restores on throw. */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export function enableGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/**
 * Runs `fn` recording every op call, even ones that need no gradient (used by the ONNX exporter to
 * trace a forward pass). The recorded nodes are reachable from the returned Variables' `node`.
 */
export function recordGraph<T>(fn: () => T): T {
  recordAll++;
  try {
    return fn();
  } finally {
    recordAll--;
  }
}

export function isRecordingAll(): boolean {
  return recordAll > 0;
}

let scope = '';

/** Runs `fn` with `name` as the current scope (the module path stamped on recorded nodes). */
export function withScope<T>(name: string, fn: () => T): T {
  const prev = scope;
  scope = name;
  try {
    return fn();
  } finally {
    scope = prev;
  }
}

export function currentScope(): string {
  return scope;
}
