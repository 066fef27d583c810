"""numpy/LAPACK side of `bench lapack`: reads one JSON command per line, answers with CPU seconds.

Run by bench/index.ts with OPENBLAS_NUM_THREADS=1 (one thread, like ours). Commands:
  {"op": "eigh" | "eigvalsh", "file": path, "n": n}
  {"op": "attack", "file": path, "gradient": path, "n": n, "radii": [...]}   eigh + secular equation per radius
  {"op": "gemm", "n": n, "dtype": "float32" | "float64"}                      C = A·B, reports GFLOP/s too
"""
import json
import resource
import sys

import numpy as np


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def secular_step(values, gamma, radius):
    """Exact trust-region step in the eigenbasis (values ascending): Moré–Sorensen Newton on 1/‖c‖ − 1/r."""
    lowest = values[0]
    if lowest > 0:
        c = -gamma / values
        if np.linalg.norm(c) <= radius:
            return c
    lo = max(0.0, -lowest)
    hi = lo + np.linalg.norm(gamma) / radius + 1.0
    mu = hi
    for _ in range(100):
        denominator = values + mu
        c = -gamma / denominator
        norm = np.linalg.norm(c)
        if norm > radius:
            lo = mu
        else:
            hi = mu
        # Newton on 1/‖c(μ)‖ − 1/r, safeguarded by the bracket
        nxt = mu + (norm - radius) / radius * (norm * norm) / np.sum(c * c / denominator)
        if not (lo < nxt < hi):
            nxt = 0.5 * (lo + hi)
        if abs(nxt - mu) <= 1e-15 * max(abs(mu), 1e-300):
            mu = nxt
            break
        mu = nxt
    return -gamma / (values + mu)


def main():
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op in ("eigh", "eigvalsh", "attack"):
            n = cmd["n"]
            a = np.fromfile(cmd["file"], dtype=np.float64).reshape(n, n)
            start = cpu()
            if op == "eigh":
                np.linalg.eigh(a)
            elif op == "eigvalsh":
                np.linalg.eigvalsh(a)
            else:
                g = np.fromfile(cmd["gradient"], dtype=np.float64)
                values, vectors = np.linalg.eigh(a)
                gamma = vectors.T @ g
                for radius in cmd["radii"]:
                    vectors @ secular_step(values, gamma, radius)
            seconds = cpu() - start
            print(json.dumps({"seconds": seconds}), flush=True)
        elif op == "gemm":
            n = cmd["n"]
            rng = np.random.default_rng(0)
            a = rng.standard_normal((n, n)).astype(cmd["dtype"])
            b = rng.standard_normal((n, n)).astype(cmd["dtype"])
            a @ b
            reps = 5
            start = cpu()
            for _ in range(reps):
                a @ b
            seconds = (cpu() - start) / reps
            print(json.dumps({"seconds": seconds, "gflops": 2 * n**3 / seconds / 1e9}), flush=True)
        else:
            print(json.dumps({"error": f"unknown op {op}"}), flush=True)


if __name__ == "__main__":
    main()
