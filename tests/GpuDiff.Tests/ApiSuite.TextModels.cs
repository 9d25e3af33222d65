using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.ModelLanguage;
using GpuDiff.Sparsity;
using GpuDiff.Tests.ModelLanguage;

namespace GpuDiff.Tests;

/// <summary>Models given as text run the same kernels: the same bits as the C# model of the same formula, on every backend.</summary>
public abstract partial class ApiSuite
{
    private static readonly DerivativeKind[] EveryKind =
        [DerivativeKind.Value, DerivativeKind.Jacobian, DerivativeKind.Gradient, DerivativeKind.Hessian, DerivativeKind.Jvp, DerivativeKind.Hvp];

    /// <summary>Every API on the text model and on the C# model, here; and the text model on the host.</summary>
    private async Task AssertTextMatches<TModel>(string text, TModel csharp, double[] points, double[]? parameters = null) where TModel : struct, IModel
    {
        var model = ModelText.Parse(text);
        if (parameters is not null)
            model = model.WithParameters(model.ParameterNames.Select((name, i) => new KeyValuePair<string, double>(name, parameters[i])));
        var directions = Uniform(points.Length, -1, 1);
        foreach (var kind in EveryKind)
        {
            if (kind == DerivativeKind.Gradient && model.Outputs != 1) continue;
            var v = kind is DerivativeKind.Jvp or DerivativeKind.Hvp ? directions : null;
            var fromText = await Engine.ComputeAsync(kind, model, points, v);
            var fromCSharp = await Engine.ComputeAsync(kind, csharp, points, v, parameters ?? [], null, default);
            AssertBitIdentical(fromCSharp.Data, fromText.Data, $"{kind} of {typeof(TModel).Name} as text against C#");
            AssertBitIdentical((await host.Value.ComputeAsync(kind, model, points, v)).Data, fromText.Data, $"{kind} of {typeof(TModel).Name} as text against the host");
        }
    }

    [SkippableFact]
    public async Task BuiltInModelsAsTextHaveTheirCSharpBits()
    {
        await AssertTextMatches(TextModelTexts.SeedTwoByTwo, new SeedTwoByTwo(), Uniform(2 * 64, -10, 10));
        await AssertTextMatches(TextModelTexts.SeedQuadratic, new SeedQuadratic(), Uniform(2 * 64, -10, 10));
        await AssertTextMatches(TextModelTexts.LinearMap3, new LinearMap3(), Uniform(3 * 64, -10, 10), Uniform(9, -3, 3));
        await AssertTextMatches(TextModelTexts.Rosenbrock4, new Rosenbrock(4), Uniform(4 * 64, -2, 2));
        await AssertTextMatches(TextModelTexts.PlanarArm6, new PlanarArm6(), Uniform(6 * 64, -Math.PI, Math.PI));
        await AssertTextMatches(TextModelTexts.Brown5, new BrownAlmostLinear(5), Uniform(5 * 64, -2, 2));
    }

    [SkippableFact]
    public async Task EveryFunctionAsTextHasTheBitsOfDiffMath()
    {
        var points = new double[3 * 96];
        for (int p = 0; p < 96; p++)
        {
            points[3 * p] = 0.1 + 0.8 * random.NextDouble();
            points[3 * p + 1] = 1.1 + 1.9 * random.NextDouble();
            // c > -1.1 keeps log1p(a c) and atanh real: NaN's sign and payload are the hardware's, not the math's.
            points[3 * p + 2] = -1.1 + 3.1 * random.NextDouble();
        }
        await AssertTextMatches(TextModelTexts.AllFunctions, new AllFunctions(), points);
        await AssertTextMatches(TextModelTexts.OtherFunctions, new OtherFunctions(), points, [0.75]);
    }

    [SkippableFact]
    public async Task TextInTheShapesIlgpuReassociatesGivesTheHostsBits()
    {
        const string text = """
            input x, y
            param k = 0.7
            output a = (x + 0.5) + 1.0
            output b = x * 0.1 * 3
            output c = 1 - (2 - x)
            output d = x*y*0.1*3.0 + x*y + 0.1 + 0.2 + (1.0 - (2.0 - x*y))
            output ackley = -20 * exp(-0.2 * sqrt(0.5 * (x^2 + y^2))) - exp(0.5 * (cos(2*pi*x) + cos(2*pi*y))) + e + 20
            output params = (k * 0.1 * 3 + (k + 0.5) + 1.0) * x + (1 - (2 - k)) * y
            """;
        var model = ModelText.Parse(text);
        var points = Uniform(2 * 256, -3, 3);
        var directions = Uniform(points.Length, -1, 1);
        foreach (var kind in EveryKind.Where(k => k != DerivativeKind.Gradient))
        {
            var v = kind is DerivativeKind.Jvp or DerivativeKind.Hvp ? directions : null;
            AssertBitIdentical((await host.Value.ComputeAsync(kind, model, points, v)).Data, (await Engine.ComputeAsync(kind, model, points, v)).Data, $"{kind} of constant shapes as text");
        }
    }

    /// <summary>The APIs beyond the kinds take text too: vector-Jacobian products, the one-pass forms into a buffer, device arrays and sparse plans, each with the C# twin's bits.</summary>
    [SkippableFact]
    public void EveryOtherApiTakesATextModelWithItsTwinsBits()
    {
        var text = ModelText.Parse(TextModelTexts.PlanarArm6);
        var csharp = new PlanarArm6();
        const int count = 40;
        var points = Uniform(6 * count, -Math.PI, Math.PI);
        var cotangents = Uniform(3 * count, -1, 1);
        AssertBitIdentical(Engine.Vjp(csharp, points, cotangents).Data, Engine.Vjp(text, points, cotangents).Data, "Vjp of the arm as text");

        var buffer = new double[count * (3 + 3 * 6)];
        var once = Engine.ValueAndJacobianInto(text, points, buffer);
        AssertBitIdentical(Engine.ValueAndJacobian(csharp, points).Jacobian.Data, once.Jacobian.Data, "ValueAndJacobianInto of the arm as text");
        Assert.Throws<ArgumentException>(() => Engine.ValueAndJacobianInto(text, points, new double[buffer.Length - 1]));

        var rosenbrock = ModelText.Parse(TextModelTexts.Rosenbrock4);
        var x = Uniform(4 * count, -2, 2);
        var second = Engine.ValueGradientHessianInto(rosenbrock, x, new double[count * (1 + 4 + 16)]);
        AssertBitIdentical(Engine.Hessian(new Rosenbrock(4), x).Data, second.Hessian!.Data, "ValueGradientHessianInto of Rosenbrock as text");

        using (var onDevice = Engine.Upload(points))
        using (var jacobians = Engine.Compute(DerivativeKind.Jacobian, text, onDevice))
            AssertBitIdentical(Engine.Jacobian(csharp, points).Data, jacobians.ToArray(), "resident Jacobian of the arm as text");

        var plan = Engine.PlanSparse(SparseKind.Hessian, rosenbrock, x);
        var twin = Engine.PlanSparse(SparseKind.Hessian, new Rosenbrock(4), x);
        Assert.Equal(twin.ColourCount, plan.ColourCount);
        AssertBitIdentical(twin.Compute(x).Data, plan.Compute(x).Data, "sparse Hessian plan of Rosenbrock as text");
        using (var onDevice = Engine.Upload(x))
        using (var hessians = plan.Compute(onDevice))
            AssertBitIdentical(twin.Compute(x).Data, hessians.ToArray(), "sparse Hessian plan of Rosenbrock as text, on the device");
    }
}
