using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Tests;

/// <summary>
/// Forward over forward computes a Hessian entry (i, j) with e_i on e1 and e_j on e2; the
/// hyper-dual's arithmetic is written so that e_j on e1 and e_i on e2 gives the same bits
/// (HyperDual.Chain's note), which a star-coloured sparse Hessian relies on when it reads an
/// entry from the other row's evaluation. Checked on every function of the model library, the
/// built-in models and random expressions, at random points drawn fresh (the seed is printed).
/// </summary>
public sealed class HessianSymmetryTests : ISecondOrderCheck
{
    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;

    public HessianSymmetryTests() => random = new Random(seed);

    [Fact]
    public void EveryEntryHasTheSameBitsFromEitherRow() => SecondOrderModels.CheckAll(this, random, 48, 20);

    void ISecondOrderCheck.Check<TModel>(TModel model, double[] points, string name)
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
