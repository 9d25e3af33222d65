using System.Reflection;
using GpuDiff.Kernels.Math;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.ModelLanguage.IR;

/// <summary>
/// A function of the model language: its name in text, and the project's math that computes it:
/// <see cref="DiffMath"/> for numbers that carry derivatives, <see cref="DMath"/> for plain doubles
/// (parameters, and constants folded while compiling, which therefore have the device's bits).
/// </summary>
internal sealed class ModelFunction
{
    private ModelFunction(string name, string method, int arity)
    {
        Name = name;
        Arity = arity;
        Scalar = typeof(DMath).GetMethod(method, BindingFlags.Public | BindingFlags.Static, Enumerable.Repeat(typeof(double), arity).ToArray())
            ?? throw new InvalidOperationException($"DMath has no {method} of {arity} doubles.");
        var generic = typeof(DiffMath).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == method && m.IsGenericMethodDefinition && m.GetParameters().Length == arity).ToArray();
        // Where DiffMath has a (T, double) form (pow, copysign), a non-varying last argument stays a
        // double, as hand-written code would pass it; copysign has only that form.
        Varying = generic.SingleOrDefault(m => m.GetParameters().All(p => p.ParameterType.IsGenericParameter));
        VaryingWithScalarLast = arity == 2 ? generic.SingleOrDefault(m => m.GetParameters()[^1].ParameterType == typeof(double)) : null;
        if (Varying is null && VaryingWithScalarLast is null) throw new InvalidOperationException($"DiffMath has no {method} of {arity} arguments.");
    }

    public string Name { get; }

    public int Arity { get; }

    /// <summary>DMath's double form.</summary>
    public MethodInfo Scalar { get; }

    /// <summary>DiffMath's form with every argument a number type, or null where there is none (copysign).</summary>
    public MethodInfo? Varying { get; }

    /// <summary>DiffMath's form whose last argument is a double (pow, copysign), or null.</summary>
    public MethodInfo? VaryingWithScalarLast { get; }

    /// <summary>The value for constant arguments, computed by the same DMath code the kernels run.</summary>
    public double Fold(double[] arguments) => (double)Scalar.Invoke(null, arguments.Cast<object>().ToArray())!;

    /// <summary>Every function, in the order the README lists them; tests iterate this list.</summary>
    public static IReadOnlyList<ModelFunction> All { get; } =
    [
        new("sqrt", "Sqrt", 1), new("cbrt", "Cbrt", 1),
        new("exp", "Exp", 1), new("exp2", "Exp2", 1), new("expm1", "Expm1", 1),
        new("log", "Log", 1), new("log2", "Log2", 1), new("log10", "Log10", 1), new("log1p", "Log1p", 1),
        new("sin", "Sin", 1), new("cos", "Cos", 1), new("tan", "Tan", 1),
        new("asin", "Asin", 1), new("acos", "Acos", 1), new("atan", "Atan", 1), new("atan2", "Atan2", 2),
        new("sinh", "Sinh", 1), new("cosh", "Cosh", 1), new("tanh", "Tanh", 1),
        new("asinh", "Asinh", 1), new("acosh", "Acosh", 1), new("atanh", "Atanh", 1),
        new("pow", "Pow", 2), new("hypot", "Hypot", 2), new("erf", "Erf", 1), new("erfc", "Erfc", 1),
        new("normcdf", "NormalCdf", 1), new("lognormcdf", "LogNormalCdf", 1), new("lgamma", "LogGamma", 1),
        new("abs", "Abs", 1), new("copysign", "CopySign", 2),
        new("min", "Min", 2), new("max", "Max", 2),
        new("floor", "Floor", 1), new("ceil", "Ceiling", 1), new("round", "Round", 1), new("trunc", "Truncate", 1),
    ];

    private static readonly Dictionary<string, ModelFunction> ByName = All.ToDictionary(f => f.Name);

    public static ModelFunction? Find(string name) => ByName.GetValueOrDefault(name);
}
