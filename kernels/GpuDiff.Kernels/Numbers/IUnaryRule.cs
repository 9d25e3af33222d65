using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static GpuDiff.Kernels.Math.FloatBits;

namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// A function of one variable as a derivative rule: its value and first two derivatives at a value,
/// in a scalar form (every number type, every backend) and a four-lane form (the host's numbers that
/// carry four points at once) side by side, the lanes with the scalar form's bits. A number type
/// applies a rule its own way (<see cref="IDiffNumber{T}.Apply{TRule}"/>), so a model calling
/// <see cref="DiffMath.Exp{T}"/> runs on one point, on four, or through the pattern tracer alike.
/// </summary>
public interface IUnaryRule
{
    /// <summary>f(v); when <paramref name="order"/> is above 0, f'(v) and (order 2) f''(v) too, else zeros.</summary>
    static abstract double Apply(double v, int order, out double d, out double d2);

    /// <summary>f and f' of each lane, each lane with <see cref="Apply(double, int, out double, out double)"/>'s bits at order 1.</summary>
    static abstract Vector256<double> Apply(Vector256<double> v, out Vector256<double> d);
}

/// <summary>How the number types of one point apply a rule, and the lane-by-lane form of rules without a vector one.</summary>
public static class UnaryRule
{
    /// <summary>The rule at x's value, then the chain rule: what every one-point number type does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T OnePoint<T, TRule>(T x) where T : struct, IDiffNumber<T> where TRule : struct, IUnaryRule
    {
        double f = TRule.Apply(Opaque(T.RuleValue(x)), T.Order, out double d, out double d2);
        return T.Order == 0 ? T.Constant(f) : T.Chain(x, f, d, d2);
    }

    /// <summary>The scalar form once a lane: the vector form of rules whose arithmetic has no four-lane version.</summary>
    public static Vector256<double> EachLane<TRule>(Vector256<double> v, out Vector256<double> d) where TRule : struct, IUnaryRule
    {
        double f0 = TRule.Apply(v.GetElement(0), 1, out double d0, out _), f1 = TRule.Apply(v.GetElement(1), 1, out double d1, out _),
            f2 = TRule.Apply(v.GetElement(2), 1, out double d2, out _), f3 = TRule.Apply(v.GetElement(3), 1, out double d3, out _);
        d = Vector256.Create(d0, d1, d2, d3);
        return Vector256.Create(f0, f1, f2, f3);
    }
}
