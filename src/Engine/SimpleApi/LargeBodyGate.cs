namespace IndexTools.Engine.SimpleApi
{
    /// <summary>
    /// Bounds the memory of page bodies across every concurrent request of the process: bodies up to
    /// <see cref="SmallBodyBytes"/> are read freely (at 50 requests in flight that is at most 50 × 4 MiB); a larger one
    /// waits for one of <see cref="Slots"/> slots and keeps it until its page has been parsed. A request holding a slot
    /// never waits for another one, so the gate cannot deadlock. Real project pages are far below the threshold (PyPI's
    /// largest JSON pages are a few MiB); only huge or hostile pages queue, one after the other.
    /// </summary>
    public sealed class LargeBodyGate
    {
        /// <summary>The process-wide gate: 4 MiB small bodies, one large body at a time.</summary>
        public static readonly LargeBodyGate Shared = new LargeBodyGate(4 * 1024 * 1024, 1);

        private readonly SemaphoreSlim _slots;
        private readonly object _spareGate = new object();
        private byte[]? _spare;
        private int _waiting;

        public LargeBodyGate(int smallBodyBytes, int slots)
        {
            if (smallBodyBytes < 1 || slots < 1)
            {
                throw new ArgumentOutOfRangeException(smallBodyBytes < 1 ? nameof(smallBodyBytes) : nameof(slots));
            }

            SmallBodyBytes = smallBodyBytes;
            Slots = slots;
            _slots = new SemaphoreSlim(slots, slots);
        }

        /// <summary>Bodies up to this size never wait.</summary>
        public int SmallBodyBytes { get; }

        /// <summary>Large bodies read (and parsed) at the same time.</summary>
        public int Slots { get; }

        /// <summary>Slots free right now (tests).</summary>
        public int Available => _slots.CurrentCount;

        /// <summary>Waits for a slot; disposing the result frees it (once).</summary>
        public async Task<Lease> EnterAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }

            return new Lease(this);
        }

        private byte[]? TakeSpare(int minimum)
        {
            lock (_spareGate)
            {
                var spare = _spare;
                if (spare != null && spare.Length >= minimum)
                {
                    _spare = null;
                    return spare;
                }

                return null;
            }
        }

        private void Release(byte[]? array)
        {
            // A large array is kept for the next large body only while one is waiting: a queue of huge pages reuses
            // one array instead of leaving one garbage array per page to the collector; the last one lets it go.
            lock (_spareGate)
            {
                _spare = array != null && Volatile.Read(ref _waiting) > 0 && (_spare is null || _spare.Length < array.Length) ? array : null;
            }

            _slots.Release();
        }

        /// <summary>A slot of the gate, with the one large array its body is read into.</summary>
        public sealed class Lease : IDisposable
        {
            private LargeBodyGate? _gate;
            private byte[]? _array;

            internal Lease(LargeBodyGate gate)
            {
                _gate = gate;
            }

            /// <summary>An array of at least <paramref name="minimum"/> bytes: the spare one a previous large body left, or a new one.</summary>
            public byte[] Array(int minimum)
            {
                var gate = _gate ?? throw new ObjectDisposedException(nameof(Lease));
                _array = gate.TakeSpare(minimum) ?? new byte[minimum];
                return _array;
            }

            public void Dispose()
            {
                var gate = Interlocked.Exchange(ref _gate, null);
                if (gate != null)
                {
                    var array = _array;
                    _array = null;
                    gate.Release(array);
                }
            }
        }
    }
}
