using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;
using GpuDiff.Kernels.Models;
using GpuDiff.ModelLanguage.Backend;
using GpuDiff.ModelLanguage.IR;

namespace GpuDiff.ModelLanguage;

/// <summary>Something done with a model whose type is known only at run time; the compiled model calls it with its own type.</summary>
internal interface IModelCall<out TResult>
{
    TResult Invoke<TModel>(TModel model) where TModel : struct, IModel;
}

/// <summary>
/// A model text compiled to a struct in its own collectible assembly, with a dispatcher that hands
/// the struct's type to generic code: after the first call, no reflection is involved.
/// </summary>
internal abstract class CompiledModel
{
    protected CompiledModel(string name, string text, ModelDefinition definition, Type type)
    {
        Name = name;
        Text = text;
        Definition = definition;
        Type = type;
    }

    public string Name { get; }

    public string Text { get; }

    public ModelDefinition Definition { get; }

    public Type Type { get; }

    public abstract TResult Dispatch<TResult, TCall>(TCall call) where TCall : IModelCall<TResult>;

    public static CompiledModel Compile(string name, string text, ModelDefinition definition)
    {
        // The text's hash is part of the type's name, which a resumable sweep's fingerprint records:
        // a sweep cannot be resumed with an edited model of the same name.
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
        string typeName = TypeName(name) + "_" + hash;
        var assemblyName = new AssemblyName("GpuDiff.TextModels." + typeName + "." + Guid.NewGuid().ToString("N"));
        var builder = new PersistedAssemblyBuilder(assemblyName, typeof(object).Assembly);
        var module = builder.DefineDynamicModule(assemblyName.Name!);
        ModelEmitter.Define(module, "GpuDiff.TextModels." + typeName, definition).CreateType();
        using var image = new MemoryStream();
        builder.Save(image);
        image.Position = 0;
        var assembly = new TextModelLoadContext(assemblyName.Name!).LoadFromStream(image);
        var type = assembly.GetType("GpuDiff.TextModels." + typeName, throwOnError: true)!;
        var compiled = typeof(CompiledModel<>).MakeGenericType(type);
        return (CompiledModel)Activator.CreateInstance(compiled, name, text, definition)!;
    }

    /// <summary>The model's name as a type name (messages about the model show it).</summary>
    private static string TypeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        string typeName = new(chars);
        return typeName.Length == 0 || char.IsAsciiDigit(typeName[0]) ? "Model_" + typeName : typeName;
    }

    /// <summary>
    /// One per model, collectible; the kernels assembly resolves to the one the engine uses, so the
    /// model's IModel is the engine's IModel even when GpuDiff itself was loaded into a plug-in context.
    /// </summary>
    private sealed class TextModelLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
    {
        private static readonly Assembly Kernels = typeof(IModel).Assembly;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            AssemblyName.ReferenceMatchesDefinition(assemblyName, Kernels.GetName()) ? Kernels : null;
    }
}

internal sealed class CompiledModel<TModel>(string name, string text, ModelDefinition definition)
    : CompiledModel(name, text, definition, typeof(TModel)) where TModel : struct, IModel
{
    public override TResult Dispatch<TResult, TCall>(TCall call) => call.Invoke(default(TModel));
}
