namespace Workflows.Engine.Time;

public enum ClockMode
{
    /// <summary>Time jumps to the next timer whenever the execution is idle: years of waiting take milliseconds.</summary>
    Virtual,

    /// <summary>Waits and backoffs take real time (TimeProvider.System): for demos.</summary>
    RealTime,
}
