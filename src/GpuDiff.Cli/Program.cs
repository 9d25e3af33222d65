using System.CommandLine;
using GpuDiff.Backends;
using GpuDiff.Cli;

var points = new Option<long>("--points") { Description = "How many random joint configurations", DefaultValueFactory = _ => 1_000_000 };
var seed = new Option<int>("--seed") { Description = "Seed of the random configurations", DefaultValueFactory = _ => 1 };
var backend = new Option<string>("--backend") { Description = "cuda, opencl, host, cpu-accelerator or auto (GPUDIFF_BACKEND, then CUDA, OpenCL, host)", DefaultValueFactory = _ => "auto" };
var threshold = new Option<double>("--singular-below") { Description = "Manipulability under which a configuration counts as near-singular", DefaultValueFactory = _ => 1e-2 };

var sweep = new Command("sweep", "Jacobian of the six-link planar arm at random configurations, with manipulability statistics (the default command)")
{
    points, seed, backend, threshold,
};
var devices = new Command("devices", "Every backend and device found, with memory, and why a device is unusable");
var verifySeed = new Option<int?>("--seed") { Description = "Seed of the random points (default: a fresh one, printed)" };
var verifyPoints = new Option<int>("--points") { Description = "Random points per model", DefaultValueFactory = _ => 4096 };
var verify = new Command("verify", "Every API on every usable backend for the built-in models, compared bit for bit with the host backend; exits 1 on any difference")
{
    verifySeed, verifyPoints,
};
var benchBackend = new Option<string>("--backend") { Description = "all (every usable backend but the CPU accelerator), or one of cuda, opencl, host, cpu-accelerator", DefaultValueFactory = _ => "all" };
var bench = new Command("bench", "Throughput table W1-W4 against hand-written analytic derivatives, with the memory floor, per backend") { benchBackend };
var root = new RootCommand("gpudiff: batched Jacobians and Hessians, bit-identical on every device") { sweep, devices, verify, bench };
root.Options.Add(points);
root.Options.Add(seed);
root.Options.Add(backend);
root.Options.Add(threshold);

int RunSweep(ParseResult r) => Guarded(() => SweepCommand.Run(r.GetValue(points), r.GetValue(seed), r.GetValue(backend) ?? "auto", r.GetValue(threshold)));
sweep.SetAction(RunSweep);
root.SetAction(RunSweep);
devices.SetAction(_ => Guarded(DevicesCommand.Run));
verify.SetAction(r => Guarded(() => VerifyCommand.Run(r.GetValue(verifySeed), r.GetValue(verifyPoints))));
bench.SetAction(r => Guarded(() => BenchCommand.Run(r.GetValue(benchBackend) ?? "all")));
return root.Parse(args).Invoke();

// Bad input and unusable devices end in one line naming the problem, not a stack trace.
static int Guarded(Func<int> command)
{
    try
    {
        return command();
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
    {
        Console.Error.WriteLine($"gpudiff: {e.Message}");
        return 2;
    }
}
