using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Backends;

/// <summary>
/// The dense Hessian by square blocks (<see cref="HessianBlockKind{Q, R}"/>): the chunk type comes from
/// the width as for every kind, and the rows type from the chunk's width, so a block has as many
/// rows as columns (with vector lanes, n = 6 runs blocks of 8, as its rows would).
/// </summary>
internal sealed class HessianBlockPlan(int inputs, int outputs, int width)
    : KernelPlan(inputs, outputs, width, DerivativeKernels.HessianBlocksPerPoint(inputs, width), (long)outputs * inputs * inputs, 0, [])
{
    public override Type KernelKind => typeof(HessianBlockKind<,>);

    public override KernelPlan WithWidth(int width) => width == Width ? this : HessianTrianglePlan.For(Inputs, Outputs, width);

    public override void Visit<TVisitor>(ref TVisitor visitor, bool vectorLanes = false)
    {
        var adapter = new RowsAdapter<TVisitor> { Inner = visitor };
        ChunkWidths.Dispatch(Width, ref adapter, vectorLanes);
        visitor = adapter.Inner;
    }

    private struct RowsAdapter<TVisitor> : IWidthVisitor where TVisitor : struct, IKernelVisitor
    {
        public TVisitor Inner;

        public void Visit<P>() where P : struct, IPartials<P>
        {
            // Rows by doubling and joining, as chunks are built (ChunkWidths): joins only at widths
            // that are not powers of two.
            switch (P.Width)
            {
                case 1: Run<P, RowOne<P>>(); break;
                case 2: Run<P, RowPair<RowOne<P>, P>>(); break;
                case 3: Run<P, RowJoin<RowPair<RowOne<P>, P>, RowOne<P>, P>>(); break;
                case 4: Run<P, RowPair<RowPair<RowOne<P>, P>, P>>(); break;
                case 5: Run<P, RowJoin<RowPair<RowPair<RowOne<P>, P>, P>, RowOne<P>, P>>(); break;
                case 6: Run<P, RowJoin<RowPair<RowPair<RowOne<P>, P>, P>, RowPair<RowOne<P>, P>, P>>(); break;
                case 7: Run<P, RowJoin<RowPair<RowPair<RowOne<P>, P>, P>, RowJoin<RowPair<RowOne<P>, P>, RowOne<P>, P>, P>>(); break;
                case 8: Run<P, RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>>(); break;
                case 9: Run<P, RowJoin<RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>, RowOne<P>, P>>(); break;
                case 10: Run<P, RowJoin<RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>, RowPair<RowOne<P>, P>, P>>(); break;
                case 11: Run<P, RowJoin<RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>, RowJoin<RowPair<RowOne<P>, P>, RowOne<P>, P>, P>>(); break;
                case 12: Run<P, RowJoin<RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>, RowPair<RowPair<RowOne<P>, P>, P>, P>>(); break;
                case 13: Run<P, RowJoin<RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>, RowJoin<RowPair<RowPair<RowOne<P>, P>, P>, RowOne<P>, P>, P>>(); break;
                case 14: Run<P, RowJoin<RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>, RowJoin<RowPair<RowPair<RowOne<P>, P>, P>, RowPair<RowOne<P>, P>, P>, P>>(); break;
                case 15: Run<P, RowJoin<RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>, RowJoin<RowPair<RowPair<RowOne<P>, P>, P>, RowJoin<RowPair<RowOne<P>, P>, RowOne<P>, P>, P>, P>>(); break;
                case 16: Run<P, RowPair<RowPair<RowPair<RowPair<RowOne<P>, P>, P>, P>, P>>(); break;
                default: throw new ArgumentOutOfRangeException(nameof(P), P.Width, "Hessian blocks are 1 to 16 wide.");
            }
        }

        private void Run<P, R>() where P : struct, IPartials<P> where R : struct, IHessianRows<R, P> => Inner.Visit<HessianBlockKind<P, R>, P>();
    }
}
