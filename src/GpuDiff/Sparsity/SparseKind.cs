namespace GpuDiff.Sparsity;

/// <summary>What a sparse computation gives per point; the entries follow the plan's <see cref="SparsityPattern"/>.</summary>
public enum SparseKind
{
    /// <summary>The Jacobian's structurally nonzero entries: [point][entry] in the Jacobian pattern's order.</summary>
    Jacobian,

    /// <summary>Each output's Hessian in one shared pattern: [point][output][entry].</summary>
    Hessian,

    /// <summary>
    /// The sum of the outputs, each an element depending on a few inputs: [point][sum, gradient (n),
    /// Hessian entries] of the sum, at a cost set by the colours of the elements' pattern, not by n.
    /// </summary>
    ElementSum,
}
