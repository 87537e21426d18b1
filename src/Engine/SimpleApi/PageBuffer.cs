using System.Buffers;

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
        private readonly bool _pooled;
        private IDisposable? _gate;

        private PageBuffer(byte[] array, int length, bool pooled = true, IDisposable? gate = null)
        {
            _array = array;
            Length = length;
            _pooled = pooled;
            _gate = gate;
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

        /// <summary>
        /// As <see cref="ReadAsync(Stream, long, long?, Action?, CancellationToken)"/>, with memory bounded across concurrent
        /// reads: a body that is (or grows) larger than <see cref="LargeBodyGate.SmallBodyBytes"/> first waits for a slot
        /// of <paramref name="gate"/> (calling <paramref name="beforeWait"/>, where the caller pauses its read timeout), then
        /// reads into one array of its final bound (the declared length, else the limit) that is not pooled: the pages
        /// of a large array are only resident once written, and the pool would keep it (rounded up to a power of two)
        /// after use. The slot is held until the buffer is disposed, that is until the page has been parsed.
        /// </summary>
        public static async Task<PageBuffer> ReadAsync(Stream content, long maxBytes, long? declaredLength, Action? beforeRead, CancellationToken cancellationToken, LargeBodyGate? gate, Action? beforeWait)
        {
            if (gate is null)
            {
                return await ReadAsync(content, maxBytes, declaredLength, beforeRead, cancellationToken).ConfigureAwait(false);
            }

            if (declaredLength is null && content.CanSeek)
            {
                declaredLength = content.Length - content.Position;
            }

            LargeBodyGate.Lease? slot = null;
            byte[] array;
            var pooled = true;
            if (declaredLength > gate.SmallBodyBytes)
            {
                if (declaredLength > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                beforeWait?.Invoke();
                slot = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
                array = slot.Array(LargeSize(maxBytes, declaredLength));
                pooled = false;
            }
            else
            {
                array = Rent(content, maxBytes, declaredLength);
            }

            var length = 0;
            try
            {
                while (true)
                {
                    if (length == array.Length)
                    {
                        if (slot is null && (long)array.Length * 2 > gate.SmallBodyBytes)
                        {
                            beforeWait?.Invoke();
                            slot = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
                            var large = slot.Array(LargeSize(maxBytes, null));
                            if (large.Length <= length)
                            {
                                throw TooLarge(maxBytes);
                            }

                            Buffer.BlockCopy(array, 0, large, 0, length);
                            ArrayPool<byte>.Shared.Return(array);
                            array = large;
                            pooled = false;
                        }
                        else if (pooled)
                        {
                            array = Grow(array, length, maxBytes);
                        }
                        else
                        {
                            // The unpooled array already holds limit + 1 bytes (or the declared length + 1).
                            throw TooLarge(maxBytes);
                        }
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

                return new PageBuffer(array, length, pooled, slot);
            }
            catch
            {
                if (pooled)
                {
                    ArrayPool<byte>.Shared.Return(array);
                }

                slot?.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            var array = _array;
            _array = null;
            if (array != null && _pooled)
            {
                ArrayPool<byte>.Shared.Return(array);
            }

            Interlocked.Exchange(ref _gate, null)?.Dispose();
        }

        /// <summary>The size of a large body's one array: the declared length + 1 (to see the end), else the limit + 1.</summary>
        private static int LargeSize(long maxBytes, long? declaredLength)
        {
            var bound = declaredLength >= 0 ? Math.Min(declaredLength.Value, maxBytes) : maxBytes;
            return (int)Math.Min(bound + 1, MaxArrayLength);
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
