namespace GpuDiff.Engine;

/// <summary>What is computed, and how each point's block of results is laid out.</summary>
public enum DerivativeKind
{
    /// <summary>f(x): [point][output].</summary>
    Value,

    /// <summary>J(x): [point][output][input].</summary>
    Jacobian,

    /// <summary>The gradient of a scalar model: [point][input].</summary>
    Gradient,

    /// <summary>The Hessian of each output: [point][output][input][input].</summary>
    Hessian,

    /// <summary>J(x) v for a direction per point: [point][output].</summary>
    Jvp,

    /// <summary>H(x) v of each output for a direction per point: [point][output][input].</summary>
    Hvp,

    /// <summary>u^T J(x) for a cotangent u per point (one value per output): [point][input].</summary>
    Vjp,
}
