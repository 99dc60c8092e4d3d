// The `dotnet new webapp` pipeline, minus UseHttpsRedirection: the benchmark serves plain HTTP on loopback, where
// the redirection middleware only logs a warning that there is no HTTPS port.
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorPages();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}

app.UseRouting();

app.UseAuthorization();

app.MapStaticAssets();
app.MapRazorPages()
   .WithStaticAssets();

app.Run();
