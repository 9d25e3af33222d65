using System.Collections.Immutable;
using GpuDiff.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GpuDiff.Tests;

/// <summary>
/// The model-code analyzer on sample sources, compiled with Roslyn against this runtime and
/// GpuDiff.Kernels (CompilationWithAnalyzers directly: the analyzer testing package would fetch
/// reference assemblies from a package feed while the tests run).
/// </summary>
public sealed class ModelCodeAnalyzerTests
{
    private const string Header = """
        using System;
        using GpuDiff.Kernels.Models;
        using GpuDiff.Kernels.Numbers;
        using static GpuDiff.Kernels.Numbers.DiffMath;

        """;

    private static async Task<ImmutableArray<Diagnostic>> Analyze(string source)
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted.Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(GpuDiff.Kernels.Models.IModel).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(ILGPU.Index1D).Assembly.Location));
        var compilation = CSharpCompilation.Create("Sample", [CSharpSyntaxTree.ParseText(Header + source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the sample does not compile: " + string.Join("; ", errors));
        return await compilation.WithAnalyzers([new ModelCodeAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }

    private static string[] Found(ImmutableArray<Diagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => $"{d.Id} line {d.Location.GetLineSpan().StartLinePosition.Line + 1 - 4}").ToArray();

    [Fact]
    public async Task EachKindOfGpuIncompatibleCodeIsReportedAtItsLine()
    {
        var diagnostics = await Analyze("""
            public struct Bad : IModel
            {
                private static int calls;
                public int Inputs => 2;
                public int Outputs => 1;
                public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
                {
                    double k = Math.Sin(0.5);
                    var table = new double[3];
                    Span<double> scratch = stackalloc double[2];
                    Func<double, double> twice = v => 2 * v;
                    calls++;
                    string name = $"call {calls}";
                    var list = new System.Collections.Generic.List<double>();
                    io.Output(0, io.Input(0) * k + MathF.Abs(1f));
                }
            }
            """);
        Assert.Equal(
            ["GPUDIFF001 line 8", "GPUDIFF002 line 9", "GPUDIFF003 line 10", "GPUDIFF004 line 11", "GPUDIFF005 line 12",
             "GPUDIFF006 line 13", "GPUDIFF005 line 13", "GPUDIFF002 line 14", "GPUDIFF001 line 15"],
            Found(diagnostics));
        var math = diagnostics.First(d => d.Id == "GPUDIFF001");
        Assert.Equal("Math.Sin does not compile for GPUs or carry derivatives; use DiffMath.Sin on numbers (or DMath.Sin on plain doubles)", math.GetMessage());
        Assert.Contains("calls", diagnostics.First(d => d.Id == "GPUDIFF005").GetMessage());
    }

    [Fact]
    public async Task ModelsWrittenForGpusAndCodeOutsideModelsAreLeftAlone()
    {
        var diagnostics = await Analyze("""
            public readonly struct Good : IModel
            {
                private const double Scale = 2.5;
                private static readonly double Offset = 0.5;
                public int Inputs => 2;
                public int Outputs => 1;
                public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
                {
                    T x = io.Input(0), y = io.Input(1);
                    io.Output(0, Sin(x) * Scale + Exp(y) * Offset + Math.PI);
                }
            }

            public static class HostCode
            {
                public static string Report(double[] values) => $"{Math.Sqrt(values.Length)}" + new object();
            }
            """);
        Assert.Empty(Found(diagnostics));
    }

    [Fact]
    public async Task ABranchOnRuleValueIsReportedAndPrimalIsNot()
    {
        var diagnostics = await Analyze("""
            public readonly struct Branches : IModel
            {
                public int Inputs => 2;
                public int Outputs => 2;
                public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
                {
                    T x = io.Input(0), y = io.Input(1);
                    io.Output(0, T.RuleValue(x) > 0.0 ? x * y : x);
                    io.Output(1, x.Primal > 0.0 || x < y ? y : x);
                }
            }

            public static class Rules
            {
                public static T Cube<T>(T x) where T : struct, IDiffNumber<T>
                {
                    double v = T.RuleValue(x);
                    return T.Chain(x, v * v * v, 3.0 * v * v, 6.0 * v);
                }
            }
            """);
        Assert.Equal(["GPUDIFF007 line 8"], Found(diagnostics));
        Assert.Contains("Read Primal or compare the numbers", diagnostics[0].GetMessage());
    }
}
