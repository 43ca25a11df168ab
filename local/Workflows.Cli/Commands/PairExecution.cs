using Spectre.Console;
using System.Text.Json.Nodes;
using Workflows.Cli.Output;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;
using Workflows.Core.Errors;
using Workflows.Core.Requests;
using Workflows.Engine;

namespace Workflows.Cli.Commands;

/// <summary>What provision, update and teardown do once their request is valid: run it, show it, keep it.</summary>
internal static class PairExecution
{
    public static async Task<int> RunAsync(
        CliContext context,
        BackendSettings settings,
        PairWorkflow workflow,
        string input,
        string region,
        string? requestedName,
        OutputFormat format,
        CancellationToken cancellationToken,
        bool okIfGone = false)
    {
        // Embedded: the state directory's lock first, before any record is read or written, held until the last one
        // is (the outcome recorded and marked shown). A second command on the directory is refused ("in use") having
        // changed nothing, and no command reads records another is in the middle of writing. Endpoint and AWS runs
        // have no emulator to share: their writes are each under the state files' own lock (StateFiles.Lock).
        using var held = settings.Mode == EndpointMode.Embedded ? EmbeddedState.Open(settings.StateDirectory) : null;

        // Real time: pace the polls by the flags, or by what a DSQL Local says its lifecycle takes. Applied before
        // the input is canonicalized, so a rerun of the same command is the same execution.
        var lifecycle = settings.Mode == EndpointMode.Endpoint && settings.InitialWait is null && settings.Poll is null
            ? await RealTimePolling.ProbeAsync(settings.Endpoint!, context.Host.DsqlHandler, cancellationToken)
            : null;
        input = RealTimePolling.Apply(input, workflow, settings.InitialWait, settings.Poll, lifecycle);
        Revalidate(input, workflow);
        StartupTrace.Mark("revalidated");
        var canonical = ExecutionNames.Canonical(input);
        // Without --name and --seed the name is new each time, so a provision whose process died (SIGKILL, a
        // crash) would start a second execution and make a second pair. The same command resumes the latest
        // unfinished execution with this input instead: same name, so the same client tokens and run tags, and
        // the functions own what its earlier attempt created.
        var resumed = requestedName is null && settings.Seed is null
            ? ExecutionNames.Unfinished(settings.StateDirectory, settings.Target(), workflow.LogicalId, canonical)
            : null;
        var name = resumed ?? ExecutionName(requestedName, settings.Seed);
        // An interrupted run may be run again with the same input: it replays its own client tokens, which is
        // what finishing it means (the deletes or creates it began are answered, not repeated). Anything else
        // that used the name is shown, not rerun.
        if (ExecutionNames.Find(settings.StateDirectory, settings.Target(), workflow.LogicalId, name) is { } used
            && !(ExecutionNames.Resumable(used.Status) && used.Input == canonical))
        {
            return ShowRecorded(context, settings, workflow, name, requestedName is not null, canonical, used, format);
        }

        StartupTrace.Mark("execution names read");
        var progress = RunProgress.Create(context, format);
        var resuming = resumed is null ? null : $"resuming execution '{resumed}', which an earlier {workflow.Verb} with this input started and never finished (give --name to start a new one)";
        if (format == OutputFormat.Table)
        {
            var console = Consoles.Create(context.Out, context.Host);
            console.MarkupLine($"[bold]{workflow.Verb}[/] on {Markup.Escape(settings.Describe())}");
            if (resuming is not null)
            {
                console.WriteLine(resuming);
            }
        }
        else
        {
            // json and text keep stdout for the result alone: what would head the table goes to stderr.
            await context.Error.WriteLineAsync($"{workflow.Verb} on {settings.Describe()}");
            if (resuming is not null)
            {
                await context.Error.WriteLineAsync(resuming);
            }
        }

        // Opened, and (endpoint, AWS) checked to answer, before anything is recorded or created: an endpoint that is
        // down fails here in seconds with its URL, not after minutes of the run's retries.
        StartupTrace.Mark("request validated");
        var backend = await Backend.OpenAsync(settings with { Region = region }, context.Host, cancellationToken, held);
        StartupTrace.Mark("backend open (embedded: DSQL Local started)");
        try
        {
            await backend.CheckReachableAsync(region, cancellationToken);
        }
        catch
        {
            await backend.DisposeAsync();
            throw;
        }

        // Recorded before the first side effect: if this process dies, the next run of the same command finds it.
        ExecutionNames.Begin(settings.StateDirectory, settings.Target(), workflow.LogicalId, name, canonical);
        if (workflow == PairWorkflow.Provision)
        {
            LastProvision.Begin(settings.StateDirectory, settings.Target(), name, canonical);
        }

        PairRun run;
        string logPath;
        await using (backend)
        {
            logPath = backend.Log.Path;
            run = await PairRunner.RunAsync(backend, workflow, input, region, name, settings.Seed, progress, cancellationToken);
            StartupTrace.Mark("execution done");
        }

        StartupTrace.Mark("backend closed");

        var record = RunRecord.From(run.Result, run.StateMachineArn, run.PutEvents, run.Wall);
        record.Execution["lambdaInvocations"] = run.LambdaInvocations;
        var savedTo = LastRunStore.Save(settings.StateDirectory, record);
        var status = run.Result.Status;
        if (status == ExecutionStatus.Succeeded && workflow == PairWorkflow.Provision && run.Result.Output is { } output && JsonNode.Parse(output) is { } node)
        {
            LastProvision.Save(settings.StateDirectory, settings.Target(), run.Result.ExecutionArn, run.Result.StatusText, node);
        }

        StartupTrace.Mark("records saved");
        var kept = status == ExecutionStatus.Failed && workflow == PairWorkflow.Provision ? KeptAfterFailure(settings, run, region) : null;
        var interruption = status == ExecutionStatus.Aborted ? Interrupted(settings, workflow, run) : null;
        var outcome = PairOutput.Json(run, record);
        if (ExecutionNames.Burns(run.Result.StatusText, run.Result.Error, run.Clusters.Count))
        {
            ExecutionNames.Record(settings.StateDirectory, settings.Target(), workflow.LogicalId, name, canonical, run.Result.StatusText, outcome, record.Document);
        }
        else
        {
            ExecutionNames.Release(settings.StateDirectory, settings.Target(), workflow.LogicalId, name);
        }

        if (workflow == PairWorkflow.Provision)
        {
            LastProvision.EndIfRunning(settings.StateDirectory, name);
        }
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, outcome);
        }
        else if (format == OutputFormat.Text)
        {
            PairOutput.WriteText(context.Out, outcome);
        }
        else
        {
            PairOutput.Write(Consoles.Create(context.Out, context.Host), run, savedTo, logPath, interruption?.Next ?? kept?.Next ?? NextStep(workflow, run, settings));
        }

        if (kept is not null)
        {
            await context.Error.WriteLineAsync(kept.Message);
        }

        ExecutionNames.MarkShown(settings.StateDirectory, settings.Target(), workflow.LogicalId, name);

        if (workflow == PairWorkflow.Teardown)
        {
            foreach (var c in run.Clusters.Where(c => c.Status == ClusterBoard.NotFound))
            {
                await context.Error.WriteLineAsync(
                    $"warning: no cluster {c.Identifier} exists in {c.Region}, so nothing was deleted there (outcome NOT_FOUND); " +
                    "if it should have existed, check the region and identifier given");
            }
        }

        if (interruption is not null)
        {
            await context.Error.WriteLineAsync(interruption.Message);
            return ExitCodes.Interrupted;
        }

        if (workflow == PairWorkflow.Teardown && status == ExecutionStatus.Succeeded && NothingWasThere(run))
        {
            if (okIfGone)
            {
                return ExitCodes.Success;
            }

            await context.Error.WriteLineAsync($"nothing to retire: no cluster named exists (exit code {ExitCodes.NothingToRetire}; add --ok-if-gone to exit 0 when that is fine)");
            return ExitCodes.NothingToRetire;
        }

        return status == ExecutionStatus.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }

    // The pacing flags land in the request's polling, whose rules tie members together (the first check before the
    // deadline): checked again so a combination the functions would refuse is refused here, before anything starts.
    private static void Revalidate(string input, PairWorkflow workflow)
    {
        try
        {
            _ = workflow == PairWorkflow.Provision ? ProvisionRequest.Parse(input)
                : workflow == PairWorkflow.Teardown ? TeardownRequest.Parse(input)
                : (object)UpdateRequest.Parse(input);
        }
        catch (InvalidRequestException e)
        {
            throw new UsageException($"invalid {workflow.Verb} request with --initial-wait/--poll: {e.Message}", e);
        }
    }

    /// <summary>Every cluster of a teardown was already gone: the run retired nothing.</summary>
    private static bool NothingWasThere(PairRun run) =>
        run.Clusters.Count > 0 && run.Clusters.All(c => c.Status == ClusterBoard.NotFound);

    /// <summary>
    /// The name given, else a UUID: drawn from --seed when given (so a seeded run repeats, name included), else
    /// at random. Chosen here rather than by the engine because it must be checked against the names used before.
    /// </summary>
    private static string ExecutionName(string? requested, int? seed)
    {
        if (requested is not null)
        {
            try
            {
                AslEngine.ValidateName(requested);
                // The functions check the name again (it becomes a tag value and seeds the client tokens); the
                // same rule here means a name they would refuse is refused before anything starts.
                RequestRules.ExecutionNameOf(requested, "--name");
            }
            catch (ExecutionRequestException e)
            {
                throw new UsageException($"--name: {e.Message}", e);
            }
            catch (InvalidRequestException e)
            {
                throw new UsageException(e.Message.StartsWith("--name", StringComparison.Ordinal) ? e.Message : $"--name: {e.Message}", e);
            }

            return requested;
        }

#pragma warning disable CA5394 // A name, not a secret.
        return Engine.Intrinsics.IntrinsicFunctions.NewUuid(seed is { } s ? new Random(s) : new Random());
#pragma warning restore CA5394
    }

    // Step Functions answers a used name with ExecutionAlreadyExists unless the input is the same; the tool then
    // shows the run it recorded rather than running again (which would replay its client tokens).
    private static int ShowRecorded(CliContext context, BackendSettings settings, PairWorkflow workflow, string name, bool named, string input, UsedName used, OutputFormat format)
    {
        if (used.Input != input)
        {
            var how = named ? "pick another --name" : "the default name comes from --seed: change --seed or give --name";
            throw new UsageException(
                $"--name: execution name '{name}' was already used by a {workflow.Verb} against {settings.Describe()} with a different input " +
                $"(Step Functions answers ExecutionAlreadyExists); execution names are single-use per state machine: {how}");
        }

        var record = RunRecord.Parse((JsonObject)used.Record.DeepClone());
        var savedTo = LastRunStore.Save(settings.StateDirectory, record);
        if (format != OutputFormat.Table)
        {
            var outcome = (JsonObject)used.Outcome.DeepClone();
            outcome["recorded"] = true;
            if (format == OutputFormat.Json)
            {
                JsonOutput.Write(context.Out, outcome);
            }
            else
            {
                context.Error.WriteLine($"{workflow.Verb} '{name}' already ran with this input on {settings.Describe()}: showing the recorded run, nothing was run again.");
                PairOutput.WriteText(context.Out, outcome);
            }
        }
        else
        {
            var console = Consoles.Create(context.Out, context.Host);
            console.MarkupLine($"[bold]{workflow.Verb}[/] '{Markup.Escape(name)}' already ran with this input on {Markup.Escape(settings.Describe())}: showing the recorded run, nothing was run again.");
            var fields = new Fields()
                .Add("Status", used.Status)
                .Add("Execution", used.Outcome["executionArn"]?.GetValue<string>() ?? "?");
            if (used.Outcome["error"] is JsonValue error)
            {
                fields.Add("Error", error.ToString());
            }

            fields.Add("History", $"saved to {savedTo} (workflows history)");
            fields.Write(console);
        }

        ExecutionNames.MarkShown(settings.StateDirectory, settings.Target(), workflow.LogicalId, name);

        return used.Status switch
        {
            "SUCCEEDED" => ExitCodes.Success,
            "ABORTED" => ExitCodes.Interrupted,
            _ => ExitCodes.Failed,
        };
    }

    private sealed record Interruption(string Message, string? Next);

    /// <summary>
    /// An interrupted run: its clusters that may still exist, kept (provision) in last-provision.json so
    /// 'teardown --from-last-run' can retire them, and what to run next.
    /// </summary>
    private static Interruption Interrupted(BackendSettings settings, PairWorkflow workflow, PairRun run)
    {
        var left = run.Clusters.Where(c => c.Status is not (ClusterBoard.Gone or ClusterBoard.NotFound)).ToList();
        var where = Where(settings);
        if (left.Count == 0)
        {
            return new Interruption("interrupted: the execution was stopped (ABORTED) before any cluster was reported; its history so far is saved (workflows history)", null);
        }

        var list = string.Join(", ", left.Select(c => $"{c.Region} {c.Identifier} ({c.Status})"));
        if (workflow == PairWorkflow.Teardown)
        {
            return new Interruption($"interrupted: the teardown was stopped (ABORTED); clusters not yet gone: {list}. Run the same teardown again to finish.", null);
        }

        // An update makes no clusters, so there is nothing to record for teardown; its changes are idempotent.
        if (workflow == PairWorkflow.Update)
        {
            return new Interruption($"interrupted: the update was stopped (ABORTED); it had reached {list}. Run the same update again to finish.", null);
        }

        if (left.Count >= 2)
        {
            var pair = new JsonObject
            {
                ["primary"] = ClusterJson(left[0]),
                ["peer"] = ClusterJson(left[1]),
                ["interrupted"] = true,
            };
            LastProvision.Save(settings.StateDirectory, settings.Target(), run.Result.ExecutionArn, run.Result.StatusText, pair);
            var command = $"workflows teardown --from-last-run --force{where}";
            return new Interruption($"interrupted: the provision was stopped (ABORTED) after creating {list}; they are recorded for teardown: {command}", command);
        }

        LastProvision.Forget(settings.StateDirectory);
        var retire = RetireLone(left[0], settings);
        return new Interruption(
            $"interrupted: the provision was stopped (ABORTED) after creating only {list}, which has no peer yet; retire it with: {retire}",
            retire);
    }

    /// <summary>
    /// A failed provision that left clusters (kept with keepOnFailure, or a clean-up that could not finish): a
    /// pair is recorded in last-provision.json so 'teardown --from-last-run' retires these clusters, not an older
    /// pair; a lone cluster cannot be recorded as a pair, so the older record is forgotten instead. A failure
    /// that left nothing keeps the record of the last pair made.
    /// </summary>
    private static Interruption? KeptAfterFailure(BackendSettings settings, PairRun run, string primaryRegion)
    {
        var left = run.Clusters.Where(c => c.Status is not (ClusterBoard.Gone or ClusterBoard.NotFound)).ToList();
        if (left.Count == 0)
        {
            return null;
        }

        var list = string.Join(", ", left.Select(c => $"{c.Region} {c.Identifier} ({c.Status})"));
        if (left.Count >= 2)
        {
            var primary = left.FirstOrDefault(c => c.Region == primaryRegion) ?? left[0];
            var peer = left.First(c => c != primary);
            var pair = new JsonObject
            {
                ["primary"] = ClusterJson(primary),
                ["peer"] = ClusterJson(peer),
                ["kept"] = true,
            };
            LastProvision.Save(settings.StateDirectory, settings.Target(), run.Result.ExecutionArn, run.Result.StatusText, pair);
            var command = $"workflows teardown --from-last-run --force{Where(settings)}";
            return new Interruption($"the failed provision left {list}; they are recorded for teardown: {command}", command);
        }

        LastProvision.Forget(settings.StateDirectory);
        var retire = RetireLone(left[0], settings);
        return new Interruption(
            $"the failed provision left only {list}, which has no peer, so --from-last-run now refers to nothing; retire it with: {retire}",
            retire);
    }

    private static string RetireLone(ClusterLine c, BackendSettings settings) =>
        $"workflows teardown --cluster {c.Region}:{c.Identifier} --force{Where(settings)}";

    private static JsonObject ClusterJson(ClusterLine c) => new() { ["region"] = c.Region, ["identifier"] = c.Identifier, ["arn"] = c.Arn };

    private static string Where(BackendSettings settings) => settings.Mode switch
    {
        EndpointMode.Endpoint => $" --dsql-endpoint {settings.Endpoint}{(settings.LocalCredentials ? " --local-credentials" : string.Empty)}",
        EndpointMode.Aws => " --aws",
        _ => string.Empty,
    };

    private static string? NextStep(PairWorkflow workflow, PairRun run, BackendSettings settings)
    {
        if (workflow == PairWorkflow.Provision && run.Result.Status == ExecutionStatus.Succeeded)
        {
            return $"workflows teardown --from-last-run --force{Where(settings)}";
        }

        if (workflow == PairWorkflow.Teardown && run.Result.Error == "DeletionProtectionEnabledException")
        {
            return "add --force to turn deletion protection off and delete the pair (or turn it off first: workflows update ... --deletion-protection off)";
        }

        if (workflow == PairWorkflow.Update)
        {
            return UpdateNextStep(run, settings);
        }

        return null;
    }

    /// <summary>
    /// After an update: an unprotected pair can be retired as it is (named explicitly, since the pair updated may not
    /// be the last one provisioned); an update that stopped part-way is finished by running it again.
    /// </summary>
    private static string? UpdateNextStep(PairRun run, BackendSettings settings)
    {
        if (run.Result.Error == "Workflows.UpdateIncomplete")
        {
            // A rerun is a new execution (execution names are single-use): the same --name or --seed would only show this run.
            return "run the same update again to finish it (every change is idempotent), with a new --name or --seed if you gave one";
        }

        if (run.Result.Status != ExecutionStatus.Succeeded || run.Result.Output is not { } text || JsonNode.Parse(text) is not JsonObject output)
        {
            return null;
        }

        string? Ref(string role) => output[role] is JsonObject c && c["region"] is JsonValue r && c["identifier"] is JsonValue i ? $"{r}:{i}" : null;
        bool Protected(string role) => output[role]?["deletionProtectionEnabled"] is not JsonValue p || !p.TryGetValue<bool>(out var on) || on;
        if (Ref("primary") is not { } primary || Ref("peer") is not { } peer)
        {
            return null;
        }

        var force = Protected("primary") || Protected("peer") ? " --force" : string.Empty;
        return $"workflows teardown --primary {primary} --peer {peer}{force}{Where(settings)}";
    }
}
