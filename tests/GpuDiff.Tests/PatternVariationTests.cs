using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.Sparsity;
using static GpuDiff.Kernels.Numbers.DiffMath;

namespace GpuDiff.Tests;

/// <summary>
/// A sparse plan detects its pattern at one point only when the model makes no decision on its
/// numbers. Every way a model can decide (a comparison, a read of Primal, min or max, equality,
/// a comparison of a floored value) must be seen; functions whose rules merely read the value
/// (abs, copysign, pow, atan2, floor used as a number) must not count, or no model would gain.
/// </summary>
public sealed class PatternVariationTests : IDisposable
{
    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;
    private readonly DerivativeEngine engine = new(new EngineOptions { Backend = BackendKind.Host });

    public PatternVariationTests() => random = new Random(seed);

    public void Dispose() => engine.Dispose();

    [Fact]
    public void AModelWithoutDecisionsHasOnePatternAndIsNotCheckedPerCall()
    {
        var x = Uniform(3 * 60);
        foreach (var kind in new[] { SparseKind.Jacobian, SparseKind.Hessian })
        {
            var plan = engine.PlanSparse(kind, new NoDecisions(), x);
            Assert.False(plan.PatternMayVary, $"{kind} (seed {seed})");
            Assert.False(plan.ChecksEachCall, $"{kind} (seed {seed})");
        }
        // Detected at the first point only, the pattern must still hold every entry at the others.
        var sparse = engine.PlanSparse(SparseKind.Hessian, new NoDecisions(), x[..3]).Compute(x);
        var dense = engine.Hessian(new NoDecisions(), x);
        for (int p = 0; p < 60; p++)
            for (int o = 0; o < 2; o++)
                SameMatrix(dense.ToMatrix(p, o), sparse.ToDense(p, o), $"Hessian of output {o} at point {p}");
        Assert.False(engine.PlanSparse(SparseKind.ElementSum, new RosenbrockElements(12), Uniform(12 * 4)).PatternMayVary);
        Assert.False(engine.PlanSparse(SparseKind.Jacobian, new Bratu1D(20, 0.5), Uniform(20 * 4)).PatternMayVary);
    }

    [Fact]
    public void EveryWayOfDecidingIsSeen()
    {
        var x = Uniform(3 * 40);
        Assert.True(engine.PlanSparse(SparseKind.Jacobian, new DecidesBy(DecidesBy.Way.Comparison), x).ChecksEachCall);
        Assert.True(engine.PlanSparse(SparseKind.Jacobian, new DecidesBy(DecidesBy.Way.ReadsPrimal), x).ChecksEachCall);
        Assert.True(engine.PlanSparse(SparseKind.Jacobian, new DecidesBy(DecidesBy.Way.Max), x).ChecksEachCall);
        Assert.True(engine.PlanSparse(SparseKind.Jacobian, new DecidesBy(DecidesBy.Way.Min), x).ChecksEachCall);
        Assert.True(engine.PlanSparse(SparseKind.Jacobian, new DecidesBy(DecidesBy.Way.ComparesFloor), x).ChecksEachCall);
        Assert.True(engine.PlanSparse(SparseKind.Jacobian, new DecidesBy(DecidesBy.Way.Equality), x).ChecksEachCall);
        Assert.False(engine.PlanSparse(SparseKind.Jacobian, new DecidesBy(DecidesBy.Way.Comparison), x, checkEachCall: false).ChecksEachCall);
    }

    [Fact]
    public void ADecidingModelIsDetectedAtEveryPointAndCheckedOnEachCall()
    {
        foreach (DecidesBy.Way way in Enum.GetValues<DecidesBy.Way>())
        {
            var model = new DecidesBy(way);
            // Every point takes the branch where output 0 is a constant ...
            var x = Uniform(3 * 30);
            for (int p = 0; p < 30; p++) x[3 * p] = -1.5 - random.NextDouble();
            var plan = engine.PlanSparse(SparseKind.Jacobian, model, x);
            Assert.True(plan.PatternMayVary, $"{way}");
            // ... but one, which the one-point detection would have missed.
            var mixed = (double[])x.Clone();
            mixed[3 * 17] = 1.5;
            var error = Assert.Throws<InvalidOperationException>(() => plan.Compute(mixed));
            Assert.Contains("At point 17, the derivative of output 0 by input ", error.Message);
            var detected = engine.SparseJacobian(model, mixed);
            var dense = engine.Jacobian(model, mixed);
            for (int p = 0; p < 30; p++) SameMatrix(dense.ToMatrix(p), detected.ToDense(p), $"{way} at point {p}");
        }
    }

    private double[] Uniform(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() * 3.0 - 1.5).ToArray();

    private void SameMatrix(double[,] want, double[,] got, string what)
    {
        for (int r = 0; r < want.GetLength(0); r++)
            for (int c = 0; c < want.GetLength(1); c++)
                Assert.True(BitConverter.DoubleToInt64Bits(want[r, c]) == BitConverter.DoubleToInt64Bits(got[r, c]),
                    $"{what}: entry ({r}, {c}) want {want[r, c]:R}, got {got[r, c]:R} (seed {seed})");
    }
}

/// <summary>Functions whose rules read their arguments' values but decide nothing; one pattern everywhere.</summary>
public readonly struct NoDecisions : IModel
{
    public int Inputs => 3;

    public int Outputs => 2;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1), z = io.Input(2);
        io.Output(0, Abs(x) * y + CopySign(z, -2.0) + Pow(x, 3.0) + Floor(z) * x);
        io.Output(1, Atan2(y, x) + Hypot(x, z) + Tanh(y) * Exp(z) + Sqrt(Abs(z) + 1.0));
    }
}

/// <summary>Output 0 depends on x0 (and x1) where x0 &gt; 0 and is 0 elsewhere, deciding by one of the ways a model can.</summary>
public readonly struct DecidesBy(DecidesBy.Way way) : IModel
{
    /// <summary>How the model decides.</summary>
    public enum Way { Comparison, ReadsPrimal, Max, Min, ComparesFloor, Equality }

    public int Inputs => 3;

    public int Outputs => 2;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x0 = io.Input(0), product = x0 * io.Input(1), zero = T.Constant(0.0);
        io.Output(0, way switch
        {
            Way.Comparison => x0 > 0.0 ? product : zero,
            Way.ReadsPrimal => x0.Primal > 0.0 ? product : zero,
            Way.Max => Max(x0, zero),
            Way.Min => Min(-x0, zero),
            Way.ComparesFloor => Floor(x0) >= 0.0 ? product : zero,
            _ => x0.Equals(Abs(x0)) ? product : zero,
        });
        io.Output(1, io.Input(2) * io.Input(2));
    }
}
