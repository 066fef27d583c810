"""numpy/OpenBLAS float32 baseline for ball-scoring-bench.ts: the quadratic forms u_i^T H u_i of every row of U.

Called with a directory holding `spec.json` ({"n", "d", "models", "hessians"}), `u.bin` (n*d float32) and
`h0.bin` ... (d*d float32 each, little-endian). Scores `models` Hessians (cycling over the distinct ones) twice:
the GEMM alone (U @ H into a preallocated buffer) and the whole form ((U @ H) * U summed by rows). Prints one JSON
line: {"gemm": {...}, "forms": {...}, "probe": [...]} with wall and CPU seconds of each pass, and the first forms of
Hessian 0 for the caller's check that both computed the same thing. Exit code 3 when numpy is not importable.
"""
import json
import resource
import sys
import time

try:
    import numpy as np
except ImportError as error:  # CI has no numpy: skip, do not fail
    print(json.dumps({"skipped": f"numpy not importable: {error}"}))
    sys.exit(3)


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(fn, models):
    fn(0)  # warm-up
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    for m in range(models):
        fn(m)
    return {"seconds": time.perf_counter() - wall0, "cpu_seconds": cpu_seconds() - cpu0}


def main(directory):
    with open(f"{directory}/spec.json") as f:
        spec = json.load(f)
    n, d, models, count = spec["n"], spec["d"], spec["models"], spec["hessians"]
    u = np.fromfile(f"{directory}/u.bin", dtype="<f4").reshape(n, d)
    hs = [np.fromfile(f"{directory}/h{k}.bin", dtype="<f4").reshape(d, d) for k in range(count)]
    buffer = np.empty((n, d), dtype=np.float32)

    def gemm(m):
        np.matmul(u, hs[m % count], out=buffer)

    def forms(m):
        np.matmul(u, hs[m % count], out=buffer)
        return np.einsum("ij,ij->i", buffer, u)

    result = {"gemm": timed(gemm, models), "forms": timed(forms, models), "probe": forms(0)[:4].astype(float).tolist()}
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
