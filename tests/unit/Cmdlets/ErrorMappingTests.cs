using IndexTools.Engine;
using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using IndexTools.Cmdlets;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Cmdlets
{
    public class ErrorMappingTests
    {
        private static PackageResolution Unresolved(StopReason reason, string? hint = "A long hint that explains what happened and says what to do at length.", string? fix = "do this")
        {
            return new PackageResolution
            {
                Package = "acme-auth",
                Requirement = "acme-auth>=1",
                StopReason = reason,
                Hint = hint,
                Fix = fix,
                Attempts = new[]
                {
                    new IndexAttempt { Package = "acme-auth", Order = 1, Index = "internal", StatusCode = 401, Outcome = AttemptOutcome.AuthFailed, Decision = SearchDecision.Stop, Reason = "HTTP 401 without credentials" },
                    new IndexAttempt { Package = "acme-auth", Order = 2, Index = "pypi", Outcome = AttemptOutcome.Skipped, Decision = SearchDecision.Stop, Reason = "already stopped" },
                },
            };
        }

        [Theory]
        [InlineData(StopReason.NotFound, "PackageNotFound", ErrorCategory.ObjectNotFound)]
        [InlineData(StopReason.AuthenticationFailed, "IndexAuthenticationFailed", ErrorCategory.AuthenticationError)]
        [InlineData(StopReason.IndexError, "IndexError", ErrorCategory.ConnectionError)]
        [InlineData(StopReason.NoMatchingVersion, "NoMatchingVersion", ErrorCategory.ObjectNotFound)]
        public void UnresolvedPackagesMapByStopReason(StopReason reason, string id, ErrorCategory category)
        {
            var record = EngineErrors.FromResolution(Unresolved(reason));
            Assert.Equal(id, record.FullyQualifiedErrorId);
            Assert.Equal(category, record.CategoryInfo.Category);
            Assert.Equal("acme-auth", record.TargetObject);
            Assert.Equal("do this", record.ErrorDetails.RecommendedAction);
            Assert.DoesNotContain("do this", record.ErrorDetails.Message);
        }

        [Fact]
        public void TheMessageCarriesTheDecisiveAttemptNotTheSkippedOne()
        {
            var record = EngineErrors.FromResolution(Unresolved(StopReason.AuthenticationFailed));
            Assert.Equal("'acme-auth': 'internal' answered 401 and the search stopped there (no credentials were sent).", record.ErrorDetails.Message);
            Assert.DoesNotContain("already stopped", record.ErrorDetails.Message);
        }

        [Fact]
        public void TheFixIsShownOnceAndNotTheHintAgain()
        {
            var record = EngineErrors.FromResolution(Unresolved(StopReason.AuthenticationFailed));
            Assert.Equal("do this", record.ErrorDetails.RecommendedAction);
            Assert.DoesNotContain("long hint", record.ErrorDetails.Message + record.ErrorDetails.RecommendedAction);
            var withoutFix = EngineErrors.FromResolution(Unresolved(StopReason.NotFound, fix: null));
            Assert.Equal(ErrorTable.Of(ErrorKind.PackageNotFound).Action(null), withoutFix.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void TheMessageIsOneLineThatFitsBesideTheCommandNameAt120Columns()
        {
            var many = new PackageResolution
            {
                Package = new string('p', 60),
                Requirement = new string('p', 60) + ">=1",
                StopReason = StopReason.NotFound,
                Attempts = Enumerable.Range(1, 6).Select(i => new IndexAttempt { Order = i, Index = "index-with-a-long-name-" + i, StatusCode = 404, Outcome = AttemptOutcome.NotFound, Decision = SearchDecision.Continue, Reason = "HTTP 404" }).ToArray(),
            };
            foreach (var resolution in new[] { many, Unresolved(StopReason.NoMatchingVersion), Unresolved(StopReason.IndexError), Unresolved(StopReason.AuthenticationFailed) })
            {
                var message = EngineErrors.FromResolution(resolution).ErrorDetails.Message;
                Assert.DoesNotContain("\n", message);
                Assert.True(message.Length <= EngineErrors.MessageWidth, message.Length + ": " + message);
                Assert.True(("Resolve-PyPackage: " + message).Length <= 120);
            }

            Assert.EndsWith("...", EngineErrors.FromResolution(many).ErrorDetails.Message);
        }

        [Fact]
        public void ConfigurationErrorsKeepTheEngineErrorIdAndTargetTheFile()
        {
            var e = new IndexConfigurationException("bad code 99", "/p/pyproject.toml", 12, 5, "internal") { Kind = ErrorKind.InvalidIgnoreErrorCode };
            var record = EngineErrors.FromException(e, "requests")!;
            Assert.Equal("InvalidIgnoreErrorCode", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, record.CategoryInfo.Category);
            Assert.Equal("/p/pyproject.toml", record.TargetObject);
            Assert.Contains("/p/pyproject.toml:12:5", record.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void OtherEngineExceptionsHaveStableIds()
        {
            Assert.Equal("InvalidRequirement", EngineErrors.FromException(new FormatException("x"), "req")!.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, EngineErrors.FromException(new FormatException("x"), "req")!.CategoryInfo.Category);
            Assert.Equal("ConfigurationFileError", EngineErrors.FromException(new IOException("changed"), "/f")!.FullyQualifiedErrorId);
            Assert.Equal("FileAccessDenied", EngineErrors.FromException(new UnauthorizedAccessException("no"), "/f")!.FullyQualifiedErrorId);
            Assert.Equal("OperationTimedOut", EngineErrors.FromException(new OperationCanceledException(), "req")!.FullyQualifiedErrorId);
            Assert.Null(EngineErrors.FromException(new InvalidOperationException(), "req"));
            var unsafeLock = EngineErrors.FromException(new ConfigFileLockUnsafeException("/p/uv.toml", "/tmp/indextools-locks-0", "the lock folder belongs to another user."), "/p/uv.toml")!;
            Assert.Equal("ConfigFileLockUnsafe", unsafeLock.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, unsafeLock.CategoryInfo.Category);
            var linked = EngineErrors.FromException(new HardLinkedFileException("/p/uv.toml", 2), "/p/uv.toml")!;
            Assert.Equal("HardLinkedFile", linked.FullyQualifiedErrorId);
            Assert.Contains("-Force", linked.ErrorDetails.RecommendedAction);
        }

        /// <summary>The ids users script against, as they were when the table replaced the strings (issue 13.4).</summary>
        private static readonly string[] PublishedIds =
        {
            "InvalidIndexConfiguration", "ConfigFileNotFound", "TomlParseError", "UnknownConfigField", "InvalidConfigValue", "InvalidSource",
            "UnknownSourceIndex", "DuplicateIndexName", "MultipleDefaultIndexes", "InvalidIndexName", "InvalidIndexUrl", "InvalidIndexStrategy",
            "InvalidKeyringProvider", "InvalidEnvironmentVariable", "UserConfigNotFound", "ProjectNotFound", "LockNotFound", "IndexNotFound",
            "InvalidIgnoreErrorCode", "UnsupportedConfigEdit", "IndexNameConflict", "IndexUrlConflict", "SearchOrderWouldChange", "InvalidNetrc",
            "InvalidCredentialStore", "CredentialsNotAllowed", "MissingCredentials", "InvalidRequirement", "InvalidRequirementsOption",
            "UnknownRequirementsOption", "RequirementsIncludeNotFound", "RequirementsIncludeCycle", "UnknownExtra", "UnknownDependencyGroup",
            "InvalidDependencyGroup", "DependencyGroupCycle", "InvalidLockEntry", "EditableRequirement", "DirectReference", "NonIndexSource",
            "ConfigurationFileError", "FileAccessDenied", "ConfigFileLocked", "OperationTimedOut", "PackageNotFound", "IndexAuthenticationFailed",
            "IndexError", "NoMatchingVersion",

            // Added with issue 20.13 and 20.14 (edits on real file systems).
            "ConfigFileLockUnsafe", "HardLinkedFile",
        };

        [Fact]
        public void EveryKindHasOneRowWithItsPublishedIdAndAnAction()
        {
            var kinds = (ErrorKind[])Enum.GetValues(typeof(ErrorKind));
            Assert.Equal(kinds.Length, ErrorTable.All.Count);
            Assert.Equal(PublishedIds.OrderBy(i => i, StringComparer.Ordinal), kinds.Select(k => ErrorTable.Of(k).Id).OrderBy(i => i, StringComparer.Ordinal));
            foreach (var kind in kinds)
            {
                var row = ErrorTable.Of(kind);
                Assert.False(string.IsNullOrWhiteSpace(row.Action(null)), kind + " has no action without a location");
                Assert.False(string.IsNullOrWhiteSpace(row.Action("/p/uv.toml:3:1")), kind + " has no action with a location");
            }
        }

        [Theory]
        [InlineData(ErrorKind.LockNotFound, ErrorCategory.ObjectNotFound)]
        [InlineData(ErrorKind.ProjectNotFound, ErrorCategory.ObjectNotFound)]
        [InlineData(ErrorKind.TomlParseError, ErrorCategory.InvalidData)]
        [InlineData(ErrorKind.RequirementsIncludeNotFound, ErrorCategory.ObjectNotFound)]
        [InlineData(ErrorKind.InvalidRequirement, ErrorCategory.InvalidArgument)]
        public void AKindDecidesTheCategoryWhereverTheErrorIsWritten(ErrorKind kind, ErrorCategory category)
        {
            var fromException = EngineErrors.FromException(new IndexConfigurationException("x", "/p/uv.toml", 1, 1) { Kind = kind }, "t")!;
            var fromProblem = EngineErrors.FromProblem(new IndexTools.Engine.Projects.ProjectProblem(IndexTools.Engine.Projects.ProjectProblemKind.Error, kind, "/p/r.txt", 2, "/p/r.txt:2: x"));
            Assert.Equal(category, fromException.CategoryInfo.Category);
            Assert.Equal(category, fromProblem.CategoryInfo.Category);
            Assert.Equal(ErrorTable.Of(kind).Id, fromException.FullyQualifiedErrorId);
            Assert.Equal(ErrorTable.Of(kind).Id, fromProblem.FullyQualifiedErrorId);
            Assert.Equal("/p/r.txt:2", fromProblem.TargetObject);
        }
    }
}
