"""PyTorch side of the bench (Debian's python3-torch via /usr/bin/python3).

Usage: torch_bench.py THREADS SETTING WORKLOADS...  (run.mjs sets OMP/OpenBLAS env per setting).
First prints which BLAS library torch actually loaded (from /proc/self/maps after a matmul): Debian
builds torch with BLAS_INFO=generic, i.e. whatever libblas.so.3 the alternatives system points at —
the netlib reference BLAS (~3 GFLOP/s) unless libopenblas0-pthread is installed. A ratio against
the reference BLAS means nothing; run.mjs refuses to report one.
"""
import json
import os
import sys
import time

import torch
from torch import nn

threads = int(sys.argv[1])
setting = sys.argv[2]
workloads = sys.argv[3:]
torch.set_num_threads(threads)
torch.manual_seed(0)


def blas_library():
    torch.mm(torch.randn(64, 64), torch.randn(64, 64))
    libs = set()
    with open('/proc/self/maps') as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ''
            name = path.rsplit('/', 1)[-1]
            if any(k in name for k in ('blas', 'mkl', 'blis', 'lapack')):
                libs.add(path)
    info = torch.__config__.show()
    blas_info = next((l.strip() for l in info.splitlines() if 'BLAS_INFO' in l), '')
    reference = not any(k in p for p in libs for k in ('openblas', 'mkl', 'blis'))
    return {'libs': sorted(libs), 'blas_info': blas_info, 'reference': reference}


# Seconds each measurement runs for at least (run.mjs sets BENCH_SECONDS for its rounds).
SECONDS = float(os.environ.get('BENCH_SECONDS', '1.5'))


# Warm-up: at least `warmup` calls and WARMUP_SECONDS, the same rule as common.mjs's timeIt.
WARMUP_SECONDS = 0.3


def time_it(fn, warmup=2, min_seconds=SECONDS, min_iters=3):
    w0 = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - w0 < WARMUP_SECONDS:
        fn()
        done += 1
    iters = 0
    t0 = time.perf_counter()
    while iters < min_iters or time.perf_counter() - t0 < min_seconds:
        fn()
        iters += 1
    return (time.perf_counter() - t0) / iters


def emit(workload, value, unit):
    row = {'workload': workload, 'impl': 'torch', 'threads': threads, 'setting': setting,
           'value': float(f'{value:.4g}'), 'unit': unit}
    print('RESULT ' + json.dumps(row), flush=True)


def stepper(model, opt, loss_fn, x, y):
    def step():
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


class LstmHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 64, batch_first=True)
        self.fc = nn.Linear(64, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


print('BLAS ' + json.dumps(blas_library()), flush=True)
for w in workloads:
    if w.startswith('sgemm-'):
        n = int(w.split('-')[1])
        a, b = torch.randn(n, n), torch.randn(n, n)
        s = time_it(lambda: torch.mm(a, b), min_seconds=min(1.0, SECONDS))
        emit(w, 2 * n ** 3 / s / 1e9, 'GFLOP/s')
    elif w == 'mlp-train':
        m = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        s = time_it(stepper(m, torch.optim.Adam(m.parameters(), lr=1e-3), nn.CrossEntropyLoss(),
                            torch.randn(100, 784), torch.randint(0, 10, (100,))))
        emit(w, 100 / s, 'samples/s')
    elif w == 'lenet-train':
        m = nn.Sequential(nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
                          nn.ReLU(), nn.Linear(84, 10))
        s = time_it(stepper(m, torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9), nn.CrossEntropyLoss(),
                            torch.randn(100, 3, 32, 32), torch.randint(0, 10, (100,))))
        emit(w, 100 / s, 'samples/s')
    elif w == 'lstm-train':
        m = LstmHead()
        s = time_it(stepper(m, torch.optim.Adam(m.parameters(), lr=1e-3), nn.MSELoss(),
                            torch.randn(64, 5, 1), torch.randn(64, 1)))
        emit(w, 64 / s, 'samples/s')
    else:
        raise SystemExit(f'torch_bench: unknown workload {w}')
