using System.Runtime.Intrinsics;

namespace GpuDiff.Kernels.Math;

// The four-lane form of Exp for the host's numbers that carry four points: Exp's operations, in
// Exp's order, on each lane. IEEE + - * / round each lane exactly as the scalar operations round,
// and nothing here is fused, so each lane has the scalar bits; the branches of the scalar code
// become selects. Never compiled for a GPU (no kernel reaches it).
public static partial class DMath
{
    /// <summary>
    /// e^x of four lanes, each with <see cref="Exp(double)"/>'s bits. Lanes with |x| up to 708
    /// (and any tiny ones) share the arithmetic; a group holding a NaN, an infinity or |x| beyond 708
    /// (overflow, underflow and subnormal results) takes the scalar form lane by lane.
    /// </summary>
    public static Vector256<double> Exp(Vector256<double> x)
    {
        var a = Vector256.Abs(x);
        if (!Vector256.LessThanOrEqualAll(a, Vector256.Create(708.0))) return ExpEachLane(x); // NaN fails it too
        var hx = Vector256.ShiftRightLogical(a.AsInt64(), 32);
        var negative = Vector256.LessThan(x, Vector256<double>.Zero);
        var beyondHalfLn2 = Vector256.GreaterThan(hx, Vector256.Create(0x3fd62e42L)).AsDouble();
        var beyondOneAndHalfLn2 = Vector256.GreaterThanOrEqual(hx, Vector256.Create(0x3FF0A2B2L)).AsDouble();

        // k = +-1 below 1.5 ln 2, else k = (int)(x / ln2 +- 0.5); k = 0 up to ln2 / 2.
        var half = Vector256.ConditionalSelect(negative, Vector256.Create(-0.5), Vector256.Create(0.5));
        var t = Vector256.Truncate(Vector256.Create(InvLn2) * x + half);
        var hiFar = x - t * Vector256.Create(Ln2Hi);
        var loFar = t * Vector256.Create(Ln2Lo);
        var hiNear = Vector256.ConditionalSelect(negative, x + Vector256.Create(Ln2Hi), x - Vector256.Create(Ln2Hi));
        var loNear = Vector256.ConditionalSelect(negative, Vector256.Create(-Ln2Lo), Vector256.Create(Ln2Lo));
        var kNear = Vector256.ConditionalSelect(negative, Vector256.Create(-1.0), Vector256.Create(1.0));
        var hi = Vector256.ConditionalSelect(beyondOneAndHalfLn2, hiFar, Vector256.ConditionalSelect(beyondHalfLn2, hiNear, x));
        var lo = Vector256.ConditionalSelect(beyondOneAndHalfLn2, loFar, Vector256.ConditionalSelect(beyondHalfLn2, loNear, Vector256<double>.Zero));
        var k = Vector256.ConditionalSelect(beyondOneAndHalfLn2, t, kNear);

        // ExpReduced, both of its forms.
        var r = hi - lo;
        var r2 = r * r;
        var c = r - r2 * (Vector256.Create(ExpP1) + r2 * (Vector256.Create(ExpP2) + r2 * (Vector256.Create(ExpP3) +
            r2 * (Vector256.Create(ExpP4) + r2 * Vector256.Create(ExpP5)))));
        var one = Vector256.Create(1.0);
        var two = Vector256.Create(2.0);
        // (r c) / (2 - c) is exactly -(r c) / (c - 2): negating a difference or a divisor rounds
        // symmetrically, and lo - (-q) is lo + q; so one division serves both forms.
        var q = (r * c) / (c - two);
        var unscaled = one - (q - r);
        var y = one - ((lo + q) - hi);
        // 2^k from k + 1023 in the exponent field: k sits in the low bits of k + 1.5 * 2^52, and
        // the shift leaves only them (|k| <= 1021 here, so the exponent is a normal one).
        var kBits = (k + Vector256.Create(6755399441055744.0)).AsInt64() + Vector256.Create(1023L);
        var scaled = y * Vector256.ShiftLeft(kBits, 52).AsDouble();
        var e = Vector256.ConditionalSelect(beyondHalfLn2, scaled, unscaled);

        // The scalar form's early returns: 1 + x below 2^-28, and e itself at 1.
        e = Vector256.ConditionalSelect(Vector256.LessThan(hx, Vector256.Create(0x3e300000L)).AsDouble(), one + x, e);
        return Vector256.ConditionalSelect(Vector256.Equals(x, one), Vector256.Create(2.718281828459045235360), e);
    }

    // The rare groups, outside the shared path.
    private static Vector256<double> ExpEachLane(Vector256<double> x) =>
        Vector256.Create(Exp(x.GetElement(0)), Exp(x.GetElement(1)), Exp(x.GetElement(2)), Exp(x.GetElement(3)));
}
