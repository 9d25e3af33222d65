using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Math;

namespace GpuDiff.Kernels.Resident;

/// <summary>
/// Per-point matrix analyses over a row-major matrix at an offset in a buffer, in plain IEEE
/// arithmetic with a fixed order of operations and the project's own log, so the host's
/// <c>PointAnalysis</c> and the device kernels are one code and give the same bits. The work
/// matrix is overwritten; its entry (r, c) is at offset + (r n + c) stride, so the device keeps
/// the points' work matrices interleaved (stride = points) and neighbouring threads touch
/// neighbouring memory.
/// </summary>
public static partial class MatrixAnalysis
{
    /// <summary>
    /// det A by LU with partial pivoting (a NaN pivot wins the search, so NaN propagates), its
    /// sign (-1, 0, 1) and log|det A|, which does not overflow where det does. A zero pivot gives
    /// (0, 0, -inf); a NaN or infinite one (NaN, 0, NaN). Without <paramref name="logarithm"/> the
    /// log is left at 0 (it costs a log per pivot).
    /// </summary>
    public static double Determinant<TBuf>(TBuf a, long at, long stride, int n, out int sign, out double logAbs, bool logarithm = true) where TBuf : struct, IBuffer
    {
        sign = 1;
        logAbs = 0.0;
        double det = 1.0;
        for (int k = 0; k < n; k++)
        {
            int p = Pivot(a, at, stride, n, k);
            double v = a.Load(at + (p * n + k) * stride);
            if (v == 0.0 || !IsFinite(v))
            {
                sign = 0;
                logAbs = v == 0.0 ? double.NegativeInfinity : NaN(v);
                return v == 0.0 ? 0.0 : NaN(v);
            }
            if (p != k)
            {
                for (int j = 0; j < n; j++)
                {
                    double t = a.Load(at + (p * n + j) * stride);
                    a.Store(at + (p * n + j) * stride, a.Load(at + (k * n + j) * stride));
                    a.Store(at + (k * n + j) * stride, t);
                }
                sign = -sign;
            }
            double pivot = a.Load(at + (k * n + k) * stride);
            if (pivot < 0) sign = -sign;
            det *= pivot;
            if (logarithm) logAbs += DMath.Log(DMath.Abs(pivot));
            for (int i = k + 1; i < n; i++)
            {
                double factor = a.Load(at + (i * n + k) * stride) / pivot;
                if (factor == 0.0) continue;
                for (int j = k + 1; j < n; j++) a.Store(at + (i * n + j) * stride, a.Load(at + (i * n + j) * stride) - factor * a.Load(at + (k * n + j) * stride));
                a.Store(at + (i * n + k) * stride, 0.0);
            }
        }
        return sign * DMath.Abs(det);
    }

    /// <summary>
    /// sqrt(det(J J^T)) of a rows x columns J at <paramref name="jAt"/> (sqrt(det(J^T J)) when J is
    /// tall, the product of its singular values either way): the Gram matrix of the shorter side,
    /// each entry a dot product in index order, into <paramref name="work"/>, then its LU
    /// determinant, clamped at 0 where rounding makes it negative. NaN when J has a non-finite entry.
    /// </summary>
    public static double Manipulability<TBuf>(TBuf j, long jAt, int rows, int columns, TBuf work, long workAt, long workStride) where TBuf : struct, IBuffer
    {
        bool wide = rows <= columns;
        int k = wide ? rows : columns, length = wide ? columns : rows;
        for (int r = 0; r < rows * columns; r++)
            if (!IsFinite(j.Load(jAt + r))) return NaN(rows);
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
            {
                double s = 0.0;
                for (int i = 0; i < length; i++)
                    s += wide ? j.Load(jAt + r * columns + i) * j.Load(jAt + c * columns + i) : j.Load(jAt + i * columns + r) * j.Load(jAt + i * columns + c);
                work.Store(workAt + (r * k + c) * workStride, s);
            }
        double det = Determinant(work, workAt, workStride, k, out _, out _, logarithm: false);
        return det > 0.0 ? DMath.Sqrt(det) : FloatBits.IsNaN(det) ? NaN(det) : 0.0;
    }

    private static int Pivot<TBuf>(TBuf a, long at, long stride, int n, int k) where TBuf : struct, IBuffer
    {
        int p = k;
        for (int i = k + 1; i < n; i++)
        {
            double v = a.Load(at + (i * n + k) * stride);
            if (DMath.Abs(v) > DMath.Abs(a.Load(at + (p * n + k) * stride)) || FloatBits.IsNaN(v)) p = i;
        }
        return p;
    }

    private static bool IsFinite(double v) => v - v == 0.0;

    // One NaN's bits on every backend: a NaN constant is written as OpenCL's NAN (sign clear) but is
    // .NET's double.NaN (sign set) on the host, and a NaN made by arithmetic differs between CPUs
    // and NVIDIA GPUs; tied to a run-time value, the constant's own bits survive.
    private static double NaN(double anchor) => FloatBits.Beside(double.NaN, anchor);
}
