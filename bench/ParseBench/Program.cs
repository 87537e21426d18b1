using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace IndexTools.ParseBench
{
    /// <summary>
    /// dotnet run -c Release --project bench/ParseBench -- --filter '*'          (the full run the figures come from)
    /// dotnet run -c Release --project bench/ParseBench -- --filter '*' --job short   (a quick look)
    /// dotnet run -c Release --project bench/ParseBench -- --check               (only checks that both pages parse alike)
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            // Every run first proves the two pages parse to the same files. (pypi.org writes data-yanked="" where its JSON says
            // "yanked": true, so an empty reason and no reason count as the same.)
            foreach (var shape in new[] { "pypi", "lean" })
            {
                Console.WriteLine(Pages.Check(shape));
            }

            if (args.Contains("--check"))
            {
                return 0;
            }

            if (args.Contains("--memory"))
            {
                foreach (var shape in new[] { "pypi", "lean" })
                {
                    foreach (var format in new[] { "html", "json" })
                    {
                        Console.WriteLine(Memory.Measure(shape, format));
                    }
                }

                return 0;
            }

            var config = DefaultConfig.Instance
                .AddColumn(new InputColumn(), new ThroughputColumn(), new AllocationRatioColumn());
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
            return 0;
        }
    }
}
