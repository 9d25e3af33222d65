using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Resident;

namespace GpuDiff.Backends;

/// <summary>Runs kernel jobs on one device. Implementations: host threads, and ILGPU accelerators.</summary>
internal interface IComputeBackend : IDisposable
{
    BackendKind Kind { get; }

    /// <summary>The device in words, for reports.</summary>
    string Device { get; }

    /// <summary>How many points fit one batch for this job shape, given the device's memory.</summary>
    long MaxBatchPoints(int inputs, long resultStride);

    /// <summary>How many points a batch of device-resident work may hold when each takes <paramref name="bytesPerPoint"/> of device memory.</summary>
    long MaxResidentPoints(long bytesPerPoint);

    /// <summary>
    /// Bytes per second at which results reach the caller's memory: host RAM writes for the host,
    /// device-to-page-locked-host copies for an accelerator. The floor of a throughput table.
    /// </summary>
    double MeasureResultBandwidth();

    /// <summary>Bytes per second at which the device fills its own memory: the floor of work whose results stay there.</summary>
    double MeasureDeviceBandwidth();

    /// <summary>
    /// Threads a launch needs to keep the device's multiprocessors busy, below which a call is
    /// better cut into narrower column chunks (more threads, fewer partials each); 0 where that
    /// never pays (CPUs, whose threads are few and prefer wide chunks).
    /// </summary>
    long FillTasks { get; }

    /// <summary>
    /// Whether first-order kernels' automatic widths are exact (n = 6: one chunk of 6) rather than
    /// powers of two (8): the host and OpenCL CPU devices (PoCL: a sparse Jacobian of 3 colours 10 %
    /// faster in chunks of 3 than of 4, the arm's Jacobian as fast at 6 as at 8); not GPUs, where
    /// the exact widths are still to be measured.
    /// </summary>
    bool ExactFirstOrderWidths { get; }

    void Run<TModel>(TModel model, KernelJob job) where TModel : struct, IModel;

    /// <summary>Memory on this backend's device (host memory for the host), uninitialised.</summary>
    IDeviceStorage Allocate(long length);

    void Upload(double[] source, long sourceOffset, IDeviceStorage target, long targetOffset, long length);

    void Download(IDeviceStorage source, long sourceOffset, double[] target, long targetOffset, long length);

    /// <summary>Runs a device operation for indices [0, count); buffers it does not use may be null. Returns when it has finished.</summary>
    void Operate<TOp>(TOp operation, long count, IDeviceStorage first, IDeviceStorage? second, IDeviceStorage? third) where TOp : struct, IDeviceOperation;

    /// <summary>
    /// Runs a plan over points [firstPoint, firstPoint + count) of storage that stays on the device,
    /// indexed as in a <see cref="KernelJob"/>; a model mistake goes into <paramref name="faults"/>.
    /// </summary>
    void RunResident<TModel>(TModel model, KernelPlan plan, IDeviceStorage points, IDeviceStorage? directions, IDeviceStorage result,
        double[] parameters, long firstPoint, long count, long[] faults) where TModel : struct, IModel;
}

/// <summary>A backend's own memory: a device buffer, or a host array.</summary>
internal interface IDeviceStorage : IDisposable
{
    long Length { get; }
}
