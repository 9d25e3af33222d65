using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// The arrays a kernel thread works on, all indexed from the batch's first point: the points, one
/// direction per point (Jvp, Hvp), the results, the model's parameters, and the kind's table (a
/// sparsity pattern with its colours; empty for the dense kinds).
/// </summary>
/// <typeparam name="TBuf">Device views or host memory.</typeparam>
public readonly struct KernelData<TBuf>(TBuf points, TBuf directions, TBuf result, TBuf parameters, TBuf table) where TBuf : struct, IBuffer
{
#pragma warning disable CS1591 // named as the summary says
    public readonly TBuf Points = points;
    public readonly TBuf Directions = directions;
    public readonly TBuf Result = result;
    public readonly TBuf Parameters = parameters;
    public readonly TBuf Table = table;
#pragma warning restore CS1591
}

/// <summary>
/// One derivative kind as the kernels see it: what thread <c>task</c> of a batch computes (which
/// point, which seeds, where the results go). Static, so the host loop and the ILGPU entry point
/// are one generic method each and every kind runs the same code on every backend.
/// </summary>
public interface IKernelKind
{
    /// <summary>Evaluates the model once for task <paramref name="task"/> with chunk <typeparamref name="P"/> and stores its results.</summary>
    static abstract void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> data, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder;
}

/// <summary>
/// A kind whose tasks, when it runs one task a point, each store every one of the point's
/// <c>ResultStride</c> results and load none of them: what lets a group stage its results in
/// shared memory and write them out coalesced (<see cref="DeviceEntryPoints.RunStaged{TModel, TKind, P}"/>).
/// </summary>
public interface IStoresOwnBlock;
