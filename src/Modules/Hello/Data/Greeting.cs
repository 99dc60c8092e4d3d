namespace Studio.Modules.Hello.Data;

/// <summary>One greeting left by a visitor.</summary>
public sealed record Greeting(long Id, string Author, string Message, DateTime CreatedUtc);
