// f with its Jacobian in one pass against Value + Jacobian, host backend (perf/RESULTS.md).
// Build first: dotnet build src/GpuDiff.Cli -c Release; then: dotnet fsi perf/results/2026-11-26-value-and-jacobian.fsx
#r "../../src/GpuDiff.Cli/bin/Release/net10.0/ILGPU.dll"
#r "../../src/GpuDiff.Cli/bin/Release/net10.0/GpuDiff.Kernels.dll"
#r "../../src/GpuDiff.Cli/bin/Release/net10.0/GpuDiff.dll"
open System
open System.Diagnostics
open GpuDiff.Engine
open GpuDiff.Backends
open GpuDiff.Kernels.Models
let engine = new DerivativeEngine(EngineOptions(Backend = BackendKind.Host))
let rng = Random(5)
let pts n count lo hi = Array.init (n * count) (fun _ -> lo + (hi - lo) * rng.NextDouble())
let time f = let sw = Stopwatch.StartNew() in f () |> ignore; sw.Elapsed.TotalMilliseconds
let arm = PlanarArm6()
let xa = pts 6 2000000 -3.0 3.0
let brown = BrownAlmostLinear(32)
let xb = pts 32 20000 0.2 1.4
let med (xs: float list) = List.sort xs |> fun s -> s.[s.Length / 2]
let mutable r = []
for round in 1 .. 9 do
    let v = time (fun () -> engine.Value(arm, xa))
    let j = time (fun () -> engine.Jacobian(arm, xa))
    let o = time (fun () -> engine.ValueAndJacobian(arm, xa).Block(0).Length)
    let bv = time (fun () -> engine.Value(brown, xb))
    let bj = time (fun () -> engine.Jacobian(brown, xb))
    let bo = time (fun () -> engine.ValueAndJacobian(brown, xb).Block(0).Length)
    if round > 1 then r <- (v, j, o, bv, bj, bo) :: r
let m f = med (List.map f r)
printfn "W3 arm, 2M points, host, medians of 8: Value %.0f ms, Jacobian %.0f ms, sum %.0f ms; one pass %.0f ms (%.2fx of the two calls)" (m (fun (a,_,_,_,_,_) -> a)) (m (fun (_,b,_,_,_,_) -> b)) (m (fun (a,b,_,_,_,_) -> a + b)) (m (fun (_,_,c,_,_,_) -> c)) (m (fun (_,_,c,_,_,_) -> c) / m (fun (a,b,_,_,_,_) -> a + b))
printfn "W4 Brown n=32, 20k points, host: Value %.0f ms, Jacobian %.0f ms, sum %.0f ms; one pass %.0f ms (%.2fx)" (m (fun (_,_,_,a,_,_) -> a)) (m (fun (_,_,_,_,b,_) -> b)) (m (fun (_,_,_,a,b,_) -> a + b)) (m (fun (_,_,_,_,_,c) -> c)) (m (fun (_,_,_,_,_,c) -> c) / m (fun (_,_,_,a,b,_) -> a + b))
