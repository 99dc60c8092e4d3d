using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Studio.Tests.Infrastructure;

/// <summary>One log entry written by the host under test.</summary>
public sealed record LogEntry(long Sequence, string Category, LogLevel Level, string Message, Exception? Exception, string State = "")
{
    public override string ToString() =>
        $"[{Level}] {Category}: {Message}{(Exception is null ? "" : " | " + Exception.GetType().Name + ": " + Exception.Message)}";
}

/// <summary>
/// A log entry a test declares it will cause on purpose (e.g. the Error of a failed migration). Only entries that
/// match one declared expectation — category, exact level, message pattern — are tolerated; anything else at
/// Warning or above fails the test.
/// </summary>
/// <param name="Category">Exact logger category (usually a type's full name).</param>
/// <param name="Level">Exact level expected.</param>
/// <param name="MessagePattern">Regular expression the formatted message must match.</param>
/// <param name="Required">When true, the test also fails if the entry never appeared (the behaviour is part of the contract).</param>
public sealed record ExpectedLog(string Category, LogLevel Level, string MessagePattern, bool Required = true)
{
    public bool Matches(LogEntry entry) =>
        entry.Category == Category && entry.Level == Level && Regex.IsMatch(entry.Message, MessagePattern);

    public override string ToString() => $"[{Level}] {Category}: /{MessagePattern}/{(Required ? "" : " (optional)")}";
}

/// <summary>Captures everything the host logs, so tests can fail on warnings and count events.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly ConcurrentQueue<string> _scopes = new();
    private long _sequence;

    /// <summary>
    /// Everything a log sink could have written: each entry's message, its structured values (also those the
    /// message template does not show), its exception with stack and inner exceptions, and every scope opened.
    /// </summary>
    public string FullText()
    {
        var text = new StringBuilder();
        foreach (var e in _entries)
            text.Append(e).Append(" | ").Append(e.State).Append(" | ").Append(e.Exception).Append('\n');
        foreach (var scope in _scopes)
            text.Append("scope: ").Append(scope).Append('\n');
        return text.ToString();
    }

    /// <summary>The sequence number the next entry will get: a test's starting mark.</summary>
    public long Mark => Interlocked.Read(ref _sequence);

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    /// <summary>Entries logged since <paramref name="mark"/>.</summary>
    public IReadOnlyList<LogEntry> Since(long mark) => _entries.Where(e => e.Sequence >= mark).ToList();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose() { }

    /// <summary>
    /// Throws when something at Warning or above was logged since <paramref name="mark"/> that no expectation
    /// covers, or when a required expectation never happened. The message lists the offending entries.
    /// </summary>
    public void AssertClean(long mark, IReadOnlyCollection<ExpectedLog> expected, string context)
    {
        var entries = Since(mark);
        var unexpected = entries
            .Where(e => e.Level >= LogLevel.Warning && !expected.Any(x => x.Matches(e)))
            .ToList();
        var missing = expected.Where(x => x.Required && !entries.Any(x.Matches)).ToList();
        if (unexpected.Count == 0 && missing.Count == 0)
            return;
        var text = new StringBuilder($"{context}: the host's log is not clean.\n");
        foreach (var e in unexpected)
            text.Append("  unexpected ").Append(e).Append('\n');
        foreach (var x in missing)
            text.Append("  expected but never logged ").Append(x).Append('\n');
        throw new Xunit.Sdk.XunitException(text.ToString());
    }

    private void Add(string category, LogLevel level, string message, Exception? exception, string state) =>
        _entries.Enqueue(new LogEntry(Interlocked.Increment(ref _sequence) - 1, category, level, message, exception, state));

    /// <summary>Structured values as a sink would serialise them: every key and value, collections expanded.</summary>
    private static string Render(object? state) => state switch
    {
        null => "",
        string text => text,
        IEnumerable<KeyValuePair<string, object?>> values => string.Join("; ", values.Select(v => v.Key + "=" + Render(v.Value))),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Render)) + "]",
        _ => state.ToString() ?? "",
    };

    private sealed class CapturingLogger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            capture._scopes.Enqueue(Render(state));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            capture.Add(category, logLevel, formatter(state, exception), exception, Render(state));
    }
}
