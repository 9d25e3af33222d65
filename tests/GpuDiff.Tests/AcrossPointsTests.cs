using GpuDiff.Backends;
using GpuDiff.Backends.AcrossPoints;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.Sparsity;

namespace GpuDiff.Tests;

/// <summary>
/// The host's Jacobians four points at a time (<see cref="FourPointKernels"/>): for models of
/// arithmetic and functions of one variable with chunks under four columns, each point's entries
/// have the bits the one-point kernel gives it (a call of one point takes that kernel), special
/// values included; models that decide or call another function keep the one-point kernel.
/// </summary>
public sealed class AcrossPointsTests : IDisposable
{
    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;
    private readonly DerivativeEngine engine = new(new EngineOptions { Backend = BackendKind.Host });

    public AcrossPointsTests() => random = new Random(seed);

    public void Dispose() => engine.Dispose();

    private static readonly double[] Specials =
    [
        0.0, -0.0, 1.0, -1.0, double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, 2.2250738585072014E-308, 1e-300, 1e300, 0.1, 3.0,
    ];

    private double[] Points(int count, int n) =>
        [.. Enumerable.Range(0, count * n).Select(_ => random.Next(5) == 0 ? Specials[random.Next(Specials.Length)] : (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-40, 40)))];

    /// <summary>Every point alone (one point: the one-point kernel), then all at once, bit for bit.</summary>
    private void AssertEachPointsBits<TModel>(TModel model, int count, double[]? parameters = null) where TModel : struct, IModel
    {
        int n = model.Inputs, stride = n * model.Outputs;
        var x = Points(count, n);
        var all = engine.Jacobian(model, x, parameters).Data;
        for (int p = 0; p < count; p++)
        {
            var xp = x[(p * n)..((p + 1) * n)];
            AssertSameBits($"{typeof(TModel).Name}, point {p} ({string.Join(", ", xp)})", engine.Jacobian(model, xp, parameters).Data, all, p * stride);
        }
    }

    [SkippableFact]
    public void PlainArithmeticModelsHaveEachPointsBits()
    {
        Skip.IfNot(HostBackend.VectorLanes, "no 256-bit vectors on this CPU");
        AssertEachPointsBits(new SeedTwoByTwo(), 4 * 97 + 3);
        AssertEachPointsBits(new ArithmeticMix(), 4 * 61 + 1);
        AssertEachPointsBits(new LinearMap3(), 4 * 50 + 2, [.. Enumerable.Range(0, 9).Select(_ => random.NextDouble() * 4 - 2)]);
    }

    [SkippableFact]
    public void FunctionsOfOneVariableHaveEachPointsBits()
    {
        Skip.IfNot(HostBackend.VectorLanes, "no 256-bit vectors on this CPU");
        Assert.True(Applies(new FunctionMix(), 3, 8));
        AssertEachPointsBits(new FunctionMix(), 4 * 120 + 3);
        AssertEachPointsBits(new Bratu1D(3, 2.0), 4 * 90 + 1); // exp of ordinary arguments: the four-lane exp's shared path
    }

    [SkippableFact]
    public void CompressedJacobiansHaveEachPointsBits()
    {
        Skip.IfNot(HostBackend.VectorLanes, "no 256-bit vectors on this CPU");
        AssertEachPointsSparseBits(new Bratu1D(40, 2.0), 4 * 30 + 3); // three colours
        AssertEachPointsSparseBits(new FunctionBand(), 4 * 50 + 2); // four colours, a lane each
    }

    [SkippableFact]
    public void ValuesJvpsAndValuesWithJacobiansHaveEachPointsBits()
    {
        Skip.IfNot(HostBackend.VectorLanes, "no 256-bit vectors on this CPU");
        var model = new FunctionMix();
        int n = model.Inputs, m = model.Outputs, count = 4 * 70 + 3;
        var x = Points(count, n);
        var v = Points(count, n);
        var f = engine.Value(model, x).Data;
        var jvp = engine.Jvp(model, x, v).Data;
        var both = engine.ValueAndJacobian(model, x);
        var (values, jacobian) = (both.Values.Data, both.Jacobian.Data);
        for (int p = 0; p < count; p++)
        {
            var (xp, vp) = (x[(p * n)..((p + 1) * n)], v[(p * n)..((p + 1) * n)]);
            AssertSameBits($"f, point {p}", engine.Value(model, xp).Data, f, p * m);
            AssertSameBits($"J v, point {p}", engine.Jvp(model, xp, vp).Data, jvp, p * m);
            var alone = engine.ValueAndJacobian(model, xp);
            AssertSameBits($"value, point {p}", alone.Values.Data, values, p * m);
            AssertSameBits($"Jacobian beside the value, point {p}", alone.Jacobian.Data, jacobian, p * m * n);
        }
    }

    private void AssertSameBits(string what, double[] alone, double[] all, int offset)
    {
        for (int k = 0; k < alone.Length; k++)
            if (BitConverter.DoubleToInt64Bits(alone[k]) != BitConverter.DoubleToInt64Bits(all[offset + k]))
                Assert.Fail($"{what}, entry {k}: {all[offset + k]:R} four at a time, {alone[k]:R} alone (seed {seed})");
    }

    [SkippableFact]
    public void ElementSumsHaveEachPointsBits()
    {
        Skip.IfNot(HostBackend.VectorLanes, "no 256-bit vectors on this CPU");
        AssertEachPointsSparseBits(new RosenbrockElements(8), 4 * 40 + 3, SparseKind.ElementSum); // two colours
        AssertEachPointsSparseBits(new FunctionElements(), 4 * 60 + 1, SparseKind.ElementSum); // three colours, every operation and rules at order 2
    }

    /// <summary>A sparse result, every point alone against all at once, bit for bit.</summary>
    private void AssertEachPointsSparseBits<TModel>(TModel model, int count, SparseKind kind = SparseKind.Jacobian) where TModel : struct, IModel
    {
        int n = model.Inputs;
        var x = Points(count, n);
        var plan = engine.PlanSparse(kind, model, x);
        var all = plan.Compute(x).Data;
        int stride = all.Length / count;
        for (int p = 0; p < count; p++)
        {
            AssertSameBits($"{typeof(TModel).Name}, point {p}", plan.Compute(x[(p * n)..((p + 1) * n)]).Data, all, p * stride);
        }
    }

    [SkippableFact]
    public void ForcedNarrowChunksGoFourAtATimeUpToWhatTheTracerFollows()
    {
        Skip.IfNot(HostBackend.VectorLanes, "no 256-bit vectors on this CPU");
        foreach (int width in new[] { 2, 3 }) // pairs of partials a lane; three, in vectors of four (whole chunks transposed, the last one not)
        foreach (int n in new[] { 40, 520 }) // 20 chunks four points at a time; past the tracer's 512 inputs, one point at a time
        {
            using var narrow = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host, ChunkWidth = width });
            var model = new BrownAlmostLinear(n);
            var x = Points(9, n);
            var all = narrow.Jacobian(model, x).Data;
            for (int p = 0; p < 9; p++)
            {
                AssertSameBits($"Brown n={n} at width {width}, point {p}", narrow.Jacobian(model, x[(p * n)..((p + 1) * n)]).Data, all, p * n * n);
            }
        }
    }

    [SkippableFact]
    public void OnlyPlainArithmeticWithNarrowChunksGoesFourAtATime()
    {
        Skip.IfNot(HostBackend.VectorLanes, "no 256-bit vectors on this CPU");
        Assert.True(Applies(new SeedTwoByTwo(), 2, 8));
        Assert.True(Applies(new ArithmeticMix(), 3, 8));
        Assert.False(Applies(new SeedTwoByTwo(), 2, 3)); // too few points for a group
        Assert.False(Applies(new PlanarArm6(), 2, 8)); // SinCos gives two numbers, outside the rules' list
        Assert.False(Applies(new TwoArgumentFunction(), 2, 8)); // atan2 and hypot too
        Assert.False(Applies(new WritesOutOfRange(1), 2, 8)); // it compares its input
        Assert.False(Applies(new BrownAlmostLinear(5), 4, 8)); // four columns fill a vector with one point's partials
    }

    private bool Applies<TModel>(TModel model, int width, int points) where TModel : struct, IModel
    {
        var plan = KernelPlan.Dense(DerivativeKind.Jacobian, model.Inputs, model.Outputs, width);
        var job = new KernelJob(plan, Points(points, model.Inputs), null, new double[points * model.Inputs * model.Outputs], [], 0, points, new long[3]);
        return FourPointKernels.Applies(model, job);
    }

    [Fact]
    public void AMistakeOfAPlainArithmeticModelIsCaughtFourAtATime()
    {
        var ex = Assert.Throws<ModelFaultException>(() => engine.Jacobian(new AlwaysWritesOutputTwo(), Points(41, 2)));
        Assert.Contains("wrote output 2", ex.Message);
    }

    /// <summary>Every arithmetic form a model can write, with constants on either side: + - * / and negation.</summary>
    private readonly struct ArithmeticMix : IModel
    {
        public int Inputs => 3;

        public int Outputs => 3;

        public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
        {
            T x = io.Input(0), y = io.Input(1), z = io.Input(2);
            io.Output(0, x / y - 2.5 * z + (1.0 - x) * (y + 3.0));
            io.Output(1, -(x * y * z) / 7.0 + 1.0 / (z - 0.5) - y / 3.0);
            io.Output(2, (x - y) / (x + z) * 4.0 + (2.0 + y) - z * 0.25);
        }
    }

    /// <summary>Every function of one variable the rules' list holds, on arguments that reach their special values too.</summary>
    private readonly struct FunctionMix : IModel
    {
        public int Inputs => 3;

        public int Outputs => 9;

        public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
        {
            T x = io.Input(0), y = io.Input(1), z = io.Input(2);
            io.Output(0, DiffMath.Exp(x) + DiffMath.Exp(y * 0.01) * DiffMath.Log(z) - DiffMath.Sqrt(x * y));
            io.Output(1, DiffMath.Cbrt(x) * DiffMath.Exp2(y) + DiffMath.Expm1(z) / DiffMath.Log2(x));
            io.Output(2, DiffMath.Log10(y) - DiffMath.Log1p(x * z) + DiffMath.Sin(z) * DiffMath.Cos(x + y));
            io.Output(3, DiffMath.Tan(x) + DiffMath.Asin(y) * DiffMath.Acos(z) - DiffMath.Atan(x / z));
            io.Output(4, DiffMath.Sinh(y) * DiffMath.Cosh(z) + DiffMath.Tanh(x * 3.0));
            io.Output(5, DiffMath.Asinh(x) + DiffMath.Acosh(y) * DiffMath.Atanh(z));
            io.Output(6, DiffMath.Abs(x - y) * DiffMath.Erf(z) + DiffMath.Erfc(x));
            io.Output(7, DiffMath.NormalCdf(y) - DiffMath.LogNormalCdf(z) * DiffMath.LogGamma(x));
            io.Output(8, DiffMath.Exp(DiffMath.Sin(x) * 700.0) + DiffMath.Exp(-DiffMath.Abs(y) * 2000.0));
        }
    }

    /// <summary>A banded Jacobian (output i reads inputs i-1..i+2) through functions of one variable: four colours.</summary>
    private readonly struct FunctionBand : IModel
    {
        public int Inputs => 12;

        public int Outputs => 12;

        public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
        {
            for (int i = 0; i < 12; i++)
            {
                T sum = DiffMath.Exp(io.Input(i) * 0.5);
                if (i > 0) sum += DiffMath.Tanh(io.Input(i - 1)) * 3.0;
                for (int d = 1; d <= 2 && i + d < 12; d++) sum -= DiffMath.Sqrt(DiffMath.Abs(io.Input(i + d))) / (double)d;
                io.Output(i, sum);
            }
        }
    }

    /// <summary>Elements of three neighbouring inputs each (three colours) through every operation form and some rules.</summary>
    private readonly struct FunctionElements : IModel
    {
        public int Inputs => 7;

        public int Outputs => 5;

        public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
        {
            for (int j = 0; j < 5; j++)
            {
                T x = io.Input(j), y = io.Input(j + 1), z = io.Input(j + 2);
                T e = x * y / (z + 2.0) - 3.0 / (y * y + 1.0) + (1.0 - z) * 0.5 - x / 4.0 + (2.0 + x) * -z;
                io.Output(j, e + DiffMath.Exp(x * 0.1) * DiffMath.Sqrt(DiffMath.Abs(y)) - DiffMath.Log1p(z * z) + DiffMath.Tanh(x - y) / (1.5 - DiffMath.Sin(z)));
            }
        }
    }

    /// <summary>Functions of two variables, which read both values.</summary>
    private readonly struct TwoArgumentFunction : IModel
    {
        public int Inputs => 2;

        public int Outputs => 1;

        public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
        {
            T x = io.Input(0), y = io.Input(1);
            io.Output(0, DiffMath.Atan2(y, x) + DiffMath.Hypot(x, y));
        }
    }

    /// <summary>Writes output 2 of two at every point, with no decision.</summary>
    private readonly struct AlwaysWritesOutputTwo : IModel
    {
        public int Inputs => 2;

        public int Outputs => 2;

        public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
        {
            T x = io.Input(0), y = io.Input(1);
            io.Output(0, x * y);
            io.Output(2, x + y);
        }
    }
}
