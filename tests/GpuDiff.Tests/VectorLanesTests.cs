using GpuDiff.Backends;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Tests;

/// <summary>
/// The host backend's vector partials (<see cref="Lanes4"/>) give, lane by lane, the bits of the
/// scalar chunk <see cref="One"/> for every operation, special values included. Where two NaNs
/// meet, x86 keeps the first operand's payload and the JIT may order a vector's operands otherwise
/// than a scalar's, so a NaN matches any NaN here: derivative entries are stored with one NaN
/// (<c>DerivativeEntry.Canonical</c>, tested in the API suite).
/// </summary>
public sealed class VectorLanesTests
{
    private static readonly double[] Specials =
    [
        0.0, -0.0, 1.0, -1.0, double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, BitConverter.Int64BitsToDouble(0x7FF4_0000_0000_0001),
        2.2250738585072014E-308, 1e-300, 1e300, 0.1, 3.0,
    ];

    [Fact]
    public void EveryOperationGivesTheScalarBitsInEachLane()
    {
        int seed = TestSeed.Fresh();
        var random = new Random(seed);
        double Draw() => random.Next(4) == 0 ? Specials[random.Next(Specials.Length)] : (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-60, 60));
        for (int round = 0; round < 4000; round++)
        {
            Lanes4 a = Lanes(Draw, out var sa), b = Lanes(Draw, out var sb);
            double s = Draw(), t = Draw();
            Same(Lanes4.Add(a, b), k => One.Add(sa[k], sb[k]), "Add", seed);
            Same(Lanes4.Subtract(a, b), k => One.Subtract(sa[k], sb[k]), "Subtract", seed);
            Same(Lanes4.Negate(a), k => One.Negate(sa[k]), "Negate", seed);
            Same(Lanes4.Scale(a, s), k => One.Scale(sa[k], s), "Scale", seed);
            Same(Lanes4.Divide(a, s), k => One.Divide(sa[k], s), "Divide", seed);
            Same(Lanes4.Combine(a, s, b, t), k => One.Combine(sa[k], s, sb[k], t), "Combine of two", seed);
            Same(Lanes4.Quotient(a, b, s, t), k => One.Quotient(sa[k], sb[k], s, t), "Quotient", seed);
            StoresAsTheScalarChunk(a, sa, random.Next(6), seed);
        }
        for (int index = -40; index <= 40; index++) // a seed is read from a window: far outside it too
            for (int k = 0; k < 4; k++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(One.Get(One.Unit(index - k), 0)), BitConverter.DoubleToInt64Bits(Lanes4.Get(Lanes4.Unit(index), k)));
    }

    /// <summary>
    /// A chunk's stored entries are canonical (zeros +0, NaNs one NaN), so here the bits must match
    /// exactly, NaNs included; lanes past the count are not written.
    /// </summary>
    private static void StoresAsTheScalarChunk(Lanes4 a, One[] scalars, int count, int seed)
    {
        double[] want = [.. Enumerable.Repeat(7.0, 6)], got = [.. want], pinned = [.. want];
        for (int k = 0; k < 4; k++) One.StoreCanonical(scalars[k], new ArrayBuffer(want), 1 + k, count - k);
        Lanes4.StoreCanonical(a, new ArrayBuffer(got), 1, count);
        unsafe
        {
            // The host's pinned buffers take a whole vector in one store.
            fixed (double* cells = pinned) Lanes4.StoreCanonical(a, new PointerBuffer(cells, pinned.Length), 1, count);
        }
        for (int i = 0; i < 6; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(want[i]) == BitConverter.DoubleToInt64Bits(got[i]),
                $"StoreCanonical of {count}, cell {i}: scalar {want[i]:R}, vector {got[i]:R} (seed {seed})");
            Assert.True(BitConverter.DoubleToInt64Bits(want[i]) == BitConverter.DoubleToInt64Bits(pinned[i]),
                $"StoreCanonical of {count} to pinned memory, cell {i}: scalar {want[i]:R}, vector {pinned[i]:R} (seed {seed})");
        }
    }

    private static Lanes4 Lanes(Func<double> draw, out One[] scalars)
    {
        scalars = [.. Enumerable.Range(0, 4).Select(_ => new One { D = draw() })];
        return new Lanes4 { V = System.Runtime.Intrinsics.Vector256.Create(scalars[0].D, scalars[1].D, scalars[2].D, scalars[3].D) };
    }

    private static void Same(Lanes4 got, Func<int, One> want, string what, int seed)
    {
        for (int k = 0; k < 4; k++)
        {
            long w = BitConverter.DoubleToInt64Bits(want(k).D), g = BitConverter.DoubleToInt64Bits(Lanes4.Get(got, k));
            Assert.True(w == g || (double.IsNaN(want(k).D) && double.IsNaN(Lanes4.Get(got, k))), $"{what}, lane {k}: scalar 0x{w:X16}, vector 0x{g:X16} (seed {seed})");
        }
    }
}
