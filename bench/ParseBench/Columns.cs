using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IndexTools.ParseBench
{
    /// <summary>Figures computed from a benchmark's parameters and its measured mean / allocations.</summary>
    internal abstract class PageColumn : IColumn
    {
        public abstract string Id { get; }
        public abstract string ColumnName { get; }
        public abstract string Legend { get; }
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics == null)
            {
                return "-";
            }

            var shape = (string)benchmarkCase.Parameters["Shape"];
            var format = (string)benchmarkCase.Parameters["Format"];
            var input = Pages.Get(shape, format).Length;
            return Compute(input, report).ToString(Format, CultureInfo.InvariantCulture);
        }

        protected abstract string Format { get; }

        protected abstract double Compute(int inputBytes, BenchmarkReport report);

        public override string ToString() => ColumnName;
    }

    internal sealed class InputColumn : PageColumn
    {
        public override string Id => "ParseBench.Input";
        public override string ColumnName => "Input MB";
        public override string Legend => "Page size in MB (10^6 bytes)";
        protected override string Format => "0.000";
        protected override double Compute(int inputBytes, BenchmarkReport report) => inputBytes / 1e6;
    }

    internal sealed class ThroughputColumn : PageColumn
    {
        public override string Id => "ParseBench.Throughput";
        public override string ColumnName => "MB/s";
        public override string Legend => "Input bytes / mean time, in MB (10^6 bytes) per second";
        protected override string Format => "0.0";
        protected override double Compute(int inputBytes, BenchmarkReport report) => inputBytes / 1e6 / (report.ResultStatistics!.Mean / 1e9);
    }

    internal sealed class AllocationRatioColumn : PageColumn
    {
        public override string Id => "ParseBench.AllocRatio";
        public override string ColumnName => "Alloc/Input";
        public override string Legend => "Bytes allocated per parse / input bytes";
        protected override string Format => "0.00";
        protected override double Compute(int inputBytes, BenchmarkReport report) =>
            (report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0) / (double)inputBytes;
    }
}
