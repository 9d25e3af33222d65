using System.Runtime.Intrinsics;

namespace GpuDiff.Kernels.Math;

// The four-lane form of Log, for the host's numbers that carry four points: Log's operations in
// Log's order on each lane (IEEE + - * / round each lane as the scalar operations do, nothing is
// fused), its branches as selects. Never compiled for a GPU (no kernel reaches it).
public static partial class DMath
{
    /// <summary>
    /// ln x of four lanes, each with <see cref="Log(double)"/>'s bits. Lanes of normal positive
    /// finite arguments share the arithmetic; a group holding a zero, a subnormal, a negative
    /// number, an infinity or a NaN takes the scalar form lane by lane.
    /// </summary>
    public static Vector256<double> Log(Vector256<double> x)
    {
        if (!Vector256.GreaterThanOrEqualAll(x, Vector256.Create(2.2250738585072014E-308)) || !Vector256.LessThanAll(x, Vector256.Create(double.PositiveInfinity)))
            return LogEachLane(x);
        var bits = x.AsInt64();
        var high = Vector256.ShiftRightLogical(bits, 32);
        var k = Vector256.ShiftRightLogical(high, 20) - Vector256.Create(1023L);
        var hx = high & Vector256.Create(0xfffffL);
        var i = (hx + Vector256.Create(0x95f64L)) & Vector256.Create(0x100000L);
        // x or x/2 in [sqrt(2)/2, sqrt(2)): the exponent replaced, the low word kept.
        var reduced = (Vector256.ShiftLeft(hx | (i ^ Vector256.Create(0x3ff00000L)), 32) | (bits & Vector256.Create(0xffffffffL))).AsDouble();
        k += Vector256.ShiftRightLogical(i, 20);
        var one = Vector256.Create(1.0);
        var f = reduced - one;
        // k as a double: k + 1.5 * 2^52 has k in its low bits, exactly.
        var dk = (k + Vector256.Create(0x4338000000000000L)).AsDouble() - Vector256.Create(6755399441055744.0);
        var kZero = Vector256.Equals(k, Vector256<long>.Zero).AsDouble();
        var hi = dk * Vector256.Create(Ln2Hi);
        var lo = dk * Vector256.Create(Ln2Lo);

        // f within 2^-20 of 0: log(1 + f) ~ f - f^2/2 + f^3/3.
        var rr = f * f * (Vector256.Create(0.5) - Vector256.Create(0.33333333333333333) * f);
        var nearOne = Vector256.ConditionalSelect(kZero, f - rr, hi - ((rr - lo) - f));
        nearOne = Vector256.ConditionalSelect(Vector256.Equals(f, Vector256<double>.Zero), Vector256.ConditionalSelect(kZero, Vector256<double>.Zero, hi + lo), nearOne);

        var s = f / (Vector256.Create(2.0) + f);
        var z = s * s;
        var w = z * z;
        var t1 = w * (Vector256.Create(Lg2) + w * (Vector256.Create(Lg4) + w * Vector256.Create(Lg6)));
        var t2 = z * (Vector256.Create(Lg1) + w * (Vector256.Create(Lg3) + w * (Vector256.Create(Lg5) + w * Vector256.Create(Lg7))));
        var r = t2 + t1;
        var hfsq = Vector256.Create(0.5) * f * f;
        var withHalfSquare = Vector256.ConditionalSelect(kZero, f - (hfsq - s * (hfsq + r)), hi - ((hfsq - (s * (hfsq + r) + lo)) - f));
        var plain = Vector256.ConditionalSelect(kZero, f - s * (f - r), hi - ((s * (f - r) - lo) - f));
        // The scalar form's (hx - 0x6147a) | (0x6b851 - hx) > 0: f far enough from 0 for the half square.
        var halfSquare = Vector256.GreaterThan((hx - Vector256.Create(0x6147aL)) | (Vector256.Create(0x6b851L) - hx), Vector256<long>.Zero).AsDouble();
        var far = Vector256.ConditionalSelect(halfSquare, withHalfSquare, plain);

        var near = Vector256.LessThan((hx + Vector256.Create(2L)) & Vector256.Create(0xfffffL), Vector256.Create(3L)).AsDouble();
        return Vector256.ConditionalSelect(near, nearOne, far);
    }

    // The rare groups, outside the shared path.
    private static Vector256<double> LogEachLane(Vector256<double> x) =>
        Vector256.Create(Log(x.GetElement(0)), Log(x.GetElement(1)), Log(x.GetElement(2)), Log(x.GetElement(3)));
}
