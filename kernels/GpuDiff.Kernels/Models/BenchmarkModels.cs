using GpuDiff.Kernels.Numbers;
using static GpuDiff.Kernels.Numbers.DiffMath;

namespace GpuDiff.Kernels.Models;

/// <summary>Extended Rosenbrock: sum over i &lt; n-1 of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2.</summary>
public readonly struct Rosenbrock(int n) : IModel
{
    /// <inheritdoc />
    public int Inputs => n;

    /// <inheritdoc />
    public int Outputs => 1;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        // Sums start from their first term, not from T.Constant(0.0), which would turn a -0.0 partial
        // into +0.0: the same formula written in the model language then gives the same bits.
        T xi = io.Input(0);
        if (n == 1)
        {
            io.Output(0, T.Constant(0.0));
            return;
        }
        T next = io.Input(1);
        T sum = Term(xi, next);
        for (int i = 1; i < n - 1; i++)
        {
            xi = next;
            next = io.Input(i + 1);
            sum += Term(xi, next);
        }
        io.Output(0, sum);
    }

    private static T Term<T>(T xi, T next) where T : struct, IDiffNumber<T>
    {
        T a = next - xi * xi, b = 1.0 - xi;
        return 100.0 * (a * a) + b * b;
    }
}

/// <summary>
/// A planar arm of six unit links: joint angles q, output (x, y, heading) of the tip, where link k
/// points at the cumulative angle q0 + ... + qk.
/// </summary>
public readonly struct PlanarArm6 : IModel
{
    /// <inheritdoc />
    public int Inputs => 6;

    /// <inheritdoc />
    public int Outputs => 3;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T angle = io.Input(0);
        SinCos(angle, out T y, out T x);
        for (int k = 1; k < 6; k++)
        {
            angle += io.Input(k);
            SinCos(angle, out T sin, out T cos);
            x += cos;
            y += sin;
        }
        io.Output(0, x);
        io.Output(1, y);
        io.Output(2, angle);
    }
}

/// <summary>
/// Brown's almost-linear function (More, Garbow and Hillstrom, problem 27): f_i = x_i + sum_j x_j - (n + 1)
/// for i &lt; n - 1, and f_(n-1) = prod_j x_j - 1.
/// </summary>
public readonly struct BrownAlmostLinear(int n) : IModel
{
    /// <inheritdoc />
    public int Inputs => n;

    /// <inheritdoc />
    public int Outputs => n;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T sum = io.Input(0), product = sum;
        for (int j = 1; j < n; j++)
        {
            T xj = io.Input(j);
            sum += xj;
            product *= xj;
        }
        for (int i = 0; i < n - 1; i++) io.Output(i, io.Input(i) + sum - (n + 1.0));
        io.Output(n - 1, product - 1.0);
    }
}
