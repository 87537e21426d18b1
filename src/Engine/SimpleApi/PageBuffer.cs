using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// A whole response body read into a pooled array, refused once it grows past a limit. Dispose returns the array.
    /// Stream errors (IOException, cancellation) are not wrapped: they are transport failures, not page failures.
    /// </summary>
    internal sealed class PageBuffer : IDisposable
    {
        // The largest array length the runtime allows for bytes.
        private const int MaxArrayLength = 0x7FFFFFC7;
        private const int FirstChunk = 64 * 1024;

        private byte[]? _array;

        private PageBuffer(byte[] array, int length)
        {
            _array = array;
            Length = length;
        }

        public byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PageBuffer));

        public int Length { get; }

        public ReadOnlySpan<byte> Span => new ReadOnlySpan<byte>(Array, 0, Length);

        public static PageBuffer Read(Stream content, long maxBytes)
        {
            var array = Rent(content, maxBytes);
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == array.Length)
                    {
                        array = Grow(array, length, maxBytes);
                    }

                    var read = content.Read(array, length, array.Length - length);
                    if (read <= 0)
                    {
                        break;
                    }

                    length += read;
                    CheckLimit(length, maxBytes);
                }

                return new PageBuffer(array, length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(array);
                throw;
            }
        }

        public static Task<PageBuffer> ReadAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
        {
            return ReadAsync(content, maxBytes, null, null, cancellationToken);
        }

        /// <summary>
        /// As <see cref="ReadAsync(Stream, long, CancellationToken)"/>, for a body whose length the response declared
        /// (the first array is sized from it, so a page is read without growing), calling <paramref name="beforeRead"/>
        /// before every read (the HTTP client re-arms its read timeout there).
        /// </summary>
        public static async Task<PageBuffer> ReadAsync(Stream content, long maxBytes, long? declaredLength, Action? beforeRead, CancellationToken cancellationToken)
        {
            var array = Rent(content, maxBytes, declaredLength);
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == array.Length)
                    {
                        array = Grow(array, length, maxBytes);
                    }

                    beforeRead?.Invoke();

                    var read = await content.ReadAsync(array, length, array.Length - length, cancellationToken).ConfigureAwait(false);
                    if (read <= 0)
                    {
                        break;
                    }

                    length += read;
                    CheckLimit(length, maxBytes);
                }

                return new PageBuffer(array, length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(array);
                throw;
            }
        }

        public void Dispose()
        {
            var array = _array;
            _array = null;
            if (array != null)
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }

        internal static ProjectPageFormatException TooLarge(long maxBytes) =>
            new ProjectPageFormatException($"the page is larger than the limit of {maxBytes} bytes");

        /// <summary>
        /// The first array: sized for what is left to read (the declared length, else a seekable stream's remaining
        /// bytes) plus one byte, so that the end is seen without growing; a fixed first chunk when that is unknown.
        /// Refuses at once what is already known to be over the limit.
        /// </summary>
        private static byte[] Rent(Stream content, long maxBytes, long? declaredLength = null)
        {
            if (content == null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            if (maxBytes < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxBytes));
            }

            var remaining = declaredLength >= 0 ? declaredLength.Value : -1;
            if (remaining < 0 && content.CanSeek)
            {
                try
                {
                    remaining = content.Length - content.Position;
                }
                catch (NotSupportedException)
                {
                    remaining = -1;
                }
            }

            if (remaining > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            var size = FirstChunk;
            if (remaining >= 0)
            {
                // One byte more than announced, so the end is seen without growing.
                size = (int)Math.Min(Math.Max(remaining + 1, 16), MaxArrayLength);
            }

            size = (int)Math.Min(size, Math.Min(maxBytes + 1, MaxArrayLength));
            return ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        }

        private static byte[] Grow(byte[] array, int length, long maxBytes)
        {
            var target = Math.Min((long)array.Length * 2, Math.Min(maxBytes + 1, MaxArrayLength));
            if (target <= array.Length)
            {
                // maxBytes + 1 already fits: the next byte read would pass the limit.
                target = array.Length + 1L;
                if (target > MaxArrayLength)
                {
                    throw TooLarge(maxBytes);
                }
            }

            var bigger = ArrayPool<byte>.Shared.Rent((int)target);
            Buffer.BlockCopy(array, 0, bigger, 0, length);
            ArrayPool<byte>.Shared.Return(array);
            return bigger;
        }

        private static void CheckLimit(int length, long maxBytes)
        {
            if (length > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }
    }
}
