using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Kernels.Resident;

// The per-point analyses as device operations: one thread per matrix, reading the matrices as
// results are stored ([point][rows][columns]) and working in space interleaved across the
// matrices (entry i of matrix p at i Points + p), so neighbouring threads touch neighbouring memory.

/// <summary>
/// det J, its sign and log|det J| per point of square Jacobians: the first buffer holds the
/// Jacobians [point][n][n], the second receives [point][det, sign, log|det|], the third is n x n
/// of work space per point, interleaved: entry i of point p at i <see cref="Points"/> + p.
/// </summary>
public struct DeterminantOperation : IDeviceOperation
{
    /// <summary>The matrix side.</summary>
    public int Side;

    /// <summary>How many points (the work space's stride).</summary>
    public long Points;

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        WorkSpace.Interleave(first, index, (long)Side * Side, third, Points);
        double det = MatrixAnalysis.Determinant(third, index, Points, Side, out int sign, out double logAbs);
        second.Store(3 * index, det);
        second.Store(3 * index + 1, sign);
        second.Store(3 * index + 2, logAbs);
    }
}

/// <summary>
/// sqrt(det(J J^T)) per point: the first buffer holds the Jacobians [point][rows][columns], the
/// second receives one value per point, the third is min(rows, columns)^2 of work space per point,
/// interleaved as <see cref="DeterminantOperation"/>'s.
/// </summary>
public struct ManipulabilityOperation : IDeviceOperation
{
    /// <summary>How many points (the work space's stride).</summary>
    public long Points;

    /// <summary>Outputs (rows of J).</summary>
    public int Rows;

    /// <summary>Inputs (columns of J).</summary>
    public int Columns;

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        second.Store(index, MatrixAnalysis.Manipulability(first, index * Rows * Columns, Rows, Columns, third, index, Points));
    }
}

/// <summary>
/// The singular values of each rows x columns matrix, descending, then the condition number
/// (largest over smallest): the first buffer holds the matrices, the second receives
/// [matrix][min(rows, columns) + 1], the third is rows x columns of work space per matrix.
/// </summary>
public struct SingularValuesOperation : IDeviceOperation
{
    /// <summary>Rows of each matrix.</summary>
    public int Rows;

    /// <summary>Columns of each matrix.</summary>
    public int Columns;

    /// <summary>How many matrices (the work space's stride).</summary>
    public long Points;

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        bool wide = Columns > Rows;
        int m = wide ? Columns : Rows, k = wide ? Rows : Columns; // an m x k matrix, m >= k: a wide one transposed
        long at = index * Rows * Columns;
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++)
                third.Store(index + (wide ? j * k + i : i * k + j) * Points, first.Load(at + i * Columns + j));
        long outAt = index * (k + 1);
        MatrixAnalysis.SingularValues(third, index, Points, m, k, second, outAt);
        second.Store(outAt + k, second.Load(outAt) / second.Load(outAt + k - 1));
    }
}

/// <summary>
/// The eigenvalues of each symmetric n x n matrix (its upper triangle is read), ascending, then its
/// critical-point class (0 degenerate, 1 minimum, 2 maximum, 3 saddle; zero within
/// <see cref="Tolerance"/> times the largest |eigenvalue|): the first buffer holds the matrices
/// (a Hessian result is [point][output][n][n], one matrix per output), the second receives
/// [matrix][n + 1], the third is n x n of work space per matrix.
/// </summary>
public struct EigenvaluesOperation : IDeviceOperation
{
    /// <summary>The matrix side.</summary>
    public int Side;

    /// <summary>How many matrices (the work space's stride).</summary>
    public long Points;

    /// <summary>The relative bound under which an eigenvalue counts as zero.</summary>
    public double Tolerance;

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        int n = Side;
        long at = index * n * n;
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double v = first.Load(at + i * n + j);
                third.Store(index + (i * n + j) * Points, v);
                third.Store(index + (j * n + i) * Points, v);
            }
        long outAt = index * (n + 1);
        MatrixAnalysis.SymmetricEigenvalues(third, index, Points, n, second, outAt);
        second.Store(outAt + n, MatrixAnalysis.Classify(second, outAt, n, Tolerance));
    }
}

/// <summary>
/// The Newton step s with A s = -r per point: the first buffer holds the n x n matrices (J for
/// f = 0, H for a minimum), the second holds the residuals r [point][n] (f, or grad f) and
/// receives the steps in their place (NaN where a pivot is zero or not finite), the third is
/// n x n of work space per point.
/// </summary>
public struct NewtonStepOperation : IDeviceOperation
{
    /// <summary>The matrix side.</summary>
    public int Side;

    /// <summary>How many points (the work space's stride).</summary>
    public long Points;

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        WorkSpace.Interleave(first, index, (long)Side * Side, third, Points);
        MatrixAnalysis.NewtonStep(third, index, Points, Side, second, index * Side, 1);
    }
}

/// <summary>Copies value <c>index</c> of the first buffer into the second: a device-to-device copy as an operation.</summary>
public struct CopyValues : IDeviceOperation
{
    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer =>
        second.Store(index, first.Load(index));
}

/// <summary>The analyses' work space: entry i of matrix p at i points + p.</summary>
internal static class WorkSpace
{
    /// <summary>Copies matrix <paramref name="index"/> of <paramref name="size"/> values from its place in <paramref name="matrices"/> into the work space.</summary>
    public static void Interleave<TBuf>(TBuf matrices, long index, long size, TBuf work, long points) where TBuf : struct, IBuffer
    {
        long at = index * size;
        for (long i = 0; i < size; i++) work.Store(index + i * points, matrices.Load(at + i));
    }
}
