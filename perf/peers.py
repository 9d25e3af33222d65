#!/usr/bin/env python3
"""Times JAX and PyTorch on the GpuDiff throughput workloads W1-W4, on CUDA, in float64.

Same workloads and the same points as `gpudiff bench` (SplitMix64, seed 42, uniform in [-1, 1);
see perf/GpuDiff.Perf/Throughput/PointGenerator.cs), so the numbers sit side by side:
  JAX      jax.jit(jax.vmap(jax.jacfwd(f)))   (Hessians: jax.hessian(f), forward over reverse)
  PyTorch  torch.func.vmap(torch.func.jacfwd(f))   (Hessians: torch.func.hessian(f))
Each row prints points/s with the points already on the GPU and the results left there
("resident"), and with the host-to-device and device-to-host copies included ("with copies"),
which is what GpuDiff's figures include. Best of 5 after a warm-up (compilation) run.
PEERS_ONLY="W2,W4" times only the workloads whose names start so; PEERS_RUNNERS="jax" only JAX;
PEERS_SCALE=k times k times each row's points, as GPUDIFF_BENCH_SCALE=k does in `gpudiff bench`.
"""
import math
import os
import sys
import time

import numpy as np

SEED = 42
WORKLOADS = [  # name, points, n
    ("W1 2x2 Jacobian", 1_000_000, 2),
    ("W2 Rosenbrock n=8 grad+Hessian", 100_000, 8),
    ("W2 Rosenbrock n=64 grad+Hessian", 10_000, 64),
    ("W3 6-link arm Jacobian", 1_000_000, 6),
    ("W4 Brown n=32 Jacobian", 10_000, 32),
]


def points(count, seed=SEED):
    """SplitMix64 stream i = 1..count, mapped to [-1, 1) exactly as PointGenerator.Uniform does."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return 2.0 * ((z >> np.uint64(11)).astype(np.float64) * (1.0 / 2.0**53)) - 1.0


def best_of(run, repeats=5):
    run()
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def models(xp):
    """The four models, written once against an array namespace (jax.numpy or torch)."""
    def seed(x):
        return xp.stack([x[0] * x[0] + x[1], x[0] * x[1]])

    def rosenbrock(x):
        return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    def arm(q):
        theta = xp.cumsum(q, 0)
        return xp.stack([xp.sum(xp.cos(theta)), xp.sum(xp.sin(theta)), theta[-1]])

    def brown(x):
        n = x.shape[0]
        head = x[:-1] + xp.sum(x) - (n + 1.0)
        return xp.concatenate([head, xp.prod(x)[None] - 1.0])

    return seed, rosenbrock, arm, brown


def selected(fns):
    """The workloads PEERS_ONLY names (all when unset) with their functions, at PEERS_SCALE times the points."""
    only = [p for p in os.environ.get("PEERS_ONLY", "").split(",") if p]
    text = os.environ.get("PEERS_SCALE", "1")
    scale = int(text) if text.strip().isdigit() else 0
    if scale < 1:
        raise SystemExit(f"PEERS_SCALE={text}: give a whole number of at least 1")
    return [((name, count * scale, n), f) for (name, count, n), f in zip(WORKLOADS, fns)
            if not only or any(name.startswith(p) for p in only)]


def run_jax():
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    seed, rosenbrock, arm, brown = models(jnp)
    device = jax.devices("gpu")[0]
    jac = lambda f: jax.jit(jax.vmap(jax.jacfwd(f)))
    grad_hess = lambda f: jax.jit(jax.vmap(lambda x: (jax.grad(f)(x), jax.hessian(f)(x))))
    fns = [jac(seed), grad_hess(rosenbrock), grad_hess(rosenbrock), jac(arm), jac(brown)]
    rows = []
    for (name, count, n), fn in selected(fns):
        host = points(count * n).reshape(count, n)
        resident = jax.device_put(host, device)
        t_res = best_of(lambda: jax.block_until_ready(fn(resident)))
        t_copy = best_of(lambda: jax.tree_util.tree_map(np.asarray, fn(jax.device_put(host, device))))
        rows.append((name, count, count / t_res, count / t_copy))
    return f"JAX {jax.__version__} on {device.device_kind}", rows


def run_torch():
    import torch
    from torch.func import hessian, jacfwd, grad, vmap
    seed, rosenbrock, arm, brown = models(torch)
    dev = torch.device("cuda")
    jac = lambda f: vmap(jacfwd(f))
    grad_hess = lambda f: vmap(lambda x: (grad(f)(x), hessian(f)(x)))
    fns = [jac(seed), grad_hess(rosenbrock), grad_hess(rosenbrock), jac(arm), jac(brown)]

    def sync(out):
        torch.cuda.synchronize()
        return out

    rows = []
    for (name, count, n), fn in selected(fns):
        host = torch.from_numpy(points(count * n).reshape(count, n))
        resident = host.to(dev)
        t_res = best_of(lambda: sync(fn(resident)))

        def with_copies():
            out = fn(host.to(dev))
            return [o.cpu() for o in out] if isinstance(out, tuple) else out.cpu()

        t_copy = best_of(with_copies)
        rows.append((name, count, count / t_res, count / t_copy))
    return f"PyTorch {torch.__version__} on {torch.cuda.get_device_name(0)}", rows


def main():
    head = [float(v) for v in points(3)]
    print(f"points: SplitMix64 seed {SEED}, uniform in [-1, 1), starting {head[0]!r}, {head[1]!r}, {head[2]!r}; float64")
    runners = [r for r in (run_torch, run_jax) if r.__name__[4:] in os.environ.get("PEERS_RUNNERS", "torch,jax").split(",")]
    for runner in runners:
        try:
            title, rows = runner()
        except Exception as e:  # a peer that cannot run here is reported, not fatal
            print(f"{runner.__name__[4:]}: could not run: {type(e).__name__}: {e}")
            continue
        print(title)
        print(f"{'workload':<34} {'points':>9} {'resident pts/s':>15} {'with copies pts/s':>18}")
        for name, count, res, copy in rows:
            print(f"{name:<34} {count:>9,} {res:>15,.0f} {copy:>18,.0f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
