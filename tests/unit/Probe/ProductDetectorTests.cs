using System;
using System.Collections.Generic;
using IndexTools.Engine.Probe;
using Xunit;

namespace IndexTools.Tests.Probe
{
    public sealed class ProductDetectorTests
    {
        [Theory]
        [InlineData("https://pypi.org/simple/", RegistryProduct.PyPI)]
        [InlineData("https://download.pytorch.org/whl/cpu/", RegistryProduct.PyTorch)]
        [InlineData("https://acme.jfrog.io/artifactory/api/pypi/pypi-virtual/simple/", RegistryProduct.Artifactory)]
        [InlineData("https://repo.acme.com/artifactory/api/pypi/pypi-local/simple/", RegistryProduct.Artifactory)]
        [InlineData("https://pkgs.dev.azure.com/acme/_packaging/feed/pypi/simple/", RegistryProduct.AzureArtifacts)]
        [InlineData("https://acme-123456789012.d.codeartifact.eu-west-1.amazonaws.com/pypi/repo/simple/", RegistryProduct.CodeArtifact)]
        [InlineData("https://europe-west1-python.pkg.dev/acme/repo/simple/", RegistryProduct.GoogleArtifactRegistry)]
        [InlineData("https://gitlab.acme.com/api/v4/projects/42/packages/pypi/simple/", RegistryProduct.GitLab)]
        [InlineData("https://devpi.acme.com/root/pypi/+simple/", RegistryProduct.Devpi)]
        [InlineData("https://storage.googleapis.com/acme-wheels/simple/", RegistryProduct.StaticHosting)]
        public void Url_shapes_name_the_product(string url, RegistryProduct expected)
        {
            var guess = ProductDetector.Detect(new Uri(url), Array.Empty<ProbeObservation>());
            Assert.Equal(expected, guess.Product);
            Assert.NotEmpty(guess.Evidence);
        }

        [Theory]
        [InlineData("X-Artifactory-Id", "abc", RegistryProduct.Artifactory)]
        [InlineData("X-TFS-Session", "abc", RegistryProduct.AzureArtifacts)]
        [InlineData("X-Gitlab-Meta", "{}", RegistryProduct.GitLab)]
        [InlineData("X-Devpi-Serial", "1", RegistryProduct.Devpi)]
        [InlineData("Server", "Nexus/3.70.1-02 (OSS)", RegistryProduct.Nexus)]
        [InlineData("Server", "AmazonS3", RegistryProduct.StaticHosting)]
        [InlineData("X-PyPI-Last-Serial", "1", RegistryProduct.PyPI)]
        public void Headers_name_the_product(string header, string value, RegistryProduct expected)
        {
            var observation = new ProbeObservation("root-json", new Uri("http://127.0.0.1:1/x/simple/"))
            {
                Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [header] = value },
            };
            Assert.Equal(expected, ProductDetector.Detect(observation.Url, new[] { observation }).Product);
        }

        [Fact]
        public void Nothing_specific_is_unknown_with_what_was_seen()
        {
            var observation = new ProbeObservation("root-json", new Uri("http://127.0.0.1:1/x/simple/"))
            {
                Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Server"] = "Kestrel" },
            };
            var guess = ProductDetector.Detect(observation.Url, new[] { observation });
            Assert.Equal(RegistryProduct.Unknown, guess.Product);
            Assert.Contains("Server: Kestrel", guess.Evidence);
        }

        [Fact]
        public void Azure_feed_error_body_is_recognised()
        {
            var observation = new ProbeObservation("package", new Uri("http://127.0.0.1:1/x/simple/y/"))
            {
                StatusCode = 401,
                BodyStart = "{\"message\":\"TF400813: The user is not authorized\",\"typeName\":\"Microsoft.VisualStudio.Services.Feed.WebApi.FeedNeedsPermissionsException\"}",
            };
            Assert.Equal(RegistryProduct.AzureArtifacts, ProductDetector.Detect(observation.Url, new[] { observation }).Product);
        }
    }
}
