using GpuDiff.Backends;
using GpuDiff.Kernels.Resident;

namespace GpuDiff.Analysis;

/// <summary>
/// Per-point analyses of a Jacobian or Hessian, in plain IEEE arithmetic with a fixed order of
/// operations (sqrt and the project's own log, no library math), so they give the same bits wherever they run: the
/// determinant and its sign, a Newton step, symmetric eigenvalues, singular values and the
/// condition number. Matrices are row-major, as results are stored.
/// </summary>
public static class PointAnalysis
{
    /// <summary>The largest matrix side the analyses take (they work on the stack).</summary>
    public const int MaxSide = 64;

    /// <summary>det A by LU with partial pivoting, its sign (-1, 0, 1) and log|det A| (which does not overflow where det does).</summary>
    public static unsafe (double Determinant, int Sign, double LogAbsDeterminant) Determinant(ReadOnlySpan<double> matrix, int n)
    {
        Check(matrix, n, n);
        double* a = stackalloc double[n * n];
        matrix.CopyTo(new Span<double>(a, n * n));
        // The device's determinant kernel runs this same code.
        double det = MatrixAnalysis.Determinant(new PointerBuffer(a, n * n), 0, 1, n, out int sign, out double logAbs);
        return (det, sign, logAbs);
    }

    /// <summary>
    /// sqrt(det(J J^T)) of a rows x columns J (sqrt(det(J^T J)) for a tall one): the product of its
    /// singular values, the volume a unit ball of inputs maps to. NaN when J has a non-finite entry.
    /// </summary>
    public static unsafe double Manipulability(ReadOnlySpan<double> matrix, int rows, int columns)
    {
        Check(matrix, rows, columns);
        int k = Math.Min(rows, columns);
        double* work = stackalloc double[k * k];
        fixed (double* j = matrix)
            return MatrixAnalysis.Manipulability(new PointerBuffer(j, matrix.Length), 0, rows, columns, new PointerBuffer(work, k * k), 0, 1);
    }

    /// <summary>
    /// Solves A s = -r (the Newton step for f(x + s) = 0 with A = J, r = f; or for a minimum with
    /// A = H, r = grad f). Returns false, with s all NaN, when a pivot is zero or not finite.
    /// </summary>
    public static bool NewtonStep(ReadOnlySpan<double> matrix, ReadOnlySpan<double> residual, int n, Span<double> step)
    {
        Check(matrix, n, n);
        if (residual.Length != n || step.Length != n) throw new ArgumentException($"The residual and the step need {n} values each.");
        Span<double> a = stackalloc double[n * n];
        Span<double> b = stackalloc double[n];
        matrix.CopyTo(a);
        for (int i = 0; i < n; i++) b[i] = -residual[i];
        for (int k = 0; k < n; k++)
        {
            int p = Pivot(a, n, k);
            double v = a[p * n + k];
            if (v == 0.0 || !double.IsFinite(v))
            {
                step.Fill(double.NaN);
                return false;
            }
            if (p != k)
            {
                Swap(a, n, p, k, 0);
                (b[p], b[k]) = (b[k], b[p]);
            }
            Eliminate(a, n, k, b);
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int j = i + 1; j < n; j++) s -= a[i * n + j] * step[j];
            step[i] = s / a[i * n + i];
        }
        return true;
    }

    /// <summary>
    /// The eigenvalues of a symmetric matrix (only its upper triangle is read), ascending: cyclic
    /// Jacobi rotations in a fixed row-by-row order until the off-diagonal part is negligible.
    /// </summary>
    public static void SymmetricEigenvalues(ReadOnlySpan<double> matrix, int n, Span<double> eigenvalues)
    {
        Check(matrix, n, n);
        if (eigenvalues.Length != n) throw new ArgumentException($"The eigenvalues need {n} values.", nameof(eigenvalues));
        Span<double> a = stackalloc double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) a[i * n + j] = a[j * n + i] = matrix[i * n + j];
        for (int sweep = 0; sweep < 60; sweep++)
        {
            double off = 0.0, diagonal = 0.0;
            for (int i = 0; i < n; i++)
            {
                diagonal += a[i * n + i] * a[i * n + i];
                for (int j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
            }
            if (!(off > 1e-34 * diagonal)) break; // also ends on NaN
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (apq == 0.0) continue;
                    var (c, s) = JacobiRotation(a[p * n + p], a[q * n + q], apq);
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                }
        }
        for (int i = 0; i < n; i++) eigenvalues[i] = a[i * n + i];
        Sort(eigenvalues, ascending: true);
    }

    /// <summary>
    /// Minimum, maximum, saddle or degenerate from a Hessian's eigenvalues; an eigenvalue counts as
    /// zero when |lambda| &lt;= tolerance * max |lambda| (relative, so the class does not depend on units).
    /// </summary>
    public static CriticalPointClass Classify(ReadOnlySpan<double> eigenvalues, double tolerance = 1e-10)
    {
        double largest = 0.0;
        foreach (double l in eigenvalues)
        {
            if (double.IsNaN(l)) return CriticalPointClass.Degenerate;
            largest = Math.Max(largest, Math.Abs(l));
        }
        bool positive = false, negative = false;
        foreach (double l in eigenvalues)
        {
            if (Math.Abs(l) <= tolerance * largest) return CriticalPointClass.Degenerate;
            if (l > 0) positive = true; else negative = true;
        }
        return positive && negative ? CriticalPointClass.Saddle : positive ? CriticalPointClass.Minimum : CriticalPointClass.Maximum;
    }

    /// <summary>
    /// The singular values of a rows x columns matrix, descending (min(rows, columns) of them):
    /// one-sided Jacobi on the columns (or on the rows, for a wide matrix), which keeps small
    /// singular values accurate where the eigenvalues of J^T J would square their error.
    /// </summary>
    public static void SingularValues(ReadOnlySpan<double> matrix, int rows, int columns, Span<double> singularValues)
    {
        Check(matrix, rows, columns);
        bool wide = columns > rows;
        int m = wide ? columns : rows, k = wide ? rows : columns; // work on an m x k matrix, m >= k
        if (singularValues.Length != k) throw new ArgumentException($"The singular values need {k} values.", nameof(singularValues));
        Span<double> a = stackalloc double[m * k];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                if (wide) a[j * k + i] = matrix[i * columns + j];
                else a[i * k + j] = matrix[i * columns + j];
            }
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < k - 1; p++)
                for (int q = p + 1; q < k; q++)
                {
                    double alpha = 0.0, beta = 0.0, gamma = 0.0;
                    for (int i = 0; i < m; i++)
                    {
                        alpha += a[i * k + p] * a[i * k + p];
                        beta += a[i * k + q] * a[i * k + q];
                        gamma += a[i * k + p] * a[i * k + q];
                    }
                    if (!(Math.Abs(gamma) > 1e-17 * Math.Sqrt(alpha * beta))) continue; // orthogonal enough, or NaN
                    rotated = true;
                    var (c, s) = JacobiRotation(alpha, beta, gamma);
                    for (int i = 0; i < m; i++)
                    {
                        double ap = a[i * k + p], aq = a[i * k + q];
                        a[i * k + p] = c * ap - s * aq;
                        a[i * k + q] = s * ap + c * aq;
                    }
                }
            if (!rotated) break;
        }
        for (int j = 0; j < k; j++)
        {
            double norm = 0.0;
            for (int i = 0; i < m; i++) norm += a[i * k + j] * a[i * k + j];
            singularValues[j] = Math.Sqrt(norm);
        }
        Sort(singularValues, ascending: false);
    }

    /// <summary>The 2-norm condition number: largest over smallest singular value (infinity when the smallest is 0).</summary>
    public static double ConditionNumber(ReadOnlySpan<double> singularValues) =>
        singularValues.Length == 0 ? double.NaN : singularValues[0] / singularValues[^1];

    /// <summary>
    /// cos and sin of the rotation that zeroes the off-diagonal entry of [[app, apq], [apq, aqq]]:
    /// t = tan(angle) is the smaller root of t^2 + 2 theta t - 1 = 0, formed without cancellation.
    /// </summary>
    private static (double Cos, double Sin) JacobiRotation(double app, double aqq, double apq)
    {
        double theta = (aqq - app) / (2.0 * apq);
        double t = double.IsInfinity(theta * theta)
            ? 0.5 / theta
            : (theta >= 0 ? 1.0 : -1.0) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1.0));
        double c = 1.0 / Math.Sqrt(t * t + 1.0);
        return (c, t * c);
    }

    private static void Check(ReadOnlySpan<double> matrix, int rows, int columns)
    {
        if (rows < 1 || columns < 1 || rows > MaxSide || columns > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(rows), $"The analyses take matrices of 1 to {MaxSide} rows and columns, not {rows} x {columns}.");
        if (matrix.Length != rows * columns) throw new ArgumentException($"A {rows} x {columns} matrix has {rows * columns} values, not {matrix.Length}.", nameof(matrix));
    }

    private static int Pivot(Span<double> a, int n, int k)
    {
        int p = k;
        for (int i = k + 1; i < n; i++)
            if (Math.Abs(a[i * n + k]) > Math.Abs(a[p * n + k]) || double.IsNaN(a[i * n + k])) p = i;
        return p;
    }

    private static void Swap(Span<double> a, int n, int r1, int r2, int from)
    {
        for (int j = from; j < n; j++) (a[r1 * n + j], a[r2 * n + j]) = (a[r2 * n + j], a[r1 * n + j]);
    }

    private static void Eliminate(Span<double> a, int n, int k, Span<double> b)
    {
        double pivot = a[k * n + k];
        for (int i = k + 1; i < n; i++)
        {
            double factor = a[i * n + k] / pivot;
            if (factor == 0.0) continue;
            for (int j = k + 1; j < n; j++) a[i * n + j] -= factor * a[k * n + j];
            a[i * n + k] = 0.0;
            if (!b.IsEmpty) b[i] -= factor * b[k];
        }
    }

    private static void Sort(Span<double> values, bool ascending)
    {
        // Insertion sort: tiny arrays, and NaNs keep their place instead of throwing the order off.
        for (int i = 1; i < values.Length; i++)
        {
            double v = values[i];
            int j = i - 1;
            while (j >= 0 && (ascending ? values[j] > v : values[j] < v))
            {
                values[j + 1] = values[j];
                j--;
            }
            values[j + 1] = v;
        }
    }
}
