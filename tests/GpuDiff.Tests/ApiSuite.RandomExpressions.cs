using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;
using GpuDiff.Tests.ModelLanguage;

namespace GpuDiff.Tests;

/// <summary>Random expressions as text: gradients and Hessians against the test's own System.Math reference, and the host's bits.</summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public async Task RandomExpressionsAsTextHaveTheReferenceDerivatives()
    {
        var expressions = new RandomExpressions(random);
        const int models = 12, points = 16;
        for (int m = 0; m < models; m++)
        {
            var (a, fa) = expressions.Next(4);
            var (b, fb) = expressions.Next(4);
            string text = $"input x, y, z\noutput f = {a}\noutput g = {b}";
            var model = ModelText.Parse(text);
            var x = Uniform(3 * points, -1.5, 1.5);
            var jacobian = await Engine.ComputeAsync(DerivativeKind.Jacobian, model, x);
            var hessian = await Engine.ComputeAsync(DerivativeKind.Hessian, model, x);
            AssertBitIdentical((await host.Value.ComputeAsync(DerivativeKind.Hessian, model, x)).Data, hessian.Data, $"Hessian of {text}");
            for (int p = 0; p < points; p++)
            {
                var point = x.AsSpan(3 * p, 3).ToArray();
                var references = new[] { fa(point), fb(point) };
                for (int o = 0; o < 2; o++)
                {
                    var want = references[o];
                    // Rounding in either evaluation is relative to the terms' size, not the result's.
                    double scale = Math.Max(1, Math.Max(want.G.Max(Math.Abs), want.H.Cast<double>().Max(Math.Abs)));
                    string where = $"output {o} at ({string.Join(", ", point)}) of\n{text}\n{Seed}";
                    for (int i = 0; i < 3; i++)
                    {
                        Close(want.G[i], jacobian.Data[p * 6 + o * 3 + i], 1e-9 * scale, $"d/dx{i} of {where}");
                        for (int j = 0; j < 3; j++)
                            Close(want.H[i, j], hessian.Data[p * 18 + o * 9 + i * 3 + j], 1e-9 * scale, $"d2/dx{i}dx{j} of {where}");
                    }
                }
            }
        }
    }
}
