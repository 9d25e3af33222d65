using System.Runtime.CompilerServices;
using static GpuDiff.Kernels.Math.FloatBits;
namespace GpuDiff.Kernels.Numbers;

/// <summary>A plain double as a model number: evaluates values only, at the cost of a double.</summary>
/// <remarks>C# cannot add our interface to System.Double, so this one-field struct stands in for it;
/// it converts implicitly both ways.</remarks>
public readonly struct Real(double value) : IDiffNumber<Real>
{
    /// <summary>The value.</summary>
    public readonly double Value = value;

    /// <inheritdoc />
    public double Primal => Value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RuleValue(Real x) => x.Value;

    /// <inheritdoc />
    public static int Order => 0;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real Constant(double value) => new(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real Apply<TRule>(Real x) where TRule : struct, IUnaryRule => UnaryRule.OnePoint<Real, TRule>(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real Chain(Real x, double f, double df, double d2f) => new(f);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real Chain(Real x, Real y, double f, double fx, double fy, double fxx, double fxy, double fyy) => new(f);

    /// <summary>The value as a double.</summary>
    public static implicit operator double(Real x) => x.Value;

    /// <inheritdoc />
    public static implicit operator Real(double value) => new(value);

#pragma warning disable CS1591
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator +(Real a, Real b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator +(Real a, double b) => new(a.Value + Beside(b, a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator +(double a, Real b) => new(Beside(a, b.Value) + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator -(Real a, Real b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator -(Real a, double b) => new(a.Value - Beside(b, a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator -(double a, Real b) => new(Beside(a, b.Value) - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator *(Real a, Real b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator *(Real a, double b) => new(a.Value * Beside(b, a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator *(double a, Real b) => new(Beside(a, b.Value) * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator /(Real a, Real b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator /(Real a, double b) => new(a.Value / Beside(b, a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator /(double a, Real b) => new(Beside(a, b.Value) / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Real operator -(Real a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <(Real a, Real b) => a.Value < b.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >(Real a, Real b) => a.Value > b.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <=(Real a, Real b) => a.Value <= b.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >=(Real a, Real b) => a.Value >= b.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <(Real a, double b) => a.Value < b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >(Real a, double b) => a.Value > b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <=(Real a, double b) => a.Value <= b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >=(Real a, double b) => a.Value >= b;
#pragma warning restore CS1591

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override string ToString() => Value.ToString("R");
}
