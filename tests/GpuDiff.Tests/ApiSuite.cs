using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Tests;

/// <summary>
/// The API suite, run once per backend (see the classes at the end). Random points are drawn
/// fresh each run; every failure message carries the seed.
/// </summary>
public abstract partial class ApiSuite : IDisposable
{
    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;
    private readonly Lazy<DerivativeEngine> engine;
    // What this backend's bits are compared with: the host, and for the host itself ILGPU's CPU
    // accelerator, which runs the kernels through ILGPU's compiler instead of the .NET JIT.
    private readonly Lazy<DerivativeEngine> host;

    protected ApiSuite()
    {
        random = new Random(seed);
        engine = Shared(Kind);
        host = Shared(Kind == BackendKind.Host ? BackendKind.CpuAccelerator : BackendKind.Host);
    }

    protected abstract BackendKind Kind { get; }

    /// <summary>Why this backend cannot run here, or null when it can.</summary>
    protected virtual string? Unavailable => null;

    private DerivativeEngine Engine
    {
        get
        {
            Skip.If(Unavailable is not null, Unavailable);
            return engine.Value;
        }
    }

    private string Seed => $"(seed {seed}, backend {BackendNames.Name(Kind)})";

    private double[] Uniform(int count, double lo, double hi) =>
        Enumerable.Range(0, count).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();

    private void Close(double want, double got, double tolerance, string what) =>
        Assert.True(Math.Abs(want - got) <= tolerance * Math.Max(1.0, Math.Abs(want)), $"{what}: want {want:R}, got {got:R} {Seed}");

    [SkippableFact]
    public void SeedJacobianAtTwoThreeIsExact()
    {
        var j = Engine.Jacobian(new SeedTwoByTwo(), [2.0, 3.0]).ToMatrix(0);
        Assert.Equal(new double[,] { { 4, 1 }, { 3, 2 } }, j);
    }

    [SkippableFact]
    public void SeedHessianIsConstant()
    {
        var points = Uniform(2 * 50, -10, 10);
        var h = Engine.Hessian(new SeedQuadratic(), points);
        for (int p = 0; p < 50; p++) Assert.Equal(new double[,] { { 2, 3 }, { 3, 2 } }, h.ToMatrix(p));
    }

    [SkippableFact]
    public void LinearMapJacobianIsTheMatrix()
    {
        var r = Uniform(9, -5, 5);
        var j = Engine.Jacobian(new LinearMap3(), Uniform(3 * 20, -5, 5), r);
        for (int p = 0; p < 20; p++) Assert.Equal(r, j.ForPoint(p).ToArray());
    }

    [SkippableFact]
    public void QuadraticFormGradientAndHessian()
    {
        const int n = 5;
        var a = Uniform(n * n, -2, 2);
        var points = Uniform(n * 30, -3, 3);
        var g = Engine.Gradient(new QuadraticForm(n), points, a);
        var h = Engine.Hessian(new QuadraticForm(n), points, a);
        for (int p = 0; p < 30; p++)
            for (int i = 0; i < n; i++)
            {
                double want = 0;
                for (int k = 0; k < n; k++) want += (a[i * n + k] + a[k * n + i]) * points[p * n + k];
                Close(want, g.ForPoint(p)[i], 1e-13, $"gradient[{p}][{i}]");
                for (int k = 0; k < n; k++) Close(a[i * n + k] + a[k * n + i], h.ForPoint(p)[i * n + k], 1e-15, $"hessian[{p}][{i}][{k}]");
            }
    }

    [SkippableFact]
    public void RosenbrockGradientAndHessianMatchAnalytic()
    {
        const int n = 8;
        var points = Uniform(n * 40, -2, 2);
        var g = Engine.Gradient(new Rosenbrock(n), points);
        var h = Engine.Hessian(new Rosenbrock(n), points);
        for (int p = 0; p < 40; p++)
        {
            var x = points.AsSpan(p * n, n).ToArray();
            var wantG = AnalyticReference.RosenbrockGradient(x);
            var wantH = AnalyticReference.RosenbrockHessian(x);
            // Entries like 1200 x^2 - 400 y + 2 cancel, so a relative bound per entry fails on correct
            // results (seed 30367360 gave 2.5e-13): bound each entry by the point's largest, as
            // vector and matrix norms bound errors.
            double gScale = wantG.Max(Math.Abs), scale = wantH.Max(Math.Abs);
            for (int i = 0; i < n; i++) Close(wantG[i], g.ForPoint(p)[i], 1e-13 * Math.Max(1.0, gScale) / Math.Max(1.0, Math.Abs(wantG[i])), $"gradient[{p}][{i}]");
            for (int i = 0; i < n * n; i++) Close(wantH[i], h.ForPoint(p)[i], 1e-13 * Math.Max(1.0, scale) / Math.Max(1.0, Math.Abs(wantH[i])), $"hessian[{p}][{i}]");
        }
    }

    [SkippableFact]
    public void ArmAndBrownJacobiansMatchAnalytic()
    {
        var q = Uniform(6 * 50, -Math.PI, Math.PI);
        var j = Engine.Jacobian(new PlanarArm6(), q);
        for (int p = 0; p < 50; p++)
        {
            var want = AnalyticReference.ArmJacobian(q.AsSpan(p * 6, 6).ToArray());
            for (int i = 0; i < 18; i++) Close(want[i], j.ForPoint(p)[i], 1e-13, $"arm J[{p}][{i}]");
        }
        const int n = 7;
        var x = Uniform(n * 50, 0.5, 1.5);
        var b = Engine.Jacobian(new BrownAlmostLinear(n), x);
        for (int p = 0; p < 50; p++)
        {
            var want = AnalyticReference.BrownJacobian(x.AsSpan(p * n, n).ToArray());
            for (int i = 0; i < n * n; i++) Close(want[i], b.ForPoint(p)[i], 1e-13, $"brown J[{p}][{i}]");
        }
    }

    private double[] AllFunctionsPoints(int count)
    {
        var points = new double[3 * count];
        for (int p = 0; p < count; p++)
        {
            points[3 * p] = 0.1 + 0.8 * random.NextDouble();
            points[3 * p + 1] = 1.1 + 1.9 * random.NextDouble();
            points[3 * p + 2] = (0.05 + random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1);
        }
        return points;
    }

    [SkippableFact]
    public void EveryMathFunctionDifferentiatesToAnalytic()
    {
        var points = AllFunctionsPoints(200);
        var j = Engine.Jacobian(new AllFunctions(), points);
        Assert.Empty(j.NonFinitePoints);
        for (int p = 0; p < 200; p++)
        {
            var want = AnalyticReference.AllFunctions(points[3 * p], points[3 * p + 1], points[3 * p + 2]);
            for (int k = 0; k < 24; k++)
                for (int i = 0; i < 3; i++) Close(want[k, i], j.ForPoint(p)[k * 3 + i], 1e-13, $"AllFunctions J[{p}][{k}][{i}]");
        }
    }

    [SkippableFact]
    public void EveryMathFunctionHasTheRightSecondDerivatives()
    {
        // Reference: central differences of the analytic Jacobian (System.Math), step 1e-5, so
        // agreement to 1e-6 checks every second-derivative rule, HyperDual's quotient included.
        var points = AllFunctionsPoints(40);
        var h = Engine.Hessian(new AllFunctions(), points);
        const double step = 1e-5;
        for (int p = 0; p < 40; p++)
        {
            var x = points.AsSpan(3 * p, 3).ToArray();
            for (int i = 0; i < 3; i++)
            {
                var up = (double[])x.Clone();
                var down = (double[])x.Clone();
                up[i] += step;
                down[i] -= step;
                var jUp = AnalyticReference.AllFunctions(up[0], up[1], up[2]);
                var jDown = AnalyticReference.AllFunctions(down[0], down[1], down[2]);
                for (int k = 0; k < 24; k++)
                    for (int c = 0; c < 3; c++)
                        Close((jUp[k, c] - jDown[k, c]) / (2 * step), h.ForPoint(p)[(k * 3 + i) * 3 + c], 1e-6, $"AllFunctions H[{p}][{k}][{i}][{c}]");
            }
        }
    }

    [SkippableFact]
    public void VectorProductsMatchFullMatrices()
    {
        const int n = 6;
        var points = Uniform(n * 25, -1.5, 1.5);
        var v = Uniform(n * 25, -1, 1);
        var jvp = Engine.Jvp(new Rosenbrock(n), points, v);
        var hvp = Engine.Hvp(new Rosenbrock(n), points, v);
        var g = Engine.Gradient(new Rosenbrock(n), points);
        var h = Engine.Hessian(new Rosenbrock(n), points);
        for (int p = 0; p < 25; p++)
        {
            double want = 0;
            for (int i = 0; i < n; i++) want += g.ForPoint(p)[i] * v[p * n + i];
            Close(want, jvp.ForPoint(p)[0], 1e-12, $"jvp[{p}]");
            for (int i = 0; i < n; i++)
            {
                double hv = 0;
                for (int k = 0; k < n; k++) hv += h.ForPoint(p)[i * n + k] * v[p * n + k];
                Close(hv, hvp.ForPoint(p)[i], 1e-12, $"hvp[{p}][{i}]");
            }
        }
    }

    [SkippableFact]
    public void EveryApiIsBitIdenticalToHost()
    {
        var points = AllFunctionsPoints(64);
        var v = Uniform(points.Length, -1, 1);
        var model = new AllFunctions();
        var engines = new[] { Engine, host.Value };
        var results = engines.Select(e => new[]
        {
            e.Value(model, points), e.Jacobian(model, points), e.Hessian(model, points), e.Jvp(model, points, v), e.Hvp(model, points, v),
        }).ToArray();
        for (int k = 0; k < results[0].Length; k++) AssertBitIdentical(results[1][k].Data, results[0][k].Data, results[0][k].Kind.ToString());
    }

    [SkippableFact]
    public void EveryMathFunctionIsBitIdenticalToHostOverWideRanges()
    {
        var points = MathCoveragePoints.Draw(random, 3000);
        var model = new MathCoverage();
        AssertBitIdentical(host.Value.Value(model, points).Data, Engine.Value(model, points).Data, "Value");
        AssertBitIdentical(host.Value.Jacobian(model, points).Data, Engine.Jacobian(model, points).Data, "Jacobian");
        AssertBitIdentical(host.Value.Hessian(model, points).Data, Engine.Hessian(model, points).Data, "Hessian");
    }

    [SkippableFact]
    public void EveryChunkWidthAndBatchingGivesTheSameBits()
    {
        const int n = 11;
        Skip.If(Unavailable is not null, Unavailable);
        var points = Uniform(n * 37, 0.2, 1.4);
        var reference = new DerivativeEngine(new EngineOptions { Backend = Kind, ChunkWidth = 1 });
        var wantJ = reference.Jacobian(new BrownAlmostLinear(n), points).Data;
        var wantH = reference.Hessian(new BrownAlmostLinear(n), points).Data;
        reference.Dispose();
        foreach (int width in new[] { 2, 3, 4, 6, 8, 11, 16 })
        {
            using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, ChunkWidth = width, MaxBatchPoints = 3 });
            AssertBitIdentical(wantJ, e.Jacobian(new BrownAlmostLinear(n), points).Data, $"Jacobian width {width}, batches of 3");
            AssertBitIdentical(wantH, e.Hessian(new BrownAlmostLinear(n), points).Data, $"Hessian width {width}, batches of 3");
        }
    }

    [SkippableFact]
    public async Task CancellationStopsBetweenBatchesAndReturnsNothing()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 10 });
        using var cts = new CancellationTokenSource();
        long reported = 0;
        var progress = new SynchronousProgress(p => { reported = p.PointsDone; cts.Cancel(); });
        var points = Uniform(6 * 1000, -1, 1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            e.ComputeAsync(DerivativeKind.Jacobian, new PlanarArm6(), points, progress: progress, cancellationToken: cts.Token));
        Assert.Equal(10, reported);
    }

    [SkippableFact]
    public void NonFiniteResultsAreReportedByPoint()
    {
        var points = AllFunctionsPoints(5);
        points[3 * 3] = -0.5; // Log(b * a) and Asin(a)'s partner outputs leave their domain at point 3
        var r = Engine.Value(new AllFunctions(), points);
        Assert.Equal([3L], r.NonFinitePoints);
    }

    private void AssertBitIdentical(double[] want, double[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            if (BitConverter.DoubleToInt64Bits(want[i]) != BitConverter.DoubleToInt64Bits(got[i]))
                Assert.Fail($"{what}: entry {i} differs: {want[i]:R} vs {got[i]:R} {Seed}");
    }

    // One engine per backend for the whole test run, as an application keeps one: each kernel is
    // compiled once per backend instead of once per test. Engines are safe to share between the
    // suites that run in parallel (the host backend keeps no state between calls, the ILGPU
    // backend runs one job at a time); tests that change an engine's options make their own.
    private static readonly Dictionary<BackendKind, Lazy<DerivativeEngine>> SharedEngines = [];

    private static Lazy<DerivativeEngine> Shared(BackendKind kind)
    {
        lock (SharedEngines)
        {
            if (!SharedEngines.TryGetValue(kind, out var shared))
                SharedEngines[kind] = shared = new(() => new DerivativeEngine(new EngineOptions { Backend = kind }));
            return shared;
        }
    }

    public void Dispose() => GC.SuppressFinalize(this);

    private sealed class SynchronousProgress(Action<SweepProgress> action) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => action(value);
    }
}

public sealed class HostApiTests : ApiSuite
{
    protected override BackendKind Kind => BackendKind.Host;
}

/// <summary>
/// What <c>new DerivativeEngine()</c> gives a user: on a CPU-only machine with PoCL, the host with
/// long-running kernels moved to PoCL (<see cref="CpuRouter"/>); elsewhere the first usable backend.
/// </summary>
public sealed class AutoApiTests : ApiSuite
{
    protected override BackendKind Kind => BackendKind.Auto;
}

public sealed class CpuAcceleratorApiTests : ApiSuite
{
    protected override BackendKind Kind => BackendKind.CpuAccelerator;
}

public sealed class OpenCLApiTests : ApiSuite
{
    protected override BackendKind Kind => BackendKind.OpenCL;

    protected override string? Unavailable
    {
        get
        {
            string? reason = DeviceReason(BackendKind.OpenCL);
            // CI installs PoCL and sets this, so a lost OpenCL device fails there instead of skipping.
            if (reason is not null && Environment.GetEnvironmentVariable("GPUDIFF_REQUIRE_OPENCL") == "1")
                Assert.Fail($"GPUDIFF_REQUIRE_OPENCL=1 but {reason}");
            return reason;
        }
    }

    internal static string? DeviceReason(BackendKind kind)
    {
        var devices = BackendFactory.ListDevices().Where(d => d.Backend == kind).ToList();
        return devices.Any(d => d.Usable) ? null : $"{BackendNames.Name(kind)}: {devices.FirstOrDefault().Reason}";
    }
}

public sealed class CudaApiTests : ApiSuite
{
    protected override BackendKind Kind => BackendKind.Cuda;

    protected override string? Unavailable => OpenCLApiTests.DeviceReason(BackendKind.Cuda);
}
