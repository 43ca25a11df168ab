using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Workflows.LambdaLocal;

/// <summary>
/// One execution environment: a <c>bootstrap</c> process and its own Runtime API endpoint (a Kestrel listener on
/// 127.0.0.1 whose port is the process's AWS_LAMBDA_RUNTIME_API, so every call is known to come from this process).
/// It serves one invocation at a time, as a Lambda execution environment does, and stays warm between them.
/// </summary>
internal sealed class RuntimeInstance : IAsyncDisposable
{
    private const string ApiVersion = "/2018-06-01";

    private readonly LambdaFunction _function;
    private readonly LambdaLocalOptions _options;
    private readonly Action<int> _onProcessStarted;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _api;
    private Process? _process;
    private Task _startTask = Task.CompletedTask;
    private Task _exitWatcher = Task.CompletedTask;
    private Task _memoryWatcher = Task.CompletedTask;
    private PendingInvocation? _current;
    private bool _delivered;
    private TaskCompletionSource<PendingInvocation?>? _nextWaiter;
    private bool _initDone;
    private bool _dead;
    private ITimer? _timer;
    private long _peakRssBytes;
    private string? _lastRequestId;

    public RuntimeInstance(LambdaFunction function, LambdaLocalOptions options, string id, Action<int> onProcessStarted)
    {
        _function = function;
        _options = options;
        Id = id;
        _onProcessStarted = onProcessStarted;
        LogStreamName = $"{options.Clock.GetUtcNow():yyyy'/'MM'/'dd}/[$LATEST]{Guid.NewGuid():N}";
    }

    public string Id { get; }

    public string LogStreamName { get; }

    public int? ProcessId { get; private set; }

    public int RuntimeApiPort { get; private set; }

    public bool IsDead
    {
        get
        {
            lock (_gate)
            {
                return _dead;
            }
        }
    }

    /// <summary>Peak resident set size seen (VmHWM), in bytes.</summary>
    public long PeakRssBytes => Interlocked.Read(ref _peakRssBytes);

    /// <summary>Takes <paramref name="invocation"/> if this instance is alive and has none; hands it to a waiting /next at once.</summary>
    public bool TryAssign(PendingInvocation invocation)
    {
        TaskCompletionSource<PendingInvocation?>? waiter;
        lock (_gate)
        {
            if (_dead || _current is not null)
            {
                return false;
            }

            _current = invocation;
            _delivered = false;
            waiter = _nextWaiter;
            _nextWaiter = null;
            if (waiter is not null)
            {
                DeliverLocked(invocation);
            }
        }

        if (waiter is not null)
        {
            Platform(invocation, StartLine(invocation));
            waiter.TrySetResult(invocation);
        }

        return true;
    }

    /// <summary>Starts the Runtime API and the process; the first invocation must already be assigned.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        _startTask = StartCoreAsync(ct);
        return _startTask;
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        (_api, RuntimeApiPort) = await LoopbackHost.StartAsync(0, Map, ct);
        if (IsDead)
        {
            return; // Disposed while the host started: no process.
        }

        var bootstrap = Path.Combine(_function.ArtifactDirectory, "bootstrap");
        var problem = !File.Exists(bootstrap)
            ? _options.Errors.MissingBootstrapMessage
            : !OperatingSystem.IsWindows() && (File.GetUnixFileMode(bootstrap) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0
                ? _options.Errors.NotExecutableMessage
                : null;
        if (problem is not null)
        {
            FailAndDie(_options.Errors.InvalidEntrypointErrorType, id => LambdaErrorMessages.Format(problem, id, path: bootstrap));
            return;
        }

        var launcher = _function.Launcher;
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : bootstrap)
        {
            WorkingDirectory = _function.ArtifactDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in launcher.Skip(1).Append(bootstrap).Skip(launcher.Count > 0 ? 0 : 1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in EnvironmentFor())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnOutput("stdout", e.Data);
        process.ErrorDataReceived += (_, e) => OnOutput("stderr", e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            FailAndDie(_options.Errors.InvalidEntrypointErrorType, id => $"RequestId: {id} Error: fork/exec {bootstrap}: {e.Message}");
            return;
        }

        _process = process;
        ProcessId = process.Id;
        _onProcessStarted(process.Id);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            if (!_initDone)
            {
                _timer = _options.Clock.CreateTimer(_ => OnInitTimeout(), null, _options.InitTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        _exitWatcher = WatchExitAsync(process);
        _memoryWatcher = WatchMemoryAsync(process.Id, _stopping.Token);
    }

    /// <summary>
    /// SIGTERM, then SIGKILL after the grace period: Lambda's shutdown phase for a function with extensions (2,000 ms
    /// limit; aws-samples/graceful-shutdown-with-aws-lambda). Lambda sends no SIGTERM without extensions; locally the
    /// runtime always gets the chance to clean up.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        if (_process is { } p && !HasExited(p))
        {
            ProcessSignals.Terminate(p.Id);
            using var cts = new CancellationTokenSource(grace, _options.Clock);
            try
            {
                await _exitWatcher.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Did not leave within the grace period: killed below, as Lambda does.
            }
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _dead = true;
            _timer?.Dispose();
            _timer = null;
        }

        try
        {
            // A start in progress finishes first, so a process it launches is killed below rather than orphaned.
            await _startTask;
        }
#pragma warning disable CA1031 // A failed start has nothing left to clean up but what follows.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        Kill();
        await _exitWatcher;
        await _stopping.CancelAsync();
        try
        {
            await _memoryWatcher;
        }
        catch (OperationCanceledException)
        {
            // The watcher stops by cancellation.
        }

        _nextWaiter?.TrySetResult(null);
        PendingInvocation? orphan;
        lock (_gate)
        {
            orphan = _current;
            _current = null;
        }

        if (orphan is not null && !orphan.IsCompleted)
        {
            // Disposed before the process could take it (or before it started): the environment was killed under it.
            var message = LambdaErrorMessages.Format(_options.Errors.ExitMessage, orphan.RequestId, status: "signal: killed");
            orphan.TryComplete(Encoding.UTF8.GetBytes(Document(_options.Errors.ExitErrorType, message)), _options.Errors.ExitErrorType);
        }

        if (_api is not null)
        {
            await _api.StopAsync(CancellationToken.None);
            await _api.DisposeAsync();
            _api = null;
        }

        _process?.Dispose();
        _stopping.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.MapGet(ApiVersion + "/runtime/invocation/next", NextAsync);
        app.MapPost(ApiVersion + "/runtime/invocation/{id}/response", ResponseAsync);
        app.MapPost(ApiVersion + "/runtime/invocation/{id}/error", InvocationErrorAsync);
        app.MapPost(ApiVersion + "/runtime/init/error", InitErrorAsync);
    }

    private async Task NextAsync(HttpContext context)
    {
        PendingInvocation? invocation = null;
        Task<PendingInvocation?> wait;
        var started = false;
        lock (_gate)
        {
            if (!_initDone)
            {
                _initDone = true;
                _timer?.Dispose();
                _timer = null;
            }

            if (_dead)
            {
                wait = Task.FromResult<PendingInvocation?>(null);
            }
            else if (_current is not null && !_delivered)
            {
                invocation = _current;
                DeliverLocked(invocation);
                started = true;
                wait = Task.FromResult<PendingInvocation?>(invocation);
            }
            else
            {
                _nextWaiter = new TaskCompletionSource<PendingInvocation?>(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _nextWaiter.Task;
            }
        }

        if (started)
        {
            Platform(invocation!, StartLine(invocation!));
        }

        try
        {
            invocation = await wait.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (invocation is null)
        {
            // Shutting down: the runtime API answers 500 ("Container error. Non-recoverable state. Runtime should exit").
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "ServiceUnavailable", "Runtime is shutting down");
            return;
        }

        var h = context.Response.Headers;
        h["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        var deadline = _options.Clock.GetUtcNow().AddSeconds(_function.TimeoutSeconds).ToUnixTimeMilliseconds();
        h["Lambda-Runtime-Deadline-Ms"] = deadline.ToString(CultureInfo.InvariantCulture);
        h["Lambda-Runtime-Invoked-Function-Arn"] = invocation.FunctionArn;
        h["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
        if (invocation.ClientContext is { } cc)
        {
            h["Lambda-Runtime-Client-Context"] = cc;
        }

        if (invocation.CognitoIdentity is { } ci)
        {
            h["Lambda-Runtime-Cognito-Identity"] = ci;
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = invocation.Payload.Length;
        await context.Response.Body.WriteAsync(invocation.Payload, context.RequestAborted);
    }

    private async Task ResponseAsync(HttpContext context, string id)
    {
        var invocation = InFlight(id, out var status);
        if (invocation is null)
        {
            await RefuseAsync(context, status);
            return;
        }

        var body = await ReadBodyAsync(context.Request, _options.MaxResponseBytes);
        if (body.TooLarge)
        {
            // The runtime is told 413; the caller gets Lambda's Function.ResponseSizeTooLarge error (Inferred: the
            // execution environment stays usable, since the runtime itself did nothing wrong but answer too much).
            var message = LambdaErrorMessages.Format(_options.Errors.ResponseTooLargeMessage, id, size: body.Length);
            Finish(invocation, Encoding.UTF8.GetBytes(Document(_options.Errors.ResponseTooLargeErrorType, message)), _options.Errors.ResponseTooLargeErrorType, "error");
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", message);
            return;
        }

        Finish(invocation, body.Bytes, null, "success");
        await AcceptedAsync(context);
    }

    private async Task InvocationErrorAsync(HttpContext context, string id)
    {
        var invocation = InFlight(id, out var status);
        if (invocation is null)
        {
            await RefuseAsync(context, status);
            return;
        }

        var (doc, errorType) = await ReadErrorDocumentAsync(context.Request);
        Finish(invocation, doc, errorType, "error");
        await AcceptedAsync(context);
    }

    private async Task InitErrorAsync(HttpContext context)
    {
        var (doc, errorType) = await ReadErrorDocumentAsync(context.Request);
        PendingInvocation? invocation;
        lock (_gate)
        {
            if (_initDone)
            {
                invocation = null;
            }
            else
            {
                _initDone = true;
                _dead = true;
                _timer?.Dispose();
                _timer = null;
                invocation = _current;
                _current = null;
            }
        }

        if (invocation is null && !IsDead)
        {
            // Init already ended (a /next came first): Lambda refuses a late init error with 403 (Inferred from the documented status codes).
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "InvalidStateTransition", "State transition from Ready to InitError failed");
            return;
        }

        // After /runtime/init/error the environment is dead: Lambda resets it and the invocation fails with the
        // runtime's own error document (floci-io/floci#3505 describes the same). Inferred: no second init attempt.
        if (invocation is not null)
        {
            Platform(invocation, $"INIT_REPORT Init Duration: 0 ms\tPhase: init\tStatus: error\tError Type: {errorType}");
            invocation.TryComplete(doc, errorType);
        }

        await AcceptedAsync(context);
        Kill();
    }

    private PendingInvocation? InFlight(string id, out int status)
    {
        lock (_gate)
        {
            if (_current is { } c && _delivered && c.RequestId == id)
            {
                status = 0;
                return c;
            }

            // A request id this instance has finished is a state error (403); anything else is a bad request (400).
            // Both are Runtime API statuses the documentation lists for /response and /error; which one when is Inferred.
            status = _finished.Contains(id) ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            return null;
        }
    }

    private static Task RefuseAsync(HttpContext context, int status) =>
        status == StatusCodes.Status403Forbidden
            ? WriteErrorAsync(context, status, "InvalidStateTransition", "Invocation is no longer in progress")
            : WriteErrorAsync(context, status, "InvalidRequestID", "Invalid request ID");

    private void DeliverLocked(PendingInvocation invocation)
    {
        _delivered = true;
        _lastRequestId = invocation.RequestId;
        invocation.DeliveredTimestamp = _options.Clock.GetTimestamp();
        _timer?.Dispose();
        _timer = _options.Clock.CreateTimer(_ => OnTimeout(invocation), null, TimeSpan.FromSeconds(_function.TimeoutSeconds), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Ends an invocation the runtime answered (the instance stays warm for the next one).</summary>
    private void Finish(PendingInvocation invocation, byte[] payload, string? errorType, string status)
    {
        lock (_gate)
        {
            if (_current != invocation)
            {
                return;
            }

            _timer?.Dispose();
            _timer = null;
            _finished.Add(invocation.RequestId);
        }

        EndLines(invocation, status);
        lock (_gate)
        {
            // Idle again before the caller hears the outcome, so a caller's next invocation finds this warm instance;
            // after the END/REPORT lines, so they stay with this invocation.
            if (_current == invocation)
            {
                _current = null;
                _delivered = false;
            }
        }

        invocation.TryComplete(payload, errorType);
    }

    private void OnTimeout(PendingInvocation invocation)
    {
        double seconds;
        lock (_gate)
        {
            if (_current != invocation || invocation.IsCompleted)
            {
                return;
            }

            seconds = _options.Clock.GetElapsedTime(invocation.DeliveredTimestamp ?? _options.Clock.GetTimestamp()).TotalSeconds;
            _dead = true;
            _current = null;
        }

        // Lambda kills the environment at the deadline and logs "<time> <id> Task timed out after N.NN seconds".
        var message = LambdaErrorMessages.Format(_options.Errors.TimeoutMessage, invocation.RequestId, seconds);
        Platform(invocation, $"{_options.Clock.GetUtcNow():yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {invocation.RequestId} Task timed out after {seconds.ToString("F2", CultureInfo.InvariantCulture)} seconds", LambdaLogLevel.Error);
        EndLines(invocation, "timeout");
        invocation.TryComplete(Encoding.UTF8.GetBytes(Document(_options.Errors.TimeoutErrorType, message)), _options.Errors.TimeoutErrorType);
        Kill();
    }

    private void OnInitTimeout()
    {
        PendingInvocation? invocation;
        lock (_gate)
        {
            if (_initDone || _dead)
            {
                return;
            }

            _dead = true;
            invocation = _current;
            _current = null;
        }

        if (invocation is not null)
        {
            var message = LambdaErrorMessages.Format(_options.Errors.TimeoutMessage, invocation.RequestId, _options.InitTimeout.TotalSeconds);
            invocation.TryComplete(Encoding.UTF8.GetBytes(Document(_options.Errors.TimeoutErrorType, message)), _options.Errors.TimeoutErrorType);
        }

        Kill();
    }

    private void FailAndDie(string errorType, Func<string, string> message)
    {
        PendingInvocation? invocation;
        lock (_gate)
        {
            _dead = true;
            invocation = _current;
            _current = null;
        }

        if (invocation is not null)
        {
            Platform(invocation, $"INIT_REPORT Init Duration: 0 ms\tPhase: init\tStatus: error\tError Type: {errorType}");
            invocation.TryComplete(Encoding.UTF8.GetBytes(Document(errorType, message(invocation.RequestId))), errorType);
        }
    }

    private async Task WatchExitAsync(Process process)
    {
        // Also waits for stdout/stderr to reach end of file, so a crashing process's last lines are kept.
        await process.WaitForExitAsync(CancellationToken.None);
        PendingInvocation? invocation;
        TaskCompletionSource<PendingInvocation?>? waiter;
        lock (_gate)
        {
            _dead = true;
            _timer?.Dispose();
            _timer = null;
            invocation = _current;
            _current = null;
            waiter = _nextWaiter;
            _nextWaiter = null;
        }

        waiter?.TrySetResult(null);
        if (invocation is not null && !invocation.IsCompleted)
        {
            var status = ExitStatus(process.ExitCode);
            var message = LambdaErrorMessages.Format(_options.Errors.ExitMessage, invocation.RequestId, status: status);
            Platform(invocation, $"RequestId: {invocation.RequestId} Error: Runtime exited with error: {status}", LambdaLogLevel.Error);
            EndLines(invocation, "error");
            invocation.TryComplete(Encoding.UTF8.GetBytes(Document(_options.Errors.ExitErrorType, message)), _options.Errors.ExitErrorType);
        }
    }

    private async Task WatchMemoryAsync(int pid, CancellationToken ct)
    {
        var statusFile = $"/proc/{pid}/status";
        if (!File.Exists(statusFile))
        {
            return; // Not Linux: no enforcement, no Max Memory Used.
        }

        var limit = (long)_function.MemorySizeMb * 1024 * 1024;
        while (!ct.IsCancellationRequested)
        {
            long rss;
            try
            {
                (rss, var hwm) = ReadRss(await File.ReadAllLinesAsync(statusFile, ct));
                InterlockedMax(ref _peakRssBytes, Math.Max(rss, hwm));
            }
            catch (IOException)
            {
                return; // The process is gone.
            }

            if (_options.EnforceMemory && rss > limit)
            {
                OnOutOfMemory();
                return;
            }

            await Task.Delay(_options.MemoryPollInterval, _options.Clock, ct);
        }
    }

    private void OnOutOfMemory()
    {
        PendingInvocation? invocation;
        lock (_gate)
        {
            _dead = true;
            _timer?.Dispose();
            _timer = null;
            invocation = _current;
            _current = null;
        }

        if (invocation is not null)
        {
            var message = LambdaErrorMessages.Format(_options.Errors.OutOfMemoryMessage, invocation.RequestId);
            Platform(invocation, $"RequestId: {invocation.RequestId} Error: Runtime exited with error: signal: killed", LambdaLogLevel.Error);
            EndLines(invocation, "error");
            invocation.TryComplete(Encoding.UTF8.GetBytes(Document(_options.Errors.OutOfMemoryErrorType, message)), _options.Errors.OutOfMemoryErrorType);
        }

        Kill();
    }

    internal static (long Rss, long Hwm) ReadRss(IEnumerable<string> statusLines)
    {
        long rss = 0, hwm = 0;
        foreach (var line in statusLines)
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line);
            }
        }

        return (rss, hwm);

        static long Kilobytes(string line) =>
            long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>
    /// The status text of Go's os.ProcessState, which Lambda's init prints ("exit status 3", "signal: killed").
    /// .NET reports a signalled process as 128 + signal; reading such codes back as signals is Inferred.
    /// </summary>
    internal static string ExitStatus(int exitCode) => exitCode switch
    {
        > 128 and < 160 => "signal: " + (exitCode - 128) switch
        {
            1 => "hangup",
            2 => "interrupt",
            6 => "aborted",
            9 => "killed",
            11 => "segmentation fault",
            15 => "terminated",
            var n => n.ToString(CultureInfo.InvariantCulture),
        },
        _ => "exit status " + exitCode.ToString(CultureInfo.InvariantCulture),
    };

    private void Kill()
    {
        try
        {
            if (_process is { } p && !HasExited(p))
            {
                p.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static bool HasExited(Process p)
    {
        try
        {
            return p.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private void OnOutput(string source, string? line)
    {
        if (line is null)
        {
            return;
        }

        var level = _function.LogFormat == LambdaLogFormat.Json ? LogFilter.LevelOf(line) : LambdaLogLevel.Info;
        if (!LogFilter.Keeps(_function, level, platform: false))
        {
            return;
        }

        PendingInvocation? current;
        string? requestId;
        lock (_gate)
        {
            current = _delivered ? _current : null;
            // Output is read asynchronously: a line that arrives after its invocation ended (or between invocations)
            // is credited to the last invocation this process was given, which is almost always the one that wrote it.
            requestId = current?.RequestId ?? _lastRequestId;
        }

        current?.AppendLog(line);
        Emit(new LambdaLogLine(_function.Name, Id, requestId, source, level, line, _options.Clock.GetUtcNow()));
    }

    private void Platform(PendingInvocation invocation, string text, LambdaLogLevel level = LambdaLogLevel.Info)
    {
        if (!LogFilter.Keeps(_function, level, platform: true))
        {
            return;
        }

        invocation.AppendLog(text);
        Emit(new LambdaLogLine(_function.Name, Id, invocation.RequestId, "platform", level, text, _options.Clock.GetUtcNow()));
    }

    private void Emit(LambdaLogLine line)
    {
        try
        {
            _options.LogSink?.Invoke(line);
        }
#pragma warning disable CA1031 // A failing sink must not stop the reading of the process's output.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private string StartLine(PendingInvocation invocation) =>
        _function.LogFormat == LambdaLogFormat.Json
            ? new JsonObject
            {
                ["time"] = Now(),
                ["type"] = "platform.start",
                ["record"] = new JsonObject { ["requestId"] = invocation.RequestId, ["version"] = "$LATEST" },
            }.ToJsonString()
            : $"START RequestId: {invocation.RequestId} Version: $LATEST";

    private void EndLines(PendingInvocation invocation, string status)
    {
        var ms = invocation.DeliveredTimestamp is { } t ? _options.Clock.GetElapsedTime(t).TotalMilliseconds : 0;
        var maxMb = PeakRssBytes / (1024 * 1024);
        if (_function.LogFormat == LambdaLogFormat.Json)
        {
            Platform(invocation, new JsonObject
            {
                ["time"] = Now(),
                ["type"] = "platform.report",
                ["record"] = new JsonObject
                {
                    ["requestId"] = invocation.RequestId,
                    ["metrics"] = new JsonObject
                    {
                        ["durationMs"] = Math.Round(ms, 2),
                        ["billedDurationMs"] = (long)Math.Ceiling(ms),
                        ["memorySizeMB"] = _function.MemorySizeMb,
                        ["maxMemoryUsedMB"] = maxMb,
                    },
                    ["status"] = status,
                },
            }.ToJsonString());
            return;
        }

        Platform(invocation, $"END RequestId: {invocation.RequestId}");
        Platform(invocation, string.Create(CultureInfo.InvariantCulture,
            $"REPORT RequestId: {invocation.RequestId}\tDuration: {ms:F2} ms\tBilled Duration: {Math.Ceiling(ms):F0} ms\tMemory Size: {_function.MemorySizeMb} MB\tMax Memory Used: {maxMb} MB"));
    }

    private string Now() => _options.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private Dictionary<string, string> EnvironmentFor()
    {
        // The function's own variables first: Lambda's reserved ones cannot be overridden by configuration.
        var env = new Dictionary<string, string>(_function.Environment, StringComparer.Ordinal)
        {
            ["PATH"] = _options.Path,
            ["LANG"] = "en_US.UTF-8",
            ["TZ"] = ":UTC",
            ["AWS_LAMBDA_FUNCTION_NAME"] = _function.Name,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = _function.MemorySizeMb.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + _function.Name,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = LogStreamName,
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_REGION"] = _options.Region,
            ["AWS_DEFAULT_REGION"] = _options.Region,
            ["LAMBDA_TASK_ROOT"] = Path.GetFullPath(_function.ArtifactDirectory),
            ["LAMBDA_RUNTIME_DIR"] = _options.RuntimeDirectory,
            ["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{RuntimeApiPort}",
            ["_HANDLER"] = "bootstrap",
        };
        if (_options.ExecutionEnv is { } executionEnv)
        {
            env["AWS_EXECUTION_ENV"] = executionEnv;
        }

        if ((_function.Credentials ?? _options.Credentials) is { } c)
        {
            env["AWS_ACCESS_KEY_ID"] = c.AccessKeyId;
            env["AWS_SECRET_ACCESS_KEY"] = c.SecretAccessKey;
            if (c.SessionToken is { } token)
            {
                env["AWS_SESSION_TOKEN"] = token;
            }
        }

        if (_function.LogFormat == LambdaLogFormat.Json)
        {
            // Advanced logging controls: "Lambda sets the application log level in the runtime using the
            // AWS_LAMBDA_LOG_LEVEL environment variable ... [and] your function's log format using AWS_LAMBDA_LOG_FORMAT"
            // (AWS blog on advanced logging controls, quoted in aws/aws-lambda-rust-runtime#821).
            env["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
            env["AWS_LAMBDA_LOG_LEVEL"] = _function.ApplicationLogLevel.ToString().ToUpperInvariant();
        }

        return env;
    }

    private async Task<(byte[] Document, string ErrorType)> ReadErrorDocumentAsync(HttpRequest request)
    {
        var body = await ReadBodyAsync(request, _options.MaxResponseBytes);
        var header = request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        string? errorType = null;
        try
        {
            if (!body.TooLarge && body.Bytes.Length > 0 && JsonNode.Parse(body.Bytes) is JsonObject o && o["errorType"] is JsonValue v && v.TryGetValue<string>(out var t) && t.Length > 0)
            {
                errorType = t;
                return (body.Bytes, errorType);
            }
        }
        catch (JsonException)
        {
            // Unreadable error payload: built from the header below.
        }

        // "Lambda's default behavior is to use Lambda-Runtime-Function-Error-Type header value to construct an error
        // response when error payload is not provided or can not be read" (Runtime API OpenAPI, runtime-api.zip).
        errorType = header.Length > 0 ? header : _options.Errors.UnknownErrorType;
        return (Encoding.UTF8.GetBytes(Document(errorType, string.Empty)), errorType);
    }

    private static async Task<(byte[] Bytes, bool TooLarge, long Length)> ReadBodyAsync(HttpRequest request, int max)
    {
        if (request.ContentLength is { } declared && declared > max)
        {
            return ([], true, declared);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk)) > 0)
        {
            buffer.Write(chunk, 0, n);
        }

        return buffer.Length > max ? ([], true, buffer.Length) : (buffer.ToArray(), false, buffer.Length);
    }

    private static string Document(string errorType, string message) =>
        new JsonObject { ["errorMessage"] = message, ["errorType"] = errorType }.ToJsonString();

    private static Task AcceptedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("""{"status":"OK"}""");
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string errorType, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["errorMessage"] = message, ["errorType"] = errorType }));
    }
}
