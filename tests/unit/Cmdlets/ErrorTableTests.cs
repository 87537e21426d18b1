using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using IndexTools.Cmdlets;
using IndexTools.Engine;
using Xunit;

namespace IndexTools.Tests.Cmdlets
{
    /// <summary>
    /// Issue 13.4: every error a cmdlet writes is a kind with one row in ErrorTable (the engine's kinds and the cmdlets'
    /// own), the ids stay what users script against, and no other cmdlet file spells an id or builds an ErrorRecord.
    /// </summary>
    public class ErrorTableTests
    {
        /// <summary>The cmdlet-level errors as they were published before they moved into the table: kind, id, category, has a fix.</summary>
        public static readonly TheoryData<string, string, ErrorCategory, bool> CmdletRows = new TheoryData<string, string, ErrorCategory, bool>
        {
            { nameof(CmdletErrorKind.PathNotFound), "PathNotFound", ErrorCategory.ObjectNotFound, true },
            { nameof(CmdletErrorKind.ConfigFilePathNotFound), "ConfigFileNotFound", ErrorCategory.ObjectNotFound, true },
            { nameof(CmdletErrorKind.ProjectPathNotFound), "ProjectNotFound", ErrorCategory.ObjectNotFound, true },
            { nameof(CmdletErrorKind.RequirementsPathNotFound), "ProjectFileNotFound", ErrorCategory.ObjectNotFound, true },
            { nameof(CmdletErrorKind.ProjectFileNotFound), "ProjectFileNotFound", ErrorCategory.ObjectNotFound, true },
            { nameof(CmdletErrorKind.PathNotUnique), "PathNotUnique", ErrorCategory.InvalidArgument, true },
            { nameof(CmdletErrorKind.ConfirmationRequired), "ConfirmationRequired", ErrorCategory.InvalidOperation, true },
            { nameof(CmdletErrorKind.ProxyParameterConflict), "ProxyParameterConflict", ErrorCategory.InvalidArgument, false },
            { nameof(CmdletErrorKind.CredentialIndexWithoutCredential), "CredentialIndexWithoutCredential", ErrorCategory.InvalidArgument, false },
            { nameof(CmdletErrorKind.CredentialIndexAmbiguous), "CredentialIndexAmbiguous", ErrorCategory.InvalidArgument, true },
            { nameof(CmdletErrorKind.CacheParameterConflict), "CacheParameterConflict", ErrorCategory.InvalidArgument, false },
            { nameof(CmdletErrorKind.InvalidUvVersion), "InvalidUvVersion", ErrorCategory.InvalidArgument, true },
            { nameof(CmdletErrorKind.UvVersionCount), "InvalidUvVersion", ErrorCategory.InvalidArgument, false },
            { nameof(CmdletErrorKind.InvalidTarget), "InvalidTarget", ErrorCategory.InvalidArgument, true },
            { nameof(CmdletErrorKind.IndexNameRequired), "IndexNameRequired", ErrorCategory.InvalidArgument, true },
            { nameof(CmdletErrorKind.PathAndScopeConflict), "PathAndScopeConflict", ErrorCategory.InvalidArgument, false },
            { nameof(CmdletErrorKind.IndexUrlNotAbsolute), "InvalidIndexUrl", ErrorCategory.InvalidArgument, false },
            { nameof(CmdletErrorKind.PackageNotInLock), "PackageNotInLock", ErrorCategory.ObjectNotFound, true },
            { nameof(CmdletErrorKind.NotReportable), "NotReportable", ErrorCategory.InvalidType, true },
            { nameof(CmdletErrorKind.ReportWriteFailed), "ReportWriteFailed", ErrorCategory.WriteError, true },
            { nameof(CmdletErrorKind.IndexReportFailed), "IndexReportFailed", ErrorCategory.InvalidResult, true },
        };

        [Theory]
        [MemberData(nameof(CmdletRows))]
        public void ACmdletKindKeepsItsPublishedIdAndCategory(string name, string id, ErrorCategory category, bool hasFix)
        {
            var kind = (CmdletErrorKind)Enum.Parse(typeof(CmdletErrorKind), name);
            var row = ErrorTable.Of(kind);
            Assert.Equal(id, row.Id);
            Assert.Equal(category, row.Category);
            var record = ErrorTable.Record(kind, new ArgumentException("what happened"), "target", detail: "Path");
            Assert.Equal(id, record.FullyQualifiedErrorId);
            Assert.Equal(category, record.CategoryInfo.Category);
            Assert.Equal("target", record.TargetObject);
            if (hasFix)
            {
                Assert.False(string.IsNullOrWhiteSpace(row.Action(null)), kind + " has no fix without a detail");
                Assert.Equal("what happened", record.ErrorDetails.Message);
                Assert.Equal(row.Action("Path"), record.ErrorDetails.RecommendedAction);
            }
            else
            {
                // These errors never had ErrorDetails: the message is the exception's, and there is no fix to show.
                Assert.Null(row.Action(null));
                Assert.Null(record.ErrorDetails);
            }
        }

        [Fact]
        public void EveryCmdletKindIsPinnedAbove()
        {
            var kinds = (CmdletErrorKind[])Enum.GetValues(typeof(CmdletErrorKind));
            Assert.Equal(kinds.Length, ErrorTable.AllCmdlet.Count);
            Assert.Equal(kinds.Select(k => k.ToString()).OrderBy(k => k, StringComparer.Ordinal), CmdletRows.Select(r => (string)r[0]).OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public void AFixThatNamesItsDetailSaysIt()
        {
            Assert.Equal("Check the path; give an existing project folder or configuration file (pyproject.toml, uv.toml, uv.lock), or omit -Path to start from the current folder.",
                ErrorTable.Of(CmdletErrorKind.PathNotFound).Action("Path"));
            Assert.Equal("Run it again with -Force once you accept that; -WhatIf shows what it would do.", ErrorTable.Of(CmdletErrorKind.ConfirmationRequired).Action("-Force"));
            Assert.Equal("Fix the entries marked Error or Warning, or pass -FailOn Never to only report.", ErrorTable.Of(CmdletErrorKind.IndexReportFailed).Action("Warning"));
            Assert.Equal("Fix the entries marked Error, or pass -FailOn Never to only report.", ErrorTable.Of(CmdletErrorKind.IndexReportFailed).Action(null));
        }

        [Fact]
        public void EveryKindHasExactlyOneRowInTheTable()
        {
            // A dictionary initializer keeps the last of two rows for one kind without a word: count them in the source.
            var table = File.ReadAllText(Path.Combine(CmdletsFolder(), "ErrorTable.cs"));
            foreach (var kind in Enum.GetNames(typeof(ErrorKind)))
            {
                Assert.True(Occurrences(table, "[ErrorKind." + kind + "] = new Row(") == 1, "ErrorKind." + kind + " needs exactly one row in ErrorTable.cs");
            }

            foreach (var kind in Enum.GetNames(typeof(CmdletErrorKind)))
            {
                Assert.True(Occurrences(table, "[CmdletErrorKind." + kind + "] = new Row(") == 1, "CmdletErrorKind." + kind + " needs exactly one row in ErrorTable.cs");
            }

            Assert.Equal(Enum.GetNames(typeof(ErrorKind)).Length + Enum.GetNames(typeof(CmdletErrorKind)).Length, Occurrences(table, "] = new Row("));
        }

        [Fact]
        public void NoCmdletFileButTheTableBuildsAnErrorRecordOrComparesAnId()
        {
            var builds = new Regex(@"new\s+ErrorRecord\s*\(|ErrorRecord\s+\w+\s*=\s*new\s*\(");
            var compares = new Regex(@"FullyQualifiedErrorId|\.ErrorId\b|\.Id\s*[!=]=|Equals\([^)]*\.Id\b");
            var files = Directory.GetFiles(CmdletsFolder(), "*.cs", SearchOption.AllDirectories);
            Assert.Contains(files, f => Path.GetFileName(f) == "ErrorTable.cs");
            var offenders = new List<string>();
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var code = lines[i].TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if ((builds.IsMatch(code) && Path.GetFileName(file) != "ErrorTable.cs") || compares.IsMatch(code))
                    {
                        offenders.Add(Path.GetFileName(file) + ":" + (i + 1) + ": " + code);
                    }
                }
            }

            Assert.Empty(offenders);
        }

        private static int Occurrences(string text, string value)
        {
            var count = 0;
            for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }

        /// <summary>src/Cmdlets of this checkout, found from the test assembly's folder upwards.</summary>
        private static string CmdletsFolder()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "src", "Cmdlets");
                if (File.Exists(Path.Combine(dir.FullName, "IndexTools.sln")) && Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("src/Cmdlets not found above " + AppContext.BaseDirectory);
        }
    }
}
