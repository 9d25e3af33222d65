using GpuDiff.Backends;
using GpuDiff.Kernels.Resident;

namespace GpuDiff.Analysis;

/// <summary>
/// Per-point analyses of a Jacobian or Hessian, in plain IEEE arithmetic with a fixed order of
/// operations (sqrt and the project's own log, no library math), so they give the same bits wherever they run: the
/// determinant and its sign, a Newton step, symmetric eigenvalues, singular values and the
/// condition number, the manipulability. Matrices are row-major, as results are stored. The code
/// is the device kernels' own (<c>MatrixAnalysis</c>), so the engine's on-device analyses give these bits.
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
    public static unsafe bool NewtonStep(ReadOnlySpan<double> matrix, ReadOnlySpan<double> residual, int n, Span<double> step)
    {
        Check(matrix, n, n);
        if (residual.Length != n || step.Length != n) throw new ArgumentException($"The residual and the step need {n} values each.");
        double* a = stackalloc double[n * n];
        matrix.CopyTo(new Span<double>(a, n * n));
        residual.CopyTo(step);
        fixed (double* s = step)
            return MatrixAnalysis.NewtonStep(new PointerBuffer(a, n * n), 0, 1, n, new PointerBuffer(s, n), 0, 1);
    }

    /// <summary>
    /// The eigenvalues of a symmetric matrix (only its upper triangle is read), ascending: cyclic
    /// Jacobi rotations in a fixed row-by-row order until the off-diagonal part is negligible.
    /// </summary>
    public static unsafe void SymmetricEigenvalues(ReadOnlySpan<double> matrix, int n, Span<double> eigenvalues)
    {
        Check(matrix, n, n);
        if (eigenvalues.Length != n) throw new ArgumentException($"The eigenvalues need {n} values.", nameof(eigenvalues));
        double* a = stackalloc double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) a[i * n + j] = a[j * n + i] = matrix[i * n + j];
        fixed (double* e = eigenvalues)
            MatrixAnalysis.SymmetricEigenvalues(new PointerBuffer(a, n * n), 0, 1, n, new PointerBuffer(e, n), 0);
    }

    /// <summary>
    /// Minimum, maximum, saddle or degenerate from a Hessian's eigenvalues; an eigenvalue counts as
    /// zero when |lambda| &lt;= tolerance * max |lambda| (relative, so the class does not depend on units).
    /// </summary>
    public static unsafe CriticalPointClass Classify(ReadOnlySpan<double> eigenvalues, double tolerance = 1e-10)
    {
        fixed (double* e = eigenvalues)
            return (CriticalPointClass)MatrixAnalysis.Classify(new PointerBuffer(e, eigenvalues.Length), 0, eigenvalues.Length, tolerance);
    }

    /// <summary>
    /// The singular values of a rows x columns matrix, descending (min(rows, columns) of them):
    /// one-sided Jacobi on the columns (or on the rows, for a wide matrix), which keeps small
    /// singular values accurate where the eigenvalues of J^T J would square their error.
    /// </summary>
    public static unsafe void SingularValues(ReadOnlySpan<double> matrix, int rows, int columns, Span<double> singularValues)
    {
        Check(matrix, rows, columns);
        bool wide = columns > rows;
        int m = wide ? columns : rows, k = wide ? rows : columns; // work on an m x k matrix, m >= k
        if (singularValues.Length != k) throw new ArgumentException($"The singular values need {k} values.", nameof(singularValues));
        double* a = stackalloc double[m * k];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                a[wide ? j * k + i : i * k + j] = matrix[i * columns + j];
        fixed (double* v = singularValues)
            MatrixAnalysis.SingularValues(new PointerBuffer(a, m * k), 0, 1, m, k, new PointerBuffer(v, k), 0);
    }

    /// <summary>The 2-norm condition number: largest over smallest singular value (infinity when the smallest is 0).</summary>
    public static double ConditionNumber(ReadOnlySpan<double> singularValues) =>
        singularValues.Length == 0 ? double.NaN : singularValues[0] / singularValues[^1];

    private static void Check(ReadOnlySpan<double> matrix, int rows, int columns)
    {
        if (rows < 1 || columns < 1 || rows > MaxSide || columns > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(rows), $"The analyses take matrices of 1 to {MaxSide} rows and columns, not {rows} x {columns}.");
        if (matrix.Length != rows * columns) throw new ArgumentException($"A {rows} x {columns} matrix has {rows * columns} values, not {matrix.Length}.", nameof(matrix));
    }
}
