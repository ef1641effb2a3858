#!/usr/bin/python3
"""Writes packages/nn/fixtures/torch-dtypes.safetensors (+ .json with the expected values) for
src/safetensors.test.ts. Run: /usr/bin/python3 packages/nn/scripts/make-safetensors-fixture.py

Uses torch + struct/json only (the `safetensors` package is not installed here), following the
reference writer: tensors ordered by dtype size (largest first) then name, header padded with
spaces to a multiple of 8, optional string "__metadata__".
"""
import json
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'torch-dtypes')
NAMES = {torch.float32: 'F32', torch.float64: 'F64', torch.int32: 'I32', torch.int64: 'I64',
         torch.float16: 'F16', torch.bfloat16: 'BF16'}

tensors = {
    'f32.matrix': torch.tensor([[1.5, -2.25, 3.0], [1e-8, 3.4e38, -0.0]], dtype=torch.float32),
    'f32.scalar': torch.tensor(7.25, dtype=torch.float32),
    'f32.empty': torch.zeros(0, 3, dtype=torch.float32),
    'f64.vector': torch.tensor([0.1, -1e300, 2.0 ** -1074], dtype=torch.float64),
    'i32.matrix': torch.tensor([[1, -2], [2147483647, -2147483648]], dtype=torch.int32),
    'i64.vector': torch.tensor([0, -5, 2147483647, -2147483648], dtype=torch.int64),
    'f16.vector': torch.tensor([1.0, -2.5, 65504.0, 2.0 ** -24, -0.0, 0.1], dtype=torch.float16),
    'bf16.vector': torch.tensor([1.5, -3.0e38, 0.1], dtype=torch.bfloat16),
    'layer.0.weight': torch.arange(12, dtype=torch.float32).reshape(3, 2, 2) / 7,
}

order = sorted(tensors, key=lambda k: (-tensors[k].element_size(), k))
header, blobs, offset = {'__metadata__': {'format': 'pt', 'note': 'tsdl fixture'}}, [], 0
for name in order:
    t = tensors[name].contiguous()
    # Raw little-endian bytes via an integer view of the same width (numpy has no bfloat16).
    ints = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}[t.element_size()]
    fmt = {1: 'B', 2: 'h', 4: 'i', 8: 'q'}[t.element_size()]
    flat = t.reshape(-1).view(ints).tolist()
    raw = struct.pack(f'<{len(flat)}{fmt}', *flat)
    header[name] = {'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
    blobs.append(raw)
    offset += len(raw)
head = json.dumps(header, separators=(',', ':')).encode()
head += b' ' * (-len(head) % 8)
with open(OUT + '.safetensors', 'wb') as f:
    f.write(struct.pack('<Q', len(head)) + head + b''.join(blobs))

# What tsdl must read: floats widened to float32 (F64 stays float64), I64 narrowed to int32.
expected = {}
for name, t in tensors.items():
    v = t.to(torch.float64 if t.dtype == torch.float64 else torch.int64 if not t.is_floating_point() else torch.float32)
    expected[name] = {'shape': list(t.shape), 'values': v.reshape(-1).tolist()}
with open(OUT + '.json', 'w') as f:
    json.dump({'metadata': header['__metadata__'], 'tensors': expected}, f, indent=1)
print('wrote', os.path.relpath(OUT + '.safetensors'), os.path.getsize(OUT + '.safetensors'), 'bytes')
