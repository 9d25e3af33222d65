using GpuDiff.Kernels.Numbers;


namespace GpuDiff.Sparsity;

/// <summary>
/// The number type of pattern detection: the primal value, computed as every other number type
/// computes it (so a model branches the same way), and the set of inputs it depends on. A model's
/// generic Evaluate runs on it unchanged. Second-order interactions (which input pairs can have a
/// nonzero second derivative) are recorded on the side by <see cref="InteractionRecorder{TMask}"/>, with
/// SparseConnectivityTracer.jl's rules: sums are linear, a product pairs its operands' sets, a
/// quotient pairs numerator with denominator and denominator with itself, and every function of
/// one or two arguments is taken as nonlinear in all of them (abs and copysign too: kept
/// conservative, since a pattern may only ever be too large, never too small). Comparisons and
/// reads of <see cref="Primal"/> are the model's decisions and are noted by
/// <see cref="DecisionRecorder"/>: a model that makes none runs the same operations at every point.
/// </summary>
internal readonly struct Tracer<TMask>(double value, TMask inputs) : IDiffNumber<Tracer<TMask>> where TMask : struct, IIndexMask<TMask>
{
    public readonly double Value = value;

    public readonly TMask Inputs = inputs;

    public double Primal
    {
        get
        {
            DecisionRecorder.Note();
            return Value;
        }
    }

    public static double RuleValue(Tracer<TMask> x)
    {
        DecisionRecorder.NoteRule();
        return x.Value;
    }

    // 2, so the functions take their derivative branches (Chain), as the kernels' duals do.
    public static int Order => 2;

    public static Tracer<TMask> Constant(double value) => new(value, default);

    // A function of one variable is nonlinear in its argument, but not a rule the host's four-lane
    // numbers lack (every IUnaryRule has a lane form), so it leaves DecisionRecorder.Ruled alone.
    public static Tracer<TMask> Apply<TRule>(Tracer<TMask> x) where TRule : struct, IUnaryRule
    {
        InteractionRecorder<TMask>.Pair(x.Inputs, x.Inputs);
        return new(TRule.Apply(x.Value, Order, out _, out _), x.Inputs);
    }

    public static Tracer<TMask> Chain(Tracer<TMask> x, double f, double df, double d2f)
    {
        DecisionRecorder.NoteRule();
        InteractionRecorder<TMask>.Pair(x.Inputs, x.Inputs);
        return new(f, x.Inputs);
    }

    public static Tracer<TMask> Chain(Tracer<TMask> x, Tracer<TMask> y, double f, double fx, double fy, double fxx, double fxy, double fyy)
    {
        DecisionRecorder.NoteRule();
        var both = x.Inputs | y.Inputs;
        InteractionRecorder<TMask>.Pair(both, both);
        return new(f, both);
    }

    public static implicit operator Tracer<TMask>(double value) => new(value, default);

    public static Tracer<TMask> operator +(Tracer<TMask> a, Tracer<TMask> b) => new(a.Value + b.Value, a.Inputs | b.Inputs);
    public static Tracer<TMask> operator +(Tracer<TMask> a, double b) => new(a.Value + DiffMath.Tied(b, a.Value), a.Inputs);
    public static Tracer<TMask> operator +(double a, Tracer<TMask> b) => new(DiffMath.Tied(a, b.Value) + b.Value, b.Inputs);
    public static Tracer<TMask> operator -(Tracer<TMask> a, Tracer<TMask> b) => new(a.Value - b.Value, a.Inputs | b.Inputs);
    public static Tracer<TMask> operator -(Tracer<TMask> a, double b) => new(a.Value - DiffMath.Tied(b, a.Value), a.Inputs);
    public static Tracer<TMask> operator -(double a, Tracer<TMask> b) => new(DiffMath.Tied(a, b.Value) - b.Value, b.Inputs);

    public static Tracer<TMask> operator *(Tracer<TMask> a, Tracer<TMask> b)
    {
        InteractionRecorder<TMask>.Pair(a.Inputs, b.Inputs);
        return new(a.Value * b.Value, a.Inputs | b.Inputs);
    }

    public static Tracer<TMask> operator *(Tracer<TMask> a, double b) => new(a.Value * DiffMath.Tied(b, a.Value), a.Inputs);
    public static Tracer<TMask> operator *(double a, Tracer<TMask> b) => new(DiffMath.Tied(a, b.Value) * b.Value, b.Inputs);

    public static Tracer<TMask> operator /(Tracer<TMask> a, Tracer<TMask> b)
    {
        InteractionRecorder<TMask>.Pair(a.Inputs, b.Inputs);
        InteractionRecorder<TMask>.Pair(b.Inputs, b.Inputs);
        return new(a.Value / b.Value, a.Inputs | b.Inputs);
    }

    public static Tracer<TMask> operator /(Tracer<TMask> a, double b) => new(a.Value / DiffMath.Tied(b, a.Value), a.Inputs);

    public static Tracer<TMask> operator /(double a, Tracer<TMask> b)
    {
        InteractionRecorder<TMask>.Pair(b.Inputs, b.Inputs);
        return new(DiffMath.Tied(a, b.Value) / b.Value, b.Inputs);
    }

    public static Tracer<TMask> operator -(Tracer<TMask> a) => new(-a.Value, a.Inputs);
    public static bool operator <(Tracer<TMask> a, Tracer<TMask> b) => DecisionRecorder.Note(a.Value < b.Value);
    public static bool operator >(Tracer<TMask> a, Tracer<TMask> b) => DecisionRecorder.Note(a.Value > b.Value);
    public static bool operator <=(Tracer<TMask> a, Tracer<TMask> b) => DecisionRecorder.Note(a.Value <= b.Value);
    public static bool operator >=(Tracer<TMask> a, Tracer<TMask> b) => DecisionRecorder.Note(a.Value >= b.Value);
    public static bool operator <(Tracer<TMask> a, double b) => DecisionRecorder.Note(a.Value < b);
    public static bool operator >(Tracer<TMask> a, double b) => DecisionRecorder.Note(a.Value > b);
    public static bool operator <=(Tracer<TMask> a, double b) => DecisionRecorder.Note(a.Value <= b);
    public static bool operator >=(Tracer<TMask> a, double b) => DecisionRecorder.Note(a.Value >= b);

    // Equality is a decision too, however a model reaches it.
    public override bool Equals(object? obj) => DecisionRecorder.Note(obj is Tracer<TMask> other && Value.Equals(other.Value));

    public override int GetHashCode()
    {
        DecisionRecorder.Note();
        return Value.GetHashCode();
    }
}

/// <summary>
/// Whether the model traced on this thread has made a decision on its numbers (compared them or
/// read their primal values) since the last <see cref="Reset"/>. Without one, the model's operations
/// do not depend on the point, and neither does its pattern.
/// </summary>
internal static class DecisionRecorder
{
    [ThreadStatic] private static bool decided, ruled;

    public static bool Decided => decided;

    /// <summary>
    /// Whether a function outside the <see cref="IUnaryRule"/> list read a value or applied the chain
    /// rule since the last <see cref="Reset"/> (two-argument functions, SinCos, powers, rounding):
    /// without one, and without a decision, the model is arithmetic and functions of one variable
    /// with lane forms, which the host can run for several points at once.
    /// </summary>
    public static bool Ruled => ruled;

    public static void Reset() => decided = ruled = false;

    public static void NoteRule() => ruled = true;

    public static void Note() => decided = true;

    /// <summary>Notes a comparison and passes its outcome on.</summary>
    public static bool Note(bool outcome)
    {
        decided = true;
        return outcome;
    }
}

/// <summary>
/// Where a thread's tracing collects input pairs that interact: one row mask per input, symmetric.
/// Off (null rows) when only first-order patterns are wanted, so those cost nothing for it.
/// </summary>
internal static class InteractionRecorder<TMask> where TMask : struct, IIndexMask<TMask>
{
    [ThreadStatic] private static TMask[]? rows;

    /// <summary>Starts recording into <paramref name="into"/> (n rows) on this thread, or stops with null.</summary>
    public static void RecordInto(TMask[]? into) => rows = into;

    public static void Pair(TMask x, TMask y)
    {
        var r = rows;
        if (r is null || x.IsEmpty || y.IsEmpty) return;
        x.OrInto(r, y);
        y.OrInto(r, x);
    }
}
