using System.Reflection;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.ModelLanguage;
using GpuDiff.Tests.ModelLanguage;

namespace GpuDiff.Tests;

/// <summary>A check of second derivatives run on one model at its points.</summary>
public interface ISecondOrderCheck
{
    /// <summary>Checks <paramref name="model"/> at <paramref name="points"/> ([point][input]); <paramref name="name"/> goes into failure messages.</summary>
    void Check<TModel>(TModel model, double[] points, string name) where TModel : struct, IModel;
}

/// <summary>
/// The models a second-order property is checked on: every function of the model library (special
/// values included), the built-in models and random expressions as text, at random points.
/// </summary>
public static class SecondOrderModels
{
    public static void CheckAll<TCheck>(TCheck check, Random random, int pointsPerModel, int expressionCount) where TCheck : ISecondOrderCheck
    {
        double[] Uniform(int count, double lo, double hi) => Enumerable.Range(0, count).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();
        int k = pointsPerModel;
        check.Check(new MathCoverage(), MathCoveragePoints.Draw(random, k), "MathCoverage");
        check.Check(new AllFunctions(), Uniform(new AllFunctions().Inputs * k, -0.9, 0.9), "AllFunctions");
        check.Check(new PlanarArm6(), Uniform(6 * k, -3, 3), "PlanarArm6");
        check.Check(new BrownAlmostLinear(7), Uniform(7 * k, -2, 2), "BrownAlmostLinear(7)");
        check.Check(new Rosenbrock(19), Uniform(19 * k, -2, 2), "Rosenbrock(19)");
        check.Check(new Matrix3Model(), Uniform(new Matrix3Model().Inputs * k, -2, 2), "Matrix3Model");
        var expressions = new RandomExpressions(random);
        var generic = typeof(ISecondOrderCheck).GetMethod(nameof(ISecondOrderCheck.Check))!;
        for (int m = 0; m < expressionCount; m++)
        {
            var (a, _) = expressions.Next(5);
            var (b, _) = expressions.Next(5);
            string text = $"input x, y, z\noutput f = {a}\noutput g = {b}";
            var model = ModelText.Parse(text).ModelType;
            try
            {
                generic.MakeGenericMethod(model).Invoke(check, [Activator.CreateInstance(model)!, Uniform(3 * 16, -1.5, 1.5), text]);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            }
        }
    }
}
