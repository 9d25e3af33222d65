using GpuDiff.Kernels.Models;

namespace GpuDiff.Backends;

/// <summary>Runs kernel jobs on one device. Implementations: host threads, and ILGPU accelerators.</summary>
internal interface IComputeBackend : IDisposable
{
    BackendKind Kind { get; }

    /// <summary>The device in words, for reports.</summary>
    string Device { get; }

    /// <summary>How many points fit one batch for this job shape, given the device's memory.</summary>
    long MaxBatchPoints(int inputs, long resultStride);

    /// <summary>
    /// Bytes per second at which results reach the caller's memory: host RAM writes for the host,
    /// device-to-page-locked-host copies for an accelerator. The floor of a throughput table.
    /// </summary>
    double MeasureResultBandwidth();

    void Run<TModel>(TModel model, KernelJob job) where TModel : struct, IModel;
}
