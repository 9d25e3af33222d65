using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Sparsity;

/// <summary>The fault cells in a host array, for evaluations that run outside the backends.</summary>
internal readonly struct ArrayFaultRecorder(long[] cells) : IFaultRecorder
{
    public void Record(ModelFault fault, int index, long point)
    {
        if (Interlocked.CompareExchange(ref cells[0], (long)fault, 0L) != 0L) return;
        cells[1] = index;
        cells[2] = point;
    }
}

/// <summary>Seeds input i with the set {i} and unions each output's set into the pattern's row; guarded as the kernels' arguments are.</summary>
internal struct TracerArguments<TMask>(double[] points, long xBase, double[] parameters, TMask[] outputs, ModelGuard<ArrayFaultRecorder> guard)
    : IModelArguments<Tracer<TMask>> where TMask : struct, IIndexMask<TMask>
{
    public readonly Tracer<TMask> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        return new(points[xBase + i], TMask.Of(i));
    }

    public void Output(int j, Tracer<TMask> value)
    {
        if (guard.Output(j)) outputs[j] |= value.Inputs;
    }

    public readonly double Parameter(int k) => guard.Parameter(k) ? parameters[k] : 0.0;

    public readonly void Finish() => guard.Finish();
}
