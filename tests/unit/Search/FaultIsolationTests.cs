using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Http;
using IndexTools.Engine.Indexes;
using IndexTools.Engine.Search;
using IndexTools.IndexServer;
using IndexTools.Tests.Http;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace IndexTools.Tests.Search
{
    /// <summary>
    /// Issue 5, "Bad input and faults": a broken index (malformed page, reset, stall, DNS, TLS) gives that package a
    /// clear per-index error, no crash and no hang, while the other packages of the same many-package run resolve.
    /// </summary>
    public class FaultIsolationTests
    {
        private static readonly string[] Packages = { "good-one", "bad", "good-two" };

        private static IndexFixture Healthy() => new IndexFixture("healthy")
            .Add("good-one", "good_one-1.0.0-py3-none-any.whl")
            .Add("good-two", "good_two-2.0.0-py3-none-any.whl");

        private static IndexFixture Broken(IndexBehavior behavior) => new IndexFixture { Name = "broken", Behavior = behavior }
            .Add("bad", "bad-1.0.0-py3-none-any.whl");

        private static HttpSettings Http(double timeoutSeconds = 20) => new HttpSettings
        {
            Retries = 1,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            NoProxy = true,
            MaxPageBytes = 4L * 1024 * 1024,
        };

        private static async Task<List<PackageResolution>> ResolveAllAsync(IndexSearch search)
        {
            // A hang guard, not a timing assertion: far above any timeout the tests set.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(300));
            var results = new List<PackageResolution>();
            await foreach (var resolution in search.ResolveManyAsync(Packages, deadline.Token))
            {
                results.Add(resolution);
            }

            Assert.False(deadline.IsCancellationRequested, "the run must end by itself (timeouts apply)");
            return results;
        }

        private static void AssertIsolated(List<PackageResolution> results, string brokenIndexName, params string[] reasonWords)
        {
            Assert.Equal(Packages, results.Select(r => r.Package).ToArray());
            Assert.True(results[0].Resolved);
            Assert.Equal("1.0.0", results[0].Version);
            Assert.True(results[2].Resolved);
            Assert.Equal("2.0.0", results[2].Version);

            var bad = results[1];
            Assert.False(bad.Resolved);
            Assert.Equal(StopReason.IndexError, bad.StopReason);
            var attempt = bad.Attempts.Single(a => a.Index == brokenIndexName);
            Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
            Assert.False(string.IsNullOrWhiteSpace(attempt.Reason));
            foreach (var word in reasonWords)
            {
                Assert.Contains(word, attempt.Reason, StringComparison.OrdinalIgnoreCase);
            }

            Assert.False(string.IsNullOrWhiteSpace(bad.Hint));
        }

        [Theory]
        [InlineData("truncated-json", "JSON")]
        [InlineData("wrong-content-type:text/plain", "text/plain")]
        [InlineData("wrong-content-type:application/octet-stream", "application/octet-stream")]
        [InlineData("invalid-utf8", "UTF-8")]
        [InlineData("deep-nesting:100000", null)]
        [InlineData("huge:24", "larger than")]
        [InlineData("reset", null)]
        public async Task AMalformedPageIsAnIndexErrorForThatPackageOnly(string malformed, string? reasonWord)
        {
            var formats = malformed == "truncated-html" ? "html" : "json,html";
            await using var harness = await SearchHarness.StartAsync(Healthy(), Broken(new IndexBehavior { Malformed = malformed, Formats = formats }));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("healthy"), harness.Index("broken"));
            // The huge page is about the size limit, not time: on a loaded machine the server can take longer than a short
            // read timeout to write the first 4 MiB, and then the answer is 'timed out' instead of 'larger than'.
            var results = await ResolveAllAsync(harness.Search(settings, http: Http(malformed.StartsWith("huge", StringComparison.Ordinal) ? 90 : 20)));
            AssertIsolated(results, "broken", reasonWord is null ? Array.Empty<string>() : new[] { reasonWord });
        }

        [Theory]
        [InlineData("gzip")]
        [InlineData("deflate")]
        [InlineData("br")]
        [InlineData("zstd")]
        [InlineData("x-made-up")]
        public async Task AWrongContentEncodingIsAnIndexErrorForThatPackageOnly(string encoding)
        {
            // Issue 20.1: the page is plain JSON, the header says otherwise. Before, gzip/deflate made an
            // InvalidDataException escape (the whole command failed) and br read as a page without versions.
            var behavior = new IndexBehavior();
            behavior.Headers["Content-Encoding"] = encoding;
            await using var harness = await SearchHarness.StartAsync(Healthy(), Broken(behavior));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("healthy"), harness.Index("broken"));
            var results = await ResolveAllAsync(harness.Search(settings, http: Http()));
            AssertIsolated(results, "broken", "Content-Encoding");
        }

        [Theory]
        [InlineData("login-page")]
        [InlineData("truncated-html")]
        public async Task AnHtmlPageWithoutLinksIsFoundEmptyAsUvReadsItAndTheReasonSaysWhy(string malformed)
        {
            // uv reads HTML leniently: a 200 page without links (an SSO sign-in page, a page cut before its first link)
            // is the project's page with no files, and first-index stops there. The reason must make that visible.
            await using var harness = await SearchHarness.StartAsync(Healthy(), Broken(new IndexBehavior { Malformed = malformed, Formats = "html" }));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("healthy"), harness.Index("broken"));
            var results = await ResolveAllAsync(harness.Search(settings, http: Http()));

            Assert.True(results[0].Resolved);
            Assert.True(results[2].Resolved);
            Assert.Equal(StopReason.NoMatchingVersion, results[1].StopReason);
            var attempt = results[1].Attempts.Single(a => a.Index == "broken");
            Assert.Equal(AttemptOutcome.Found, attempt.Outcome);
            Assert.Equal(0, attempt.VersionCount);
            if (malformed == "login-page")
            {
                Assert.Contains("sign-in or error page", attempt.Reason);
            }
        }

        [Fact]
        public async Task OddSchemeLinksAreNeverFollowedOrListed()
        {
            await using var server = await RecordingServer.StartAsync((context, _) =>
            {
                var path = context.Request.Path.Value ?? "";
                if (path.StartsWith("/odd/simple/bad/", StringComparison.Ordinal))
                {
                    context.Response.ContentType = "text/html";
                    return context.Response.WriteAsync(
                        "<html><body>"
                        + "<a href=\"javascript:alert(1)\">bad-6.0.0-py3-none-any.whl</a>"
                        + "<a href=\"file:///etc/passwd#sha256=00\">bad-7.0.0-py3-none-any.whl</a>"
                        + "<a href=\"data:text/plain,x\">bad-8.0.0.tar.gz</a>"
                        + "<a href=\"ftp://example.invalid/bad-9.0.0.tar.gz\">bad-9.0.0.tar.gz</a>"
                        + "<a href=\"../../files/bad-1.0.0-py3-none-any.whl\">bad-1.0.0-py3-none-any.whl</a>"
                        + "</body></html>");
                }

                context.Response.StatusCode = 404;
                return Task.CompletedTask;
            });
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, new IndexDefinition("odd", server.Url("/odd/simple/").ToString(), Provenance.FromParameter("-Index")));
            var client = new SimpleApiClient(Http(), new Engine.Credentials.CredentialProvider(SearchHarness.Environment(), null));
            var search = new IndexSearch(settings, client, null, null);
            var result = await search.ResolveAsync("bad", CancellationToken.None);

            Assert.True(result.Resolved);
            Assert.Equal("1.0.0", result.Version);
            Assert.Equal(1, result.Attempts[0].VersionCount);
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task AServerThatNeverAnswersTimesOutWithoutHangingTheOthers()
        {
            // The timeout is short for the silent server but not so short that the healthy one misses it on a loaded
            // machine (0.5 s did: the healthy index timed out too); the silent one waits far longer than any try.
            await using var harness = await SearchHarness.StartAsync(Healthy(), Broken(new IndexBehavior { LatencyMs = 240_000 }));
            var settings = SearchHarness.Settings(IndexStrategy.FirstIndex, harness.Index("healthy"), harness.Index("broken"));
            var results = await ResolveAllAsync(harness.Search(settings, http: Http(timeoutSeconds: 5)));
            AssertIsolated(results, "broken", "timed out");
        }

        [Fact]
        public async Task AnUnknownHostIsAnIndexErrorSayingNameResolutionFailed()
        {
            await using var harness = await SearchHarness.StartAsync(Healthy());
            var settings = SearchHarness.Settings(
                IndexStrategy.FirstIndex,
                harness.Index("healthy"),
                new IndexDefinition("broken", "http://indextools-no-such-host.invalid/simple/", Provenance.FromParameter("-Index")));
            var results = await ResolveAllAsync(harness.Search(settings, http: Http(timeoutSeconds: 5)));
            AssertIsolated(results, "broken", "name resolution failed");
        }

        [Fact]
        public async Task TlsToAPlainHttpPortIsAnIndexError()
        {
            await using var harness = await SearchHarness.StartAsync(Healthy(), Broken(new IndexBehavior()));
            var plain = harness.Server.IndexUrl("broken");
            var tls = new UriBuilder(plain) { Scheme = "https" }.Uri.ToString();
            var settings = SearchHarness.Settings(
                IndexStrategy.FirstIndex,
                harness.Index("healthy"),
                new IndexDefinition("broken", tls, Provenance.FromParameter("-Index")));
            var results = await ResolveAllAsync(harness.Search(settings, http: Http(timeoutSeconds: 5)));
            AssertIsolated(results, "broken", "could not be reached");
        }

        [Fact]
        public async Task AnUntrustedCertificateIsAnIndexErrorThatSaysSo()
        {
            using var certificates = new TestCertificates();
            await using var tls = await RecordingServer.StartAsync((context, n) => context.Response.WriteAsync("never reached"), certificates.Leaf);
            var address = tls.BaseUri.AbsoluteUri;

            await using var harness = await SearchHarness.StartAsync(Healthy());
            var settings = SearchHarness.Settings(
                IndexStrategy.FirstIndex,
                harness.Index("healthy"),
                new IndexDefinition("broken", address.TrimEnd('/') + "/simple/", Provenance.FromParameter("-Index")));
            var results = await ResolveAllAsync(harness.Search(settings, http: Http(timeoutSeconds: 5)));
            AssertIsolated(results, "broken", "certificate");
            Assert.Empty(tls.Requests);
        }
    }
}
