using System.Runtime.Intrinsics;
using GpuDiff.Kernels.Math;
using Xunit.Abstractions;

namespace GpuDiff.Tests;

/// <summary>
/// The four-lane exp and log (the host's numbers of four points) against the scalar DMath forms,
/// bit for bit: every branch of fdlibm's code in one group, the thresholds between them and their
/// neighbours, the groups that fall back lane by lane, on arguments drawn fresh with the seed printed.
/// </summary>
public sealed class MathLanesTests(ITestOutputHelper output)
{
    private static double Words(int high) => BitConverter.Int64BitsToDouble((long)high << 32);

    private static IEnumerable<double> Edges()
    {
        double[] thresholds =
        [
            Math.Pow(2, -28), Words(0x3fd62e42), Words(0x3fd62e43), Words(0x3FF0A2B2), Words(0x3FF0A2B1), 1.0, 708.0, 709.0, 709.782712893384,
            745.1332191019411, 0.5 * Math.Log(2), 1.5 * Math.Log(2), 0.0, double.Epsilon, 1e-300,
        ];
        foreach (double t in thresholds)
            foreach (double s in new[] { t, Math.BitIncrement(t), Math.BitDecrement(t) })
                if (s >= 0) { yield return s; yield return -s; }
        for (int k = -1021; k <= 1021; k += 7) // halfway between multiples of ln 2, where the rounding of k turns
        {
            double h = (k + 0.5) * Math.Log(2);
            yield return h; yield return Math.BitIncrement(h); yield return Math.BitDecrement(h);
        }
        yield return double.NaN; yield return double.PositiveInfinity; yield return double.NegativeInfinity;
    }

    [Fact]
    public void EachExpLaneHasTheScalarBits()
    {
        int seed = TestSeed.Fresh();
        var random = new Random(seed);
        var values = new List<double>(Edges());
        for (int i = 0; i < 40_000; i++)
        {
            values.Add((random.NextDouble() * 2 - 1) * (i % 4) switch { 0 => 1.2, 1 => 4.0, 2 => 708.0, _ => 760.0 });
            values.Add((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-60, 11)));
        }
        AssertLanes("exp", DMath.Exp, DMath.Exp, values, random, seed);
    }

    [Fact]
    public void EachLogLaneHasTheScalarBits()
    {
        int seed = TestSeed.Fresh();
        var random = new Random(seed);
        var values = new List<double> { 0.0, -0.0, -1.0, double.Epsilon, 2.2250738585072014E-308, 2.2250738585072009E-308, double.MaxValue, double.PositiveInfinity, double.NaN, 1.0 };
        for (int e = -1022; e <= 1023; e += 3) // around powers of two, where f is tiny or zero and k turns
        {
            double p = Math.ScaleB(1.0, e);
            values.AddRange([p, Math.BitIncrement(p), Math.BitDecrement(p), Math.BitIncrement(Math.BitIncrement(p)), p * Math.Sqrt(2), Math.BitDecrement(p * Math.Sqrt(2))]);
        }
        foreach (int high in new[] { 0x6147a, 0x6b851, 0x95f64, 0xffffe, 0xfffff, 0x00000, 0x00001 }) // the thresholds in the high word's mantissa
            foreach (int delta in new[] { -1, 0, 1 })
                values.Add(BitConverter.Int64BitsToDouble(((long)(0x3ff00000 | ((high + delta) & 0xfffff)) << 32) | (uint)random.Next()));
        for (int i = 0; i < 40_000; i++)
        {
            values.Add(random.NextDouble() * 4);
            values.Add(Math.ScaleB(1.0 + random.NextDouble(), random.Next(-1022, 1024)));
            values.Add(1.0 + (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-40, -1)));
        }
        AssertLanes("log", DMath.Log, DMath.Log, values, random, seed);
    }

    /// <summary>The values shuffled into groups of four, so each group mixes branches (and some hold a lane that falls back).</summary>
    private void AssertLanes(string name, Func<Vector256<double>, Vector256<double>> lanesForm, Func<double, double> scalarForm, List<double> values, Random random, int seed)
    {
        output.WriteLine($"seed {seed}");
        var shuffled = values.OrderBy(_ => random.Next()).ToArray();
        int failures = 0;
        for (int g = 0; g + 4 <= shuffled.Length; g += 4)
        {
            var lanes = lanesForm(Vector256.Create(shuffled, g));
            for (int l = 0; l < 4; l++)
            {
                double x = shuffled[g + l], scalar = scalarForm(x), lane = lanes.GetElement(l);
                if (BitConverter.DoubleToInt64Bits(scalar) != BitConverter.DoubleToInt64Bits(lane) && failures++ < 10)
                    output.WriteLine($"{name}({x:R}): lane {lane:R}, scalar {scalar:R}");
            }
        }
        Assert.True(failures == 0, $"{failures} lanes differ from the scalar {name} (seed {seed}; first ones above)");
    }

    [Fact]
    public void EveryBranchInOneGroupAgrees()
    {
        // Each branch once in one group: |x| < 2^-28, the k = 0 reduction, k = +-1, and k from the product.
        var x = Vector256.Create(1e-10, 0.2, -0.9, 300.5);
        var e = DMath.Exp(x);
        for (int l = 0; l < 4; l++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(DMath.Exp(x.GetElement(l))), BitConverter.DoubleToInt64Bits(e.GetElement(l)));
    }
}
