using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.ModelLanguage;
using GpuDiff.Tests.ModelLanguage;

namespace GpuDiff.Tests;

/// <summary>
/// f with its derivatives from one pass: each part bit for bit the separate call's (values, the
/// Jacobian, the Hessians, and the gradients against the Jacobian), on every backend, for widths that
/// split the columns into several chunks and for model text; a model's mistake still raises.
/// </summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public void ValueAndDerivativesInOnePassHaveTheSeparateCallsBits()
    {
        CheckCombined(new PlanarArm6(), Uniform(6 * 300, -3, 3));
        CheckCombined(new BrownAlmostLinear(19), Uniform(19 * 40, 0.2, 1.4));
        CheckCombined(new Rosenbrock(9), Uniform(9 * 40, -2, 2));
        var text = ModelText.Parse(TextModelTexts.PlanarArm6);
        var x = Uniform(6 * 100, -3, 3);
        var one = Engine.ValueGradientHessian(text, x);
        AssertBitIdentical(Engine.Value(text, x).Data, one.Values.Data, "text values");
        AssertBitIdentical(Engine.Jacobian(text, x).Data, one.Jacobian.Data, "text gradients");
        AssertBitIdentical(Engine.Hessian(text, x).Data, one.Hessian!.Data, "text Hessians");
        AssertBitIdentical(Engine.Jacobian(text, x).Data, Engine.ValueAndJacobian(text, x).Jacobian.Data, "text Jacobian");
    }

    [SkippableFact]
    public void AModelMistakeInOnePassRaisesAsTheSeparateCallsDo()
    {
        var x = Uniform(2 * 64, -1, 1);
        x[2 * 17] = WritesOutOfRange.Trigger;
        var error = Assert.Throws<ModelFaultException>(() => Engine.ValueAndJacobian(new WritesOutOfRange(5), x));
        Assert.Contains("wrote output 5, but has 2 outputs (at point 17)", error.Message);
        error = Assert.Throws<ModelFaultException>(() => Engine.ValueGradientHessian(new WritesOutOfRange(5), x));
        Assert.Contains("wrote output 5, but has 2 outputs (at point 17)", error.Message);
    }

    private void CheckCombined<TModel>(TModel model, double[] x) where TModel : struct, IModel
    {
        string name = typeof(TModel).Name;
        var values = Engine.Value(model, x).Data;
        var jacobian = Engine.Jacobian(model, x).Data;
        var first = Engine.ValueAndJacobian(model, x);
        AssertBitIdentical(values, first.Values.Data, $"{name} values with the Jacobian");
        AssertBitIdentical(jacobian, first.Jacobian.Data, $"{name} Jacobian");
        Assert.Null(first.Hessian);
        var second = Engine.ValueGradientHessian(model, x);
        AssertBitIdentical(values, second.Values.Data, $"{name} values with the Hessian");
        AssertBitIdentical(jacobian, second.Jacobian.Data, $"{name} gradients from the Hessian's evaluations");
        AssertBitIdentical(Engine.Hessian(model, x).Data, second.Hessian!.Data, $"{name} Hessians");
        AssertBitIdentical(host.Value.ValueGradientHessian(model, x).Jacobian.Data, second.Jacobian.Data, $"{name} gradients against the host");
        // A point's block in place: values, then the first derivatives, then the Hessians.
        long last = x.Length / model.Inputs - 1;
        int m = model.Outputs, mn = m * model.Inputs;
        AssertBitIdentical([.. second.Values.ForPoint(last), .. second.Jacobian.ForPoint(last), .. second.Hessian.ForPoint(last)],
            second.Block(last).ToArray(), $"{name} block of the last point");
        Assert.Equal(m + mn, first.BlockStride);
        // Into a caller's array, twice (the second call overwrites every entry), with the same bits.
        var into = new double[(last + 1) * second.BlockStride];
        Array.Fill(into, double.NaN);
        for (int call = 0; call < 2; call++)
        {
            var again = Engine.ValueGradientHessianInto(model, x, into);
            AssertBitIdentical(second.Block(last).ToArray(), again.Block(last).ToArray(), $"{name} block into the caller's array, call {call}");
            AssertBitIdentical(second.Hessian.Data, again.Hessian!.Data, $"{name} Hessians into the caller's array, call {call}");
        }
        AssertBitIdentical(first.Jacobian.Data, Engine.ValueAndJacobianInto(model, x, new double[(last + 1) * first.BlockStride]).Jacobian.Data, $"{name} Jacobian into the caller's array");
    }

    [SkippableFact]
    public void ADestinationOfTheWrongSizeForOnePassIsNamed()
    {
        var x = Uniform(6 * 10, -3, 3);
        var error = Assert.Throws<ArgumentException>(() => Engine.ValueGradientHessianInto(new PlanarArm6(), x, new double[10 * 150]));
        Assert.Contains("holds 1500 values but 10 points need 1290 (129 per point: 3 values, 18 first derivatives, 108 second)", error.Message);
        error = Assert.Throws<ArgumentException>(() => Engine.ValueAndJacobianInto(new PlanarArm6(), x, new double[10 * 22]));
        Assert.Contains("10 points need 210 (21 per point: 3 values, 18 first derivatives)", error.Message);
    }
}
