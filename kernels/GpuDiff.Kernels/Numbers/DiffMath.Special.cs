using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Math;
using GpuDiff.Kernels.Numbers.Rules;
using static GpuDiff.Kernels.Math.FloatBits;

namespace GpuDiff.Kernels.Numbers;

// The special functions of statistics and finance: erf, erfc and log-gamma, with their
// derivatives as accurate as the functions (see DerivativeRuleTests for the bounds).
public static partial class DiffMath
{
#pragma warning disable CS1591 // each function is named for what it computes
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Erf<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<ErfRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Erfc<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<ErfcRule>(x);

    /// <summary>The standard normal distribution function Phi(x) = erfc(-x/sqrt(2))/2, the normal CDF.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T NormalCdf<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<NormalCdfRule>(x);

    /// <summary>log Phi(x), the log of the normal CDF: finite where Phi underflows (x down to -1.3e154).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogNormalCdf<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<LogNormalCdfRule>(x);

    /// <summary>log |gamma(x)| (C's lgamma); its derivatives are digamma and trigamma, NaN and +infinity at the poles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogGamma<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<LogGammaRule>(x);
#pragma warning restore CS1591
}
