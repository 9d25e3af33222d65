using GpuDiff.Kernels.Numbers;
using static GpuDiff.Kernels.Numbers.DiffMath;

namespace GpuDiff.Kernels.Models;

/// <summary>
/// Extended Rosenbrock written as its elements: output i is 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2,
/// i &lt; n - 1, each depending on two inputs. As an element sum its Hessian costs two colours,
/// whatever n; the sum of the outputs is <see cref="Rosenbrock"/>.
/// </summary>
public readonly struct RosenbrockElements(int n) : IModel
{
    /// <inheritdoc />
    public int Inputs => n;

    /// <inheritdoc />
    public int Outputs => n - 1;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T next = io.Input(0);
        for (int i = 0; i < n - 1; i++)
        {
            T xi = next;
            next = io.Input(i + 1);
            T a = next - xi * xi, b = 1.0 - xi;
            io.Output(i, 100.0 * (a * a) + b * b);
        }
    }
}

/// <summary>
/// The residual of the 1-D Bratu problem u'' + lambda e^u = 0 on (0, 1), u(0) = u(1) = 0, by central
/// differences on n interior points: r_i = (u[i-1] - 2 u[i] + u[i+1]) (n + 1)^2 + lambda e^u[i].
/// Its Jacobian is tridiagonal (three colours, whatever n).
/// </summary>
public readonly struct Bratu1D(int n, double lambda) : IModel
{
    /// <inheritdoc />
    public int Inputs => n;

    /// <inheritdoc />
    public int Outputs => n;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        double scale = (n + 1.0) * (n + 1.0);
        T left = T.Constant(0.0), here = io.Input(0);
        for (int i = 0; i < n; i++)
        {
            T right = i + 1 < n ? io.Input(i + 1) : T.Constant(0.0);
            io.Output(i, (left - 2.0 * here + right) * scale + lambda * Exp(here));
            left = here;
            here = right;
        }
    }
}
