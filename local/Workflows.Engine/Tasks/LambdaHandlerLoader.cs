using System.Reflection;
using System.Runtime.Loader;

namespace Workflows.Engine.Tasks;

/// <summary>
/// Loads a .NET Lambda handler from its handler string <c>Assembly::Namespace.Type::Method</c> as the Lambda .NET
/// runtime does: the assembly from a folder, a public method, a parameterless constructor for instance methods
/// (one instance kept and reused, like a warm container) unless an activator supplies the instance. Supported shapes: <c>(Stream[, context]) → Stream</c>,
/// <c>Task&lt;Stream&gt;</c>, <c>Task</c> or <c>void</c>; the context argument is passed as null.
/// </summary>
public static class LambdaHandlerLoader
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> ProbingDirectories = new(StringComparer.Ordinal);
    private static bool _resolverInstalled;

    /// <summary>A loaded handler: takes the invocation payload, returns the response payload.</summary>
    public delegate Task<Stream> Handler(Stream payload, CancellationToken cancellationToken);

    /// <param name="handlerString">Assembly::Namespace.Type::Method.</param>
    /// <param name="probingDirectory">Where the assembly and its dependencies are.</param>
    /// <param name="activator">Creates the instance for an instance method (null, or a null answer: the public parameterless constructor).</param>
    /// <exception cref="ArgumentException">The handler string is malformed.</exception>
    /// <exception cref="InvalidOperationException">The assembly, type or method cannot be loaded or has an unsupported shape, or the activator's instance is not of the type.</exception>
    public static Handler Load(string handlerString, string probingDirectory, Func<Type, object?>? activator = null)
    {
        ArgumentNullException.ThrowIfNull(handlerString);
        ArgumentNullException.ThrowIfNull(probingDirectory);
        var parts = handlerString.Split("::");
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Handler '{handlerString}' is not of the form Assembly::Namespace.Type::Method", nameof(handlerString));
        }

        var assembly = LoadAssembly(parts[0], probingDirectory);
        var type = assembly.GetType(parts[1], throwOnError: false)
            ?? throw new InvalidOperationException($"Handler '{handlerString}': type '{parts[1]}' not found in {assembly.FullName}");
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == parts[2])
            .ToList();
        if (candidates.Count != 1)
        {
            throw new InvalidOperationException(
                $"Handler '{handlerString}': expected exactly one public method named '{parts[2]}', found {candidates.Count}");
        }

        var method = candidates[0];
        CheckSignature(handlerString, method);
        object? instance = null;
        if (!method.IsStatic)
        {
            instance = activator?.Invoke(type);
            if (instance is null)
            {
                var ctor = type.GetConstructor(Type.EmptyTypes)
                    ?? throw new InvalidOperationException($"Handler '{handlerString}': type '{type.FullName}' needs a public parameterless constructor");
                instance = ctor.Invoke(null);
            }
            else if (!type.IsInstanceOfType(instance))
            {
                throw new InvalidOperationException($"Handler '{handlerString}': the activator returned a {instance.GetType().FullName}, not a {type.FullName}");
            }
        }

        var arity = method.GetParameters().Length;
        return async (payload, _) =>
        {
            var args = arity == 1 ? new object?[] { payload } : [payload, null];
            object? returned;
            try
            {
                returned = method.Invoke(instance, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            switch (returned)
            {
                case Task<Stream> ts:
                    return await ts;
                case Task t:
                    await t;
                    return Stream.Null;
                case Stream s:
                    return s;
                default:
                    return Stream.Null;
            }
        };
    }

    private static void CheckSignature(string handlerString, MethodInfo method)
    {
        var ps = method.GetParameters();
        var okParams = ps.Length is 1 or 2 && ps[0].ParameterType == typeof(Stream);
        var r = method.ReturnType;
        var okReturn = r == typeof(Stream) || r == typeof(Task<Stream>) || r == typeof(Task) || r == typeof(void);
        if (!okParams || !okReturn)
        {
            throw new InvalidOperationException(
                $"Handler '{handlerString}': unsupported signature {method}; use (Stream[, context]) returning Stream, Task<Stream>, Task or void");
        }
    }

    private static Assembly LoadAssembly(string name, string probingDirectory)
    {
        var loaded = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == name);
        if (loaded is not null)
        {
            return loaded;
        }

        var path = Path.GetFullPath(Path.Combine(probingDirectory, name + ".dll"));
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Assembly '{name}' not found at {path}");
        }

        InstallResolver(Path.GetDirectoryName(path)!);
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    }

    // Dependencies of a handler assembly sit next to it in its build output, as in a Lambda deployment package.
    private static void InstallResolver(string directory)
    {
        lock (Gate)
        {
            ProbingDirectories.Add(directory);
            if (_resolverInstalled)
            {
                return;
            }

            _resolverInstalled = true;
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                string[] dirs;
                lock (Gate)
                {
                    dirs = [.. ProbingDirectories];
                }

                foreach (var dir in dirs)
                {
                    var candidate = Path.Combine(dir, name.Name + ".dll");
                    if (File.Exists(candidate))
                    {
                        return context.LoadFromAssemblyPath(candidate);
                    }
                }

                return null;
            };
        }
    }
}
