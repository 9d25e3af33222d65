namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// The number contract a model is written against: plain values (<see cref="Real"/>), first-order
/// duals (<see cref="Dual{P}"/>) and second-order hyper-duals (<see cref="HyperDual{P}"/>).
/// Arithmetic is IEEE double arithmetic on the primal value, so the value a model returns is the
/// same bits whichever number type evaluated it. Comparisons look at the primal value only, so a
/// model may branch; the derivative is then the derivative of the branch taken.
/// </summary>
/// <remarks>
/// Every double that meets a number (either operand of + - * /, <c>Constant</c>, the implicit
/// conversion) is passed through the opaque identity of <c>FloatBits</c> first, so two constants
/// of the model's code never sit next to each other in ILGPU's IR, where ILGPU 1.5.3 would
/// reassociate <c>(x + c1) + c2</c> into <c>x + (c1 + c2)</c> for GPUs and change the last bit.
/// </remarks>
/// <typeparam name="T">The implementing type itself.</typeparam>
public interface IDiffNumber<T> where T : struct, IDiffNumber<T>
{
    /// <summary>
    /// The value without derivative parts, for the model's own decisions: a model that reads it (or
    /// compares numbers) may take other operations at other points, which pattern detection sees.
    /// </summary>
    double Primal { get; }

    /// <summary>
    /// The same bits as <see cref="Primal"/>, for derivative rules that compute f, f' and f'' from it
    /// (<see cref="DiffMath"/>'s functions): such a read decides no operation, so pattern detection
    /// does not count it as a branch. A rule that chooses what to compute from the value (as Min and
    /// Max do) reads <see cref="Primal"/> instead.
    /// </summary>
    /// <param name="x">The number.</param>
    static abstract double RuleValue(T x);

    /// <summary>0 for values, 1 for first derivatives, 2 for second; lets functions skip unused derivatives.</summary>
    static abstract int Order { get; }

    /// <summary>A constant: the given value with zero derivative parts.</summary>
    static abstract T Constant(double value);

    /// <summary>
    /// A function of one variable applied to x: the rule's value and derivatives at x's value, then
    /// the chain rule (<see cref="UnaryRule.OnePoint{T, TRule}"/> for numbers of one point). Number
    /// types that carry several points apply the rule's lane form; the pattern tracer records a
    /// function of its argument.
    /// </summary>
    static abstract T Apply<TRule>(T x) where TRule : struct, IUnaryRule;

    /// <summary>f(x) given f, f' and f'' at x's primal value (the chain rule to second order).</summary>
    static abstract T Chain(T x, double f, double df, double d2f);

    /// <summary>f(x, y) given f, its two first and three second partial derivatives at the primal values.</summary>
    static abstract T Chain(T x, T y, double f, double fx, double fy, double fxx, double fxy, double fyy);

    /// <summary>A constant from a double, so models can write 2.0 * x or x + 1.</summary>
    static abstract implicit operator T(double value);

#pragma warning disable CS1591 // the operators are the usual ones
    static abstract T operator +(T a, T b);
    static abstract T operator +(T a, double b);
    static abstract T operator +(double a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator -(T a, double b);
    static abstract T operator -(double a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator *(T a, double b);
    static abstract T operator *(double a, T b);
    static abstract T operator /(T a, T b);
    static abstract T operator /(T a, double b);
    static abstract T operator /(double a, T b);
    static abstract T operator -(T a);
    static abstract bool operator <(T a, T b);
    static abstract bool operator >(T a, T b);
    static abstract bool operator <=(T a, T b);
    static abstract bool operator >=(T a, T b);
    static abstract bool operator <(T a, double b);
    static abstract bool operator >(T a, double b);
    static abstract bool operator <=(T a, double b);
    static abstract bool operator >=(T a, double b);
#pragma warning restore CS1591
}
