using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Models;

// The examples the product grew from (the seed pages on Jacobians and Hessians).

/// <summary>f(x, y) = [x^2 + y, x y]; its Jacobian at (2, 3) is [[4, 1], [3, 2]].</summary>
public readonly struct SeedTwoByTwo : IModel
{
    /// <inheritdoc />
    public int Inputs => 2;

    /// <inheritdoc />
    public int Outputs => 2;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, x * x + y);
        io.Output(1, x * y);
    }
}

/// <summary>f(x, y) = x^2 + 3 x y + y^2; its Hessian is [[2, 3], [3, 2]] everywhere.</summary>
public readonly struct SeedQuadratic : IModel
{
    /// <inheritdoc />
    public int Inputs => 2;

    /// <inheritdoc />
    public int Outputs => 1;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, x * x + 3.0 * x * y + y * y);
    }
}

/// <summary>b = R a for a 3x3 matrix R held in the parameter buffer (row-major); its Jacobian is R.</summary>
public readonly struct LinearMap3 : IModel
{
    /// <inheritdoc />
    public int Inputs => 3;

    /// <inheritdoc />
    public int Outputs => 3;

    /// <inheritdoc />
    public int Parameters => 9;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T a0 = io.Input(0), a1 = io.Input(1), a2 = io.Input(2);
        for (int r = 0; r < 3; r++)
            io.Output(r, io.Parameter(3 * r) * a0 + io.Parameter(3 * r + 1) * a1 + io.Parameter(3 * r + 2) * a2);
    }
}

/// <summary>f(x) = x^T A x for an n x n matrix A in the parameter buffer; gradient (A + A^T) x, Hessian A + A^T.</summary>
public readonly struct QuadraticForm(int n) : IModel
{
    /// <inheritdoc />
    public int Inputs => n;

    /// <inheritdoc />
    public int Outputs => 1;

    /// <inheritdoc />
    public int Parameters => n * n;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T sum = T.Constant(0.0);
        for (int i = 0; i < n; i++)
        {
            T row = T.Constant(0.0);
            for (int j = 0; j < n; j++) row += io.Parameter(i * n + j) * io.Input(j);
            sum += io.Input(i) * row;
        }
        io.Output(0, sum);
    }
}
