using GpuDiff.Kernels.Numbers;


namespace GpuDiff.Sparsity;

/// <summary>
/// The number type of pattern detection: the primal value, computed as every other number type
/// computes it (so a model branches the same way), and the set of inputs it depends on. A model's
/// generic Evaluate runs on it unchanged. Second-order interactions (which input pairs can have a
/// nonzero second derivative) are recorded on the side by <see cref="InteractionRecorder"/>, with
/// SparseConnectivityTracer.jl's rules: sums are linear, a product pairs its operands' sets, a
/// quotient pairs numerator with denominator and denominator with itself, and every function of
/// one or two arguments is taken as nonlinear in all of them (abs and copysign too: kept
/// conservative, since a pattern may only ever be too large, never too small).
/// </summary>
internal readonly struct Tracer(double value, IndexMask inputs) : IDiffNumber<Tracer>
{
    public readonly double Value = value;

    public readonly IndexMask Inputs = inputs;

    public double Primal => Value;

    // 2, so the functions take their derivative branches (Chain), as the kernels' duals do.
    public static int Order => 2;

    public static Tracer Constant(double value) => new(value, default);

    public static Tracer Chain(Tracer x, double f, double df, double d2f)
    {
        InteractionRecorder.Pair(x.Inputs, x.Inputs);
        return new(f, x.Inputs);
    }

    public static Tracer Chain(Tracer x, Tracer y, double f, double fx, double fy, double fxx, double fxy, double fyy)
    {
        var both = x.Inputs | y.Inputs;
        InteractionRecorder.Pair(both, both);
        return new(f, both);
    }

    public static implicit operator Tracer(double value) => new(value, default);

    public static Tracer operator +(Tracer a, Tracer b) => new(a.Value + b.Value, a.Inputs | b.Inputs);
    public static Tracer operator +(Tracer a, double b) => new(a.Value + DiffMath.Tied(b, a.Value), a.Inputs);
    public static Tracer operator +(double a, Tracer b) => new(DiffMath.Tied(a, b.Value) + b.Value, b.Inputs);
    public static Tracer operator -(Tracer a, Tracer b) => new(a.Value - b.Value, a.Inputs | b.Inputs);
    public static Tracer operator -(Tracer a, double b) => new(a.Value - DiffMath.Tied(b, a.Value), a.Inputs);
    public static Tracer operator -(double a, Tracer b) => new(DiffMath.Tied(a, b.Value) - b.Value, b.Inputs);

    public static Tracer operator *(Tracer a, Tracer b)
    {
        InteractionRecorder.Pair(a.Inputs, b.Inputs);
        return new(a.Value * b.Value, a.Inputs | b.Inputs);
    }

    public static Tracer operator *(Tracer a, double b) => new(a.Value * DiffMath.Tied(b, a.Value), a.Inputs);
    public static Tracer operator *(double a, Tracer b) => new(DiffMath.Tied(a, b.Value) * b.Value, b.Inputs);

    public static Tracer operator /(Tracer a, Tracer b)
    {
        InteractionRecorder.Pair(a.Inputs, b.Inputs);
        InteractionRecorder.Pair(b.Inputs, b.Inputs);
        return new(a.Value / b.Value, a.Inputs | b.Inputs);
    }

    public static Tracer operator /(Tracer a, double b) => new(a.Value / DiffMath.Tied(b, a.Value), a.Inputs);

    public static Tracer operator /(double a, Tracer b)
    {
        InteractionRecorder.Pair(b.Inputs, b.Inputs);
        return new(DiffMath.Tied(a, b.Value) / b.Value, b.Inputs);
    }

    public static Tracer operator -(Tracer a) => new(-a.Value, a.Inputs);
    public static bool operator <(Tracer a, Tracer b) => a.Value < b.Value;
    public static bool operator >(Tracer a, Tracer b) => a.Value > b.Value;
    public static bool operator <=(Tracer a, Tracer b) => a.Value <= b.Value;
    public static bool operator >=(Tracer a, Tracer b) => a.Value >= b.Value;
    public static bool operator <(Tracer a, double b) => a.Value < b;
    public static bool operator >(Tracer a, double b) => a.Value > b;
    public static bool operator <=(Tracer a, double b) => a.Value <= b;
    public static bool operator >=(Tracer a, double b) => a.Value >= b;
}

/// <summary>
/// Where a thread's tracing collects input pairs that interact: one row mask per input, symmetric.
/// Off (null rows) when only first-order patterns are wanted, so those cost nothing for it.
/// </summary>
internal static class InteractionRecorder
{
    [ThreadStatic] private static IndexMask[]? rows;
    [ThreadStatic] private static List<int>? scratch;

    /// <summary>Starts recording into <paramref name="into"/> (n rows) on this thread, or stops with null.</summary>
    public static void RecordInto(IndexMask[]? into) => rows = into;

    public static void Pair(IndexMask x, IndexMask y)
    {
        var r = rows;
        if (r is null || x.IsEmpty || y.IsEmpty) return;
        var list = scratch ??= new List<int>(64);
        list.Clear();
        x.AppendTo(list);
        foreach (int i in list) r[i] |= y;
        list.Clear();
        y.AppendTo(list);
        foreach (int k in list) r[k] |= x;
    }
}
