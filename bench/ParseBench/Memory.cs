using System;
using IndexTools.Engine.SimpleApi;

namespace IndexTools.ParseBench
{
    /// <summary>
    /// Splits one parse's allocations into what the parsed page keeps alive (retained after a full collection) and
    /// what was temporary: the benchmark's Allocated column is the sum of both.
    /// </summary>
    internal static class Memory
    {
        internal static string Measure(string shape, string format)
        {
            var page = Pages.Get(shape, format);
            var contentType = Pages.ContentType(format);
            for (var i = 0; i < 3; i++)
            {
                ProjectPageParser.Parse(page, contentType, Pages.PageUrl, PageGenerator.ProjectName);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var parsed = ProjectPageParser.Parse(page, contentType, Pages.PageUrl, PageGenerator.ProjectName);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            var retained = GC.GetTotalMemory(true) - before;
            GC.KeepAlive(parsed);
            var files = parsed.Files.Count;
            var times = new double[21];
            for (var i = 0; i < times.Length; i++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                ProjectPageParser.Parse(page, contentType, Pages.PageUrl, PageGenerator.ProjectName);
                times[i] = watch.Elapsed.TotalMilliseconds;
            }

            Array.Sort(times);
            return $"{shape}/{format}: median {times[times.Length / 2]:F1} ms, min {times[0]:F1} ms; input {page.Length:N0} B, {files} files ({page.Length / (double)files:F0} B/file); "
                + $"allocated {allocated:N0} B = {allocated / (double)page.Length:F2}x ({allocated / (double)files:F0} B/file); "
                + $"retained by the page {retained:N0} B = {retained / (double)page.Length:F2}x ({retained / (double)files:F0} B/file); "
                + $"temporary {(allocated - retained) / (double)page.Length:F2}x";
        }
    }
}
