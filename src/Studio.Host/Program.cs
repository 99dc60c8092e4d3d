using Studio.Host;

var builder = WebApplication.CreateBuilder(args);
// Module and theme assets (_content/...) are served from their projects when not published.
builder.WebHost.UseStaticWebAssets();
builder.AddStudioHost();

var app = builder.Build();
await app.UseStudioHostAsync();
await app.RunAsync();

/// <summary>Entry point, visible to integration tests.</summary>
public partial class Program;
