"""PyTorch CPU baseline for the onnx bench: input gradients of one logit of an MLP at a fixed batch.

Called by engine-bench.ts with a directory holding `weights.json` (layer shapes, the batch file, timing window,
thread counts) and raw little-endian float32 files. Prints one JSON line per thread count:
{"threads", "gradients_per_second", "gradients_per_cpu_second", "seconds", "cpu_seconds", "probe"} where `probe`
is the gradient of the first rows, for the caller's check that both computed the same thing. Exit code 3 when
torch is not importable (the caller prints a note and skips the column).
"""
import json
import resource
import sys
import time

try:
    import numpy as np
    import torch
except ImportError as error:  # CI has no torch: skip, do not fail
    print(json.dumps({"skipped": f"torch not importable: {error}"}))
    sys.exit(3)


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(directory):
    with open(f"{directory}/weights.json") as f:
        spec = json.load(f)
    layers = []
    for i, (fan_in, fan_out) in enumerate(spec["layers"]):
        linear = torch.nn.Linear(fan_in, fan_out)
        # tfjs kernels are [in, out]; nn.Linear stores [out, in]
        kernel = np.fromfile(f"{directory}/kernel{i}.bin", dtype="<f4").reshape(fan_in, fan_out)
        bias = np.fromfile(f"{directory}/bias{i}.bin", dtype="<f4")
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(kernel.T.copy()))
            linear.bias.copy_(torch.from_numpy(bias))
        layers.append(linear)
        if i + 1 < len(spec["layers"]):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    batch, dim = spec["batch"], spec["layers"][0][0]
    x = torch.from_numpy(np.fromfile(f"{directory}/x.bin", dtype="<f4").reshape(batch, dim).copy())
    target = spec["target"]

    def gradients():
        xi = x.clone().requires_grad_(True)
        model(xi)[:, target].sum().backward()
        return xi.grad

    for threads in spec["threads"]:
        torch.set_num_threads(threads)
        probe = gradients()  # warm-up
        calls = 0
        cpu0, start = cpu_seconds(), time.perf_counter()
        while time.perf_counter() - start < spec["seconds"]:
            gradients()
            calls += 1
        wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu0
        print(json.dumps({
            "threads": threads,
            "gradients_per_second": calls * batch / wall,
            "gradients_per_cpu_second": calls * batch / cpu,
            "seconds": wall,
            "cpu_seconds": cpu,
            "probe": probe[: spec["probe_rows"]].reshape(-1).tolist(),
        }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
