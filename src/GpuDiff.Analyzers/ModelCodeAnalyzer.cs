using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GpuDiff.Analyzers;

/// <summary>
/// Reports, at the model's own line, code in a type implementing GpuDiff's IModel that cannot run
/// on a GPU: ILGPU compiles every member of a model (Evaluate and what it calls) into kernels, and
/// would otherwise fail far from the user's code, or only on a GPU machine. Also a read of
/// RuleValue, whose branches sparse pattern detection cannot see.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelCodeAnalyzer : DiagnosticAnalyzer
{
    private const string Category = "GpuDiff.Models";
    private const string ModelInterface = "GpuDiff.Kernels.Models.IModel";

    /// <summary>System.Math or MathF in model code.</summary>
    public static readonly DiagnosticDescriptor SystemMath = Rule("GPUDIFF001", "System.Math in model code",
        "{0}.{1} does not compile for GPUs or carry derivatives; use DiffMath.{1} on numbers (or DMath.{1} on plain doubles)");

    /// <summary>Allocation in model code.</summary>
    public static readonly DiagnosticDescriptor Allocation = Rule("GPUDIFF002", "Allocation in model code",
        "{0} allocates on the heap, which kernels cannot do; keep values in locals, structs or fields of the model");

    /// <summary>Span in model code.</summary>
    public static readonly DiagnosticDescriptor SpanUse = Rule("GPUDIFF003", "Span in model code",
        "{0} does not compile for GPUs; use locals or a struct of fields");

    /// <summary>Delegates and lambdas in model code.</summary>
    public static readonly DiagnosticDescriptor Delegate = Rule("GPUDIFF004", "Delegate in model code",
        "{0} does not compile for GPUs; call a method of the model or a static method directly");

    /// <summary>Static mutable state in model code.</summary>
    public static readonly DiagnosticDescriptor StaticState = Rule("GPUDIFF005", "Static mutable state in model code",
        "The static field {0} is not readonly; every GPU thread would race on it. Make it const or static readonly, or a field of the model.");

    /// <summary>Strings in model code.</summary>
    public static readonly DiagnosticDescriptor Strings = Rule("GPUDIFF006", "String operation in model code",
        "{0} uses strings, which kernels cannot; model code works on numbers only");

    /// <summary>RuleValue in model code.</summary>
    public static readonly DiagnosticDescriptor RuleValue = Rule("GPUDIFF007", "RuleValue in model code",
        "RuleValue is for derivative rules (the f, f' and f'' given to Chain); sparse plans do not see a branch on it, so a pattern detected at one point could miss entries at others. Read Primal or compare the numbers to decide; where the value only feeds a rule's formula, suppress this warning.");

    // Every rule is a warning of one category: projects that treat warnings as errors get errors.
    private static DiagnosticDescriptor Rule(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(SystemMath, Allocation, SpanUse, Delegate, StaticState, Strings, RuleValue);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var model = start.Compilation.GetTypeByMetadataName(ModelInterface);
            if (model is null) return; // not a GpuDiff project
            start.RegisterOperationAction(c => Analyze(c, model),
                OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.ArrayCreation,
                OperationKind.AnonymousFunction, OperationKind.DelegateCreation, OperationKind.FieldReference,
                OperationKind.InterpolatedString, OperationKind.Literal, OperationKind.Binary, OperationKind.VariableDeclarator);
        });
    }

    private static void Analyze(OperationAnalysisContext c, INamedTypeSymbol model)
    {
        if (!InModel(c.ContainingSymbol, model)) return;
        var op = c.Operation;
        var at = op.Syntax.GetLocation();
        switch (op)
        {
            case IInvocationOperation call:
                var type = call.TargetMethod.ContainingType;
                if (type?.ContainingNamespace?.ToDisplayString() == "System" && type.Name is "Math" or "MathF")
                    c.ReportDiagnostic(Diagnostic.Create(SystemMath, at, type.Name, call.TargetMethod.Name));
                else if (call.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String || call.Type?.SpecialType == SpecialType.System_String)
                    c.ReportDiagnostic(Diagnostic.Create(Strings, at, call.TargetMethod.Name));
                else if (call.TargetMethod.Name == "RuleValue" && IsNumberContract(type))
                    c.ReportDiagnostic(Diagnostic.Create(RuleValue, at));
                break;
            case IObjectCreationOperation create when create.Type is { IsReferenceType: true }:
                c.ReportDiagnostic(Diagnostic.Create(Allocation, at, $"new {create.Type.Name}"));
                break;
            case IObjectCreationOperation create when IsSpan(create.Type):
                c.ReportDiagnostic(Diagnostic.Create(SpanUse, at, create.Type!.Name));
                break;
            case IArrayCreationOperation array:
                c.ReportDiagnostic(Diagnostic.Create(Allocation, at, "An array"));
                break;
            case IAnonymousFunctionOperation:
                c.ReportDiagnostic(Diagnostic.Create(Delegate, at, "A lambda"));
                break;
            case IDelegateCreationOperation { Target: not IAnonymousFunctionOperation }:
                c.ReportDiagnostic(Diagnostic.Create(Delegate, at, "A delegate"));
                break;
            case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: false, IsConst: false } field }:
                c.ReportDiagnostic(Diagnostic.Create(StaticState, at, field.Name));
                break;
            case IInterpolatedStringOperation:
                c.ReportDiagnostic(Diagnostic.Create(Strings, at, "An interpolated string"));
                break;
            case ILiteralOperation { Type.SpecialType: SpecialType.System_String } when op.Parent is not (IArgumentOperation { Parent: IInvocationOperation } or IInterpolatedStringTextOperation):
                c.ReportDiagnostic(Diagnostic.Create(Strings, at, "A string literal"));
                break;
            case IBinaryOperation { Type.SpecialType: SpecialType.System_String }:
                c.ReportDiagnostic(Diagnostic.Create(Strings, at, "String concatenation"));
                break;
            case IVariableDeclaratorOperation declarator when IsSpan(declarator.Symbol.Type):
                c.ReportDiagnostic(Diagnostic.Create(SpanUse, at, declarator.Symbol.Type.Name));
                break;
        }
    }

    // T.RuleValue(x) binds to the interface's member; Dual<P>.RuleValue(x) to the type's, which implements it.
    private static bool IsNumberContract(INamedTypeSymbol? type) =>
        type is not null && (IsDiffNumber(type) || type.AllInterfaces.Any(IsDiffNumber));

    private static bool IsDiffNumber(INamedTypeSymbol type) =>
        type.Name == "IDiffNumber" && type.ContainingNamespace?.ToDisplayString() == "GpuDiff.Kernels.Numbers";

    private static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>Whether the code belongs to a type implementing IModel (its methods, accessors, local functions).</summary>
    private static bool InModel(ISymbol symbol, INamedTypeSymbol model)
    {
        for (var type = symbol as INamedTypeSymbol ?? symbol.ContainingType; type is not null; type = type.ContainingType)
            if (type.AllInterfaces.Contains(model, SymbolEqualityComparer.Default)) return true;
        return false;
    }
}
