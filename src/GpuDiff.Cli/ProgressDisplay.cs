using GpuDiff.Engine;
using Spectre.Console;

namespace GpuDiff.Cli;

/// <summary>
/// A long job's progress: Spectre's bar on a terminal; plain lines on stderr when the output is
/// redirected (a log has no use for redrawn frames), ending with the final count at 100 %.
/// </summary>
internal static class ProgressDisplay
{
    public static async Task<T> Run<T>(string what, long total, Func<IProgress<SweepProgress>, Task<T>> job)
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected)
        {
            int lastTenth = -1;
            var lines = new SyncProgress(p =>
            {
                int tenth = (int)(10 * p.PointsDone / Math.Max(1, total));
                if (tenth == lastTenth) return;
                lastTenth = tenth;
                Console.Error.WriteLine($"{what}: {p.PointsDone:N0} of {total:N0} ({100.0 * p.PointsDone / Math.Max(1, total):F0} %)");
            });
            return await job(lines);
        }
        T result = default!;
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async ctx =>
        {
            var task = ctx.AddTask(what, maxValue: total);
            result = await job(new SyncProgress(p => task.Value = p.PointsDone));
            task.Value = total;
        });
        return result;
    }

    /// <summary>Reports on the reporting thread (Progress&lt;T&gt; would post to the pool, out of order).</summary>
    private sealed class SyncProgress(Action<SweepProgress> action) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => action(value);
    }
}
