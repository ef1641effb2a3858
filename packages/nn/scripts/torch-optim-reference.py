#!/usr/bin/python3
"""Prints the PyTorch (1.13) numbers pasted into src/optim/*.test.ts. Run: /usr/bin/python3 packages/nn/scripts/torch-optim-reference.py

Optimizers: p = [1.5, -2, 3, 0.25] (float32), 3 steps with p.grad = p*p - 1 set by hand (the same
float32 ops the tests do, so the comparison can be exact). Schedulers: lr after construction and
after each of n (optimizer.step(), scheduler.step()) pairs, base lr 0.1.
"""
import torch

OPTIMIZERS = {
    'sgd_nesterov': lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    'sgd_dampening': lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, dampening=0.3),
    'adam': lambda ps: torch.optim.Adam(ps, lr=0.01),
    'adam_amsgrad_wd': lambda ps: torch.optim.Adam(ps, lr=0.02, weight_decay=0.1, amsgrad=True, betas=(0.8, 0.9)),
    'adamw': lambda ps: torch.optim.AdamW(ps, lr=0.01),
    'rmsprop': lambda ps: torch.optim.RMSprop(ps, lr=0.01),
    'rmsprop_centered_mom': lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.9, centered=True, weight_decay=0.05),
}
for name, make in OPTIMIZERS.items():
    p = torch.nn.Parameter(torch.tensor([1.5, -2.0, 3.0, 0.25]))
    opt = make([p])
    for _ in range(3):
        p.grad = p.detach() * p.detach() - 1
        opt.step()
    print(name, [float(v) for v in p.detach()])


def lrs(make, n, metrics=None):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    s = make(opt)
    out = [opt.param_groups[0]['lr']]
    for i in range(n):
        opt.step()
        s.step(metrics[i]) if metrics else s.step()
        out.append(opt.param_groups[0]['lr'])
    return out


S = torch.optim.lr_scheduler
print('StepLR(stepSize 3, gamma 0.5)', lrs(lambda o: S.StepLR(o, step_size=3, gamma=0.5), 10))
print('StepLR(stepSize 2)', lrs(lambda o: S.StepLR(o, step_size=2), 7))
print('CosineAnnealingLR(tMax 5, etaMin 0.01)', lrs(lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.01), 12))
m = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
print('ReduceLROnPlateau(patience 2, cooldown 1, factor 0.5, minLr 0.02)',
      lrs(lambda o: S.ReduceLROnPlateau(o, patience=2, cooldown=1, factor=0.5, min_lr=0.02), len(m), m))
m = [0.5, 0.52, 0.6, 0.61, 0.62, 0.7, 0.7, 0.7]
print("ReduceLROnPlateau(max, abs, threshold 0.05, patience 1)",
      lrs(lambda o: S.ReduceLROnPlateau(o, mode='max', threshold_mode='abs', threshold=0.05, patience=1), len(m), m))
