#!/usr/bin/env python3
"""Generates correctly rounded first and second derivatives for GpuDiff's derivative rules.

For each unary function it reads the arguments of the function's own table (<name>.bin, written
by generate.py: random over the whole domain and dense in the hard regions) and computes f'(x)
and f''(x) from their closed forms with mpmath at 256 bits, rounded to the nearest double by
generate.py's exact rounding. Arguments where f, f' or f'' is not finite are left out (the rules
are judged where the derivative exists as a double).

Output: <name>.d.bin beside this script, little-endian doubles, records (x, f'(x), f''(x)); for
the binary functions (pow with x > 0, atan2 as atan2(y, x) with arguments (y, x), hypot) records
(a, b, f_a, f_b, f_aa, f_ab, f_bb) in the order of the arguments, kept to moderate magnitudes:
arguments and every derivative within 2^-500 .. 2^500 (or zero). Beyond that the binary rules still
square or cube their arguments and can overflow or lose the result to underflow, a known gap.
Run: python3 derivatives.py [name ...]   (needs mpmath; about two minutes for all)
"""
import math, os, struct, sys
import mpmath
from mpmath import mp, mpf

from generate import to_double, OUT, rand_bits, mp_erfc, mp_lgamma, mp_ncdf, mp_logncdf, mills_series
import random

mp.prec = 256
LN2, LN10 = mpmath.log(2), mpmath.log(10)


def cbrt(x):
    return mpmath.sign(x) * mpmath.cbrt(abs(x))


def sech2(x):
    return 1 / mpmath.cosh(x) ** 2


# name: (f, f', f'') as functions of an mpf argument
RULES = {
    "exp": (mpmath.exp, mpmath.exp, mpmath.exp),
    "expm1": (mpmath.expm1, mpmath.exp, mpmath.exp),
    "exp2": (lambda x: 2 ** x, lambda x: LN2 * 2 ** x, lambda x: LN2 ** 2 * 2 ** x),
    "log": (mpmath.log, lambda x: 1 / x, lambda x: -1 / x ** 2),
    "log1p": (mpmath.log1p, lambda x: 1 / (1 + x), lambda x: -1 / (1 + x) ** 2),
    "log2": (lambda x: mpmath.log(x, 2), lambda x: 1 / (x * LN2), lambda x: -1 / (x ** 2 * LN2)),
    "log10": (lambda x: mpmath.log(x, 10), lambda x: 1 / (x * LN10), lambda x: -1 / (x ** 2 * LN10)),
    "cbrt": (cbrt, lambda x: 1 / (3 * cbrt(x) ** 2), lambda x: -2 / (9 * x * cbrt(x) ** 2)),
    "sin": (mpmath.sin, mpmath.cos, lambda x: -mpmath.sin(x)),
    "cos": (mpmath.cos, lambda x: -mpmath.sin(x), lambda x: -mpmath.cos(x)),
    "tan": (mpmath.tan, lambda x: mpmath.sec(x) ** 2, lambda x: 2 * mpmath.tan(x) * mpmath.sec(x) ** 2),
    "asin": (mpmath.asin, lambda x: 1 / mpmath.sqrt(1 - x ** 2), lambda x: x / (1 - x ** 2) ** mpf(1.5)),
    "acos": (mpmath.acos, lambda x: -1 / mpmath.sqrt(1 - x ** 2), lambda x: -x / (1 - x ** 2) ** mpf(1.5)),
    "atan": (mpmath.atan, lambda x: 1 / (1 + x ** 2), lambda x: -2 * x / (1 + x ** 2) ** 2),
    "sinh": (mpmath.sinh, mpmath.cosh, mpmath.sinh),
    "cosh": (mpmath.cosh, mpmath.sinh, mpmath.cosh),
    "tanh": (mpmath.tanh, sech2, lambda x: -2 * mpmath.tanh(x) * sech2(x)),
    "asinh": (mpmath.asinh, lambda x: 1 / mpmath.sqrt(x ** 2 + 1), lambda x: -x / (x ** 2 + 1) ** mpf(1.5)),
    "acosh": (mpmath.acosh, lambda x: 1 / mpmath.sqrt(x ** 2 - 1), lambda x: -x / (x ** 2 - 1) ** mpf(1.5)),
    "atanh": (mpmath.atanh, lambda x: 1 / (1 - x ** 2), lambda x: 2 * x / (1 - x ** 2) ** 2),
    "erf": (mpmath.erf, lambda x: 2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-x * x),
            lambda x: -4 * x / mpmath.sqrt(mpmath.pi) * mpmath.exp(-x * x)),
    "erfc": (mp_erfc, lambda x: -2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-x * x),
             lambda x: 4 * x / mpmath.sqrt(mpmath.pi) * mpmath.exp(-x * x)),
    "normcdf": (mp_ncdf, lambda x: mpmath.npdf(x), lambda x: -x * mpmath.npdf(x)),
    "lognormcdf": (mp_logncdf, lambda x: mills_ratio(x)[0], lambda x: -mills_ratio(x)[0] * mills_ratio(x)[1]),
    "lgamma": (mp_lgamma, lambda x: polygamma(0, x), lambda x: polygamma(1, x)),
}


def mills_ratio(x):
    """(r, x + r) with r = Phi'(x) / Phi(x); below -50 from the asymptotic series, where x + r
    would cancel: r = z / S, x + r = z (1 - S) / S with z = -x."""
    if x < -50:
        z = -x
        tail = sum((-1) ** k * mpmath.fac2(2 * k - 1) / z ** (2 * k) for k in range(1, 14))  # S - 1, summed without the 1
        return z / (1 + tail), -z * tail / (1 + tail)
    r = mpmath.npdf(x) / mp_ncdf(x)
    return r, x + r


def polygamma(m, x):
    """digamma (m = 0) or trigamma (m = 1). mpmath's psi takes minutes for huge |x|; there the
    asymptotic series (terms to B_30, far below 2^-256 relative from 10^5 on) and, for x < 0, the
    reflection formula with the fraction of x taken exactly (cot and sin^2 have period 1 in x)."""
    if x < 0:
        f = x - mpmath.nint(x)  # exact: the fraction nearest 0, so a tiny x keeps every bit
        if m == 0:
            return polygamma(0, 1 - x) - mpmath.pi * mpmath.cot(mpmath.pi * f)
        return mpmath.pi ** 2 / mpmath.sin(mpmath.pi * f) ** 2 - polygamma(1, 1 - x)
    if x < 100000:
        return mpmath.psi(m, x)
    total = mpmath.log(x) - 1 / (2 * x) if m == 0 else 1 / x + 1 / (2 * x * x)
    for k in range(1, 16):
        b = mpmath.bernoulli(2 * k)
        total += -b / (2 * k * x ** (2 * k)) if m == 0 else b / x ** (2 * k + 1)
    return total


# Where a function's own table leaves fewer than 20,000 usable arguments (its domain is a half line,
# or its second derivative overflows near 0), more are drawn: random exponents over the range where
# f'' is a finite double, and points just beside the edge of the domain.
TOP_UP = {
    "log": lambda r: rand_bits(r, -510, 1023, sign=False),
    "log2": lambda r: rand_bits(r, -510, 1023, sign=False),
    "log10": lambda r: rand_bits(r, -510, 1023, sign=False),
    "cbrt": lambda r: rand_bits(r, -600, 1023),
    "acosh": lambda r: rand_bits(r, 1, 1000, sign=False) if r.random() < 0.5 else 1.0 + rand_bits(r, -52, -1, sign=False),
    "lgamma": lambda r: r.uniform(-30, 30),
}
WANT = 20000
SEED = 20261126


# name: (f, gradient, Hessian) of the two arguments in call order
BINARY = {
    "pow": (lambda a, b: a ** b,
            lambda a, b: (b * a ** (b - 1), a ** b * mpmath.log(a)),
            lambda a, b: (b * (b - 1) * a ** (b - 2), a ** (b - 1) * (1 + b * mpmath.log(a)), a ** b * mpmath.log(a) ** 2)),
    "atan2": (mpmath.atan2,
              lambda y, x: (x / (x * x + y * y), -y / (x * x + y * y)),
              lambda y, x: (-2 * x * y / (x * x + y * y) ** 2, (y * y - x * x) / (x * x + y * y) ** 2, 2 * x * y / (x * x + y * y) ** 2)),
    "hypot": (lambda a, b: mpmath.sqrt(a * a + b * b),
              lambda a, b: (a / mpmath.sqrt(a * a + b * b), b / mpmath.sqrt(a * a + b * b)),
              lambda a, b: (b * b / mpmath.sqrt(a * a + b * b) ** 3, -a * b / mpmath.sqrt(a * a + b * b) ** 3, a * a / mpmath.sqrt(a * a + b * b) ** 3)),
}


BINARY_TOP_UP = {
    "pow": lambda r: (rand_bits(r, -30, 30, sign=False), r.uniform(-40, 40)),
    "atan2": lambda r: (rand_bits(r, -240, 240), rand_bits(r, -240, 240)),
    "hypot": lambda r: (rand_bits(r, -240, 240), rand_bits(r, -240, 240)),
}


MODERATE = 2.0 ** 500


def moderate(values):
    return all(v == 0 or 1 / MODERATE <= abs(v) <= MODERATE for v in values)


def binary(name):
    f, grad, hess = BINARY[name]
    with open(os.path.join(OUT, name + ".bin"), "rb") as fh:
        data = fh.read()
    values = struct.unpack("<%dd" % (len(data) // 8), data)
    records = []
    for i in range(0, len(values), 3):
        a, b = values[i], values[i + 1]
        if name == "pow" and not a > 0:
            continue  # d/dy needs log x: DiffMath documents NaN for x < 0, 0 for x = 0
        if name != "pow" and a == 0 and b == 0:
            continue
        r = binary_record(f, grad, hess, a, b)
        if r:
            records.append(r)
    rng = random.Random(SEED)
    while len(records) < WANT:
        r = binary_record(f, grad, hess, *BINARY_TOP_UP[name](rng))
        if r:
            records.append(r)
    with open(os.path.join(OUT, name + ".d.bin"), "wb") as fh:
        for r in records:
            fh.write(struct.pack("<7d", *r))
    print(f"{name}: {len(records)} records")


def unary_record(f, d1, d2, x):
    """(x, f', f'') rounded, or None where one of f, f', f'' is not a finite double."""
    X = mpf(x)
    try:
        out = [to_double(f(X)), to_double(d1(X)), to_double(d2(X))]
    except (ValueError, ZeroDivisionError):
        return None
    return (x, out[1], out[2]) if all(finite(v) for v in out) else None


def binary_record(f, grad, hess, a, b):
    """(a, b, gradient, Hessian) rounded, or None where not finite and moderate."""
    A, B = mpf(a), mpf(b)
    try:
        out = [to_double(f(A, B))] + [to_double(v) for v in grad(A, B)] + [to_double(v) for v in hess(A, B)]
    except (ValueError, ZeroDivisionError):
        return None
    return (a, b, *out[1:]) if all(finite(v) for v in out) and moderate([a, b] + out) else None


def finite(v):
    return not (math.isinf(v) or math.isnan(v))


def main():
    only = set(sys.argv[1:])
    for name, (f, d1, d2) in RULES.items():
        if only and name not in only:
            continue
        with open(os.path.join(OUT, name + ".bin"), "rb") as fh:
            data = fh.read()
        values = struct.unpack("<%dd" % (len(data) // 8), data)
        records = [r for r in (unary_record(f, d1, d2, values[i]) for i in range(0, len(values), 2)) if r]
        rng = random.Random(SEED)
        while len(records) < WANT and name in TOP_UP:
            r = unary_record(f, d1, d2, TOP_UP[name](rng))
            if r:
                records.append(r)
        with open(os.path.join(OUT, name + ".d.bin"), "wb") as out:
            for r in records:
                out.write(struct.pack("<3d", *r))
        print(f"{name}: {len(records)} records")
    for name in BINARY:
        if not only or name in only:
            binary(name)


if __name__ == "__main__":
    main()
