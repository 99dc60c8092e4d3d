using MimeKit;

namespace Studio.Modules.Email.Providers;

/// <summary>
/// Writes each message as an .eml file into a folder — for a local mail agent that picks them up, or for an
/// operator to read when no relay is configured. Written to a temporary name, then renamed, so a reader never
/// sees half a file.
/// </summary>
public sealed class PickupDirectoryEmailProvider(string directory) : IEmailProvider
{
    /// <inheritdoc />
    public string Name => "pickup";

    /// <summary>The folder written to.</summary>
    public string Directory => directory;

    /// <inheritdoc />
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            var name = (message.MessageId ?? Guid.NewGuid().ToString("N")).Replace('@', '_').Replace('/', '_');
            var temporary = Path.Combine(directory, name + ".tmp");
            await message.WriteToAsync(temporary, cancellationToken);
            File.Move(temporary, Path.Combine(directory, name + ".eml"), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmailDeliveryException($"{Name}: {e.GetType().Name}", permanent: false, e);
        }
    }
}
