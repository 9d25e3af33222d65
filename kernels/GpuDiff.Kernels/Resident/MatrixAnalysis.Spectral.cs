using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Math;

namespace GpuDiff.Kernels.Resident;

// Symmetric eigenvalues, singular values, the critical-point class and the Newton step, with the
// work matrices addressed as in the determinant: entry (r, c) at offset + (r n + c) stride.
public static partial class MatrixAnalysis
{
    /// <summary>
    /// The eigenvalues of the symmetric n x n matrix in <paramref name="a"/> (all of it is read,
    /// and overwritten), ascending, into <paramref name="eigenvalues"/> at <paramref name="outAt"/>
    /// (one apart): cyclic Jacobi rotations in a fixed row-by-row order until the off-diagonal part
    /// is negligible, at most 60 sweeps.
    /// </summary>
    public static void SymmetricEigenvalues<TBuf>(TBuf a, long at, long stride, int n, TBuf eigenvalues, long outAt) where TBuf : struct, IBuffer
    {
        for (int sweep = 0; sweep < 60; sweep++)
        {
            double off = 0.0, diagonal = 0.0;
            for (int i = 0; i < n; i++)
            {
                double d = a.Load(at + (i * n + i) * stride);
                diagonal += d * d;
                for (int j = i + 1; j < n; j++)
                {
                    double e = a.Load(at + (i * n + j) * stride);
                    off += e * e;
                }
            }
            if (!(off > 1e-34 * diagonal)) break; // also ends on NaN
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a.Load(at + (p * n + q) * stride);
                    if (apq == 0.0) continue;
                    Rotation(a.Load(at + (p * n + p) * stride), a.Load(at + (q * n + q) * stride), apq, out double c, out double s);
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a.Load(at + (k * n + p) * stride), akq = a.Load(at + (k * n + q) * stride);
                        a.Store(at + (k * n + p) * stride, c * akp - s * akq);
                        a.Store(at + (k * n + q) * stride, s * akp + c * akq);
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a.Load(at + (p * n + k) * stride), aqk = a.Load(at + (q * n + k) * stride);
                        a.Store(at + (p * n + k) * stride, c * apk - s * aqk);
                        a.Store(at + (q * n + k) * stride, s * apk + c * aqk);
                    }
                }
        }
        for (int i = 0; i < n; i++) eigenvalues.Store(outAt + i, a.Load(at + (i * n + i) * stride));
        Sort(eigenvalues, outAt, n, ascending: true);
    }

    /// <summary>
    /// The singular values of an m x k matrix with m &gt;= k in <paramref name="a"/> (overwritten),
    /// descending, into <paramref name="values"/> at <paramref name="outAt"/>: one-sided Jacobi on
    /// the columns in a fixed order, at most 60 sweeps; small singular values keep their accuracy,
    /// which the eigenvalues of J^T J would square away.
    /// </summary>
    public static void SingularValues<TBuf>(TBuf a, long at, long stride, int m, int k, TBuf values, long outAt) where TBuf : struct, IBuffer
    {
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < k - 1; p++)
                for (int q = p + 1; q < k; q++)
                {
                    double alpha = 0.0, beta = 0.0, gamma = 0.0;
                    for (int i = 0; i < m; i++)
                    {
                        double ap = a.Load(at + (i * k + p) * stride), aq = a.Load(at + (i * k + q) * stride);
                        alpha += ap * ap;
                        beta += aq * aq;
                        gamma += ap * aq;
                    }
                    if (!(DMath.Abs(gamma) > 1e-17 * DMath.Sqrt(alpha * beta))) continue; // orthogonal enough, or NaN
                    rotated = true;
                    Rotation(alpha, beta, gamma, out double c, out double s);
                    for (int i = 0; i < m; i++)
                    {
                        double ap = a.Load(at + (i * k + p) * stride), aq = a.Load(at + (i * k + q) * stride);
                        a.Store(at + (i * k + p) * stride, c * ap - s * aq);
                        a.Store(at + (i * k + q) * stride, s * ap + c * aq);
                    }
                }
            if (!rotated) break;
        }
        for (int j = 0; j < k; j++)
        {
            double norm = 0.0;
            for (int i = 0; i < m; i++)
            {
                double v = a.Load(at + (i * k + j) * stride);
                norm += v * v;
            }
            values.Store(outAt + j, DMath.Sqrt(norm));
        }
        Sort(values, outAt, k, ascending: false);
    }

    /// <summary>
    /// The critical-point class of ascending or unordered eigenvalues: 0 degenerate, 1 minimum,
    /// 2 maximum, 3 saddle; an eigenvalue counts as zero when |lambda| &lt;= tolerance max |lambda|.
    /// </summary>
    public static int Classify<TBuf>(TBuf eigenvalues, long at, int n, double tolerance) where TBuf : struct, IBuffer
    {
        double largest = 0.0;
        for (int i = 0; i < n; i++)
        {
            double l = eigenvalues.Load(at + i);
            if (FloatBits.IsNaN(l)) return 0;
            largest = DMath.Abs(l) > largest ? DMath.Abs(l) : largest;
        }
        bool positive = false, negative = false;
        for (int i = 0; i < n; i++)
        {
            double l = eigenvalues.Load(at + i);
            if (DMath.Abs(l) <= tolerance * largest) return 0;
            if (l > 0) positive = true; else negative = true;
        }
        return positive && negative ? 3 : positive ? 1 : 2;
    }

    /// <summary>
    /// Solves A s = -r for the n x n matrix in <paramref name="a"/> (overwritten) by LU with partial
    /// pivoting; <paramref name="b"/> holds r on entry (its entry i at bAt + i bStride) and s on
    /// return. False, with s all NaN, when a pivot is zero or not finite.
    /// </summary>
    public static bool NewtonStep<TBuf>(TBuf a, long at, long stride, int n, TBuf b, long bAt, long bStride) where TBuf : struct, IBuffer
    {
        for (int i = 0; i < n; i++) b.Store(bAt + i * bStride, -b.Load(bAt + i * bStride));
        for (int k = 0; k < n; k++)
        {
            int p = Pivot(a, at, stride, n, k);
            double v = a.Load(at + (p * n + k) * stride);
            if (v == 0.0 || !IsFinite(v))
            {
                for (int i = 0; i < n; i++) b.Store(bAt + i * bStride, NaN(v));
                return false;
            }
            if (p != k)
            {
                for (int j = 0; j < n; j++)
                {
                    double t = a.Load(at + (p * n + j) * stride);
                    a.Store(at + (p * n + j) * stride, a.Load(at + (k * n + j) * stride));
                    a.Store(at + (k * n + j) * stride, t);
                }
                double tb = b.Load(bAt + p * bStride);
                b.Store(bAt + p * bStride, b.Load(bAt + k * bStride));
                b.Store(bAt + k * bStride, tb);
            }
            double pivot = a.Load(at + (k * n + k) * stride), bk = b.Load(bAt + k * bStride);
            for (int i = k + 1; i < n; i++)
            {
                double factor = a.Load(at + (i * n + k) * stride) / pivot;
                if (factor == 0.0) continue;
                for (int j = k + 1; j < n; j++) a.Store(at + (i * n + j) * stride, a.Load(at + (i * n + j) * stride) - factor * a.Load(at + (k * n + j) * stride));
                a.Store(at + (i * n + k) * stride, 0.0);
                b.Store(bAt + i * bStride, b.Load(bAt + i * bStride) - factor * bk);
            }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b.Load(bAt + i * bStride);
            for (int j = i + 1; j < n; j++) s -= a.Load(at + (i * n + j) * stride) * b.Load(bAt + j * bStride);
            b.Store(bAt + i * bStride, s / a.Load(at + (i * n + i) * stride));
        }
        return true;
    }

    /// <summary>
    /// cos and sin of the rotation that zeroes the off-diagonal entry of [[app, apq], [apq, aqq]]:
    /// t = tan(angle) is the smaller root of t^2 + 2 theta t - 1 = 0, formed without cancellation.
    /// </summary>
    private static void Rotation(double app, double aqq, double apq, out double c, out double s)
    {
        double theta = (aqq - app) / (2.0 * apq);
        double square = theta * theta;
        double t = square - square != 0.0 && !FloatBits.IsNaN(square) // infinite
            ? 0.5 / theta
            : (theta >= 0 ? 1.0 : -1.0) / (DMath.Abs(theta) + DMath.Sqrt(square + 1.0));
        c = 1.0 / DMath.Sqrt(t * t + 1.0);
        s = t * c;
    }

    // Insertion sort: tiny arrays, and NaNs keep their place instead of throwing the order off.
    private static void Sort<TBuf>(TBuf values, long at, int n, bool ascending) where TBuf : struct, IBuffer
    {
        for (int i = 1; i < n; i++)
        {
            double v = values.Load(at + i);
            int j = i - 1;
            while (j >= 0 && (ascending ? values.Load(at + j) > v : values.Load(at + j) < v))
            {
                values.Store(at + j + 1, values.Load(at + j));
                j--;
            }
            values.Store(at + j + 1, v);
        }
    }
}
