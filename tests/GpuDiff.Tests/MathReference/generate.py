#!/usr/bin/env python3
"""Generates the correctly rounded reference tables for GpuDiff's deterministic math.

Each function gets at least 20,000 finite arguments: random over its whole domain (random bit
patterns, so every exponent is covered) plus dense samples of its hard regions. Each result is
computed with mpmath at 256 bits and rounded to the nearest double (ties to even) by exact integer
arithmetic, subnormals and overflow included.

Output: <name>.bin beside this script, little-endian doubles, one record per argument:
(x, expected) for unary functions, (x, y, expected) for binary ones.
Run: python3 generate.py   (needs Debian's python3-mpmath; about a minute)
"""
import math, os, random, struct, sys
import mpmath
from mpmath import mp, mpf

mp.prec = 256
SEED = 20261125
N_RANDOM = 12000
N_HARD = 10000
OUT = os.path.dirname(os.path.abspath(__file__))
INF = float("inf")


def to_double(v):
    """Rounds an mpf to the nearest double, ties to even, with gradual underflow."""
    if v == 0:
        return 0.0
    if mpmath.isinf(v):
        return math.copysign(INF, float(mpmath.sign(v)))
    sign = -1.0 if v < 0 else 1.0
    man, exp = mpmath.frexp(abs(v))  # v = man * 2**exp, man in [0.5, 1)
    e = int(exp) - 1                 # v in [2**e, 2**(e+1))
    q = max(e - 52, -1074)           # quantum of the target binade
    scaled = abs(v) * mpf(2) ** (-q)
    n = int(mpmath.floor(scaled))
    frac = scaled - n
    if frac > 0.5 or (frac == 0.5 and n % 2 == 1):
        n += 1
    if q + n.bit_length() > 1024:
        return sign * INF
    return sign * math.ldexp(n, q)


def rand_bits(rng, lo_exp=-1074, hi_exp=1023, sign=True):
    """A random double with its exponent uniform in [lo_exp, hi_exp]."""
    e = rng.randint(lo_exp, hi_exp)
    m = 1.0 + rng.random()
    x = math.ldexp(m, e) if e >= -1022 else math.ldexp(rng.random(), -1022)
    if math.isinf(x):
        x = 1.7976931348623157e308
    return -x if sign and rng.random() < 0.5 else x


def uniform(rng, a, b):
    return rng.uniform(a, b)


def near(rng, c, scale_lo=-60, scale_hi=-1):
    """Points just beside c at every relative distance from 2**scale_lo to 2**scale_hi."""
    d = math.ldexp(1.0, rng.randint(scale_lo, scale_hi)) * rng.random()
    return c + d if rng.random() < 0.5 else c - d


def sample(rng, gens, n):
    out = []
    while len(out) < n:
        x = rng.choice(gens)(rng)
        if x is not None and math.isfinite(x) if not isinstance(x, tuple) else all(map(math.isfinite, x)):
            out.append(x)
    return out


def tiny(rng):
    return rand_bits(rng, -1074, -20)


def pio2_multiples(rng):
    k = rng.choice([rng.randint(1, 200), rng.randint(1, 10**6), rng.randint(1, 2**60)])
    x = float(k * mp.pi / 2)
    x = math.nextafter(x, INF) if rng.random() < 0.3 else x
    return x if rng.random() < 0.5 else -x


# Where DMath's erf and erfc change approximation (erf_fits.py), both signs.
ERF_EDGES = [e * s for e in (1.0, 1.5, 2.5, 4.5, 6.0, 9.0) for s in (1, -1)]


# Where Phi's argument -x/sqrt(2) crosses erfc's edges.
NORMCDF_EDGES = [e * -1.4142135623730951 for e in ERF_EDGES]


def mp_erfc(x):
    """mpmath's erfc overflows its own series test for huge x; the limits are exact there."""
    if x > 40:
        return mpf(0)
    if x < -40:
        return mpf(2)
    return mpmath.erfc(x)


def mp_lgamma(x):
    """log|gamma(x)|: the real part of mpmath's log-gamma, which is complex for x < 0."""
    return mpmath.re(mpmath.loggamma(x))


def mp_ncdf(x):
    """Phi(x) = erfc(-x/sqrt(2))/2, through mp_erfc's guard for huge arguments."""
    return mp_erfc(-x / mpmath.sqrt(2)) / 2


# Where log Phi's evaluation changes form: t = -x/sqrt 2 at -6, -1, 1, 28.
LOGNORMCDF_EDGES = [e * -1.4142135623730951 for e in (-6.0, -1.0, 1.0, 28.0)]


def mills_series(z, terms=14):
    """S(z) = sum (-1)^k (2k-1)!! / z^(2k), Phi(-z) = phi(z) S(z) / z asymptotically (z >= 50 here)."""
    total, term = mpf(0), mpf(1)
    for k in range(terms):
        total += term
        term *= -(2 * k + 1) / (z * z)
    return total


def mp_logncdf(x):
    """log Phi(x): log1p(-Q) above 0 (Phi rounds to 1 at 256 bits), the asymptotic form below -50."""
    if x > 0:
        q = mp_ncdf(-x)
        # mp_erfc's guard returns an exact 0 far out; log Phi is then -Q, a negative tiny: -0 as a double
        return mpmath.log1p(-q) if q > 0 else -mpf(2) ** -2000
    if x < -50:
        z = -x
        return -z * z / 2 - mpmath.log(z) - mpmath.log(2 * mpmath.pi) / 2 + mpmath.log(mills_series(z))
    return mpmath.log(mp_ncdf(x))


def rng_choice(rng, values):
    return rng.choice(values)


# name: (arity, mpmath function, random generators, hard-region generators)
def F(name, arity, fn, rnd, hard):
    return name, arity, fn, rnd, hard


def signed_cbrt(x):
    return mpmath.sign(x) * mpmath.cbrt(abs(x))


def mp_atan2(y, x):
    return mpmath.atan2(y, x)


def mp_pow(x, y):
    if x == 0:
        return mpf(0) if y > 0 else mpf("inf")
    if x < 0:
        return (-1) ** int(y) * mpmath.power(-x, y)
    return mpmath.power(x, y)


def pow_args(rng):
    x = rand_bits(rng, -100, 100, sign=False)
    y = rng.uniform(-700, 700) / max(abs(math.log2(x)), 1.0)
    return (x, y)


def pow_near_one(rng):
    x = near(rng, 1.0, -52, -5)
    y = rand_bits(rng, 0, 50)
    return (x, y)


def pow_integer(rng):
    x = float(rng.randint(-40, 40)) or 3.0
    y = float(rng.randint(-30, 30))
    if x < 0 and rng.random() < 0.5:
        x = -rand_bits(rng, -10, 10, sign=False)
    return (x, y)


def pow_extreme(rng):
    x = rand_bits(rng, -1074, 1023, sign=False)
    y = rng.uniform(-1.5, 1.5) * 1074.0 / max(abs(math.log2(x)), 1.0)
    return (x, y)


def pair_random(rng):
    return (rand_bits(rng, -600, 600), rand_bits(rng, -600, 600))


def pair_close_scales(rng):
    x = rand_bits(rng, -1074, 1023)
    return (x, x * rng.uniform(-4, 4))


def pair_extreme(rng):
    return (rand_bits(rng), rand_bits(rng))


def pair_axes(rng):
    a = rand_bits(rng)
    return (a, 0.0) if rng.random() < 0.5 else (0.0, a)


FUNCS = [
    F("exp", 1, mpmath.exp, [lambda r: uniform(r, -745.2, 709.8)],
      [tiny, lambda r: uniform(r, 700, 709.78), lambda r: uniform(r, -745.13, -708), lambda r: uniform(r, -2, 2)]),
    F("expm1", 1, mpmath.expm1, [lambda r: uniform(r, -40, 709.78)],
      [tiny, lambda r: uniform(r, -1, 1), lambda r: uniform(r, 700, 709.78), lambda r: rand_bits(r, -60, 5)]),
    F("exp2", 1, lambda x: mpmath.power(2, x), [lambda r: uniform(r, -1075, 1024)],
      [tiny, lambda r: uniform(r, 1020, 1023.99), lambda r: uniform(r, -1074.9, -1020), lambda r: uniform(r, -3, 3)]),
    F("log", 1, mpmath.log, [lambda r: rand_bits(r, sign=False)],
      [lambda r: near(r, 1.0), lambda r: uniform(r, 0.5, 2), lambda r: rand_bits(r, -1074, -1020, sign=False)]),
    F("log1p", 1, mpmath.log1p, [lambda r: rand_bits(r, sign=False), lambda r: -rand_bits(r, -1074, -1, sign=False)],
      [tiny, lambda r: near(r, -1.0, -52, -1), lambda r: uniform(r, -0.5, 1)]),
    F("log2", 1, lambda x: mpmath.log(x, 2), [lambda r: rand_bits(r, sign=False)],
      [lambda r: near(r, 1.0), lambda r: uniform(r, 0.5, 2), lambda r: rand_bits(r, -1074, -1020, sign=False)]),
    F("log10", 1, mpmath.log10, [lambda r: rand_bits(r, sign=False)],
      [lambda r: near(r, 1.0), lambda r: uniform(r, 0.5, 2), lambda r: rand_bits(r, -1074, -1020, sign=False)]),
    F("cbrt", 1, signed_cbrt, [lambda r: rand_bits(r)], [tiny, lambda r: uniform(r, -8, 8)]),
    F("sin", 1, mpmath.sin, [lambda r: uniform(r, -10, 10), lambda r: rand_bits(r)],
      [tiny, pio2_multiples, lambda r: rand_bits(r, 20, 1023), lambda r: uniform(r, -1e6, 1e6)]),
    F("cos", 1, mpmath.cos, [lambda r: uniform(r, -10, 10), lambda r: rand_bits(r)],
      [tiny, pio2_multiples, lambda r: rand_bits(r, 20, 1023), lambda r: uniform(r, -1e6, 1e6)]),
    F("tan", 1, mpmath.tan, [lambda r: uniform(r, -10, 10), lambda r: rand_bits(r)],
      [tiny, pio2_multiples, lambda r: rand_bits(r, 20, 1023), lambda r: uniform(r, -1e6, 1e6)]),
    F("asin", 1, mpmath.asin, [lambda r: uniform(r, -1, 1)],
      [tiny, lambda r: near(r, 1.0, -53, -2), lambda r: near(r, -1.0, -53, -2), lambda r: uniform(r, -0.6, 0.6)]),
    F("acos", 1, mpmath.acos, [lambda r: uniform(r, -1, 1)],
      [tiny, lambda r: near(r, 1.0, -53, -2), lambda r: near(r, -1.0, -53, -2), lambda r: uniform(r, -0.6, 0.6)]),
    F("atan", 1, mpmath.atan, [lambda r: rand_bits(r)], [tiny, lambda r: uniform(r, -3, 3), lambda r: rand_bits(r, 50, 1023)]),
    F("sinh", 1, mpmath.sinh, [lambda r: uniform(r, -710.5, 710.5)],
      [tiny, lambda r: uniform(r, -1, 1), lambda r: uniform(r, 700, 710.47), lambda r: uniform(r, -710.47, -700)]),
    F("cosh", 1, mpmath.cosh, [lambda r: uniform(r, -710.5, 710.5)],
      [tiny, lambda r: uniform(r, -1, 1), lambda r: uniform(r, 700, 710.47), lambda r: uniform(r, -710.47, -700)]),
    F("tanh", 1, mpmath.tanh, [lambda r: uniform(r, -20, 20), lambda r: rand_bits(r)], [tiny, lambda r: uniform(r, -1, 1)]),
    F("asinh", 1, mpmath.asinh, [lambda r: rand_bits(r)], [tiny, lambda r: uniform(r, -2, 2)]),
    F("acosh", 1, mpmath.acosh, [lambda r: 1.0 + rand_bits(r, -1074, 1023, sign=False)],
      [lambda r: 1.0 + rand_bits(r, -60, -1, sign=False), lambda r: uniform(r, 1, 3)]),
    F("atanh", 1, mpmath.atanh, [lambda r: uniform(r, -1, 1)],
      [tiny, lambda r: near(r, 1.0, -53, -2), lambda r: near(r, -1.0, -53, -2)]),
    F("erf", 1, mpmath.erf, [lambda r: rand_bits(r), lambda r: uniform(r, -6.5, 6.5)],
      [tiny, lambda r: uniform(r, -1.3, 1.3), lambda r: near(r, rng_choice(r, ERF_EDGES), -40, -3),
       lambda r: uniform(r, 4, 6.2)]),
    F("erfc", 1, mp_erfc, [lambda r: rand_bits(r), lambda r: uniform(r, -6.5, 28)],
      [tiny, lambda r: uniform(r, -1.3, 1.3), lambda r: near(r, rng_choice(r, ERF_EDGES), -40, -3),
       lambda r: uniform(r, 1.25, 6), lambda r: uniform(r, 6, 26), lambda r: uniform(r, 26, 27.35)]),
    F("normcdf", 1, mp_ncdf, [lambda r: rand_bits(r), lambda r: uniform(r, -40, 10)],
      [tiny, lambda r: uniform(r, -2, 2), lambda r: near(r, rng_choice(r, NORMCDF_EDGES), -40, -3),
       lambda r: uniform(r, -39, -8), lambda r: uniform(r, 1.7, 9)]),
    F("lognormcdf", 1, mp_logncdf, [lambda r: rand_bits(r), lambda r: uniform(r, -60, 40)],
      [tiny, lambda r: uniform(r, -2, 2), lambda r: near(r, rng_choice(r, LOGNORMCDF_EDGES), -40, -3),
       lambda r: uniform(r, -1e6, -50), lambda r: uniform(r, 1.4, 9), lambda r: -rand_bits(r, 100, 512, sign=False)]),
    F("lgamma", 1, mp_lgamma, [lambda r: rand_bits(r, sign=False), lambda r: uniform(r, -40, 40),
                                lambda r: -rand_bits(r, -1074, 52, sign=False)],
      [tiny, lambda r: near(r, 1.0, -60, -1), lambda r: near(r, 2.0, -60, -1), lambda r: uniform(r, 0, 20),
       lambda r: near(r, float(-r.randint(1, 170)), -50, -2), lambda r: uniform(r, 2.5e305, 2.6e305)]),
    F("pow", 2, mp_pow, [pow_args], [pow_near_one, pow_integer, pow_extreme]),
    F("atan2", 2, mp_atan2, [pair_random], [pair_close_scales, pair_extreme, pair_axes]),
    F("hypot", 2, mpmath.hypot, [pair_random], [pair_close_scales, pair_extreme, pair_axes]),
]


def valid(name, args):
    x = args[0]
    if name == "acosh" and x < 1: return False
    if name in ("asin", "acos", "atanh") and abs(x) >= (1 if name == "atanh" else 1.0000000001): return False
    if name in ("asin", "acos") and abs(x) > 1: return False
    if name in ("log", "log2", "log10") and x <= 0: return False
    if name == "log1p" and x <= -1: return False
    if name == "lgamma" and x <= 0 and x == math.floor(x): return False
    if name == "pow":
        x, y = args
        if x < 0 and y != int(y): return False
        if x == 0: return False
    if name == "atan2" and args == (0.0, 0.0): return False
    return True


def bisect(f, a, b):
    """The zero of f between a and b, where f changes sign, to the working precision."""
    fa = f(a)
    for _ in range(mp.prec + 20):
        m = (a + b) / 2
        fm = f(m)
        if (fm < 0) == (fa < 0):
            a, fa = m, fm
        else:
            b = m
    return (a + b) / 2


def negative_zeros():
    """Arguments beside the zeros of lgamma (down to -17) and digamma (down to -16) on the negative
    axis, where lgamma takes its series at the zero and digamma's error is bounded absolutely:
    records (x, lgamma(x), digamma(x), relative distance to the zero, 1 for a zero of lgamma) in
    lgamma-zeros.bin."""
    rng = random.Random(f"{SEED}-lgamma-zeros")
    zeros, kinds = [], []
    for n in range(2, 17):  # lgamma: two zeros in each (-n-1, -n) from n = 2 on
        tiny = mpf(10) ** -30  # the zeros come within 1/n! of the poles
        for a, b in ((mpf(-n) - mpf(1) / 2, mpf(-n) - tiny), (mpf(-n - 1) + tiny, mpf(-n) - mpf(1) / 2)):
            zeros.append(bisect(mp_lgamma, a, b))
            kinds.append(1.0)
    for n in range(0, 16):  # digamma: one zero in each (-n-1, -n)
        zeros.append(bisect(lambda t: mpmath.psi(0, t), mpf(-n - 1 + 1e-9), mpf(-n - 1e-9)))
        kinds.append(0.0)
    assert all(z < 0 and z != mpmath.floor(z) and abs(mp_lgamma(z) if k else mpmath.psi(0, z)) < mpf(10) ** -60
               for z, k in zip(zeros, kinds))
    with open(os.path.join(OUT, "lgamma-zeros.bin"), "wb") as f:
        for z, kind in zip(zeros, kinds):
            for k in range(3, 53):
                for _ in range(3):
                    x = float(z) * (1 + rng.choice((-1, 1)) * 2.0 ** -k * rng.random())
                    if x == math.floor(x):
                        continue
                    X = mpf(x)
                    f.write(struct.pack("<5d", x, to_double(mp_lgamma(X)), to_double(mpmath.psi(0, X)), abs(float((X - z) / z)), kind))
        # the 12 doubles either side of each pole from -2 to -60, where the zeros crowd the poles
        for n in range(2, 61):
            for side in (INF, -INF):
                x = float(-n)
                for _ in range(12):
                    x = math.nextafter(x, side)
                    X = mpf(x)
                    f.write(struct.pack("<5d", x, to_double(mp_lgamma(X)), to_double(mpmath.psi(0, X)), 1.0, 1.0))
    print(f"lgamma-zeros: {len(zeros)} zeros", flush=True)


def main():
    only = set(sys.argv[1:])
    if not only or "lgamma-zeros" in only:
        negative_zeros()
    for name, arity, fn, rnd, hard in FUNCS:
        if only and name not in only:
            continue
        rng = random.Random(f"{SEED}-{name}")
        recs = []
        for gens, count in ((rnd, N_RANDOM), (hard, N_HARD)):
            got = 0
            while got < count:
                a = rng.choice(gens)(rng)
                args = a if isinstance(a, tuple) else (a,)
                if not all(math.isfinite(v) for v in args) or not valid(name, args):
                    continue
                want = to_double(fn(*[mpf(v) for v in args]))
                if math.isnan(want):
                    continue
                recs.append(args + (want,))
                got += 1
        with open(os.path.join(OUT, name + ".bin"), "wb") as f:
            for r in recs:
                f.write(struct.pack("<%dd" % len(r), *r))
        print(f"{name}: {len(recs)} records", flush=True)


if __name__ == "__main__":
    main()
