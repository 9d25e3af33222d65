using GpuDiff.Kernels.Resident;
using GpuDiff.Resident;

namespace GpuDiff.Engine;

// Per-point analyses of Jacobians and Hessians that stay on the device: one thread per matrix,
// the same code as the host's PointAnalysis, so the same bits.
public sealed partial class DerivativeEngine
{
    /// <summary>
    /// det J, its sign (-1, 0 or 1) and log|det J| of each square Jacobian ([point][n][n] on the
    /// device), as [point][det, sign, log|det|] on the device; the bits of
    /// <see cref="Analysis.PointAnalysis.Determinant"/>.
    /// </summary>
    public DeviceArray Determinants(DeviceArray jacobians, int side, DeviceArray? destination = null)
    {
        long points = Matrices(jacobians, side, side);
        var result = Destination(destination, checked(3 * points), "determinants", nameof(destination));
        Analyse(new DeterminantOperation { Side = side, Points = points }, points, jacobians, result, (long)side * side);
        return result;
    }

    /// <summary>
    /// sqrt(det(J J^T)) of each rows x columns Jacobian on the device (the product of its singular
    /// values; sqrt(det(J^T J)) for a tall J), one value per point on the device; NaN where J has a
    /// non-finite entry. The bits of <see cref="Analysis.PointAnalysis.Manipulability"/>.
    /// </summary>
    public DeviceArray Manipulability(DeviceArray jacobians, int rows, int columns, DeviceArray? destination = null)
    {
        long points = Matrices(jacobians, rows, columns);
        var result = Destination(destination, points, "manipulabilities", nameof(destination));
        int k = Math.Min(rows, columns);
        Analyse(new ManipulabilityOperation { Rows = rows, Columns = columns, Points = points }, points, jacobians, result, (long)k * k);
        return result;
    }

    /// <summary>
    /// The singular values of each rows x columns matrix on the device, descending, then its
    /// condition number (largest over smallest): [matrix][min(rows, columns) + 1] on the device;
    /// the bits of <see cref="Analysis.PointAnalysis.SingularValues"/> and <see cref="Analysis.PointAnalysis.ConditionNumber"/>.
    /// </summary>
    public DeviceArray SingularValues(DeviceArray matrices, int rows, int columns, DeviceArray? destination = null)
    {
        long count = Matrices(matrices, rows, columns);
        int k = Math.Min(rows, columns);
        var result = Destination(destination, checked(count * (k + 1)), "singular values", nameof(destination));
        Analyse(new SingularValuesOperation { Rows = rows, Columns = columns, Points = count }, count, matrices, result, (long)rows * columns);
        return result;
    }

    /// <summary>
    /// The eigenvalues of each symmetric n x n matrix on the device (a Hessian result holds one per
    /// output of each point; the upper triangle is read), ascending, then its critical-point class
    /// as a number (<see cref="Analysis.CriticalPointClass"/>; an eigenvalue within
    /// <paramref name="tolerance"/> times the largest |eigenvalue| counts as zero):
    /// [matrix][n + 1] on the device, the bits of <see cref="Analysis.PointAnalysis.SymmetricEigenvalues"/> and <see cref="Analysis.PointAnalysis.Classify"/>.
    /// </summary>
    public DeviceArray Eigenvalues(DeviceArray matrices, int side, double tolerance = 1e-10, DeviceArray? destination = null)
    {
        if (!(tolerance >= 0) || double.IsInfinity(tolerance)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be finite and at least 0.");
        long count = Matrices(matrices, side, side);
        var result = Destination(destination, checked(count * (side + 1)), "eigenvalues", nameof(destination));
        Analyse(new EigenvaluesOperation { Side = side, Points = count, Tolerance = tolerance }, count, matrices, result, (long)side * side);
        return result;
    }

    /// <summary>
    /// The Newton step s with A s = -r at each point: A the n x n matrices on the device (J to solve
    /// f = 0, H to find where grad f = 0), r the residuals [point][n] on the device (f, or the
    /// gradient): [point][n] on the device, NaN where a pivot is zero or not finite; the bits of
    /// <see cref="Analysis.PointAnalysis.NewtonStep"/>.
    /// </summary>
    public DeviceArray NewtonSteps(DeviceArray matrices, DeviceArray residuals, int side, DeviceArray? destination = null)
    {
        long count = Matrices(matrices, side, side);
        ArgumentNullException.ThrowIfNull(residuals);
        var r = residuals.Storage(this, nameof(residuals));
        if (residuals.Length != count * side)
            throw new ArgumentException($"The residuals hold {residuals.Length} values but {count} points of {side} need {count * side}.", nameof(residuals));
        var result = Destination(destination, count * side, "steps", nameof(destination));
        if (!ReferenceEquals(result, residuals))
            backend.Operate(new CopyValues(), residuals.Length, r, result.Storage(this, nameof(destination)), null);
        Analyse(new NewtonStepOperation { Side = side, Points = count }, count, matrices, result, (long)side * side);
        return result;
    }

    /// <summary>Runs an analysis with work space of <paramref name="workPerMatrix"/> doubles a matrix, rented.</summary>
    private void Analyse<TOp>(TOp operation, long count, DeviceArray matrices, DeviceArray result, long workPerMatrix) where TOp : struct, IDeviceOperation
    {
        var work = Rent(checked(count * workPerMatrix));
        try
        {
            backend.Operate(operation, count, matrices.Storage(this, nameof(matrices)), result.Storage(this, "destination"), work.Storage(this, nameof(matrices)));
        }
        finally
        {
            Return(work);
        }
    }

    private long Matrices(DeviceArray jacobians, int rows, int columns)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(jacobians);
        jacobians.Storage(this, nameof(jacobians));
        if (rows < 1 || columns < 1 || rows > Analysis.PointAnalysis.MaxSide || columns > Analysis.PointAnalysis.MaxSide)
            throw new ArgumentOutOfRangeException(nameof(rows), $"The analyses take matrices of 1 to {Analysis.PointAnalysis.MaxSide} rows and columns, not {rows} x {columns}.");
        long size = (long)rows * columns;
        if (jacobians.Length % size != 0)
            throw new ArgumentException($"The array holds {jacobians.Length} values, which is not a whole number of {rows} x {columns} matrices.", nameof(jacobians));
        return jacobians.Length / size;
    }

}
