using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Credentials;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.Engine.Versions;
using IndexTools.IndexServer;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>-UvVersion: what an older uv would have decided, over real HTTP on loopback.</summary>
    public sealed class UvVersionTests
    {
        private static IndexFixture Pypi() => new IndexFixture
        {
            Name = "pypi",
            Packages =
            {
                ["acme-auth"] = new List<string> { "acme_auth-50.0.0-py3-none-any.whl" },
                ["torch"] = new List<string> { "torch-2.3.0-py3-none-any.whl" },
            },
        };

        private static IndexFixture Refusing(string name, int status) => new IndexFixture
        {
            Name = name,
            Packages = { ["acme-auth"] = new List<string> { "acme_auth-1.0.0-py3-none-any.whl" } },
            Behavior = new IndexBehavior { ErrorStatus = status },
        };

        private static SearchOptions Uv(string version) => new SearchOptions { UvRules = UvRules.Parse(version) };

        [Theory]
        [InlineData("0.6.17", 401)]
        [InlineData("0.6.17", 403)]
        public async Task Before_0_7_a_401_or_403_fell_through_to_the_next_index(string version, int status)
        {
            await using var h = await SearchHarness.StartAsync(Refusing("internal", status), Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal", configure: i => i with { IgnoreErrorCodes = Array.Empty<int>() }), h.Index("pypi"));

            var old = await h.Search(settings, options: Uv(version)).ResolveAsync("acme-auth", CancellationToken.None);
            var now = await h.Search(settings).ResolveAsync("acme-auth", CancellationToken.None);

            Assert.Equal(version, old.UvVersion);
            Assert.True(old.Resolved);
            Assert.Equal("pypi", old.Index);
            Assert.Equal("50.0.0", old.Version);
            Assert.Equal(AttemptOutcome.Ignored, old.Attempts[0].Outcome);
            Assert.Contains("before 0.7.0", old.Attempts[0].Reason);
            Assert.Equal("0.12.5", now.UvVersion);
            Assert.Equal(StopReason.AuthenticationFailed, now.StopReason);
        }

        [Theory]
        [InlineData(IndexStrategy.FirstIndex, 407)]
        [InlineData(IndexStrategy.UnsafeBestMatch, 407)]
        [InlineData(IndexStrategy.UnsafeBestMatch, 511)]
        public async Task Before_0_7_a_407_or_511_was_an_error_under_every_strategy(IndexStrategy strategy, int status)
        {
            await using var h = await SearchHarness.StartAsync(Refusing("internal", status), Pypi());
            var settings = SearchHarness.Settings(strategy, h.Index("internal"), h.Index("pypi"));

            var old = await h.Search(settings, options: Uv("0.6")).ResolveAsync("acme-auth", CancellationToken.None);
            var now = await h.Search(settings).ResolveAsync("acme-auth", CancellationToken.None);

            Assert.Equal(StopReason.IndexError, old.StopReason);
            if (strategy == IndexStrategy.FirstIndex)
            {
                Assert.Equal(StopReason.IndexError, now.StopReason);
            }
            else
            {
                // uv 0.7+: the unsafe strategies ignore 401, 403, 407 and 511.
                Assert.True(now.Resolved);
                Assert.Equal("pypi", now.Index);
            }
        }

        [Theory]
        [InlineData("download.pytorch.org", "0.9.19", true)]
        [InlineData("download.pytorch.org", "0.12.5", true)]
        [InlineData("mirror.notpytorch.org", "0.7.0", true)]
        [InlineData("mirror.notpytorch.org", "0.9.19", true)]
        [InlineData("mirror.notpytorch.org", "0.9.20", false)]
        [InlineData("mirror.notpytorch.org", "0.12.5", false)]
        public async Task PyTorch_inference_by_host_suffix_until_0_9_19_and_by_exact_host_from_0_9_20(string host, string version, bool ignored)
        {
            // The index host is reached through an HTTP proxy on loopback (the index server answers absolute-form requests).
            await using var h = await SearchHarness.StartAsync(Refusing("whl", 403), Pypi());
            var http = SearchHarness.FastHttp();
            http.NoProxy = false;
            http.Proxy = h.Server.BaseUrl;
            var torch = new IndexDefinition("pytorch", "http://" + host + "/whl/simple/", Provenance.FromParameter("-Index"));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, torch, h.Index("pypi"));
            var policy = StatusCodePolicy.For(torch, settings.Indexes, IndexStrategy.FirstIndex, UvRules.Parse(version));

            var result = await h.Search(settings, http: http, options: Uv(version)).ResolveAsync("torch", CancellationToken.None);

            Assert.Equal(403, result.Attempts[0].StatusCode);
            if (ignored)
            {
                Assert.Equal(new[] { 403 }, policy.IgnoredStatusCodes);
                Assert.Equal(AttemptOutcome.Ignored, result.Attempts[0].Outcome);
                Assert.Equal("pypi", result.Index);
            }
            else
            {
                Assert.Empty(policy.IgnoredStatusCodes);
                Assert.Equal(StopReason.AuthenticationFailed, result.StopReason);
            }
        }

        [Theory]
        [InlineData("0.12", "0.12.0")]
        [InlineData("0.7", "0.7.0")]
        [InlineData("v0.11.25", "0.11.25")]
        [InlineData("0.6.17", "0.6.17")]
        public void Versions_parse_with_missing_parts_as_zero(string text, string expected)
        {
            Assert.Equal(expected, UvRules.Parse(text).Version);
        }

        [Theory]
        [InlineData("0.5.31")]
        [InlineData("0.12.6")]
        [InlineData("1.0")]
        public void Versions_outside_the_modelled_range_are_refused_naming_it(string text)
        {
            var error = Assert.Throws<ArgumentException>(() => UvRules.Parse(text));
            Assert.Contains("0.6.0 to 0.12.5", error.Message);
        }

        [Theory]
        [InlineData("latest")]
        [InlineData("0")]
        [InlineData("0.x.1")]
        public void Text_that_is_not_a_version_is_a_format_error(string text)
        {
            Assert.Throws<FormatException>(() => UvRules.Parse(text));
        }

        [Fact]
        public void The_rule_boundaries_are_the_releases_uv_changed_them_in()
        {
            Assert.False(UvRules.Parse("0.6.17").AuthenticationStopsSearch);
            Assert.True(UvRules.Parse("0.7.0").AuthenticationStopsSearch);
            Assert.False(UvRules.Parse("0.7.2").AsksDuplicateUrlOnce);
            Assert.True(UvRules.Parse("0.7.3").AsksDuplicateUrlOnce);
            Assert.Equal(PyTorchInference.None, UvRules.Parse("0.6.17").PyTorch);
            Assert.Equal(PyTorchInference.HostSuffix, UvRules.Parse("0.9.19").PyTorch);
            Assert.Equal(PyTorchInference.ExactHost, UvRules.Parse("0.9.20").PyTorch);
            Assert.False(UvRules.Parse("0.11.8").CredentialPathPrefixNeedsBoundary);
            Assert.True(UvRules.Parse("0.11.9").CredentialPathPrefixNeedsBoundary);
            Assert.False(UvRules.Parse("0.11.25").PreReleaseIfNecessary);
            Assert.True(UvRules.Parse("0.12.0").PreReleaseIfNecessary);
            Assert.False(UvRules.Parse("0.12.3").SubsequentIndexHintNeedsListedVersions);
            Assert.True(UvRules.Parse("0.12.4").SubsequentIndexHintNeedsListedVersions);
        }

        [Fact]
        public void The_path_prefix_rule_the_credential_code_reads_needs_a_segment_boundary_from_0_11_9()
        {
            var now = UvRules.Latest;
            var old = UvRules.Parse("0.11.8");
            Assert.True(now.IsPathPrefix("/simple", "/simple/anyio"));
            Assert.True(now.IsPathPrefix("/simple/", "/simple/anyio"));
            Assert.True(now.IsPathPrefix("/simple", "/simple"));
            Assert.False(now.IsPathPrefix("/simple", "/simpleevil"));
            Assert.False(now.IsPathPrefix("/simple", "/simple-evil"));
            Assert.True(old.IsPathPrefix("/simple", "/simpleevil"));
            Assert.False(old.IsPathPrefix("/simple", "/simpl"));
        }

        [Fact]
        public async Task Comparing_0_6_17_with_0_12_5_names_the_packages_that_change_and_why()
        {
            // 'internal' refuses acme-auth (401) and answers 404 for names it does not hold.
            await using var h = await SearchHarness.StartAsync(
                new IndexFixture { Name = "internal", Behavior = new IndexBehavior { ProjectStatus = new Dictionary<string, int> { ["acme-auth"] = 401 } } },
                Pypi());
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, h.Index("internal"), h.Index("pypi"));
            var client = new SimpleApiClient(SearchHarness.FastHttp(), new CredentialProvider(SearchHarness.Environment(), null));
            var comparer = new UvVersionComparer(settings, client, new SearchOptions(), UvRules.Parse("0.6.17"), UvRules.Parse("0.12.5"));

            var results = new List<UvVersionComparison>();
            await foreach (var c in comparer.CompareManyAsync(new[] { Requirement.Parse("acme-auth"), Requirement.Parse("torch") }, CancellationToken.None))
            {
                results.Add(c);
            }

            var changed = results[0];
            Assert.True(changed.Differs);
            Assert.True(changed.IndexChanged);
            Assert.True(changed.StopReasonChanged);
            Assert.Equal("50.0.0 from pypi", changed.ResultA);
            Assert.Equal("AuthenticationFailed", changed.ResultB);
            var why = Assert.Single(changed.Why);
            Assert.Contains("'internal' answered HTTP 401", why);
            Assert.Contains("astral-sh/uv#12805", why);

            var same = results[1];
            Assert.False(same.Differs);
            Assert.Equal("2.3.0 from pypi", same.ResultA);
            Assert.Equal(same.ResultA, same.ResultB);
            Assert.Empty(same.Why);
        }
    }
}
