using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace IndexTools.Engine.Config
{
    /// <summary>Thrown when another process (or another edit in this one) holds a configuration file's edit lock too long.</summary>
    public sealed class ConfigFileLockedException : IOException
    {
        public ConfigFileLockedException(string filePath, string lockPath, TimeSpan waited)
            : base("Cannot edit " + filePath + ": another edit of this file has held its lock (" + lockPath + ") for more than "
                + waited.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s. Wait for it to finish and run the command again.")
        {
            FilePath = filePath;
            LockPath = lockPath;
        }

        public string FilePath { get; }

        public string LockPath { get; }
    }

    /// <summary>
    /// An exclusive edit lock for one configuration file, held from the read that plans an edit to the write that
    /// applies it, so concurrent edits (other PowerShell sessions, jobs, threads) run one after another and none is lost.
    /// The lock is an OS lock on a side file in the temp folder (never in the project): <c>FileShare.None</c> is a share
    /// lock on Windows and an exclusive <c>flock</c> on Unix; the OS releases it when the process dies, so a crash leaves
    /// no stale lock. The side file is never deleted (deleting a lock file lets two processes lock different inodes).
    /// Editors that do not take this lock are caught by the byte comparison in <see cref="ConfigEditor.Apply(EditPlan)"/>.
    /// </summary>
    public sealed class ConfigFileLock : IDisposable
    {
        /// <summary>How long an edit waits for another edit of the same file by default.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

        private FileStream? _stream;

        private ConfigFileLock(string filePath, string lockPath, FileStream stream)
        {
            FilePath = filePath;
            LockPath = lockPath;
            _stream = stream;
        }

        /// <summary>The full path of the locked configuration file.</summary>
        public string FilePath { get; }

        /// <summary>The side file that carries the OS lock.</summary>
        public string LockPath { get; }

        public bool IsHeld => _stream != null;

        /// <summary>Takes the lock for <paramref name="filePath"/>, waiting up to <paramref name="timeout"/>.</summary>
        /// <exception cref="ConfigFileLockedException">The lock stayed taken for the whole timeout.</exception>
        public static ConfigFileLock Acquire(string filePath, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        {
            var full = Path.GetFullPath(filePath);
            var lockPath = LockPathFor(full);
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            var wait = timeout ?? DefaultTimeout;
            var deadline = DateTime.UtcNow + wait;
            var delay = 5;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new ConfigFileLock(full, lockPath, stream);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(delay);
                    delay = Math.Min(delay * 2, 100);
                }
                catch (IOException)
                {
                    throw new ConfigFileLockedException(full, lockPath, wait);
                }
            }
        }

        /// <summary>The side file for a configuration file: one per full path, under the temp folder.</summary>
        public static string LockPathFor(string fullPath)
        {
            var key = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? fullPath.ToUpperInvariant()
                : fullPath;
            byte[] hash;
            using (var sha = SHA256.Create())
            {
                hash = sha.ComputeHash(Encoding.UTF8.GetBytes(key));
            }

            var hex = new StringBuilder(32);
            for (var i = 0; i < 16; i++)
            {
                hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return Path.Combine(Path.GetTempPath(), "indextools-locks-" + SafeUserName(), hex + ".lock");
        }

        private static string SafeUserName()
        {
            var name = System.Environment.UserName ?? "user";
            var safe = new StringBuilder(name.Length);
            foreach (var c in name)
            {
                safe.Append(char.IsLetterOrDigit(c) || c == '-' || c == '_' ? c : '_');
            }

            return safe.Length == 0 ? "user" : safe.ToString();
        }

        public void Dispose()
        {
            var stream = Interlocked.Exchange(ref _stream, null);
            stream?.Dispose();
        }
    }
}
