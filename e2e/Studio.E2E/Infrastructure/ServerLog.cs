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
    private readonly ConcurrentDictionary<ExpectedLog, bool> _expected = new();

    /// <summary>Warnings and errors logged so far, formatted for a failure message.</summary>
    public IReadOnlyList<string> Problems => _problems.ToArray();

    /// <summary>
    /// Declares an error the test provokes on purpose (of <paramref name="category"/>, with an exception that
    /// <paramref name="matches"/>): it is counted on the returned handle instead of failing the test, until the
    /// handle is disposed.
    /// </summary>
    public ExpectedLog Expect(string category, Func<Exception?, bool> matches)
    {
        var expected = new ExpectedLog(category, matches, e => _expected.TryRemove(e, out _));
        _expected[expected] = true;
        return expected;
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

    public void Dispose()
    {
    }

    private void Record(LogLevel level, string category, string message, Exception? exception)
    {
        foreach (var expected in _expected.Keys)
            if (expected.TryCount(category, exception))
                return;
        _problems.Enqueue($"[{level}] {category}: {message}{(exception is null ? "" : Environment.NewLine + exception)}");
    }

    private sealed class CapturingLogger(string category, ServerLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                log.Record(logLevel, category, formatter(state, exception), exception);
        }
    }
}

/// <summary>An error a test provokes on purpose; <see cref="Count"/> says how often it was logged.</summary>
public sealed class ExpectedLog(string category, Func<Exception?, bool> matches, Action<ExpectedLog> remove) : IDisposable
{
    private int _count;

    /// <summary>How many matching entries were logged.</summary>
    public int Count => Volatile.Read(ref _count);

    internal bool TryCount(string loggedCategory, Exception? exception)
    {
        if (loggedCategory != category || !matches(exception))
            return false;
        Interlocked.Increment(ref _count);
        return true;
    }

    public void Dispose() => remove(this);
}
