namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// Parses a Simple API project page, choosing the format by media type as uv does
    /// (crates/uv-client/src/registry_client.rs, <c>MediaType::from_str</c>):
    /// <c>application/vnd.pypi.simple.v1+json</c> is PEP 691 JSON; <c>application/vnd.pypi.simple.v1+html</c> and
    /// <c>text/html</c> are PEP 503 HTML. Anything else, or no Content-Type at all, is refused before the body is read.
    /// </summary>
    /// <remarks>
    /// Every problem with the content ends in <see cref="ProjectPageFormatException"/>. Exceptions from the stream itself
    /// (<see cref="IOException"/>, <see cref="OperationCanceledException"/>) pass through unchanged: a body that stops
    /// arriving is a transport failure, not an unreadable page.
    /// </remarks>
    public static class ProjectPageParser
    {
        public const string JsonMediaType = "application/vnd.pypi.simple.v1+json";
        public const string HtmlMediaType = "application/vnd.pypi.simple.v1+html";
        public const string TextHtmlMediaType = "text/html";

        /// <summary>The default size limit for one page: 256 MiB.</summary>
        public const long DefaultMaxBytes = 256L * 1024 * 1024;

        /// <summary>uv's Accept header for project pages, in its order and weights.</summary>
        public const string AcceptHeader = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

        /// <summary>True when <paramref name="contentType"/> names a media type this parser reads.</summary>
        public static bool IsSupportedContentType(string? contentType) => FormatOf(PageText.MediaType(contentType)) != null;

        public static ProjectPage Parse(Stream content, string? contentType, Uri pageUrl, string normalizedName, long maxBytes = DefaultMaxBytes)
        {
            var format = CheckArguments(content, contentType, pageUrl, normalizedName);
            using var buffer = PageBuffer.Read(content, maxBytes);
            return ParseBuffer(buffer.Array, buffer.Length, format, contentType, pageUrl, normalizedName);
        }

        public static async Task<ProjectPage> ParseAsync(Stream content, string? contentType, Uri pageUrl, string normalizedName, long maxBytes, CancellationToken ct)
        {
            var format = CheckArguments(content, contentType, pageUrl, normalizedName);
            if (content is MemoryStream memory && memory.Position == 0 && memory.TryGetBuffer(out var whole) && whole.Offset == 0 && whole.Array != null)
            {
                // A body already in memory (the HTTP client buffers every page): parsed where it is, not copied again.
                if (whole.Count > maxBytes)
                {
                    throw PageBuffer.TooLarge(maxBytes);
                }

                return ParseBuffer(whole.Array, whole.Count, format, contentType, pageUrl, normalizedName);
            }

            using var buffer = await PageBuffer.ReadAsync(content, maxBytes, ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return ParseBuffer(buffer.Array, buffer.Length, format, contentType, pageUrl, normalizedName);
        }

        /// <summary>Parses a page already in memory (e.g. from a cache).</summary>
        public static ProjectPage Parse(byte[] content, string? contentType, Uri pageUrl, string normalizedName)
        {
            if (content == null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            var format = CheckArguments(Stream.Null, contentType, pageUrl, normalizedName);
            return ParseBuffer(content, content.Length, format, contentType, pageUrl, normalizedName);
        }

        private static string CheckArguments(Stream content, string? contentType, Uri pageUrl, string normalizedName)
        {
            if (content == null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            if (pageUrl == null)
            {
                throw new ArgumentNullException(nameof(pageUrl));
            }

            if (!pageUrl.IsAbsoluteUri)
            {
                throw new ArgumentException("The page URL must be absolute.", nameof(pageUrl));
            }

            if (normalizedName == null)
            {
                throw new ArgumentNullException(nameof(normalizedName));
            }

            var mediaType = PageText.MediaType(contentType);
            if (mediaType == null)
            {
                throw new ProjectPageFormatException("the response has no content type");
            }

            return FormatOf(mediaType) ?? throw new ProjectPageFormatException($"unsupported media type '{Shorten(mediaType)}'");
        }

        private static string? FormatOf(string? mediaType) => mediaType switch
        {
            JsonMediaType => "json",
            HtmlMediaType => "html",
            TextHtmlMediaType => "html",
            _ => null,
        };

        private static ProjectPage ParseBuffer(byte[] buffer, int length, string format, string? contentType, Uri pageUrl, string normalizedName)
        {
            return Guard(() =>
            {
                if (format == "json")
                {
                    return JsonPageParser.Parse(buffer, length, pageUrl, normalizedName);
                }

                var html = PageText.HtmlBytes(buffer, length, contentType, out var start, out var htmlLength);
                return ToPage(HtmlPageParser.Parse(html, start, htmlLength, pageUrl), normalizedName);
            });
        }

        internal static ProjectPage ToPage(HtmlPageContent content, string normalizedName)
        {
            return new ProjectPage(normalizedName, content.Files)
            {
                ApiVersion = content.ApiVersion,
                Tracks = content.Tracks,
                AlternateLocations = content.AlternateLocations,
                Format = "html",
            };
        }

        /// <summary>Runs a parse step, turning any unexpected failure into a <see cref="ProjectPageFormatException"/>.</summary>
        internal static T Guard<T>(Func<T> parse)
        {
            try
            {
                return parse();
            }
            catch (ProjectPageFormatException)
            {
                throw;
            }
            catch (Exception ex) when (!IsEnvironmentFailure(ex))
            {
                throw new ProjectPageFormatException($"the page could not be read ({ex.GetType().Name})", ex);
            }
        }

        // Failures that say nothing about the page: a missing or clashing dependency assembly, memory, cancellation.
        private static bool IsEnvironmentFailure(Exception ex) =>
            ex is OperationCanceledException || ex is OutOfMemoryException || ex is IOException || ex is TypeLoadException
            || ex is MissingMemberException || ex is BadImageFormatException;

        private static string Shorten(string text) => text.Length > 60 ? text.Substring(0, 60) + "..." : text;
    }
}
