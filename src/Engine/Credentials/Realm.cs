namespace IndexTools.Engine.Credentials
{
    /// <summary>
    /// An origin (scheme, host, port) — the scope credentials belong to (RFC 7235 §2.2, uv's <c>Realm</c> in
    /// crates/uv-auth/src/realm.rs). The scheme must match exactly (no http → https carry-over); the port is
    /// compared after defaulting (https://h and https://h:443 are the same realm).
    /// </summary>
    public readonly struct Realm : IEquatable<Realm>
    {
        public Realm(Uri url)
        {
            if (url is null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            Scheme = url.Scheme.ToLowerInvariant();
            Host = url.IsAbsoluteUri ? url.Host.ToLowerInvariant() : "";
            Port = url.IsAbsoluteUri ? url.Port : -1;
        }

        public string Scheme { get; }

        public string Host { get; }

        public int Port { get; }

        public bool Equals(Realm other)
        {
            return string.Equals(Scheme, other.Scheme, StringComparison.Ordinal)
                && string.Equals(Host, other.Host, StringComparison.Ordinal)
                && Port == other.Port;
        }

        public override bool Equals(object? obj) => obj is Realm other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                return ((Scheme ?? "").GetHashCode() * 397) ^ ((Host ?? "").GetHashCode() * 31) ^ Port;
            }
        }

        public static bool operator ==(Realm left, Realm right) => left.Equals(right);

        public static bool operator !=(Realm left, Realm right) => !left.Equals(right);

        public override string ToString() => Scheme + "://" + Host + ":" + Port;
    }
}
