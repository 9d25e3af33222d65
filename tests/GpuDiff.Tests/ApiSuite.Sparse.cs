using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.ModelLanguage;
using GpuDiff.Sparsity;
using GpuDiff.Streaming;
using GpuDiff.Tests.ModelLanguage;

namespace GpuDiff.Tests;

/// <summary>
/// Sparse Jacobians, Hessians and element sums: every structurally nonzero entry has the dense
/// kernels' bits, every structural zero is +0, and every backend gives the host's bits.
/// </summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public void SparseJacobiansHaveTheDenseBits()
    {
        CheckSparseJacobian(new Bratu1D(17, 0.7), Uniform(17 * 40, -1, 1), expectedColours: 3);
        // The tracer's three mask sizes: up to 64 inputs, up to 256, up to 512.
        CheckSparseJacobian(new Bratu1D(100, 0.3), Uniform(100 * 12, -1, 1), expectedColours: 3);
        CheckSparseJacobian(new Bratu1D(300, 0.3), Uniform(300 * 6, -1, 1), expectedColours: 3);
        CheckSparseJacobian(new RosenbrockElements(12), Uniform(12 * 40, -2, 2), expectedColours: 2);
        CheckSparseJacobian(new BrownAlmostLinear(9), Uniform(9 * 40, 0.2, 1.4), expectedColours: 9);
        CheckSparseJacobian(new PlanarArm6(), Uniform(6 * 40, -3, 3), expectedColours: 6);
    }

    [SkippableFact]
    public void SparseHessiansHaveTheDenseBits()
    {
        CheckSparseHessian(new Rosenbrock(10), Uniform(10 * 30, -2, 2), expectedColours: 3);
        CheckSparseHessian(new Bratu1D(9, 1.3), Uniform(9 * 30, -1, 1), expectedColours: 1);
        CheckSparseHessian(new BrownAlmostLinear(7), Uniform(7 * 30, 0.2, 1.4), expectedColours: 7);
        // A parameter coupled to every input: distance-2 colouring would need 9 colours. With the
        // hub first, its entries are read from the other inputs' rows (the star colouring's case).
        CheckSparseHessian(new SharedParameter(9, hub: 0), Uniform(9 * 30, -1.5, 1.5), expectedColours: 3);
        CheckSparseHessian(new SharedParameter(9, hub: 8), Uniform(9 * 30, -1.5, 1.5), expectedColours: 3);
    }

    [SkippableFact]
    public void RandomTextModelsHaveTheDenseBitsWhenSparse()
    {
        var expressions = new RandomExpressions(random);
        for (int k = 0; k < 8; k++)
        {
            var (a, _) = expressions.Next(4);
            var (b, _) = expressions.Next(4);
            string text = $"input x, y, z, w\noutput f = {a}\noutput g = {b} + w * w\noutput h = sin(w)";
            var model = ModelText.Parse(text);
            var x = Uniform(4 * 24, -1.5, 1.5);
            var j = Engine.Sparse(SparseKind.Jacobian, model, x);
            var h = Engine.Sparse(SparseKind.Hessian, model, x);
            var denseJ = Engine.Jacobian(model, x);
            var denseH = Engine.Hessian(model, x);
            for (int p = 0; p < 24; p++)
            {
                AssertSameMatrix(denseJ.ToMatrix(p), j.ToDense(p), $"Jacobian at point {p} of\n{text}");
                for (int o = 0; o < 3; o++) AssertSameMatrix(denseH.ToMatrix(p, o), h.ToDense(p, o), $"Hessian of output {o} at point {p} of\n{text}");
            }
            AssertBitIdentical(host.Value.Sparse(SparseKind.Hessian, model, x).Data, h.Data, $"sparse Hessian of {text}");
        }
    }

    [SkippableFact]
    public void ElementSumOfRosenbrockIsTheDenseRosenbrockBitForBit()
    {
        foreach (int n in new[] { 2, 9, 33 })
        {
            var x = Uniform(n * 25, -2, 2);
            var sum = Engine.ElementSum(new RosenbrockElements(n), x);
            Assert.Equal(2, Engine.PlanSparse(SparseKind.ElementSum, new RosenbrockElements(n), x).ColourCount);
            var value = Engine.Value(new Rosenbrock(n), x);
            var gradient = Engine.Gradient(new Rosenbrock(n), x);
            var hessian = Engine.Hessian(new Rosenbrock(n), x);
            for (int p = 0; p < 25; p++)
            {
                string where = $"n = {n}, point {p} {Seed}";
                Assert.True(Bits(value.Data[p]) == Bits(sum.Sum(p)), $"sum, {where}");
                var g = sum.Gradient(p);
                for (int i = 0; i < n; i++) Assert.True(Bits(gradient.Data[p * n + i]) == Bits(g[i]), $"gradient {i}, {where}");
                AssertSameMatrix(hessian.ToMatrix(p), sum.ToDense(p), $"Hessian, {where}");
                var point = x.AsSpan(p * n, n).ToArray();
                var want = AnalyticReference.RosenbrockHessian(point);
                double scale = want.Max(Math.Abs); // entries cancel: bounded by the largest, as a matrix norm bounds errors
                for (int i = 0; i < n * n; i++)
                    Close(want[i], sum.ToDense(p)[i / n, i % n], 1e-12 * Math.Max(1.0, scale) / Math.Max(1.0, Math.Abs(want[i])), $"analytic Hessian entry {i}, {where}");
            }
            AssertBitIdentical(host.Value.ElementSum(new RosenbrockElements(n), x).Data, sum.Data, $"element sum n = {n}");
        }
    }

    [SkippableFact]
    public void APlanRefusesPointsWhoseDerivativesLeaveItsPattern()
    {
        var model = new BranchesOnSign();
        var negative = Uniform(3 * 20, -2, -0.5);
        var plan = Engine.PlanSparse(SparseKind.Jacobian, model, negative);
        Assert.Equal(1, plan.Pattern.RowStarts[1]); // output 0 depends on x0 alone where x0 < 0
        var mixed = Uniform(3 * 20, -2, -0.5);
        mixed[3 * 13] = 1.5; // point 13 takes the other branch
        var error = Assert.Throws<InvalidOperationException>(() => plan.Compute(mixed));
        Assert.Contains("At point 13, the derivative of output 0 by input 1", error.Message);
        // Detected over the call's own points, the pattern holds both branches and the bits are the dense ones.
        var both = Engine.SparseJacobian(model, mixed);
        var dense = Engine.Jacobian(model, mixed);
        for (int p = 0; p < 20; p++) AssertSameMatrix(dense.ToMatrix(p), both.ToDense(p), $"point {p}");
    }

    [SkippableFact]
    public void ATextModelThatBranchesHasItsPatternDetectedAtEveryPoint()
    {
        var branching = ModelText.Parse("input x, y, z\noutput f = if(x > 0, x * y, x)\noutput g = max(z, y) + x");
        var straight = ModelText.Parse("input x, y, z\noutput f = x * y\noutput g = sin(z) + x");
        Assert.True(branching.Branches);
        Assert.False(straight.Branches);
        var x = Uniform(3 * 30, -1, 1);
        x[0] = -0.5; // the first point takes the branch without y
        foreach (var model in new[] { branching, straight })
        {
            var sparse = Engine.Sparse(SparseKind.Jacobian, model, x);
            var dense = Engine.Jacobian(model, x);
            for (int p = 0; p < 30; p++) AssertSameMatrix(dense.ToMatrix(p), sparse.ToDense(p), $"{model.Text} at point {p}");
        }
    }

    [SkippableFact]
    public async Task ASparseSweepStreamsThePlansBitsAndChecksEveryBatch()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 7 });
        var x = Uniform(10 * 50, -2, 2);
        var plan = e.PlanSparse(SparseKind.ElementSum, new RosenbrockElements(10), x);
        var sink = new MemorySink();
        var summary = await plan.SweepAsync(new ArrayPointSource(x, 10), sink);
        Assert.Equal(50, summary.Points);
        AssertBitIdentical(plan.Compute(x).Data, sink.Data.ToArray(), "streamed element sum");
        // A point past the first batches that leaves the pattern is named by its index in the sweep.
        var negative = Uniform(3 * 40, -2, -0.5);
        var branching = e.PlanSparse(SparseKind.Jacobian, new BranchesOnSign(), negative);
        negative[3 * 23] = 1.0;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => branching.SweepAsync(new ArrayPointSource(negative, 3), new MemorySink()));
        Assert.Contains("At point 23,", error.Message);
    }

    [SkippableFact]
    public void AModelMistakeIsReportedByPatternDetection()
    {
        var x = Uniform(2 * 8, -1, 1);
        x[2 * 6] = WritesOutOfRange.Trigger;
        var error = Assert.Throws<ModelFaultException>(() => Engine.SparseJacobian(new WritesOutOfRange(5), x));
        Assert.Equal(6, error.Point);
        Assert.Contains("output 5", error.Message);
    }

    private void CheckSparseJacobian<TModel>(TModel model, double[] x, int expectedColours) where TModel : struct, IModel
    {
        var plan = Engine.PlanSparse(SparseKind.Jacobian, model, x);
        Assert.Equal(expectedColours, plan.ColourCount);
        var sparse = plan.Compute(x);
        var dense = Engine.Jacobian(model, x);
        for (long p = 0; p < sparse.Points; p++) AssertSameMatrix(dense.ToMatrix(p), sparse.ToDense(p), $"{typeof(TModel).Name} Jacobian at point {p}");
        AssertBitIdentical(host.Value.SparseJacobian(model, x).Data, sparse.Data, $"{typeof(TModel).Name} sparse Jacobian");
    }

    private void CheckSparseHessian<TModel>(TModel model, double[] x, int expectedColours) where TModel : struct, IModel
    {
        var plan = Engine.PlanSparse(SparseKind.Hessian, model, x);
        Assert.Equal(expectedColours, plan.ColourCount);
        var sparse = plan.Compute(x);
        var dense = Engine.Hessian(model, x);
        for (long p = 0; p < sparse.Points; p++)
            for (int o = 0; o < model.Outputs; o++)
                AssertSameMatrix(dense.ToMatrix(p, o), sparse.ToDense(p, o), $"{typeof(TModel).Name} Hessian of output {o} at point {p}");
        AssertBitIdentical(host.Value.SparseHessian(model, x).Data, sparse.Data, $"{typeof(TModel).Name} sparse Hessian");
    }

    private void AssertSameMatrix(double[,] want, double[,] got, string what)
    {
        for (int r = 0; r < want.GetLength(0); r++)
            for (int c = 0; c < want.GetLength(1); c++)
                Assert.True(Bits(want[r, c]) == Bits(got[r, c]), $"{what}: entry ({r}, {c}) want {want[r, c]:R}, got {got[r, c]:R} {Seed}");
    }

}

/// <summary>Output 0 is x0 * x1 where x0 &gt; 0 and x0 elsewhere, so its pattern depends on the point.</summary>
public readonly struct BranchesOnSign : IModel
{
    public int Inputs => 3;

    public int Outputs => 2;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x0 = io.Input(0);
        io.Output(0, x0 > 0.0 ? x0 * io.Input(1) : x0);
        io.Output(1, io.Input(2) * io.Input(2));
    }
}

/// <summary>
/// A parameter p (input 0 or n - 1) shared by every other input x_i: f = sum sin(p x_i) + x_i^2 / (1 + p^2), g = p x_a / x_b
/// for the first two inputs besides p. Its Hessians are arrowheads with one more entry (a, b).
/// </summary>
public readonly struct SharedParameter(int n, int hub) : IModel
{
    public int Inputs => n;

    public int Outputs => 2;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        int first = hub == 0 ? 1 : 0; // hub is 0 or n - 1
        T p = io.Input(hub), f = T.Constant(0.0);
        T scale = 1.0 / (1.0 + p * p);
        for (int i = first; i < first + n - 1; i++)
        {
            T x = io.Input(i);
            f = f + DiffMath.Sin(p * x) + x * x * scale;
        }
        io.Output(0, f);
        io.Output(1, p * io.Input(first) / io.Input(first + 1));
    }
}
