namespace Workflows.Engine.Time;

/// <summary>
/// Runs one execution's continuations on a single dedicated thread and decides when virtual time may jump:
/// only when no continuation is queued and no task invocation is in flight (an in-flight task may be doing real
/// I/O whose outcome could schedule earlier work).
/// </summary>
internal sealed class ExecutionScheduler : SynchronizationContext
{
    private readonly object _gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly VirtualClock? _virtualClock;
    private int _external;
    private bool _finished;

    public ExecutionScheduler(VirtualClock? virtualClock) => _virtualClock = virtualClock;

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _queue.Enqueue((d, state));
            Monitor.PulseAll(_gate);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous sends into an execution are not supported.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Marks work outside the scheduler (a task invocation) as in flight: virtual time holds still.</summary>
    public void BeginExternal()
    {
        lock (_gate)
        {
            _external++;
        }
    }

    public void EndExternal()
    {
        lock (_gate)
        {
            _external--;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Runs <paramref name="root"/> on the calling thread until its task completes, then returns that task.</summary>
    public Task<T> Run<T>(Func<Task<T>> root)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            var task = root();
            task.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Pump(task);
            return task;
        }
        finally
        {
            lock (_gate)
            {
                _finished = true;
                _queue.Clear();
            }

            SetSynchronizationContext(previous);
        }
    }

    private void Pump(Task root)
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State)? work = null;
            lock (_gate)
            {
                while (true)
                {
                    if (_queue.Count > 0)
                    {
                        work = _queue.Dequeue();
                        break;
                    }

                    if (root.IsCompleted)
                    {
                        return;
                    }

                    if (_external == 0 && _virtualClock is not null)
                    {
                        if (_virtualClock.PendingTimers > 0)
                        {
                            break;
                        }

                        throw new InvalidOperationException(
                            "The execution cannot make progress: nothing is runnable, no task is in flight and no timer is pending.");
                    }

                    Monitor.Wait(_gate);
                }
            }

            if (work is { } w)
            {
                w.Callback(w.State);
            }
            else
            {
                FireNextTimer();
            }
        }
    }

    // Timers fire with no context on the thread: a continuation that captured none (ConfigureAwait(false), as
    // library code writes) then runs inline here instead of hopping to the thread pool, which the pump could not
    // see and would mistake for idleness. Continuations that captured this scheduler are still posted to it.
    private void FireNextTimer()
    {
        SetSynchronizationContext(null);
        try
        {
            _virtualClock!.FireNext();
        }
        finally
        {
            SetSynchronizationContext(this);
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
