using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Tests;

/// <summary>
/// A^-1 by six routes that keep many <see cref="Matrix3{T}"/> locals alive at once: (A^T A)^-1 A^T,
/// A^T (A A^T)^-1, A's own inverse, (A A)^-1 A, A (A A)^-1 and ((A^T)^-1)^T, 54 outputs. Mathematically all six are A^-1, whose first and
/// second derivatives have closed forms. Each route is then refined <see cref="Refinements"/> times by
/// Newton-Schulz, X (2I - A X), which leaves A^-1 (and so every derivative) unchanged as a function.
/// The loop with a run-time count is what makes PoCL keep every work-item's matrices in arrays on its
/// worker's stack: with this model's state a 4,096-item work-group overflowed it (signal 11), which
/// the straight-line routes alone did not.
/// </summary>
public readonly struct MatrixInverseRoutesModel(int refinements) : IModel
{
    /// <summary>Newton-Schulz steps applied to each route.</summary>
    public int Refinements { get; } = refinements;

    public int Inputs => 9;

    public int Outputs => 27;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        var a = Matrix3Model.Read<T, TArgs>(ref io);
        var t = a.Transposed();
        var gram = t.Times(a);
        var outer = a.Times(t);
        var left = gram.Inverse().Times(t);
        var right = t.Times(outer.Inverse());
        var direct = a.Inverse();
        for (int step = 0; step < Refinements; step++)
        {
            left = Refine(left, a);
            right = Refine(right, a);
            direct = Refine(direct, a);
        }
        Matrix3Model.Write(ref io, 0, left);
        Matrix3Model.Write(ref io, 9, right);
        Matrix3Model.Write(ref io, 18, direct);
    }

    private static Matrix3<T> Refine<T>(Matrix3<T> x, Matrix3<T> a) where T : struct, IDiffNumber<T>
    {
        var r = a.Times(x);
        return x.Times(new Matrix3<T>
        {
            A00 = 2.0 - r.A00, A01 = -r.A01, A02 = -r.A02,
            A10 = -r.A10, A11 = 2.0 - r.A11, A12 = -r.A12,
            A20 = -r.A20, A21 = -r.A21, A22 = 2.0 - r.A22,
        });
    }
}
