using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Sparsity;

namespace GpuDiff.Tests;

/// <summary>
/// Auto on a CPU-only machine with PoCL: the host backend with long calls timed against PoCL. With
/// the switch at 0 s every call of two or more points is split between the two backends, which must
/// give the host's bits, name a model's mistake at the point the host names, and settle each
/// kernel on one route.
/// </summary>
public sealed class CpuRouterTests : IDisposable
{
    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;
    private readonly DerivativeEngine host = new(new EngineOptions { Backend = BackendKind.Host });

    public CpuRouterTests() => random = new Random(seed);

    public void Dispose() => host.Dispose();

    private static string? PoclDevice => BackendFactory.ListDevices()
        .Where(d => d.Backend == BackendKind.OpenCL && d.Usable && !d.AutoCandidate).Select(d => d.Device).FirstOrDefault();

    private double[] Uniform(int count, double lo, double hi) => [.. Enumerable.Range(0, count).Select(_ => lo + (hi - lo) * random.NextDouble())];

    private static void AssertSameBits(double[] want, double[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            if (BitConverter.DoubleToInt64Bits(want[i]) != BitConverter.DoubleToInt64Bits(got[i]))
                Assert.Fail($"{what}: index {i} is {got[i]:R}, the host gives {want[i]:R}");
    }

    [SkippableFact]
    public void CallsSplitBetweenTheHostAndPoclHaveTheHostsBits()
    {
        Skip.If(PoclDevice is null, "no OpenCL CPU device (PoCL)");
        var router = new CpuRouter(new HostBackend(), () => BackendFactory.Open(BackendKind.OpenCL), PoclDevice!) { SwitchSeconds = 0 };
        using var routed = new DerivativeEngine(router);
        Assert.Equal(BackendKind.Host, routed.Backend);
        Assert.Contains("PoCL", routed.Device);
        string s = $"(seed {seed})";
        var arm = Uniform(6 * 3000, -3, 3);
        // The first call starts PoCL's compile and may end on the host; the second, with the
        // compile done, is split and settles the route; the third takes the route settled.
        for (int call = 0; call < 3; call++)
        {
            AssertSameBits(host.Jacobian(new PlanarArm6(), arm).Data, routed.Jacobian(new PlanarArm6(), arm).Data, $"arm Jacobian, call {call} {s}");
            router.WaitForCompiles();
        }
        var rosenbrock = Uniform(8 * 400, -2, 2);
        var v = Uniform(8 * 400, -1, 1);
        var elements = Uniform(9 * 500, -2, 2);
        var sparse = routed.PlanSparse(SparseKind.ElementSum, new RosenbrockElements(9), elements);
        var hostSums = host.PlanSparse(SparseKind.ElementSum, new RosenbrockElements(9), elements).Compute(elements);
        for (int call = 0; call < 2; call++) // the first starts the compiles, the second settles the routes
        {
            AssertSameBits(host.Hessian(new Rosenbrock(8), rosenbrock).Data, routed.Hessian(new Rosenbrock(8), rosenbrock).Data, $"Rosenbrock Hessian, call {call} {s}");
            AssertSameBits(host.Hvp(new Rosenbrock(8), rosenbrock, v).Data, routed.Hvp(new Rosenbrock(8), rosenbrock, v).Data, $"Rosenbrock Hvp, call {call} {s}");
            AssertSameBits(hostSums.Data, sparse.Compute(elements).Data, $"element sums, call {call} {s}");
            router.WaitForCompiles();
        }
        Assert.Contains(router.Routes.Keys, k => k.Model == typeof(PlanarArm6));
        Assert.Contains(router.Routes.Keys, k => k.Model == typeof(Rosenbrock));
        Assert.True(router.PoclPoints > 0, "no point was computed on PoCL");
    }

    [SkippableFact]
    public void WidthsThatAreNotPowersOfTwoRunOnPoclWithTheHostsBits()
    {
        Skip.If(PoclDevice is null, "no OpenCL CPU device (PoCL)");
        var router = new CpuRouter(new HostBackend(), () => BackendFactory.Open(BackendKind.OpenCL), PoclDevice!) { SwitchSeconds = 0 };
        using var routed = new DerivativeEngine(router, new EngineOptions { ChunkWidth = 6 });
        string s = $"(seed {seed})";
        var arm = Uniform(6 * 3000, -3, 3);
        // Three colours: chunks of 3 on both (a joined chunk, 2 + 1, on PoCL).
        var u = Uniform(40 * 2000, -1, 1);
        var plan = routed.PlanSparse(SparseKind.Jacobian, new Bratu1D(40, 2.0), u);
        Assert.Equal(3, plan.ColourCount);
        var bratu = host.PlanSparse(SparseKind.Jacobian, new Bratu1D(40, 2.0), u).Compute(u).Data;
        for (int call = 0; call < 2; call++) // the first call starts PoCL's compiles, the second runs there
        {
            AssertSameBits(host.Jacobian(new PlanarArm6(), arm).Data, routed.Jacobian(new PlanarArm6(), arm).Data, $"arm Jacobian at width 6, call {call} {s}");
            AssertSameBits(bratu, plan.Compute(u).Data, $"Bratu sparse Jacobian, call {call} {s}");
            router.WaitForCompiles();
        }
        Assert.Contains(router.Routes.Keys, k => k.Model == typeof(PlanarArm6) && k.Width == 6);
        Assert.Contains(router.Routes.Keys, k => k.Model == typeof(Bratu1D) && k.Width == 3);
        Assert.True(router.PoclPoints > 0, "no point was computed on PoCL");
    }

    [SkippableFact]
    public void AMistakeBeyondTheProbeIsNamedAtTheHostsPoint()
    {
        Skip.If(PoclDevice is null, "no OpenCL CPU device (PoCL)");
        var router = new CpuRouter(new HostBackend(), () => BackendFactory.Open(BackendKind.OpenCL), PoclDevice!) { SwitchSeconds = 0 };
        using var routed = new DerivativeEngine(router);
        var x = Uniform(2 * 4000, -1, 1);
        int bad = 2000 + random.Next(2000); // past the host's probe of 62 points and the three timed sixteenths of the rest (246 each)
        x[2 * bad] = WritesOutOfRange.Trigger;
        var want = Assert.Throws<ModelFaultException>(() => host.Jacobian(new WritesOutOfRange(5), x));
        for (int call = 0; call < 2; call++) // on the host while PoCL compiles, then split between the two
        {
            var got = Assert.Throws<ModelFaultException>(() => routed.Jacobian(new WritesOutOfRange(5), x));
            Assert.Equal(want.Message, got.Message);
            Assert.Contains($"point {bad}", got.Message.Replace(",", ""));
            router.WaitForCompiles();
        }
    }

    [SkippableFact]
    public void CallsGoOnOnTheHostWhilePoclCompiles()
    {
        Skip.If(PoclDevice is null, "no OpenCL CPU device (PoCL)");
        using var release = new ManualResetEventSlim();
        var router = new CpuRouter(new HostBackend(), () => { release.Wait(); return BackendFactory.Open(BackendKind.OpenCL); }, PoclDevice!) { SwitchSeconds = 0 };
        using var routed = new DerivativeEngine(router);
        var arm = Uniform(6 * 3000, -3, 3);
        var want = host.Jacobian(new PlanarArm6(), arm).Data;
        for (int call = 0; call < 2; call++)
            AssertSameBits(want, routed.Jacobian(new PlanarArm6(), arm).Data, $"arm Jacobian while PoCL is held, call {call} (seed {seed})");
        Assert.Equal(0, router.PoclPoints);
        Assert.Empty(router.Routes);
        release.Set();
        router.WaitForCompiles();
        AssertSameBits(want, routed.Jacobian(new PlanarArm6(), arm).Data, $"arm Jacobian once compiled (seed {seed})");
        Assert.True(router.PoclPoints > 0, "no point was computed on PoCL once it had compiled");
        Assert.Contains(router.Routes.Keys, k => k.Model == typeof(PlanarArm6));
    }

    [SkippableFact]
    public void AModelPoclCannotCompileSettlesOnTheHost()
    {
        Skip.If(PoclDevice is null, "no OpenCL CPU device (PoCL)");
        var router = new CpuRouter(new HostBackend(), () => BackendFactory.Open(BackendKind.OpenCL), PoclDevice!) { SwitchSeconds = 0 };
        using var routed = new DerivativeEngine(router);
        var x = Uniform(2 * 3000, -2, 2);
        var want = host.Jacobian(new HiddenModel(), x).Data;
        for (int call = 0; call < 2; call++) // the first starts the compile, which refuses the model; the second settles
        {
            AssertSameBits(want, routed.Jacobian(new HiddenModel(), x).Data, $"a private model's Jacobian, call {call} (seed {seed})");
            router.WaitForCompiles();
        }
        Assert.Equal(CpuRouter.Route.Host, router.Routes.Single(r => r.Key.Model == typeof(HiddenModel)).Value);
        Assert.Equal(0, router.PoclPoints);
    }

    /// <summary>
    /// A kernel whose OpenCL C is over the router's limit is not handed to PoCL (whose compile of a
    /// large model takes minutes and gigabytes): it settles on the host, and the one under the limit
    /// still moves. The limit here sits between the arm's Jacobian and the seed model's.
    /// </summary>
    [SkippableFact]
    public void AKernelOverTheSourceLimitSettlesOnTheHost()
    {
        Skip.If(PoclDevice is null, "no OpenCL CPU device (PoCL)");
        var router = new CpuRouter(new HostBackend(), () => BackendFactory.Open(BackendKind.OpenCL), PoclDevice!) { SwitchSeconds = 0, MaxPoclSourceBytes = 60_000 };
        using var routed = new DerivativeEngine(router);
        var arm = Uniform(6 * 3000, -3, 3);
        var seedPoints = Uniform(2 * 3000, -3, 3);
        for (int call = 0; call < 2; call++)
        {
            AssertSameBits(host.Jacobian(new PlanarArm6(), arm).Data, routed.Jacobian(new PlanarArm6(), arm).Data, $"arm Jacobian, call {call} (seed {seed})");
            AssertSameBits(host.Jacobian(new SeedTwoByTwo(), seedPoints).Data, routed.Jacobian(new SeedTwoByTwo(), seedPoints).Data, $"seed Jacobian, call {call} (seed {seed})");
            router.WaitForCompiles();
        }
        Assert.Equal(CpuRouter.Route.Host, router.Routes.Single(r => r.Key.Model == typeof(PlanarArm6)).Value);
        Assert.Contains(router.Routes.Keys, k => k.Model == typeof(SeedTwoByTwo));

        using var limited = (IlgpuBackend)BackendFactory.Open(BackendKind.OpenCL);
        limited.MaxKernelSourceBytes = 60_000;
        using var direct = new DerivativeEngine(limited);
        var error = Assert.Throws<InvalidOperationException>(() => direct.Jacobian(new PlanarArm6(), arm));
        Assert.Contains("over this device's limit of 60,000", error.Message);
    }

    /// <summary>A model ILGPU's assembly cannot see (private): the host runs it, no device compiler can.</summary>
    private readonly struct HiddenModel : IModel
    {
        public int Inputs => 2;

        public int Outputs => 1;

        public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, GpuDiff.Kernels.Numbers.IDiffNumber<T> where TArgs : struct, IModelArguments<T>
        {
            T x = io.Input(0), y = io.Input(1);
            io.Output(0, x * y + x);
        }
    }

    /// <summary>Calls of 2 to 40 points, the few a command line's --at gives, around the probe's minimum of 16.</summary>
    [Fact]
    public void CallsOfFewPointsRunWhole()
    {
        var router = new CpuRouter(new HostBackend(), () => PoclDevice is null ? throw new InvalidOperationException("no OpenCL device") : BackendFactory.Open(BackendKind.OpenCL),
            PoclDevice ?? "none") { SwitchSeconds = 0 };
        using var routed = new DerivativeEngine(router);
        for (int points = 1; points <= 40; points++)
        {
            var arm = Uniform(6 * points, -3, 3);
            AssertSameBits(host.Jacobian(new PlanarArm6(), arm).Data, routed.Jacobian(new PlanarArm6(), arm).Data, $"arm Jacobian of {points} points (seed {seed})");
            var rosenbrock = Uniform(8 * points, -2, 2);
            AssertSameBits(host.Hessian(new Rosenbrock(8), rosenbrock).Data, routed.Hessian(new Rosenbrock(8), rosenbrock).Data, $"Rosenbrock Hessian of {points} points (seed {seed})");
        }
        router.WaitForCompiles();
    }

    [Fact]
    public void WithoutPoclEveryCallRunsOnTheHost()
    {
        var router = new CpuRouter(new HostBackend(), () => throw new InvalidOperationException("no OpenCL device"), "none") { SwitchSeconds = 0 };
        using var routed = new DerivativeEngine(router);
        var arm = Uniform(6 * 500, -3, 3);
        AssertSameBits(host.Jacobian(new PlanarArm6(), arm).Data, routed.Jacobian(new PlanarArm6(), arm).Data, $"arm Jacobian (seed {seed})");
        Assert.Empty(router.Routes);
        Assert.Equal(0, router.PoclPoints);
    }
}
