using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Tests;

/// <summary>What the README promises about stored values, on every backend: signs of zeros, kinks, buffers, widths.</summary>
public abstract partial class ApiSuite
{
    private static long Bits(double d) => BitConverter.DoubleToInt64Bits(d);

    [SkippableFact]
    public void ZeroDerivativesAreStoredAsPositiveZeroAndValuesKeepTheirSign()
    {
        // At (-0, -0): d(x^2 + y)/dx = 2x = -0 and d(xy)/dx = y = -0 before canonicalisation.
        var points = new[] { -0.0, -0.0, -0.0, 1.0 };
        var jacobian = Engine.Jacobian(new SeedTwoByTwo(), points).Data;
        var hessian = Engine.Hessian(new KinkModel(), points).Data;
        foreach (double d in jacobian.Concat(hessian))
            if (d == 0.0) Assert.True(Bits(d) == 0, $"a zero derivative is stored as -0 {Seed}");
        var value = Engine.Value(new SeedTwoByTwo(), points).ForPoint(1);
        Assert.Equal(Bits(-0.0), Bits(value[1])); // x y at (-0, 1) is -0, and a value keeps it
    }

    [SkippableFact]
    public void NaNDerivativesAreStoredAsOneNaN()
    {
        // A NaN input with a payload: x^2 + y and x y carry it into their derivatives before
        // canonicalisation (2x, y).
        double payload = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0123);
        var points = new[] { payload, 2.0, 3.0, payload };
        var directions = new[] { 1.0, 1.0, 1.0, 1.0 };
        var derivatives = Engine.Jacobian(new SeedTwoByTwo(), points).Data
            .Concat(Engine.Hessian(new SeedTwoByTwo(), points).Data)
            .Concat(Engine.Jvp(new SeedTwoByTwo(), points, directions).Data)
            .Concat(Engine.Hvp(new SeedTwoByTwo(), points, directions).Data)
            .Concat(Engine.Vjp(new SeedTwoByTwo(), points, directions).Data).ToArray();
        Assert.Contains(derivatives, double.IsNaN);
        foreach (double d in derivatives.Where(double.IsNaN))
            Assert.True(Bits(d) == Bits(double.NaN), $"a NaN derivative is stored as 0x{Bits(d):X16}, not double.NaN's bits {Seed}");
    }

    [SkippableFact]
    public void KinksFollowTheDocumentedConventions()
    {
        // (0, 0), (-0, -0), (2.5, 2.5): abs at 0 has derivative +1; min and max take the first
        // argument when equal; copysign(x, -1) has derivative sign(x) sign(-1); the rounding
        // functions have derivative 0.
        var points = new[] { 0.0, 0.0, -0.0, -0.0, 2.5, 2.5 };
        var j = Engine.Jacobian(new KinkModel(), points);
        double[][] want =
        [
            [1, 0, 1, 0, 1, 0, -1, 0, 0, 0, 0, 0, 0, 0],
            [1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, -0.0, -0.0],
            [1, 0, 1, 0, 1, 0, -1, 0, 0, 0, 0, 0, 2.5, 2.5],
        ];
        for (int p = 0; p < 3; p++)
        {
            var got = j.ForPoint(p).ToArray();
            for (int i = 0; i < got.Length; i++)
            {
                double expected = want[p][i] == 0 ? 0.0 : want[p][i]; // stored zeros are +0
                Assert.True(Bits(expected) == Bits(got[i]), $"point {p}, entry {i}: want {expected:R}, got {got[i]:R} {Seed}");
            }
        }
    }

    [SkippableFact]
    public void ComputeIntoFillsTheCallersBufferWithTheSameBits()
    {
        var q = Uniform(6 * 50, -3, 3);
        var buffer = new double[50 * 18];
        for (int round = 0; round < 2; round++) // reused: the second call overwrites every entry
        {
            var r = Engine.ComputeInto(DerivativeKind.Jacobian, new PlanarArm6(), q, buffer);
            Assert.Same(buffer, r.Data);
            AssertBitIdentical(host.Value.Jacobian(new PlanarArm6(), q).Data, buffer, $"ComputeInto round {round}");
            q = Uniform(6 * 50, -3, 3);
        }
    }

    [SkippableFact]
    public void VectorProductsAreTheSameBitsAtEveryChunkWidth()
    {
        Skip.If(Unavailable is not null, Unavailable);
        const int n = 11;
        var x = Uniform(n * 23, 0.2, 1.4);
        var v = Uniform(n * 23, -1, 1);
        double[]? jvp = null, hvp = null;
        foreach (int width in new[] { 1, 2, 4, 7, 8, 16 })
        {
            using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, ChunkWidth = width, MaxBatchPoints = 5 });
            var j = e.Jvp(new BrownAlmostLinear(n), x, v).Data;
            var h = e.Hvp(new BrownAlmostLinear(n), x, v).Data;
            if (jvp is null || hvp is null) (jvp, hvp) = (j, h);
            AssertBitIdentical(jvp, j, $"Jvp at width {width}");
            AssertBitIdentical(hvp, h, $"Hvp at width {width}");
        }
    }

    [SkippableFact]
    public void AWidthOutsideOneToSixteenIsAClearError()
    {
        Skip.If(Unavailable is not null, Unavailable);
        foreach (int width in new[] { 0, 17, -4 })
        {
            var error = Assert.Throws<ArgumentException>(() => new DerivativeEngine(new EngineOptions { Backend = Kind, ChunkWidth = width }));
            Assert.Contains($"Chunk width {width} is not supported; use 1 to 16", error.Message);
        }
    }

    [SkippableFact]
    public void EnginesOpenedOnSeveralThreadsAtOnceAllWork()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var q = Uniform(2 * 20, -1, 1);
        var want = host.Value.Jacobian(new SeedTwoByTwo(), q).Data;
        Parallel.For(0, 3, _ =>
        {
            using var e = new DerivativeEngine(new EngineOptions { Backend = Kind });
            AssertBitIdentical(want, e.Jacobian(new SeedTwoByTwo(), q).Data, "Jacobian from a concurrently opened engine");
        });
    }
}
