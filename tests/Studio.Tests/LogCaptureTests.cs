using Microsoft.Extensions.Logging;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>The suite's own guard: warnings fail tests unless declared, and declared ones must happen.</summary>
public sealed class LogCaptureTests
{
    private static LogCapture Capture(out ILogger logger, string category = "Studio.Host.Thing")
    {
        var capture = new LogCapture();
        logger = capture.CreateLogger(category);
        return capture;
    }

    [Fact]
    public void Information_is_fine_warnings_are_not()
    {
        var capture = Capture(out var logger);
        logger.LogInformation("all good");
        capture.AssertClean(0, [], "info");
        logger.LogWarning("careful {What}", "there");
        var e = Assert.Throws<Xunit.Sdk.XunitException>(() => capture.AssertClean(0, [], "warn"));
        Assert.Contains("unexpected [Warning] Studio.Host.Thing: careful there", e.Message);
    }

    [Fact]
    public void Declared_entries_are_tolerated_only_with_matching_category_level_and_message()
    {
        var capture = Capture(out var logger);
        logger.LogError("Tenant x was disabled: boom");
        capture.AssertClean(0, [new ExpectedLog("Studio.Host.Thing", LogLevel.Error, "^Tenant x was disabled")], "match");
        Assert.Throws<Xunit.Sdk.XunitException>(() =>
            capture.AssertClean(0, [new ExpectedLog("Studio.Host.Other", LogLevel.Error, "^Tenant x was disabled")], "category"));
        Assert.Throws<Xunit.Sdk.XunitException>(() =>
            capture.AssertClean(0, [new ExpectedLog("Studio.Host.Thing", LogLevel.Warning, "^Tenant x was disabled")], "level"));
        Assert.Throws<Xunit.Sdk.XunitException>(() =>
            capture.AssertClean(0, [new ExpectedLog("Studio.Host.Thing", LogLevel.Error, "^Tenant y")], "message"));
    }

    [Fact]
    public void A_required_expectation_that_never_happened_fails()
    {
        var capture = Capture(out _);
        var e = Assert.Throws<Xunit.Sdk.XunitException>(() =>
            capture.AssertClean(0, [new ExpectedLog("Studio.Host.Thing", LogLevel.Error, "boom")], "missing"));
        Assert.Contains("expected but never logged", e.Message);
        capture.AssertClean(0, [new ExpectedLog("Studio.Host.Thing", LogLevel.Error, "boom", Required: false)], "optional");
    }

    [Fact]
    public void Marks_limit_the_check_to_one_test()
    {
        var capture = Capture(out var logger);
        logger.LogWarning("before");
        var mark = capture.Mark;
        logger.LogInformation("during");
        capture.AssertClean(mark, [], "after mark");
    }
}
