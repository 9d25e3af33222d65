using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Resident;

namespace GpuDiff.Perf;

/// <summary>
/// A dense workload of the throughput table: its GpuDiff call on an engine, the hand-written
/// analytic baseline and the dense-dual baseline (both per point, writing the same outputs), and
/// the call's resident form. `gpudiff bench` and the BenchmarkDotNet suite both run from <see cref="Dense"/>.
/// </summary>
/// <param name="Id">The id in machine-readable output (W1, W2-8, ...).</param>
/// <param name="Name">The row's name in the table.</param>
/// <param name="Points">Points a run.</param>
/// <param name="Inputs">The model's inputs.</param>
/// <param name="OutStrides">Doubles a point of each output buffer.</param>
/// <param name="GpuDiff">The timed call: engine, points, outputs.</param>
/// <param name="Analytic">The analytic baseline for one point.</param>
/// <param name="DenseDual">The dense-dual baseline for one point.</param>
/// <param name="Resident">The same call on device arrays: engine, points, outputs.</param>
internal sealed record Workload(string Id, string Name, int Points, int Inputs, int[] OutStrides,
    Action<DerivativeEngine, double[], double[][]> GpuDiff, Action<double[], long, double[][]> Analytic,
    Action<double[], long, double[][]> DenseDual, Action<DerivativeEngine, DeviceArray, DeviceArray[]> Resident)
{
    /// <summary>W1-W4 in table order.</summary>
    public static readonly Workload[] Dense =
    [
        new("W1", "W1 2x2 Jacobian", 1_000_000, 2, [4],
            (e, x, o) => e.ComputeInto(DerivativeKind.Jacobian, new SeedTwoByTwo(), x, o[0]),
            (x, p, o) => AnalyticBaselines.SeedJacobian(x, o[0], p),
            (x, p, o) => DenseDualBaselines.SeedJacobian(x, o[0], p),
            (e, x, o) => e.Compute(DerivativeKind.Jacobian, new SeedTwoByTwo(), x, destination: o[0])),
        Rosenbrock(8, 100_000),
        Rosenbrock(64, 10_000),
        new("W3", "W3 6-link arm Jacobian", 1_000_000, 6, [18],
            (e, x, o) => e.ComputeInto(DerivativeKind.Jacobian, new PlanarArm6(), x, o[0]),
            (x, p, o) => AnalyticBaselines.ArmJacobian(x, o[0], p),
            (x, p, o) => DenseDualBaselines.ArmJacobian(x, o[0], p),
            (e, x, o) => e.Compute(DerivativeKind.Jacobian, new PlanarArm6(), x, destination: o[0])),
        new("W4", "W4 Brown n=32 Jacobian", 10_000, 32, [1024],
            (e, x, o) => e.ComputeInto(DerivativeKind.Jacobian, new BrownAlmostLinear(32), x, o[0]),
            (x, p, o) => AnalyticBaselines.BrownJacobian(x, o[0], 32, p),
            (x, p, o) => DenseDualBaselines.BrownJacobian(x, o[0], 32, p),
            (e, x, o) => e.Compute(DerivativeKind.Jacobian, new BrownAlmostLinear(32), x, destination: o[0])),
    ];

    /// <summary>The workload of an id.</summary>
    public static Workload Of(string id) => Dense.Single(w => w.Id == id);

    /// <summary>W2: the gradient and the dense Hessian of the extended Rosenbrock function.</summary>
    private static Workload Rosenbrock(int n, int points) =>
        new($"W2-{n}", $"W2 Rosenbrock n={n} grad+Hessian", points, n, [n, n * n],
            (e, x, o) =>
            {
                e.ComputeInto(DerivativeKind.Gradient, new Rosenbrock(n), x, o[0]);
                e.ComputeInto(DerivativeKind.Hessian, new Rosenbrock(n), x, o[1]);
            },
            (x, p, o) => AnalyticBaselines.RosenbrockGradientHessian(x, o[0], o[1], n, p),
            (x, p, o) => DenseDualBaselines.RosenbrockGradientHessian(x, o[0], o[1], n, p),
            (e, x, o) =>
            {
                e.Compute(DerivativeKind.Gradient, new Rosenbrock(n), x, destination: o[0]);
                e.Compute(DerivativeKind.Hessian, new Rosenbrock(n), x, destination: o[1]);
            });
}
