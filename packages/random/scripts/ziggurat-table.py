"""Layer edges of the 256-layer ziggurat for the standard normal (Marsaglia & Tsang 2000), to 50 digits.

Prints the TypeScript literal of src/ziggurat-table.ts's ZIGGURAT_EDGES: x[0] = v / f(r) (the base strip), x[1] = r,
x[i+1] = f⁻¹(f(x[i]) + v / x[i]), x[256] = 0, with f(x) = exp(−x²/2) and every layer of area v. r is solved so
that the top layer's area x[255]·(1 − f(x[255])) is v too, which makes the layers exactly equal (the distribution
exact) rather than equal up to the error of a published r.

    /usr/bin/python3 packages/random/scripts/ziggurat-table.py > /tmp/edges.txt
"""
import mpmath as mp

mp.mp.dps = 50
N = 256


def f(x):
    return mp.e ** (-x * x / 2)


def edges(r):
    v = r * f(r) + mp.sqrt(mp.pi / 2) * mp.erfc(r / mp.sqrt(2))
    x = [v / f(r), r]
    for _ in range(2, N):
        inner = v / x[-1] + f(x[-1])
        if inner >= 1:
            return None, v
        x.append(mp.sqrt(-2 * mp.log(inner)))
    return x, v


def top_excess(r):
    x, v = edges(r)
    if x is None:
        return mp.mpf(-1)  # r too small: the layers reach the top before the last one
    return x[-1] * (1 - f(x[-1])) - v  # positive: r too large, the top layer is too big


lo, hi = mp.mpf("3.6"), mp.mpf("3.7")
for _ in range(200):
    mid = (lo + hi) / 2
    if top_excess(mid) > 0:
        hi = mid
    else:
        lo = mid
x, v = edges(hi)
x.append(mp.mpf(0))
print(f"// r = {mp.nstr(hi, 20)}, v = {mp.nstr(v, 20)}, top-layer area excess {mp.nstr(top_excess(hi), 3)}")
print(",\n".join(repr(float(e)) for e in x))
