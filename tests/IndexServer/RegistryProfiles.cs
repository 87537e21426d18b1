using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace IndexTools.IndexServer
{
    /// <summary>
    /// Registry profiles from /work/shared/spec/registries.md: defaults for <see cref="IndexBehavior"/>,
    /// realistic response headers, and the error bodies each registry sends. Header values are plausible
    /// shapes, not captures of one real server.
    /// </summary>
    public static class RegistryProfiles
    {
        private static readonly Dictionary<string, Profile> All = Build();

        public static IReadOnlyList<string> Names { get; } = All.Keys.ToList();

        public static bool Exists(string name) => All.ContainsKey(name.ToLowerInvariant());

        internal static bool TryGetDefault(string? profile, string property, out object? value)
        {
            value = null;
            return profile != null && All.TryGetValue(profile, out var p) && p.Defaults.TryGetValue(property, out value);
        }

        internal static IReadOnlyDictionary<string, string> Headers(string? profile) =>
            profile != null && All.TryGetValue(profile, out var p) ? p.Headers : new Dictionary<string, string>();

        /// <summary>The body a registry sends with an error status. <paramref name="reason"/>: missing, anonymous, bad-credentials, upstream, error.</summary>
        internal static ErrorBody Body(string? profile, int status, string reason, string project)
        {
            switch (profile)
            {
                case "artifactory":
                case "artifactory-anonymous":
                    var message = status switch
                    {
                        401 => "Authentication is required",
                        403 => "User has no permissions to resolve packages.",
                        404 => "Could not find resource",
                        _ => Phrase(status),
                    };
                    return Json($"{{\"errors\":[{{\"status\":{status},\"message\":\"{message}\"}}]}}");
                case "pytorch":
                case "s3":
                    if (status == 403)
                    {
                        return new ErrorBody("application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4QJ8ZK2XW1F7Y0AB</RequestId><HostId>indextools-fake-host-id</HostId></Error>");
                    }

                    break;
                case "nginx":
                    return new ErrorBody("text/html", $"<html>\r\n<head><title>{status} {Phrase(status)}</title></head>\r\n<body>\r\n<center><h1>{status} {Phrase(status)}</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n");
                case "azure-artifacts":
                    if (reason == "upstream")
                    {
                        // Shape of an Azure DevOps error body; the wording says the package exists only upstream.
                        return Json("{\"$id\":\"1\",\"innerException\":null,\"message\":\"TF400813: The user is not authorized to save packages from the upstream source for package '"
                            + project + "'. To pull this package from an upstream source (PyPI), you need the Feed and Upstream Reader (Collaborator) role.\",\"typeName\":\"Microsoft.VisualStudio.Services.Feed.WebApi.FeedNeedsPermissionsException, Microsoft.VisualStudio.Services.Feed.WebApi\",\"typeKey\":\"FeedNeedsPermissionsException\",\"errorCode\":0,\"eventId\":3000}");
                    }

                    if (status == 404)
                    {
                        return Json("{\"$id\":\"1\",\"innerException\":null,\"message\":\"The package '" + project + "' wasn't found in the feed.\",\"typeName\":\"Microsoft.VisualStudio.Services.Feed.WebApi.PackageNotFoundException, Microsoft.VisualStudio.Services.Feed.WebApi\",\"typeKey\":\"PackageNotFoundException\",\"errorCode\":0,\"eventId\":3000}");
                    }

                    break;
                case "nexus":
                    if (status == 404)
                    {
                        return new ErrorBody("text/html", "<!DOCTYPE html>\n<html lang=\"en\"><head><title>404 - Sonatype Nexus Repository</title></head><body><h1>Error 404</h1><p>Not Found</p></body></html>\n");
                    }

                    break;
                case "pypi":
                    if (status == 404)
                    {
                        return new ErrorBody("text/html", "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  The resource could not be found.<br/><br/>\n\n\n </body>\n</html>");
                    }

                    break;
                case "gitlab":
                case "gitlab-forwarding":
                    return Json($"{{\"message\":\"{status} {Phrase(status)}\"}}");
                case "codeartifact":
                case "codeartifact-expired":
                case "google-artifact-registry":
                    return Json($"{{\"message\":\"{Phrase(status)}\"}}");
            }

            return new ErrorBody("text/plain", $"{status} {Phrase(status)}\n");
        }

        internal static string Phrase(int status) => status switch
        {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            406 => "Not Acceptable",
            407 => "Proxy Authentication Required",
            408 => "Request Timeout",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            511 => "Network Authentication Required",
            _ => "Error",
        };

        private static ErrorBody Json(string body) => new ErrorBody("application/json", body);

        private static Dictionary<string, Profile> Build()
        {
            var profiles = new Dictionary<string, Profile>(StringComparer.Ordinal);

            profiles["pypi"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.CacheControl)] = "max-age=600, public",
                    [nameof(IndexBehavior.NormalizeRedirect)] = true,
                    [nameof(IndexBehavior.Formats)] = "json,html",
                },
                ("Server", "nginx"),
                ("X-PyPI-Last-Serial", "24000000"),
                ("X-Served-By", "cache-iad-kiad7000000-IAD"),
                ("X-Cache", "MISS"),
                ("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"));

            profiles["pytorch"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 403,
                    [nameof(IndexBehavior.Formats)] = "html",
                    [nameof(IndexBehavior.StaticHtml)] = true,
                    [nameof(IndexBehavior.NormalizeRedirect)] = false,
                    [nameof(IndexBehavior.StrictNames)] = true,
                    [nameof(IndexBehavior.ApiVersion)] = "none",
                },
                ("Server", "AmazonS3"),
                ("X-Cache", "Hit from cloudfront"),
                ("Via", "1.1 0123456789abcdef.cloudfront.net (CloudFront)"),
                ("X-Amz-Cf-Pop", "IAD89-C1"));

            profiles["artifactory"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Realm)] = "Artifactory Realm",
                    [nameof(IndexBehavior.Formats)] = "html",
                },
                ("Server", "Artifactory/7.90.10"),
                ("X-Artifactory-Id", "a1b2c3d4e5f60718293a4b5c6d7e8f9001122334"),
                ("X-Artifactory-Node-Id", "artifactory-primary-0"),
                ("X-JFrog-Version", "Artifactory/7.90.10 79010900"));

            profiles["nexus"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Realm)] = "Sonatype Nexus Repository Manager",
                    [nameof(IndexBehavior.Formats)] = "html",
                },
                ("Server", "Nexus/3.70.1-02 (OSS)"),
                ("X-Content-Type-Options", "nosniff"));

            profiles["azure-artifacts"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Formats)] = "html",
                    [nameof(IndexBehavior.UpstreamStatus)] = 401,
                    [nameof(IndexBehavior.WwwAuthenticate)] = "Bearer authorization_uri=https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000, Basic realm=\"https://pkgsprodeus21.pkgs.visualstudio.com/\", TFS-Federated",
                },
                ("X-TFS-ProcessId", "6f1c0e8a-3b9d-4c57-9a1e-2d4f8b7c6a50"),
                ("X-TFS-Session", "b7e3a2c1-0d4f-4e6a-8c9b-1a2b3c4d5e6f"),
                ("X-VSS-E2EID", "b7e3a2c1-0d4f-4e6a-8c9b-1a2b3c4d5e6f"),
                ("X-VSS-SenderDeploymentId", "e3a1f2b4-7c8d-4e9f-a0b1-c2d3e4f5a6b7"),
                ("ActivityId", "b7e3a2c1-0d4f-4e6a-8c9b-1a2b3c4d5e6f"),
                ("X-Content-Type-Options", "nosniff"));

            profiles["codeartifact"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Realm)] = "codeartifact",
                    [nameof(IndexBehavior.Formats)] = "html",
                    [nameof(IndexBehavior.BadCredentialsStatus)] = 401,
                },
                ("x-amzn-RequestId", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));

            profiles["google-artifact-registry"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Realm)] = "https://us-python.pkg.dev",
                    [nameof(IndexBehavior.Formats)] = "html",
                    [nameof(IndexBehavior.BadCredentialsStatus)] = 403,
                },
                ("Server", "Google Frontend"),
                ("X-Cloud-Trace-Context", "0123456789abcdef0123456789abcdef"));

            profiles["gitlab"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Realm)] = "GitLab",
                    [nameof(IndexBehavior.Formats)] = "html",
                    [nameof(IndexBehavior.ForwardMissingTo)] = "index:pypi",
                    [nameof(IndexBehavior.ForwardStatus)] = 302,
                    [nameof(IndexBehavior.BadCredentialsStatus)] = 401,
                },
                ("Server", "nginx"),
                ("X-Gitlab-Meta", "{\"correlation_id\":\"01J00000000000000000000000\",\"version\":\"1\"}"),
                ("X-Request-Id", "01J00000000000000000000000"));

            profiles["s3"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 403,
                    [nameof(IndexBehavior.Formats)] = "html",
                    [nameof(IndexBehavior.StaticHtml)] = true,
                    [nameof(IndexBehavior.NormalizeRedirect)] = false,
                    [nameof(IndexBehavior.StrictNames)] = true,
                    [nameof(IndexBehavior.ApiVersion)] = "none",
                    [nameof(IndexBehavior.ETags)] = true,
                },
                ("Server", "AmazonS3"),
                ("x-amz-request-id", "4QJ8ZK2XW1F7Y0AB"),
                ("x-amz-id-2", "indextools-fake-host-id"));

            profiles["nginx"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Realm)] = "Restricted",
                    [nameof(IndexBehavior.Formats)] = "html",
                    [nameof(IndexBehavior.StaticHtml)] = true,
                    [nameof(IndexBehavior.NormalizeRedirect)] = false,
                    [nameof(IndexBehavior.StrictNames)] = true,
                    [nameof(IndexBehavior.ApiVersion)] = "none",
                },
                ("Server", "nginx/1.24.0"));

            profiles["devpi"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Realm)] = "pypi",
                    [nameof(IndexBehavior.Formats)] = "json,html",
                },
                ("Server", "waitress"),
                ("X-Devpi-Server-Version", "6.14.0"),
                ("X-Devpi-Uuid", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
                ("X-Devpi-Serial", "1234"));

            profiles["pypiserver"] = new Profile(
                new Dictionary<string, object?>
                {
                    [nameof(IndexBehavior.MissingStatus)] = 404,
                    [nameof(IndexBehavior.Realm)] = "pypiserver",
                    [nameof(IndexBehavior.Formats)] = "html",
                },
                ("Server", "WSGIServer/0.2 CPython/3.12.3"));

            // Variants of the rows above, for behaviours Test-PyIndex must recognise.

            // AWS CodeArtifact when the token has expired and the registry hides the refusal behind 404 on every route
            // (so "credentials rejected" cannot be told apart from "not on this index").
            profiles["codeartifact-expired"] = profiles["codeartifact"].With(
                (nameof(IndexBehavior.BadCredentialsStatus), 404));

            // GitLab with package forwarding to PyPI on another origin: a missing name redirects to the peer server's
            // index named "pypi" (the fixture must define that peer index).
            profiles["gitlab-forwarding"] = profiles["gitlab"].With(
                (nameof(IndexBehavior.ForwardMissingTo), "peer:pypi"));

            // JFrog Artifactory with anonymous access on (uv #10684): requests without credentials are answered from the
            // same server's index named "pypi" (the fixture must define it) instead of a 401.
            profiles["artifactory-anonymous"] = profiles["artifactory"].With(
                (nameof(IndexBehavior.AnonymousPassThrough), true),
                (nameof(IndexBehavior.PassThroughIndex), "pypi"));

            return profiles;
        }

        private sealed class Profile
        {
            public Profile(Dictionary<string, object?> defaults, params (string Name, string Value)[] headers)
            {
                Defaults = defaults;
                Headers = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
            }

            public Dictionary<string, object?> Defaults { get; }

            public Dictionary<string, string> Headers { get; }

            /// <summary>A variant of this row: the same headers and defaults, with some defaults changed or added.</summary>
            public Profile With(params (string Property, object? Value)[] overrides)
            {
                var defaults = new Dictionary<string, object?>(Defaults);
                foreach (var (property, value) in overrides)
                {
                    defaults[property] = value;
                }

                return new Profile(defaults, Headers.Select(h => (h.Key, h.Value)).ToArray());
            }
        }
    }

    internal readonly struct ErrorBody
    {
        public ErrorBody(string contentType, string text)
        {
            ContentType = contentType;
            Bytes = Encoding.UTF8.GetBytes(text);
        }

        public string ContentType { get; }

        public byte[] Bytes { get; }
    }
}
