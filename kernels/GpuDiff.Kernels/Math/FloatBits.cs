using System.Runtime.CompilerServices;
namespace GpuDiff.Kernels.Math;

/// <summary>Word-level access to IEEE 754 doubles, the way fdlibm reads them.</summary>
/// <remarks>BitConverter's conversions are ILGPU intrinsics, so these compile for every backend.</remarks>
internal static class FloatBits
{
    public static int High(double x) => (int)(BitConverter.DoubleToInt64Bits(x) >> 32);

    public static uint Low(double x) => (uint)BitConverter.DoubleToInt64Bits(x);

    public static double FromWords(int high, uint low) =>
        BitConverter.Int64BitsToDouble(((long)high << 32) | low);

    public static double WithHigh(double x, int high) => FromWords(high, Low(x));

    public static bool IsNaN(double x) => (BitConverter.DoubleToInt64Bits(x) & long.MaxValue) > 0x7FF0000000000000L;

    public static double WithLowZero(double x) => FromWords(High(x), 0);

    /// <summary>x * 2^n with a single rounding, also when the result is subnormal.</summary>
    public static double ScaleB(double x, int n)
    {
        // Split the scaling so each factor is a normal power of two; only the last product rounds.
        if (n > 1023)
        {
            x *= 8.98846567431158e307; // 2^1023
            n -= 1023;
            if (n > 1023) { x *= 8.98846567431158e307; n -= 1023; if (n > 1023) n = 1023; }
        }
        else if (n < -1022)
        {
            // 2^-1022 * 2^53 keeps the intermediate normal, so the final multiply rounds once.
            x *= 2.2250738585072014e-308 * 9007199254740992.0;
            n += 1022 - 53;
            if (n < -1022)
            {
                x *= 2.2250738585072014e-308 * 9007199254740992.0;
                n += 1022 - 53;
                if (n < -1022) n = -1022;
            }
        }
        return x * BitConverter.Int64BitsToDouble((long)(0x3ff + n) << 52);
    }

    /// <summary>
    /// <paramref name="x"/> itself, passed through integer operations the GPU compiler cannot see
    /// through, so an expression built from it is never merged with the constants that produced it:
    /// ILGPU would turn (x * c1) * c2 into x * (c1 * c2) (see <see cref="DMath"/>'s remarks).
    /// </summary>
    /// <remarks>
    /// Opaque only to reassociation of a value computed at run time: for a constant argument ILGPU
    /// folds the integer operations back into a constant. Constants use <see cref="Beside"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Opaque(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        return BitConverter.Int64BitsToDouble(bits ^ (bits & ~bits));
    }

    /// <summary>
    /// <paramref name="constant"/> itself, tied to the run-time value <paramref name="anchor"/> by
    /// integer operations ILGPU does not simplify (x &amp; ~x of a value it cannot know, then xor),
    /// so it is no longer a constant in ILGPU's IR and cannot be folded into a neighbouring constant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Beside(double constant, double anchor)
    {
        long a = BitConverter.DoubleToInt64Bits(anchor);
        return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(constant) ^ (a & ~a));
    }
}
