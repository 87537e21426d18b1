using System.IO;
using System.Linq;
using IndexTools.Engine.Projects;
using Xunit;

namespace IndexTools.Tests.Projects
{
    public sealed class UvLockReaderTests
    {
        internal const string Lock = @"version = 1
requires-python = "">=3.12""

[[package]]
name = ""app""
version = ""0.1.0""
source = { editable = ""."" }
dependencies = [{ name = ""requests"" }]

[[package]]
name = ""Requests""
version = ""2.32.3""
source = { registry = ""https://pypi.org/simple"" }
sdist = { url = ""https://files.example/requests-2.32.3.tar.gz"", hash = ""sha256:00"", size = 1 }

[[package]]
name = ""acme-utils""
version = ""1.4.1""
source = { registry = ""../wheels"" }

[[package]]
name = ""gitdep""
version = ""1.0""
source = { git = ""https://example.invalid/x.git?rev=abc#abc"" }
";

        [Fact]
        public void ReadsEveryPackageWithItsSourceAndLine()
        {
            using var files = new ProjectFiles();
            var path = files.Write("uv.lock", Lock);
            var packages = UvLockReader.Read(path);
            Assert.Equal(new[] { "app", "requests", "acme-utils", "gitdep" }, packages.Select(p => p.NormalizedName));
            Assert.Equal(new[] { "editable", "registry", "registry", "git" }, packages.Select(p => p.SourceKind));
            Assert.Equal("https://pypi.org/simple", packages[1].Registry);
            Assert.Equal(10, packages[1].Line);
            Assert.True(packages[2].IsRegistry);
            Assert.False(packages[3].IsRegistry);
        }

        [Fact]
        public void RequirementsAreNameEqualsVersionForRegistryPackagesOnly()
        {
            using var files = new ProjectFiles();
            var input = UvLockReader.ReadRequirements(files.Write("uv.lock", Lock));
            Assert.Equal(new[] { "Requests==2.32.3", "acme-utils==1.4.1" }, input.Requirements.Select(r => r.Requirement.Original));
            Assert.Equal("uv.lock:10", input.Requirements[0].Location);
            Assert.Equal(2, input.Problems.Count(p => p.Kind == ProjectProblemKind.Skipped));
        }
    }
}
