using GpuDiff.Engine;

namespace GpuDiff.Cli;

/// <summary>The exit codes of gpudiff, and the one place that turns exceptions into them.</summary>
internal static class ExitCodes
{
    public const int Success = 0, Differs = 1, Usage = 2, Failure = 3, Interrupted = 130;

    /// <summary>
    /// Runs a command; bad input and model mistakes end in one line and exit 2, device and I/O
    /// failures in one line and exit 3. No stack trace reaches the user unless GPUDIFF_DEBUG=1.
    /// </summary>
    public static async Task<int> Guarded(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or ModelFaultException
            or FileNotFoundException or DirectoryNotFoundException or OverflowException)
        {
            return Report(e, Usage);
        }
        catch (OperationCanceledException)
        {
            return Interrupted;
        }
        catch (Exception e)
        {
            return Report(e, Failure);
        }
    }

    public static Task<int> Guarded(Func<int> command) => Guarded(() => Task.FromResult(command()));

    private static int Report(Exception e, int code)
    {
        Console.Error.WriteLine($"gpudiff: {e.Message}");
        if (Environment.GetEnvironmentVariable("GPUDIFF_DEBUG") == "1") Console.Error.WriteLine(e);
        return code;
    }

    /// <summary>A numeric option outside its range is bad usage.</summary>
    public static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }
}
