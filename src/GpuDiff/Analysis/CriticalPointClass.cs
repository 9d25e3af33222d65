namespace GpuDiff.Analysis;

/// <summary>What the Hessian's eigenvalues say about a critical point of a scalar function.</summary>
public enum CriticalPointClass
{
    /// <summary>An eigenvalue is zero within the tolerance (or one is NaN): second order does not decide.</summary>
    Degenerate = 0,

    /// <summary>All eigenvalues positive: a local minimum.</summary>
    Minimum = 1,

    /// <summary>All eigenvalues negative: a local maximum.</summary>
    Maximum = 2,

    /// <summary>Eigenvalues of both signs.</summary>
    Saddle = 3,
}
