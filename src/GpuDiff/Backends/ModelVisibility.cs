using System.Reflection;
using System.Runtime.CompilerServices;

namespace GpuDiff.Backends;

/// <summary>
/// ILGPU builds kernels in an assembly of its own ("ILGPURuntime"), which can reach a model type
/// only if the type is public, or internal in an assembly that grants ILGPURuntime its internals.
/// Otherwise ILGPU fails deep inside its compiler with "Access is denied"; this check says it first.
/// </summary>
internal static class ModelVisibility
{
    public static void EnsureCompilable(Type model)
    {
        if (Unreachable(model) is Type hidden)
        {
            string which = hidden == model ? $"The model type {Describe(model)} is" : $"{Describe(hidden)}, which the model type {Describe(model)} uses, is";
            throw new ArgumentException(
                $"{which} not public, so ILGPU cannot compile it for a GPU or the CPU accelerator. Make it public (and every type it is " +
                $"nested in), or add [assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"ILGPURuntime\")] to {hidden.Assembly.GetName().Name}.",
                nameof(model));
        }
    }

    /// <summary>The first type in the model's nesting chain or generic arguments that ILGPU's assembly cannot see.</summary>
    private static Type? Unreachable(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            bool visible = t.IsPublic || t.IsNestedPublic
                || ((t.IsNotPublic || t.IsNestedAssembly || t.IsNestedFamORAssem) && GrantsIlgpu(t.Assembly));
            if (!visible) return t;
        }
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments())
                if (Unreachable(argument) is Type hidden) return hidden;
        return null;
    }

    private static bool GrantsIlgpu(Assembly assembly) =>
        assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Any(a => a.AssemblyName.Split(',')[0].Trim() == "ILGPURuntime");

    private static string Describe(Type t) => t.FullName ?? t.Name;
}
