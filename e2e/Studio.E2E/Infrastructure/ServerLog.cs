using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Studio.E2E.Infrastructure;

/// <summary>
/// Captures every warning and error the server logs, so a test can fail on them: a page that renders but logs
/// an exception is a failure the browser alone would never show.
/// </summary>
public sealed class ServerLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _problems = new();

    /// <summary>Warnings and errors logged so far, formatted for a failure message.</summary>
    public IReadOnlyList<string> Problems => _problems.ToArray();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _problems);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> problems) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                problems.Enqueue($"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}
