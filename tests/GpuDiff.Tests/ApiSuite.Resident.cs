using System.Numerics;
using GpuDiff.Analysis;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Resident;
using GpuDiff.Streaming;

namespace GpuDiff.Tests;

/// <summary>
/// Device-resident data: derivatives of points on the device with the in-memory call's bits, points
/// made on the device with the random source's bits, per-point analyses against independent
/// references, and fixed-order statistics that give the same bits however the values are cut.
/// </summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public void ResidentDerivativesHaveTheInMemoryBits()
    {
        var arm = Uniform(6 * 500, -3, 3);
        using var points = Engine.Upload(arm);
        using (var j = Engine.Compute(DerivativeKind.Jacobian, new PlanarArm6(), points))
            AssertBitIdentical(Engine.Jacobian(new PlanarArm6(), arm).Data, j.ToArray(), "resident arm Jacobian");
        // A call on device arrays is one batch unless the engine caps batches; cut into batches of 7
        // points (the last one short), it must give the same bits.
        using (var capped = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 7 }))
        using (var cx = capped.Upload(arm))
        using (var j = capped.Compute(DerivativeKind.Jacobian, new PlanarArm6(), cx))
            AssertBitIdentical(Engine.Jacobian(new PlanarArm6(), arm).Data, j.ToArray(), "resident arm Jacobian in batches of 7 points");
        var brown = Uniform(19 * 40, 0.2, 1.4);
        using (var x = Engine.Upload(brown))
        using (var j = Engine.Compute(DerivativeKind.Jacobian, new BrownAlmostLinear(19), x))
            AssertBitIdentical(Engine.Jacobian(new BrownAlmostLinear(19), brown).Data, j.ToArray(), "resident Brown Jacobian");
        var rosenbrock = Uniform(8 * 60, -2, 2);
        using (var x = Engine.Upload(rosenbrock))
        using (var h = Engine.Compute(DerivativeKind.Hessian, new Rosenbrock(8), x))
            AssertBitIdentical(Engine.Hessian(new Rosenbrock(8), rosenbrock).Data, h.ToArray(), "resident Rosenbrock Hessian");
        // Directions and cotangents on the device too; a destination reused across calls.
        var v = Uniform(6 * 500, -1, 1);
        var u = Uniform(3 * 500, -1, 1);
        using var dv = Engine.Upload(v);
        using var du = Engine.Upload(u);
        using var into = Engine.Allocate(3 * 500);
        Engine.Compute(DerivativeKind.Jvp, new PlanarArm6(), points, dv, destination: into);
        AssertBitIdentical(Engine.Jvp(new PlanarArm6(), arm, v).Data, into.ToArray(), "resident Jvp");
        using var vjp = Engine.Compute(DerivativeKind.Vjp, new PlanarArm6(), points, du);
        AssertBitIdentical(Engine.Vjp(new PlanarArm6(), arm, u).Data, vjp.ToArray(), "resident Vjp");
        var r = Uniform(9, -5, 5);
        var linear = Uniform(3 * 7, -5, 5);
        using var lx = Engine.Upload(linear);
        using var lj = Engine.Compute(DerivativeKind.Jacobian, new LinearMap3(), lx, parameters: r);
        AssertBitIdentical(Engine.Jacobian(new LinearMap3(), linear, r).Data, lj.ToArray(), "resident LinearMap3 with parameters");
    }

    [SkippableFact]
    public async Task GeneratedPointsAreTheRandomSourcesBits()
    {
        ulong seed = (ulong)random.NextInt64();
        double[] lo = [-3, 0.5, 2, -1e-3], hi = [3, 0.75, 2, 1e300];
        const long first = 37, count = 1001;
        using var made = Engine.GeneratePoints(count, seed, lo, hi, first);
        var source = new RandomPointSource(first + count, seed, lo, hi);
        await source.SkipAsync(first * 4, default);
        var want = new double[count * 4];
        Assert.Equal(want.Length, await source.ReadAsync(want, default));
        AssertBitIdentical(want, made.ToArray(), $"device points, seed {seed}");
    }

    [SkippableFact]
    public void DeviceDeterminantsAreExactToRoundingAndTheHostAnalysisBits()
    {
        foreach (int n in new[] { 1, 2, 3, 5, 8 })
        {
            const int count = 40;
            var matrices = Uniform(n * n * count, -2, 2);
            for (int k = 0; k < n; k++) matrices[(count - 1) * n * n + k * n] = 0.0; // a singular one: a zero column
            matrices[(count - 2) * n * n] = double.NaN;
            using var a = Engine.Upload(matrices);
            using var d = Engine.Determinants(a, n);
            var got = d.ToArray();
            for (int p = 0; p < count; p++)
            {
                var m = matrices.AsSpan(p * n * n, n * n);
                var (det, sign, logAbs) = PointAnalysis.Determinant(m, n);
                AssertBitIdentical([det, sign, logAbs], got[(3 * p)..(3 * p + 3)], $"det of {n}x{n} matrix {p} against the host analysis");
                if (p >= count - 2) continue;
                double exact = ExactDeterminant(m, n), bound = 1.0;
                for (int i = 0; i < n; i++)
                {
                    double row = 0;
                    for (int j = 0; j < n; j++) row += m[i * n + j] * m[i * n + j];
                    bound *= Math.Sqrt(row);
                }
                Assert.True(Math.Abs(det - exact) <= 1e-13 * bound, $"det of {n}x{n} matrix {p}: exact {exact:R}, got {det:R} {Seed}");
                Assert.Equal(Math.Sign(exact), sign);
            }
            Assert.Equal([0.0, 0.0, double.NegativeInfinity], got[^3..]);
            Assert.True(double.IsNaN(got[^6]) && got[^5] == 0 && double.IsNaN(got[^4]), $"a NaN entry gives NaN, sign 0 {Seed}");
        }
    }

    [SkippableFact]
    public void DeviceManipulabilityIsTheProductOfTheSingularValues()
    {
        var q = Uniform(6 * 300, -Math.PI, Math.PI);
        q[6 * 7] = double.NaN;
        var j = Engine.Jacobian(new PlanarArm6(), q).Data;
        using var dj = Engine.Upload(j);
        using var w = Engine.Manipulability(dj, 3, 6);
        var got = w.ToArray();
        Span<double> sigma = stackalloc double[3];
        for (int p = 0; p < 300; p++)
        {
            var jp = j.AsSpan(18 * p, 18);
            AssertBitIdentical([PointAnalysis.Manipulability(jp, 3, 6)], [got[p]], $"manipulability {p} against the host analysis");
            if (p == 7)
            {
                Assert.True(double.IsNaN(got[p]), $"a NaN Jacobian gives NaN {Seed}");
                continue;
            }
            PointAnalysis.SingularValues(jp, 3, 6, sigma);
            double product = sigma[0] * sigma[1] * sigma[2];
            Assert.True(Math.Abs(got[p] - product) <= 1e-12 * sigma[0] * sigma[0] * sigma[0], $"point {p}: singular values give {product:R}, got {got[p]:R} {Seed}");
        }
        // A tall J (more outputs than inputs) takes J^T J.
        var tall = Uniform(4 * 2 * 10, -1, 1);
        using var dt = Engine.Upload(tall);
        using var wt = Engine.Manipulability(dt, 4, 2);
        Span<double> s2 = stackalloc double[2];
        var gotTall = wt.ToArray();
        for (int p = 0; p < 10; p++)
        {
            PointAnalysis.SingularValues(tall.AsSpan(8 * p, 8), 4, 2, s2);
            Assert.True(Math.Abs(gotTall[p] - s2[0] * s2[1]) <= 1e-13 * s2[0] * s2[0], $"tall point {p} {Seed}");
        }
    }

    [SkippableFact]
    public void DeviceStatisticsHaveTheSameBitsHoweverTheValuesAreCut()
    {
        int length = 3 * StatisticsAccumulator.BlockLength + 5000;
        var values = Uniform(length, -1e3, 1e3);
        values[17] = double.NaN;
        values[40_000] = double.PositiveInfinity;
        values[41_000] = double.NegativeInfinity;
        int low = random.Next(length), high = random.Next(length);
        values[low] = -5e3;
        values[high] = 5e3;
        values[length - 1] = -5e3; // ties go to the lower index
        values[length - 2] = -5e3;
        values[3] = 1e3; // the histogram's upper end belongs above it
        using var device = Engine.Upload(values);
        var whole = new StatisticsAccumulator(threshold: -500, extremes: 7, histogram: Bins);
        Engine.Accumulate(device, length, whole);
        var pieces = new StatisticsAccumulator(threshold: -500, extremes: 7, histogram: Bins);
        using (var part = Engine.Allocate(2 * StatisticsAccumulator.BlockLength))
        {
            for (int first = 0; first < length; first += 2 * StatisticsAccumulator.BlockLength)
            {
                int size = Math.Min(2 * StatisticsAccumulator.BlockLength, length - first);
                part.CopyFrom(values, first, 0, size);
                Engine.Accumulate(part, size, pieces);
            }
        }
        var onHost = new StatisticsAccumulator(threshold: -500, extremes: 7, histogram: Bins);
        for (int first = 0; first < length;)
        {
            int size = Math.Min(length - first, 1 + random.Next(30_000));
            onHost.Add(values.AsSpan(first, size));
            first += size;
        }
        var want = Reference(values, -500);
        foreach (var (got, how) in new[] { (whole.Result, "one device append"), (pieces.Result, "device appends of two blocks"), (onHost.Result, "host appends of random sizes") })
        {
            AssertBitIdentical([want.Sum, want.Min, want.Max], [got.Sum, got.Min, got.Max], $"statistics, {how}");
            Assert.Equal((want.Count, want.FiniteCount, want.MinIndex, want.MaxIndex, want.BelowThreshold, want.NonFiniteCount),
                (got.Count, got.FiniteCount, got.MinIndex, got.MaxIndex, got.BelowThreshold, got.NonFiniteCount));
            Assert.Equal([17L, 40_000L, 41_000L], got.NonFiniteIndices);
            Assert.Equal(want.Smallest.Select(p => (BitConverter.DoubleToInt64Bits(p.Value), p.Index)), got.Smallest.Select(p => (BitConverter.DoubleToInt64Bits(p.Value), p.Index)));
            Assert.Equal(want.Largest.Select(p => (BitConverter.DoubleToInt64Bits(p.Value), p.Index)), got.Largest.Select(p => (BitConverter.DoubleToInt64Bits(p.Value), p.Index)));
            Assert.Equal(want.HistogramCounts, got.HistogramCounts);
            Assert.Equal((want.BelowHistogram, want.AboveHistogram), (got.BelowHistogram, got.AboveHistogram));
        }
        Assert.Equal(Math.Min(low, length - 1), want.MinIndex);
    }

    [SkippableFact]
    public void MisusedDeviceArraysAreClearErrors()
    {
        var x = Uniform(6 * 4, -1, 1);
        var gone = Engine.Upload(x);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Engine.Compute(DerivativeKind.Jacobian, new PlanarArm6(), gone));
        using var other = host.Value.Upload(x);
        var foreign = Assert.Throws<ArgumentException>(() => Engine.Compute(DerivativeKind.Jacobian, new PlanarArm6(), other));
        Assert.Contains("belongs to another engine", foreign.Message);
        using var five = Engine.Upload(Uniform(5, -1, 1));
        Assert.Contains("not a multiple of the model's 6 inputs", Assert.Throws<ArgumentException>(() => Engine.Compute(DerivativeKind.Jacobian, new PlanarArm6(), five)).Message);
        using var points = Engine.Upload(x);
        using var small = Engine.Allocate(17);
        Assert.Contains("need 72", Assert.Throws<ArgumentException>(() => Engine.Compute(DerivativeKind.Jacobian, new PlanarArm6(), points, destination: small)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => points.CopyTo(20, new double[10], 0, 5));
        var statistics = new StatisticsAccumulator();
        Engine.Accumulate(points, 20, statistics);
        Assert.Throws<InvalidOperationException>(() => Engine.Accumulate(points, 4, statistics));
        // A model's mistake on the device is the same exception as in memory, naming the point.
        var bad = Uniform(2 * 50, -1, 1);
        bad[2 * 31] = WritesOutOfRange.Trigger;
        using var badPoints = Engine.Upload(bad);
        var fault = Assert.Throws<ModelFaultException>(() => Engine.Compute(DerivativeKind.Jacobian, new WritesOutOfRange(5), badPoints));
        Assert.Equal(31, fault.Point);
        Assert.Contains("wrote output 5", fault.Message);
    }

    private static readonly HistogramBins Bins = new(-1000, 1000, 50);

    /// <summary>The documented order, written out plainly: blocks of 16,384; chunk t of a block its values t, t + 128, ... from +0; chunks, then blocks, in order.</summary>
    private static SummaryStatistics Reference(double[] values, double threshold)
    {
        double total = 0;
        for (int b = 0; b < values.Length; b += 128 * 128)
        {
            double block = 0;
            for (int t = 0; t < 128; t++)
            {
                double chunk = 0;
                for (int i = b + t; i < Math.Min(values.Length, b + 128 * 128); i += 128)
                    if (double.IsFinite(values[i])) chunk += values[i];
                block += chunk;
            }
            total += block;
        }
        var finite = values.Select((v, i) => (v, i)).Where(t => double.IsFinite(t.v)).ToArray();
        double min = finite.Min(t => t.v), max = finite.Max(t => t.v);
        var counts = new long[Bins.Count];
        foreach (var (v, _) in finite)
            if (v >= Bins.Lo && v < Bins.Hi) counts[Math.Min(Bins.Count - 1, (int)((v - Bins.Lo) / (Bins.Hi - Bins.Lo) * Bins.Count))]++;
        return new SummaryStatistics(values.Length, finite.Length, total, min, finite.First(t => t.v == min).i, max, finite.First(t => t.v == max).i,
            threshold, finite.Count(t => t.v < threshold), values.Length - finite.Length,
            values.Select((v, i) => (v, i)).Where(t => !double.IsFinite(t.v)).Select(t => (long)t.i).ToArray())
        {
            Smallest = finite.OrderBy(t => t.v).ThenBy(t => t.i).Take(7).Select(t => (t.v, (long)t.i)).ToArray(),
            Largest = finite.OrderByDescending(t => t.v).ThenBy(t => t.i).Take(7).Select(t => (t.v, (long)t.i)).ToArray(),
            HistogramCounts = counts,
            BelowHistogram = finite.Count(t => t.v < Bins.Lo),
            AboveHistogram = finite.Count(t => t.v >= Bins.Hi),
        };
    }

    /// <summary>det by Bareiss's fraction-free elimination on the entries scaled to integers: exact, then rounded once.</summary>
    private static double ExactDeterminant(ReadOnlySpan<double> m, int n)
    {
        var a = new BigInteger[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i, j] = new BigInteger(Math.ScaleB(m[i * n + j], 60)); // entries in [-2, 2): exact integers
        BigInteger previous = 1;
        int sign = 1;
        for (int k = 0; k < n - 1; k++)
        {
            if (a[k, k].IsZero)
            {
                int r = k + 1;
                while (r < n && a[r, k].IsZero) r++;
                if (r == n) return 0.0;
                for (int j = 0; j < n; j++) (a[k, j], a[r, j]) = (a[r, j], a[k, j]);
                sign = -sign;
            }
            for (int i = k + 1; i < n; i++)
                for (int j = k + 1; j < n; j++) a[i, j] = (a[i, j] * a[k, k] - a[i, k] * a[k, j]) / previous;
            previous = a[k, k];
        }
        var det = sign * a[n - 1, n - 1];
        return Math.ScaleB((double)det, -60 * n); // may be 1 ulp off correct rounding; the test's bound is far wider
    }
}
