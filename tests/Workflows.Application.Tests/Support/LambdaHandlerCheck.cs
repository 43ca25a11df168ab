using System.Reflection;
using System.Runtime.Loader;

namespace Workflows.Application.Tests.Support;

/// <summary>
/// Resolves a .NET Lambda handler string (<c>Assembly::Namespace.Type::Method</c>) the way the managed runtime does:
/// the assembly from the function's own build output, loaded in a context of its own (its dependencies from its
/// deps.json), then the type and method by reflection. Returns what is wrong, or nothing.
/// </summary>
internal static class LambdaHandlerCheck
{
    public static IReadOnlyList<string> Problems(string handler, string outputDirectory)
    {
        var parts = handler.Split("::");
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            return [$"'{handler}' is not Assembly::Namespace.Type::Method"];
        }

        var path = Path.Combine(outputDirectory, parts[0] + ".dll");
        if (!File.Exists(path))
        {
            return [$"{path} does not exist (build the function first)"];
        }

        var context = new FunctionLoadContext(path);
        try
        {
            var type = context.LoadFromAssemblyPath(path).GetType(parts[1]);
            if (type is null)
            {
                return [$"{parts[0]} has no type {parts[1]}"];
            }

            var problems = new List<string>();
            if (!type.IsPublic || type.IsAbstract || type.IsGenericTypeDefinition)
            {
                problems.Add($"{type} must be a public, concrete, non-generic class");
            }

            if (type.GetConstructor(Type.EmptyTypes) is not { IsPublic: true })
            {
                problems.Add($"{type} needs a public parameterless constructor (Lambda creates it with no arguments)");
            }

            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => m.Name == parts[2]).ToList();
            if (methods.Count != 1)
            {
                problems.Add($"{type} must have exactly one public method {parts[2]}, found {methods.Count}");
                return problems;
            }

            var method = methods[0];
            var parameters = method.GetParameters();
            if (parameters.Length is < 1 or > 2 || parameters[0].ParameterType != typeof(Stream))
            {
                problems.Add($"{method} must take a Stream (and optionally a context)");
            }

            if (method.ReturnType != typeof(Stream) && method.ReturnType != typeof(Task<Stream>))
            {
                problems.Add($"{method} must return Stream or Task<Stream>, not {method.ReturnType}");
            }

            return problems;
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class FunctionLoadContext(string mainAssemblyPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: true)
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

        // Framework assemblies (System.IO.Stream among them) come from the default context, so types compare equal.
        protected override Assembly? Load(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }
}
