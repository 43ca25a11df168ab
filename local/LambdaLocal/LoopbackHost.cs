using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflows.LambdaLocal;

/// <summary>A quiet Kestrel host on 127.0.0.1 (port 0 = a free one) whose routes the caller maps.</summary>
internal static class LoopbackHost
{
    public static async Task<(WebApplication App, int Port)> StartAsync(int port, Action<WebApplication> map, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        map(app);
        await app.StartAsync(ct);
        var address = app.Urls.First();
        return (app, new Uri(address).Port);
    }
}
