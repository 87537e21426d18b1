using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace IndexTools.IndexServer
{
    /// <summary>
    /// <c>dotnet run --project tests/IndexServer -- --fixture path.json | --demo [--port-file path] [--no-stdin]</c>.
    /// Prints <c>INDEX &lt;name&gt; &lt;url&gt;</c> per index (<c>PEER &lt;name&gt; &lt;url&gt;</c> per peer index) and then
    /// <c>READY &lt;baseurl&gt;</c>; runs until stdin closes (unless --no-stdin), SIGTERM or Ctrl+C.
    /// </summary>
    public static class Program
    {
        private const string Usage =
            "usage: IndexTools.IndexServer (--fixture <path.json> | --demo) [--port-file <path>] [--no-stdin]\n" +
            "  Serves PEP 503/691 indexes on 127.0.0.1 and a free port until stdin closes, SIGTERM or Ctrl+C.\n" +
            "  --no-stdin  ignore stdin (run until a signal), for launchers that give the process no stdin.";

        public static async Task<int> Main(string[] args)
        {
            string? fixturePath = null;
            string? portFile = null;
            var demo = false;
            var watchStdin = true;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--fixture" when i + 1 < args.Length:
                        fixturePath = args[++i];
                        break;
                    case "--port-file" when i + 1 < args.Length:
                        portFile = args[++i];
                        break;
                    case "--demo":
                        demo = true;
                        break;
                    case "--no-stdin":
                        watchStdin = false;
                        break;
                    case "--help":
                    case "-h":
                        Console.Out.WriteLine(Usage);
                        return 0;
                    default:
                        Console.Error.WriteLine("unknown or incomplete argument: " + args[i]);
                        Console.Error.WriteLine(Usage);
                        return 2;
                }
            }

            if (demo == (fixturePath != null))
            {
                Console.Error.WriteLine("give exactly one of --fixture <path> or --demo");
                Console.Error.WriteLine(Usage);
                return 2;
            }

            ServerFixture fixture;
            try
            {
                fixture = demo ? ServerFixture.Demo() : ServerFixture.Load(fixturePath!);
            }
            catch (Exception e) when (e is IOException || e is FormatException || e is UnauthorizedAccessException || e is System.Text.Json.JsonException || e is ArgumentException || e is InvalidOperationException)
            {
                Console.Error.WriteLine("cannot load the fixture: " + e.Message);
                return 1;
            }

            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

            await using var host = await IndexServerHost.StartAsync(fixture, stop.Token).ConfigureAwait(false);
            foreach (var index in host.Fixture.Indexes)
            {
                Console.Out.WriteLine("INDEX " + index.Name + " " + host.IndexUrl(index.Name).AbsoluteUri);
            }

            if (host.Peer != null)
            {
                foreach (var index in host.Peer.Fixture.Indexes)
                {
                    Console.Out.WriteLine("PEER " + index.Name + " " + host.Peer.IndexUrl(index.Name).AbsoluteUri);
                }
            }

            if (portFile != null)
            {
                File.WriteAllText(portFile, host.BaseUrl.AbsoluteUri + Environment.NewLine);
            }

            Console.Out.WriteLine("READY " + host.BaseUrl.AbsoluteUri);
            Console.Out.Flush();

            if (watchStdin)
            {
                var watcher = new Thread(() =>
                {
                    try
                    {
                        var buffer = new char[256];
                        while (Console.In.Read(buffer, 0, buffer.Length) > 0)
                        {
                        }
                    }
                    catch (IOException)
                    {
                    }

                    stop.Cancel();
                })
                {
                    IsBackground = true,
                    Name = "stdin watcher",
                };
                watcher.Start();
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        }
    }
}
