using System.Reflection;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.ModelLanguage;
using GpuDiff.Tests.ModelLanguage;

namespace GpuDiff.Tests;

/// <summary>
/// Forward over forward computes a Hessian entry (i, j) with e_i on e1 and e_j on e2; the
/// hyper-dual's arithmetic is written so that e_j on e1 and e_i on e2 gives the same bits
/// (HyperDual.Chain's note), which a star-coloured sparse Hessian relies on when it reads an
/// entry from the other row's evaluation. Checked on every function of the model library, the
/// built-in models and random expressions, at random points drawn fresh (the seed is printed).
/// </summary>
public sealed class HessianSymmetryTests
{
    private readonly int seed = Environment.TickCount;
    private readonly Random random;

    public HessianSymmetryTests() => random = new Random(seed);

    [Fact]
    public void EveryEntryHasTheSameBitsFromEitherRow()
    {
        Check(new MathCoverage(), MathCoveragePoints.Draw(random, 64), "MathCoverage");
        Check(new AllFunctions(), Uniform(new AllFunctions().Inputs * 64, -0.9, 0.9), "AllFunctions");
        Check(new PlanarArm6(), Uniform(6 * 64, -3, 3), "PlanarArm6");
        Check(new BrownAlmostLinear(7), Uniform(7 * 64, -2, 2), "BrownAlmostLinear(7)");
        Check(new Rosenbrock(5), Uniform(5 * 64, -2, 2), "Rosenbrock(5)");
        Check(new Matrix3Model(), Uniform(new Matrix3Model().Inputs * 64, -2, 2), "Matrix3Model");
        var expressions = new RandomExpressions(random);
        for (int m = 0; m < 20; m++)
        {
            var (a, _) = expressions.Next(5);
            var (b, _) = expressions.Next(5);
            string text = $"input x, y, z\noutput f = {a}\noutput g = {b}";
            var model = ModelText.Parse(text).ModelType;
            typeof(HessianSymmetryTests).GetMethod(nameof(Check), BindingFlags.Instance | BindingFlags.NonPublic)!.MakeGenericMethod(model)
                .Invoke(this, [Activator.CreateInstance(model)!, Uniform(3 * 16, -1.5, 1.5), text]);
        }
    }

    private double[] Uniform(int count, double lo, double hi) =>
        Enumerable.Range(0, count).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();

    private void Check<TModel>(TModel model, double[] points, string name) where TModel : struct, IModel
    {
        int n = model.Inputs, m = model.Outputs;
        for (int p = 0; p < points.Length / n; p++)
        {
            var x = points.AsSpan(p * n, n).ToArray();
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                {
                    double[] ij = Entry(model, x, i, j), ji = Entry(model, x, j, i);
                    for (int o = 0; o < m; o++)
                        if (BitConverter.DoubleToInt64Bits(ij[o]) != BitConverter.DoubleToInt64Bits(ji[o]) && !(double.IsNaN(ij[o]) && double.IsNaN(ji[o])))
                            Assert.Fail($"{name}, output {o}, entry ({i}, {j}) at ({string.Join(", ", x)}): {ij[o]:R} from row {i}, {ji[o]:R} from row {j} (seed {seed})");
                }
        }
    }

    /// <summary>d2 f_o / dx_row dx_column for every output, with x_row on e1 and x_column on e2.</summary>
    private static double[] Entry<TModel>(TModel model, double[] x, int row, int column) where TModel : struct, IModel
    {
        var io = new Seeded(x, row, column, model.Outputs);
        model.Evaluate<HyperDual<One>, Seeded>(ref io);
        return io.Mixed;
    }

    private struct Seeded(double[] x, int row, int column, int outputs) : IModelArguments<HyperDual<One>>
    {
        public double[] Mixed { get; } = new double[outputs];

        public readonly HyperDual<One> Input(int i) => new(x[i], i == row ? 1.0 : 0.0, new One { D = i == column ? 1.0 : 0.0 }, default);

        public readonly void Output(int j, HyperDual<One> value) => Mixed[j] = value.Mixed.D;

        public readonly double Parameter(int k) => 0.0;
    }
}
