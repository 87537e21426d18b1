using System.Security.Cryptography;
using System.Text;

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
    /// Thrown when the lock folder or a lock file is one IndexTools must not use: a folder another user owns or can write
    /// into, a symbolic link, or a lock file that is a link (someone chose where our lock would create or open a file).
    /// </summary>
    public sealed class ConfigFileLockUnsafeException : IOException
    {
        public ConfigFileLockUnsafeException(string filePath, string lockPath, string reason)
            : base("Cannot edit " + filePath + ": " + reason + " IndexTools does not take an edit lock in a place other users can change.")
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
    /// <para>One lock per file, not per path: the key is the file's resolved path (every symbolic link in its folders and
    /// its name resolved, <c>realpath</c>), so an edit through a symlinked folder or a link to the file waits for an edit
    /// through the real path.</para>
    /// <para>The lock is an OS lock on a side file in a per-user folder (never in the project): <c>$XDG_RUNTIME_DIR/indextools-locks</c>
    /// when that folder is the user's own (owned by the user, mode 0700), else <c>&lt;temp&gt;/indextools-locks-&lt;uid&gt;</c>
    /// created with mode 0700. Either folder is used only when it is a real folder (not a link) owned by the user with no
    /// access for group or others (a folder the user owns with more is tightened to 0700; one owned by another user is
    /// refused), and a lock file that is a symbolic link is refused, so no other user can make an edit create or open a
    /// file where they chose. On Windows it is <c>%TEMP%\indextools-locks-&lt;user&gt;</c> (the temp folder is per user).</para>
    /// <para><c>FileShare.None</c> is a share lock on Windows and an exclusive <c>flock</c> on Unix; the OS releases it when the
    /// process dies, so a crash leaves no stale lock. The side file is never deleted (deleting a lock file lets two
    /// processes lock different inodes). Editors that do not take this lock (or another user's edit, which uses that
    /// user's folder) are caught by the byte comparison in <see cref="ConfigEditor.Apply(EditPlan)"/>.</para>
    /// </summary>
    public sealed class ConfigFileLock : IDisposable
    {
        /// <summary>How long an edit waits for another edit of the same file by default.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

        private FileStream? _stream;

        private ConfigFileLock(string filePath, string resolvedPath, string lockPath, FileStream stream)
        {
            FilePath = filePath;
            ResolvedPath = resolvedPath;
            LockPath = lockPath;
            _stream = stream;
        }

        /// <summary>The full path of the locked configuration file, as given.</summary>
        public string FilePath { get; }

        /// <summary>The file the lock is for: <see cref="FilePath"/> with every symbolic link resolved.</summary>
        public string ResolvedPath { get; }

        /// <summary>The side file that carries the OS lock.</summary>
        public string LockPath { get; }

        public bool IsHeld => _stream != null;

        /// <summary>Takes the lock for <paramref name="filePath"/>, waiting up to <paramref name="timeout"/>.</summary>
        /// <exception cref="ConfigFileLockedException">The lock stayed taken for the whole timeout.</exception>
        /// <exception cref="ConfigFileLockUnsafeException">The lock folder or the lock file is not safely the user's own.</exception>
        public static ConfigFileLock Acquire(string filePath, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        {
            var full = Path.GetFullPath(filePath);
            var resolved = ResolvePath(full);
            var folder = LockFolder(full);
            var lockPath = Path.Combine(folder, KeyFor(resolved) + ".lock");
            var wait = timeout ?? DefaultTimeout;
            var deadline = DateTime.UtcNow + wait;
            var delay = 5;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RefuseLink(full, lockPath);
                FileStream stream;
                try
                {
                    stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(delay);
                    delay = Math.Min(delay * 2, 100);
                    continue;
                }
                catch (IOException)
                {
                    throw new ConfigFileLockedException(full, lockPath, wait);
                }

                try
                {
                    // A link planted between the check and the open would have been followed: look again, holding it.
                    RefuseLink(full, lockPath);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }

                return new ConfigFileLock(full, resolved, lockPath, stream);
            }
        }

        /// <summary>The side file for a configuration file: one per resolved file, in the user's lock folder.</summary>
        public static string LockPathFor(string fullPath)
        {
            var full = Path.GetFullPath(fullPath);
            return Path.Combine(LockFolderPath(), KeyFor(ResolvePath(full)) + ".lock");
        }

        /// <summary>
        /// <paramref name="fullPath"/> with every symbolic link resolved (folders and the file itself; a file not created yet
        /// keeps its name in its resolved folder). On Windows and where links cannot be resolved, the full path with only the
        /// file's own link followed.
        /// </summary>
        public static string ResolvePath(string fullPath)
        {
            var real = UnixFileSystem.RealPath(fullPath);
            if (real != null)
            {
                return real;
            }

            return FinalLinkTarget(fullPath) ?? fullPath;
        }

        private static readonly System.Reflection.MethodInfo? ResolveLinkTarget =
            typeof(File).GetMethod("ResolveLinkTarget", new[] { typeof(string), typeof(bool) });

        /// <summary>The final target of a file that is a symbolic link (.NET 6+ API, hence reflection), else null.</summary>
        private static string? FinalLinkTarget(string fullPath)
        {
            if (ResolveLinkTarget is null || !File.Exists(fullPath))
            {
                return null;
            }

            try
            {
                return (ResolveLinkTarget.Invoke(null, new object[] { fullPath, true }) as FileSystemInfo)?.FullName;
            }
            catch (System.Reflection.TargetInvocationException)
            {
                return null;
            }
        }

        private static string KeyFor(string resolvedPath)
        {
            var key = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? resolvedPath.ToUpperInvariant()
                : resolvedPath;
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

            return hex.ToString();
        }

        /// <summary>Where this user's lock files go (not created, not checked): see the class remarks.</summary>
        public static string LockFolderPath()
        {
            if (!UnixFileSystem.IsUnix)
            {
                return Path.Combine(Path.GetTempPath(), "indextools-locks-" + SafeUserName());
            }

            var runtime = System.Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            if (!string.IsNullOrEmpty(runtime) && Path.IsPathRooted(runtime) && IsPrivateFolder(runtime!))
            {
                return Path.Combine(runtime!, "indextools-locks");
            }

            var uid = UnixFileSystem.EffectiveUserId();
            return Path.Combine(Path.GetTempPath(), "indextools-locks-" + (uid.HasValue ? uid.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : SafeUserName()));
        }

        /// <summary>The lock folder, created 0700 when missing, and verified to be this user's own.</summary>
        private static string LockFolder(string filePath)
        {
            var folder = LockFolderPath();
            if (!UnixFileSystem.IsUnix || !UnixFileSystem.IsAvailable)
            {
                Directory.CreateDirectory(folder);
                return folder;
            }

            UnixFileSystem.MakeDirectory(folder, 0x1C0 /* 0700 */);
            var status = UnixFileSystem.LStat(folder);
            var uid = UnixFileSystem.EffectiveUserId();
            if (status is not UnixFileStatus st)
            {
                throw new ConfigFileLockUnsafeException(filePath, folder, "the lock folder " + folder + " could not be created or read.");
            }

            if (st.IsSymbolicLink || !st.IsDirectory)
            {
                throw new ConfigFileLockUnsafeException(filePath, folder, "the lock folder " + folder + " is " + (st.IsSymbolicLink ? "a symbolic link" : "not a folder") + ". Remove it and run the command again.");
            }

            if (uid.HasValue && st.Uid != uid.Value)
            {
                throw new ConfigFileLockUnsafeException(filePath, folder, "the lock folder " + folder + " belongs to another user (uid " + st.Uid + "; you are uid " + uid.Value + "). Remove it, or set XDG_RUNTIME_DIR to a folder only you can write, and run the command again.");
            }

            if ((st.Permissions & 0x3F /* 077 */) != 0)
            {
                // Ours, but open to others (made by an older version, or by hand): close it before using it.
                var error = UnixFileSystem.Chmod(folder, 0x1C0);
                if (error != null)
                {
                    throw new ConfigFileLockUnsafeException(filePath, folder, "the lock folder " + folder + " is open to other users (mode " + Convert.ToString(st.Permissions, 8) + ") and could not be made 0700: " + error + ".");
                }
            }

            return folder;
        }

        private static bool IsPrivateFolder(string folder)
        {
            var status = UnixFileSystem.LStat(folder);
            var uid = UnixFileSystem.EffectiveUserId();
            return status is UnixFileStatus st && st.IsDirectory && uid.HasValue && st.Uid == uid.Value && (st.Permissions & 0x3F) == 0;
        }

        /// <summary>Refuses a lock file that is a symbolic link (or anything but a regular file).</summary>
        private static void RefuseLink(string filePath, string lockPath)
        {
            if (UnixFileSystem.IsUnix && UnixFileSystem.IsAvailable)
            {
                if (UnixFileSystem.LStat(lockPath) is UnixFileStatus st && !st.IsRegularFile)
                {
                    throw new ConfigFileLockUnsafeException(filePath, lockPath, "the lock file " + lockPath + " is " + (st.IsSymbolicLink ? "a symbolic link" : "not a regular file") + ". Remove it and run the command again.");
                }

                return;
            }

            var info = new FileInfo(lockPath);
            if (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                throw new ConfigFileLockUnsafeException(filePath, lockPath, "the lock file " + lockPath + " is a symbolic link. Remove it and run the command again.");
            }
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
