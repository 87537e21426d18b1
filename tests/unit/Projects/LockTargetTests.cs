using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Projects;
using IndexTools.Engine.Search;
using IndexTools.Engine.Versions;
using IndexTools.IndexServer;
using IndexTools.Tests.Search;
using Xunit;

namespace IndexTools.Tests.Projects
{
    /// <summary>
    /// Test-PyLock's target is the lock's: its requires-python bounds the check (issue 15), and a package locked in forks
    /// (resolution-markers) is judged for the lowest Python of those forks. Real search over loopback HTTP.
    /// </summary>
    public sealed class LockTargetTests
    {
        private static async Task<SearchHarness> StartAsync()
        {
            var pypi = new IndexFixture("pypi")
                .Add("modern", new PackageFile("modern-2.0.0-py3-none-any.whl") { RequiresPython = ">=3.11" })
                .Add("legacy", new PackageFile("legacy-1.0.0-py3-none-any.whl") { RequiresPython = ">=3.8" });
            return await SearchHarness.StartAsync(pypi);
        }

        private static string Lock(string registry, string requiresPython, params (string Name, string Version, string? Markers)[] packages)
        {
            var text = "version = 1\nrequires-python = \"" + requiresPython + "\"\n";
            foreach (var (name, version, markers) in packages)
            {
                text += "\n[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\nsource = { registry = \"" + registry + "\" }\n"
                    + (markers is null ? "" : "resolution-markers = [" + markers + "]\n");
            }

            return text;
        }

        private static async Task<List<LockDrift>> CheckAsync(SearchHarness h, string path)
        {
            var (range, source) = UvLockReader.ReadRequiresPython(path);
            var target = TargetEnvironment.Create(null, null, range, source);
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("pypi"));
            var client = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(SearchHarness.Environment()));
            var check = new LockCheck(settings, client, new SearchOptions { Target = target });
            var result = new List<LockDrift>();
            await foreach (var drift in check.CheckAsync(path, UvLockReader.Read(path), CancellationToken.None))
            {
                result.Add(drift);
            }

            return result;
        }

        [Fact]
        public async Task The_locks_requires_python_bounds_the_check_and_fork_markers_narrow_it_per_package()
        {
            await using var h = await StartAsync();
            using var files = new ProjectFiles();
            var registry = h.Server.IndexUrl("pypi").ToString();
            var path = files.Write("uv.lock", Lock(
                registry,
                ">=3.9",
                ("legacy", "1.0.0", null),
                // No fork: locked for >=3.9, but its only file needs 3.11.
                ("modern", "2.0.0", null),
                // Locked in the 3.11+ fork only: judged for 3.11.
                ("modern", "2.0.0", "\"python_full_version >= '3.11' and sys_platform == 'linux'\", \"python_full_version >= '3.12'\""),
                // A fork from 3.10 is still below what the file needs.
                ("modern", "2.0.0", "\"python_full_version >= '3.10'\""),
                // A fork without a lower bound of its own: the lock's range.
                ("modern", "2.0.0", "\"python_full_version >= '3.11'\", \"sys_platform == 'win32'\"")));

            Assert.Equal((">=3.9", "uv.lock:2"), UvLockReader.ReadRequiresPython(path));
            var results = await CheckAsync(h, path);

            Assert.Equal(
                new[] { LockDriftReason.Unchanged, LockDriftReason.VersionMissing, LockDriftReason.Unchanged, LockDriftReason.VersionMissing, LockDriftReason.VersionMissing },
                results.Select(r => r.Reason).ToArray());
            Assert.Contains("(requires-python of uv.lock:2)", results[1].Resolution!.Target);
            Assert.Contains("requires-python >=3.11; target", results[1].Resolution!.Attempts[0].Reason);
            Assert.StartsWith("Python >=3.9, >=3.11 (requires-python of uv.lock, narrowed by the package's resolution-markers)", results[2].Resolution!.Target);
            Assert.Contains(">=3.10", results[3].Resolution!.Target);
        }

        [Fact]
        public void A_lock_without_requires_python_leaves_the_target_as_it_was()
        {
            using var files = new ProjectFiles();
            var path = files.Write("uv.lock", "version = 1\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\n");

            Assert.Equal(((string?)null, (string?)null), UvLockReader.ReadRequiresPython(path));
            Assert.Null(UvLockReader.ReadRequirements(path).RequiresPython);
        }
    }
}
