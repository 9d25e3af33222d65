namespace GpuDiff.Kernels.Math;

using static ExactArithmetic;
using static FloatBits;

/// <summary>x = n * pi/2 + (y0 + y1) with |y0 + y1| &lt;= pi/4, correct for every finite double.</summary>
/// <remarks>
/// Below 2^20 * pi/2, fdlibm's three-step Cody-Waite reduction. Above, a Payne-Hanek reduction
/// over 64-bit integer words: the 53-bit significand times a 192-bit window of 2/pi, from which
/// the integer part mod 8 and 128 fraction bits are read. The window starts where the bits of
/// 2/pi stop contributing multiples of 8, so the fraction keeps about 67 significant bits even
/// for the doubles closest to a multiple of pi/2 (about 2^-61 away).
/// </remarks>
internal static class PiOverTwoReduction
{
    private const double InvPio2 = 6.36619772367581382433e-01;
    private const double Pio2_1 = 1.57079632673412561417e+00, Pio2_1t = 6.07710050650619224932e-11;
    private const double Pio2_2 = 6.07710050630396597660e-11, Pio2_2t = 2.02226624879595063154e-21;
    private const double Pio2_3 = 2.02226624871116645580e-21, Pio2_3t = 8.47842766036889956997e-32;
    private const double Pio2Hi = 1.5707963267948966, Pio2Lo = 6.123233995736766e-17;

    /// <summary>Returns n (its low bits are what callers need) and sets y0 + y1.</summary>
    public static int Reduce(double x, out double y0, out double y1)
    {
        int hx = High(x);
        int ix = hx & 0x7fffffff;
        if (ix <= 0x3fe921fb) { y0 = x; y1 = 0.0; return 0; }
        if (ix >= 0x7ff00000) { y0 = x - x; y1 = y0; return 0; }
        if (ix < 0x413921fb) return Medium(x, ix, out y0, out y1);
        int n = Large(hx < 0 ? -x : x, out y0, out y1);
        if (hx < 0) { y0 = -y0; y1 = -y1; n = -n; }
        return n;
    }

    private static int Medium(double x, int ix, out double y0, out double y1)
    {
        const double RoundingShift = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
        double fn = (x * InvPio2 + RoundingShift) - RoundingShift;
        int n = (int)fn;
        double r = x - fn * Pio2_1;
        double w = fn * Pio2_1t;
        int j = ix >> 20;
        y0 = r - w;
        int i = j - ((High(y0) >> 20) & 0x7ff);
        if (i > 16)
        {
            // Cancellation ate more than 16 bits: take the next 33 bits of pi/2.
            double t = r;
            w = fn * Pio2_2;
            r = t - w;
            w = fn * Pio2_2t - ((t - r) - w);
            y0 = r - w;
            i = j - ((High(y0) >> 20) & 0x7ff);
            if (i > 49)
            {
                t = r;
                w = fn * Pio2_3;
                r = t - w;
                w = fn * Pio2_3t - ((t - r) - w);
                y0 = r - w;
            }
        }
        y1 = (r - y0) - w;
        return n;
    }

    private static int Large(double ax, out double y0, out double y1)
    {
        long bits = BitConverter.DoubleToInt64Bits(ax);
        int e = (int)(bits >> 52) - 1023;                 // ax = m * 2^(e-52), e >= 20
        ulong m = ((ulong)bits & 0xFFFFFFFFFFFFFUL) | (1UL << 52);
        int first = e >= 55 ? e - 54 : 1;                  // 1-based index of the first bit of 2/pi used
        ulong w0 = TwoOverPiBits(first), w1 = TwoOverPiBits(first + 64), w2 = TwoOverPiBits(first + 128);

        // p = m * (w0:w1:w2), 256 bits in p3..p0.
        Multiply(m, w2, out ulong h2, out ulong p0);
        Multiply(m, w1, out ulong h1, out ulong l1);
        Multiply(m, w0, out ulong h0, out ulong l0);
        ulong p1 = h2 + l1;
        ulong c1 = p1 < h2 ? 1UL : 0UL;
        ulong p2 = h1 + l0;
        ulong c2 = p2 < h1 ? 1UL : 0UL;
        p2 += c1;
        c2 += p2 < c1 ? 1UL : 0UL;
        ulong p3 = h0 + c2;

        int fractionBits = 52 + first + 191 - e;            // p = value * 2^fractionBits
        int n = (int)(Window(p0, p1, p2, p3, fractionBits) & 7);
        ulong fHi = Window(p0, p1, p2, p3, fractionBits - 64);
        ulong fLo = Window(p0, p1, p2, p3, fractionBits - 128);
        bool negative = (fHi >> 63) != 0;
        if (negative)
        {
            // Round to the nearest multiple: take 1 - fraction and step n up.
            n += 1;
            fLo = ~fLo + 1;
            fHi = ~fHi + (fLo == 0 ? 1UL : 0UL);
        }
        // fraction = fHi * 2^-64 + fLo * 2^-128 as three exactly representable pieces.
        double a = (double)(fHi >> 11) * 1.1102230246251565e-16;                      // 2^-53
        double b = (double)(((fHi & 0x7FF) << 42) | (fLo >> 22)) * 1.232595164407831e-32; // 2^-106
        double c = (double)(fLo & 0x3FFFFF) * 2.938735877055719e-39;                    // 2^-128
        TwoSum(a, b, out double s, out double sErr);
        double lo = sErr + c;
        // (s + lo) * pi/2 in double-double.
        TwoProduct(s, Pio2Hi, out double p, out double pErr);
        pErr += s * Pio2Lo + lo * Pio2Hi;
        y0 = p + pErr;
        y1 = (p - y0) + pErr;
        if (negative) { y0 = -y0; y1 = -y1; }
        return n;
    }

    /// <summary>64 bits of p3:p2:p1:p0 starting at bit <paramref name="shift"/> (0 &lt;= shift &lt; 256).</summary>
    private static ulong Window(ulong p0, ulong p1, ulong p2, ulong p3, int shift)
    {
        int q = shift >> 6, r = shift & 63;
        ulong low = q == 0 ? p0 : q == 1 ? p1 : q == 2 ? p2 : p3;
        ulong high = q == 0 ? p1 : q == 1 ? p2 : q == 2 ? p3 : 0UL;
        return r == 0 ? low : (low >> r) | (high << (64 - r));
    }

    /// <summary>a * b = hi * 2^64 + lo.</summary>
    private static void Multiply(ulong a, ulong b, out ulong hi, out ulong lo)
    {
        ulong a0 = a & 0xFFFFFFFF, a1 = a >> 32, b0 = b & 0xFFFFFFFF, b1 = b >> 32;
        ulong p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
        ulong middle = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
        lo = (middle << 32) | (p00 & 0xFFFFFFFF);
        hi = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
    }

    /// <summary>Bits index .. index+63 of 2/pi after the binary point (1-based).</summary>
    private static ulong TwoOverPiBits(int index)
    {
        int q = (index - 1) >> 6, r = (index - 1) & 63;
        ulong a = TwoOverPiWord(q);
        return r == 0 ? a : (a << r) | (TwoOverPiWord(q + 1) >> (64 - r));
    }

    // 2/pi to 1280 bits; a switch rather than an array because static arrays do not reach GPU code.
    private static ulong TwoOverPiWord(int i) => i switch
    {
        0 => 0xA2F9836E4E441529, 1 => 0xFC2757D1F534DDC0, 2 => 0xDB6295993C439041, 3 => 0xFE5163ABDEBBC561,
        4 => 0xB7246E3A424DD2E0, 5 => 0x06492EEA09D1921C, 6 => 0xFE1DEB1CB129A73E, 7 => 0xE88235F52EBB4484,
        8 => 0xE99C7026B45F7E41, 9 => 0x3991D639835339F4, 10 => 0x9C845F8BBDF9283B, 11 => 0x1FF897FFDE05980F,
        12 => 0xEF2F118B5A0A6D1F, 13 => 0x6D367ECF27CB09B7, 14 => 0x4F463F669E5FEA2D, 15 => 0x7527BAC7EBE5F17B,
        16 => 0x3D0739F78A5292EA, 17 => 0x6BFB5FB11F8D5D08, 18 => 0x56033046FC7B6BAB, _ => 0xF0CFBC209AF4361D,
    };
}
