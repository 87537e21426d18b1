using System;
using System.Collections.Generic;
using System.IO;
using SharpFuzz;

namespace IndexTools.Fuzz
{
    /// <summary>
    /// Entry point of the fuzz harness. <c>IndexTools.Fuzz &lt;target&gt;</c> runs one target under afl-fuzz (SharpFuzz
    /// out-of-process mode: a stack overflow or a fatal runtime error is reported as a crash instead of killing afl's
    /// fork server). <c>IndexTools.Fuzz &lt;target&gt; --replay FILE...</c> runs files through the same target without afl and
    /// prints the exception of each failing file (run.sh uses it to triage findings); <c>--replay --outcomes FILE...</c> also
    /// counts how the engine answered (accepted / rejected and why), to see which paths a corpus reaches.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
            {
                Console.Error.WriteLine("usage: IndexTools.Fuzz <" + string.Join("|", Targets.All.Keys) + "> [--replay FILE...]");
                return 2;
            }

            if (args.Length > 1 && args[1] == "--replay")
            {
                var outcomes = args.Length > 2 && args[2] == "--outcomes";
                return Replay(target, args, outcomes ? 3 : 2, outcomes);
            }

            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                target(memory.ToArray());
            });
            return 0;
        }

        private static int Replay(Action<byte[]> target, string[] args, int first, bool outcomes)
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            if (outcomes)
            {
                Targets.Outcome = outcome => counts[outcome] = counts.TryGetValue(outcome, out var n) ? n + 1 : 1;
            }

            var failures = 0;
            var files = new List<string>();
            for (var i = first; i < args.Length; i++)
            {
                if (Directory.Exists(args[i]))
                {
                    files.AddRange(Directory.GetFiles(args[i]));
                }
                else
                {
                    files.Add(args[i]);
                }
            }

            foreach (var file in files)
            {
                try
                {
                    target(File.ReadAllBytes(file));
                }
                catch (Exception ex)
                {
                    failures++;
                    Console.WriteLine("FAIL " + file + ": " + ex.GetType().FullName + ": " + ex.Message);
                    Console.WriteLine(ex.StackTrace);
                }
            }

            foreach (var pair in counts)
            {
                Console.WriteLine("outcome " + pair.Key + ": " + pair.Value);
            }

            Console.WriteLine("replayed " + files.Count + " file(s), " + failures + " failure(s)");
            return failures == 0 ? 0 : 1;
        }
    }
}
