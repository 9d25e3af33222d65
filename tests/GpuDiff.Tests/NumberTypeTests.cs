using GpuDiff.Backends;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Tests;

/// <summary>
/// <see cref="InlineHyperDual{P}"/> writes out <see cref="HyperDual{P}"/>'s + - * so that the host
/// JIT inlines them; every operation of the two must give the same bits, on random and special
/// values, for the chunks the sparse kernels use (one to four partials, scalar and vector lanes).
/// A NaN matches any NaN: stored derivatives carry one NaN (DerivativeEntry.Canonical).
/// </summary>
public sealed class NumberTypeTests
{
    private static readonly double[] Specials =
    [
        0.0, -0.0, 1.0, -1.0, double.Epsilon, double.MaxValue, -double.MaxValue, double.PositiveInfinity,
        double.NegativeInfinity, double.NaN, 2.2250738585072014E-308, 1e-300, 1e300, 0.1, 3.0,
    ];

    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;

    public NumberTypeTests() => random = new Random(seed);

    [Fact]
    public void InlineHyperDualGivesHyperDualsBitsForEveryOperation()
    {
        Check(v => new One { D = v[0] }, 1);
        Check(v => new Pair<One> { Low = new One { D = v[0] }, High = new One { D = v[1] } }, 2);
        Check(v => new Join<Pair<One>, One> { Low = new Pair<One> { Low = new One { D = v[0] }, High = new One { D = v[1] } }, High = new One { D = v[2] } }, 3);
        Check(v => new Lanes4 { V = System.Runtime.Intrinsics.Vector256.Create(v[0], v[1], v[2], v[3]) }, 4);
    }

    private void Check<P>(Func<double[], P> make, int width) where P : struct, IPartials<P>
    {
        for (int round = 0; round < 3000; round++)
        {
            HyperDual<P> a = Draw(make, width), b = Draw(make, width);
            InlineHyperDual<P> ia = new(a), ib = new(b);
            double s = Scalar(), f = Scalar(), fx = Scalar(), fy = Scalar(), fxx = Scalar(), fxy = Scalar(), fyy = Scalar();
            Same(a + b, ia + ib, "a + b");
            Same(a + s, ia + s, "a + s");
            Same(s + b, s + ib, "s + b");
            Same(a - b, ia - ib, "a - b");
            Same(a - s, ia - s, "a - s");
            Same(s - b, s - ib, "s - b");
            Same(a * b, ia * ib, "a * b");
            Same(a * s, ia * s, "a * s");
            Same(s * b, s * ib, "s * b");
            Same(a / b, ia / ib, "a / b");
            Same(a / s, ia / s, "a / s");
            Same(s / b, s / ib, "s / b");
            Same(-a, -ia, "-a");
            Same(HyperDual<P>.Chain(a, f, fx, fxx), InlineHyperDual<P>.Chain(ia, f, fx, fxx), "Chain of one");
            Same(HyperDual<P>.Chain(a, b, f, fx, fy, fxx, fxy, fyy), InlineHyperDual<P>.Chain(ia, ib, f, fx, fy, fxx, fxy, fyy), "Chain of two");
            Same(HyperDual<P>.Constant(s), InlineHyperDual<P>.Constant(s), "Constant");
            Assert.Equal(a < b, ia < ib);
            Assert.Equal(a >= s, ia >= s);
        }
    }

    private double Scalar() => random.Next(5) == 0 ? Specials[random.Next(Specials.Length)] : (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-40, 40));

    private HyperDual<P> Draw<P>(Func<double[], P> make, int width) where P : struct, IPartials<P>
    {
        double[] Parts() => [.. Enumerable.Range(0, width).Select(_ => Scalar())];
        return new HyperDual<P>(Scalar(), Scalar(), make(Parts()), make(Parts()));
    }

    private void Same<P>(HyperDual<P> want, InlineHyperDual<P> got, string what) where P : struct, IPartials<P>
    {
        var g = got.Number;
        SameBits(want.Value, g.Value, $"{what}: value");
        SameBits(want.Along, g.Along, $"{what}: along");
        for (int k = 0; k < P.Width; k++)
        {
            SameBits(P.Get(want.Partials, k), P.Get(g.Partials, k), $"{what}: partial {k} of {P.Width}");
            SameBits(P.Get(want.Mixed, k), P.Get(g.Mixed, k), $"{what}: mixed part {k} of {P.Width}");
        }
    }

    private void SameBits(double want, double got, string what)
    {
        long w = BitConverter.DoubleToInt64Bits(want), g = BitConverter.DoubleToInt64Bits(got);
        Assert.True(w == g || (double.IsNaN(want) && double.IsNaN(got)), $"{what}: HyperDual 0x{w:X16}, InlineHyperDual 0x{g:X16} (seed {seed})");
    }
}
