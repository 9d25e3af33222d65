using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.ModelLanguage;
using GpuDiff.Streaming;
using GpuDiff.Tests.ModelLanguage;

namespace GpuDiff.Tests;

/// <summary>
/// Vector-Jacobian products u^T J: bit for bit the sum, in output order from +0, of u_j times the
/// dense Jacobian's entries (which the test forms itself), on every backend, in memory and streamed.
/// </summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public async Task VjpIsTheCotangentTimesTheDenseJacobian()
    {
        CheckVjp(new PlanarArm6(), Uniform(6 * 300, -3, 3));
        CheckVjp(new BrownAlmostLinear(19), Uniform(19 * 60, 0.2, 1.4));
        CheckVjp(new Bratu1D(33, 1.5), Uniform(33 * 50, -1, 1));
        CheckVjp(ModelText.Parse(TextModelTexts.PlanarArm6), Uniform(6 * 100, -3, 3));
        // Streamed, with the cotangents from a second source of m values a point.
        var x = Uniform(6 * 1000, -3, 3);
        var u = Uniform(3 * 1000, -1, 1);
        var sink = new MemorySink();
        await Engine.SweepAsync(DerivativeKind.Vjp, new PlanarArm6(), new ArrayPointSource(x, 6), sink, new ArrayPointSource(u, 3));
        AssertBitIdentical(Engine.Vjp(new PlanarArm6(), x, u).Data, sink.Data.ToArray(), "streamed Vjp");
    }

    [SkippableFact]
    public void VjpCotangentsOfTheWrongLengthAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Engine.Vjp(new PlanarArm6(), Uniform(6 * 4, -1, 1), Uniform(6 * 4, -1, 1)));
        Assert.Contains("one value per output", error.Message);
    }

    private void CheckVjp<TModel>(TModel model, double[] x) where TModel : struct, IModel => CheckVjp(model.Inputs, model.Outputs, x,
        u => Engine.Vjp(model, x, u), () => Engine.Jacobian(model, x), u => host.Value.Vjp(model, x, u), typeof(TModel).Name);

    private void CheckVjp(TextModel model, double[] x) => CheckVjp(model.Inputs, model.Outputs, x,
        u => Engine.ComputeAsync(DerivativeKind.Vjp, model, x, u).GetAwaiter().GetResult(), () => Engine.Jacobian(model, x),
        u => host.Value.ComputeAsync(DerivativeKind.Vjp, model, x, u).GetAwaiter().GetResult(), model.Name);

    private void CheckVjp(int n, int m, double[] x, Func<double[], DerivativeResult> vjp, Func<DerivativeResult> jacobian,
        Func<double[], DerivativeResult> onHost, string name)
    {
        long points = x.Length / n;
        var u = Uniform((int)(points * m), -2, 2);
        var got = vjp(u);
        var j = jacobian();
        for (long p = 0; p < points; p++)
            for (int i = 0; i < n; i++)
            {
                double want = 0.0;
                for (int o = 0; o < m; o++) want += u[p * m + o] * j.Data[(p * m + o) * n + i];
                double value = got.Data[p * n + i];
                Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(value),
                    $"{name} Vjp at point {p}, input {i}: want {want:R}, got {value:R} {Seed}");
            }
        AssertBitIdentical(onHost(u).Data, got.Data, $"{name} Vjp against the host");
    }
}
