namespace GpuDiff.Kernels.Math;

using static FloatBits;

/// <summary>
/// GpuDiff's deterministic double-precision math: the same bits on the host, the CPU accelerator,
/// CUDA and OpenCL, because it is built from + - * / and sqrt (all correctly rounded by IEEE 754)
/// and integer operations only, never from a platform's libm or ILGPU's approximations.
/// Every function is within 1 ulp of the correctly rounded result and follows C99 Annex F for
/// NaN, infinities and signed zeros.
/// </summary>
/// <remarks>
/// ILGPU 1.5.3 rewrites some floating-point expressions while it builds its IR for a GPU, before
/// any of our rewrites can see the code: (x + c1) + c2 becomes x + (c1 + c2), (x - c1) - c2 becomes
/// x - (c1 + c2), (x * c1) * c2 becomes x * (c1 * c2), c1 - (c2 - x) becomes (c1 - c2) + x, x + 0
/// becomes x and 0 - x becomes -x, for compile-time constants c1 and c2 (constants reach a
/// function through inlining too). Each changes rounding or the sign of a zero, and the CPU paths
/// do not do it. Code here is written so none of these shapes occurs (1 + (-h) where fdlibm has
/// 1 - h, and so on, at the places marked); the OpenCL suite on PoCL and gpudiff verify catch a
/// shape that slips through.
/// </remarks>
public static partial class DMath
{
    private const double TwoTo52 = 4503599627370496.0;

    /// <summary>Correctly rounded square root (IEEE 754 requires it of every backend).</summary>
    public static double Sqrt(double x) => System.Math.Sqrt(x);

    /// <summary>|x|, clearing the sign bit (so Abs(-0) is +0 and NaN stays NaN).</summary>
    public static double Abs(double x) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & long.MaxValue);

    /// <summary>|x| with the sign of <paramref name="sign"/>.</summary>
    public static double CopySign(double x, double sign) =>
        BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(x) & long.MaxValue) |
                                       (BitConverter.DoubleToInt64Bits(sign) & long.MinValue));

    /// <summary>Rounds toward zero.</summary>
    public static double Truncate(double x)
    {
        if (!(Abs(x) < TwoTo52)) return x; // integers, infinities and NaN
        return CopySign((double)(long)x, x);
    }

    /// <summary>The largest integer not above x.</summary>
    public static double Floor(double x)
    {
        double t = Truncate(x);
        return t > x ? t - 1.0 : t;
    }

    /// <summary>The smallest integer not below x (Ceiling(-0.5) is -0).</summary>
    public static double Ceiling(double x)
    {
        double t = Truncate(x);
        return t < x ? t + 1.0 : t;
    }

    /// <summary>Rounds to the nearest integer, halfway cases away from zero (C's round).</summary>
    public static double Round(double x)
    {
        double t = Truncate(x);
        double d = x - t; // exact
        if (d >= 0.5) return t + 1.0;
        if (d <= -0.5) return t - 1.0;
        return t;
    }

    /// <summary>The smaller of x and y; a NaN loses to a number, and -0 is below +0 (C's fmin).</summary>
    public static double Min(double x, double y)
    {
        if (IsNaN(x)) return y;
        if (IsNaN(y)) return x;
        if (x == y) return BitConverter.DoubleToInt64Bits(x) < 0 ? x : y;
        return x < y ? x : y;
    }

    /// <summary>The larger of x and y; a NaN loses to a number, and +0 is above -0 (C's fmax).</summary>
    public static double Max(double x, double y)
    {
        if (IsNaN(x)) return y;
        if (IsNaN(y)) return x;
        if (x == y) return BitConverter.DoubleToInt64Bits(x) < 0 ? y : x;
        return x > y ? x : y;
    }
}
