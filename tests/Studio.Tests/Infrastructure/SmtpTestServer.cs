using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Studio.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback, small enough to read: EHLO/HELO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, RSET,
/// NOOP, QUIT. It keeps what it receives, can be told to refuse mail with a status code, and can be stopped
/// (then connections are refused) and started again on the same port.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;
    private Socket? _placeholder;

    public SmtpTestServer(string? user = null, string? password = null)
    {
        User = user;
        Password = password;
        Start(0);
    }

    /// <summary>Required credentials (AUTH PLAIN is offered and required when set).</summary>
    public string? User { get; }
    public string? Password { get; }

    public int Port { get; private set; }

    /// <summary>When set, MAIL FROM is answered with this code (e.g. 451 "try again later").</summary>
    public int? RefuseWith { get; set; }

    /// <summary>Messages received, in order.</summary>
    public IReadOnlyList<MimeMessage> Messages => _messages.ToArray();

    /// <summary>Number of failed AUTH attempts.</summary>
    public int FailedLogins;

    private void Start(int port)
    {
        _placeholder?.Dispose();
        _placeholder = null;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Starts listening again on the same port.</summary>
    public void Restart() => Start(Port);

    /// <summary>Stops listening: clients get "connection refused".</summary>
    public async Task StopAsync()
    {
        if (_stop is null)
            return;
        await _stop.CancelAsync();
        _listener!.Stop();
        try { await _accepting!; } catch (OperationCanceledException) { }
        _stop.Dispose();
        _stop = null;
        // Keep the port bound (not listening) so connections are refused and no other listener of the test run
        // is given this port while the test expects it to be down. Best effort: a lingering connection of its
        // own may keep the port busy, which blocks other listeners just the same.
        var placeholder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            placeholder.Bind(new IPEndPoint(IPAddress.Loopback, Port));
            _placeholder = placeholder;
        }
        catch (SocketException)
        {
            placeholder.Dispose();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => ServeAsync(client, token), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken token)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8, false, 1024, leaveOpen: true);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost test SMTP ready");
            var authenticated = User is null;
            while (!token.IsCancellationRequested && await reader.ReadLineAsync(token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost");
                        if (User is not null)
                            await writer.WriteLineAsync("250-AUTH PLAIN");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 localhost");
                        break;
                    case "AUTH":
                        var parts = line.Split(' ');
                        var response = parts.Length > 2 ? parts[2] : null;
                        if (response is null)
                        {
                            await writer.WriteLineAsync("334 ");
                            response = await reader.ReadLineAsync(token) ?? "";
                        }
                        var fields = Encoding.UTF8.GetString(Convert.FromBase64String(response)).Split('\0');
                        authenticated = fields.Length == 3 && fields[1] == User && fields[2] == Password;
                        if (!authenticated)
                            Interlocked.Increment(ref FailedLogins);
                        await writer.WriteLineAsync(authenticated ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
                        break;
                    case "MAIL":
                        if (!authenticated)
                            await writer.WriteLineAsync("530 5.7.0 Authentication required");
                        else if (RefuseWith is { } code)
                            await writer.WriteLineAsync($"{code} 4.3.0 Try again later");
                        else
                            await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        await writer.WriteLineAsync("250 2.1.5 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(token) is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        _messages.Enqueue(MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString()))));
                        await writer.WriteLineAsync("250 2.0.0 Queued");
                        break;
                    case "RSET":
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _placeholder?.Dispose();
    }
}
