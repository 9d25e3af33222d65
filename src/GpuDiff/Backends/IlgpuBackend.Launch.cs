using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using ILGPU;
using ILGPU.Runtime;

namespace GpuDiff.Backends;

// Launching a plan's kernel: the staged form where the accelerator stages (StagedStores) and the
// plan allows it, the implicitly grouped one otherwise. Both give the same bits: the same code
// computes every result, only where it is stored first differs.
internal sealed partial class IlgpuBackend
{
    private readonly Dictionary<(Type, Type, int), Delegate> stagedKernels = [];

    /// <summary>Whether this backend stages results in shared memory where a plan allows; tests set it to run the staged kernels on any accelerator.</summary>
    internal bool Staging { get; set; }

    /// <summary>The chunk width of the last launch: lets a test tell that a small call was narrowed.</summary>
    internal int LastWidth { get; private set; }

    /// <summary>Whether this accelerator can run the staged kernels at all.</summary>
    internal bool CanStage => StagedStores.Possible(accelerator);

    /// <summary>Staged launches so far: lets a test tell that the staged kernels ran.</summary>
    internal long StagedLaunches { get; private set; }

    /// <summary>
    /// Runs tasks [firstTask, firstTask + tasks) of a plan on a stream, in groups sized for the
    /// launch (<see cref="GroupSize.For(Accelerator, long)"/>).
    /// </summary>
    private void RunTasks<TModel, TKind, TChunk>(AcceleratorStream stream, KernelPlan plan, long firstTask, long tasks, TModel model,
        ArrayView<double> x, ArrayView<double> directions, ArrayView<double> result, ArrayView<double> parameters, ArrayView<double> table,
        ArrayView<long> faults) where TModel : struct, IModel where TKind : struct, IKernelKind where TChunk : struct, IPartials<TChunk>
    {
        LastWidth = plan.Width;
        int? groupSize = GroupSize.For(accelerator, tasks);
        int stagedGroup = groupSize ?? Math.Min(GroupSize.Cuda, accelerator.MaxNumThreadsPerGroup);
        if (Staging && StagedStores.GroupFor(plan, stagedGroup, accelerator.MaxSharedMemoryPerGroup) is int group)
        {
            var staged = StagedKernelFor<TModel, TKind, TChunk>(plan.Width);
            int stride = (int)plan.ResultStride;
            foreach (var (first, count) in LaunchPlan.Split(tasks))
            {
                var config = new KernelConfig(new Index1D((int)((count + (long)group - 1) / group)), new Index1D(group),
                    SharedMemoryConfig.RequestDynamic<double>(group * stride));
                staged(stream, config, firstTask + first, count, stride, model, x, directions, result, parameters, table, faults);
                StagedLaunches++;
            }
            return;
        }
        var typed = KernelFor<TModel, TKind, TChunk>(plan.Width, groupSize);
        foreach (var (first, count) in LaunchPlan.Split(tasks))
            typed(stream, count, firstTask + first, model, x, directions, result, parameters, table, faults);
    }

    private Launch<TModel> KernelFor<TModel, TKind, TChunk>(int width, int? groupSize)
        where TModel : struct, IModel where TKind : struct, IKernelKind where TChunk : struct, IPartials<TChunk>
    {
        var key = (typeof(TKind), typeof(TModel), width, groupSize ?? 0);
        if (!kernels.TryGetValue(key, out var kernel))
        {
            kernel = loader.Load<Launch<TModel>>(((Kernel<TModel>)DeviceEntryPoints.Run<TModel, TKind, TChunk>).Method, groupSize);
            kernels[key] = kernel;
        }
        return (Launch<TModel>)kernel;
    }

    private StagedLaunch<TModel> StagedKernelFor<TModel, TKind, TChunk>(int width)
        where TModel : struct, IModel where TKind : struct, IKernelKind where TChunk : struct, IPartials<TChunk>
    {
        var key = (typeof(TKind), typeof(TModel), width);
        if (!stagedKernels.TryGetValue(key, out var kernel))
        {
            // The staged entry point also requires IStoresOwnBlock, which the plan has checked; the
            // visitor's generic context cannot state it, hence the instantiation by reflection.
            var method = typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.RunStaged))!
                .MakeGenericMethod(typeof(TModel), typeof(TKind), typeof(TChunk));
            kernel = loader.LoadExplicitlyGrouped<StagedLaunch<TModel>>(method);
            stagedKernels[key] = kernel;
        }
        return (StagedLaunch<TModel>)kernel;
    }

    private delegate void StagedLaunch<TModel>(AcceleratorStream stream, KernelConfig config, long firstTask, long tasks, int stride, TModel model,
        ArrayView<double> x, ArrayView<double> directions, ArrayView<double> result, ArrayView<double> parameters, ArrayView<double> table,
        ArrayView<long> faults);
}
