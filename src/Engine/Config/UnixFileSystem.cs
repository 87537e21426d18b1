using System.Runtime.InteropServices;
using System.Text;

namespace IndexTools.Engine.Config
{
    /// <summary>What <c>stat</c>/<c>lstat</c> says about a path (the fields edits and locks need).</summary>
    /// <param name="Device">st_dev.</param>
    /// <param name="Inode">st_ino.</param>
    /// <param name="Links">Hard links to the file (st_nlink).</param>
    /// <param name="Mode">st_mode: the type bits and the permission bits.</param>
    /// <param name="Uid">st_uid.</param>
    /// <param name="Gid">st_gid.</param>
    /// <param name="Size">st_size.</param>
    internal readonly record struct UnixFileStatus(ulong Device, ulong Inode, ulong Links, uint Mode, uint Uid, uint Gid, long Size)
    {
        public bool IsSymbolicLink => (Mode & 0xF000) == 0xA000;

        public bool IsDirectory => (Mode & 0xF000) == 0x4000;

        public bool IsRegularFile => (Mode & 0xF000) == 0x8000;

        /// <summary>The permission bits (0777 and the set-id/sticky bits).</summary>
        public uint Permissions => Mode & 0xFFF;
    }

    /// <summary>
    /// The few POSIX calls the engine's file writing and edit lock need and netstandard2.0 does not offer: the resolved path
    /// (<c>realpath</c>), owner, group, mode, link count and inode (<c>stat</c>/<c>lstat</c>), <c>chown</c>, <c>mkdir</c> with a
    /// mode, <c>chmod</c> and the effective uid. Only on Linux (x64, arm64) and macOS, where the layout of <c>struct stat</c> is
    /// known; a layout that does not match what .NET itself reports for the same file (size, and the type) makes
    /// <see cref="IsAvailable"/> false and every call here answer "unknown" instead of guessing.
    /// </summary>
    internal static class UnixFileSystem
    {
        private enum Layout
        {
            None,
            LinuxX64,
            LinuxArm64,
            MacOS,
        }

        private static readonly Layout Kind = DetectLayout();
        private static int _verified; // 0 unknown, 1 checked and right, -1 checked and wrong
        private static bool _useXstat;

        /// <summary>True on a Unix the engine knows the <c>stat</c> layout of (checked once against .NET's view of a real file).</summary>
        public static bool IsAvailable
        {
            get
            {
                if (Kind == Layout.None)
                {
                    return false;
                }

                if (_verified == 0)
                {
                    _verified = Verify() ? 1 : -1;
                }

                return _verified > 0;
            }
        }

        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The effective user id, or null when unknown (Windows, an unknown Unix).</summary>
        public static uint? EffectiveUserId()
        {
            if (!IsUnix)
            {
                return null;
            }

            try
            {
                return geteuid();
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary><c>stat</c> (follows links): null when the path does not exist or the layout is unknown.</summary>
        public static UnixFileStatus? Stat(string path) => IsAvailable ? RawStat(path, follow: true) : null;

        /// <summary><c>lstat</c> (the link itself): null when the path does not exist or the layout is unknown.</summary>
        public static UnixFileStatus? LStat(string path) => IsAvailable ? RawStat(path, follow: false) : null;

        /// <summary>
        /// The path with every symbolic link resolved, in every folder and the last name (<c>realpath</c>); for a file that
        /// does not exist yet, its resolved folder and its name. Null when neither resolves (or not on Unix).
        /// </summary>
        public static string? RealPath(string fullPath)
        {
            if (!IsUnix)
            {
                return null;
            }

            var resolved = RawRealPath(fullPath);
            if (resolved != null)
            {
                return resolved;
            }

            var folder = Path.GetDirectoryName(fullPath);
            var name = Path.GetFileName(fullPath);
            if (string.IsNullOrEmpty(folder) || string.IsNullOrEmpty(name))
            {
                return null;
            }

            var resolvedFolder = RawRealPath(folder!);
            return resolvedFolder is null ? null : Path.Combine(resolvedFolder, name);
        }

        /// <summary><c>chown</c>; the errno text on failure, null on success.</summary>
        public static string? Chown(string path, uint uid, uint gid)
        {
            return chown(Bytes(path), uid, gid) == 0 ? null : ErrorText(Marshal.GetLastWin32Error());
        }

        /// <summary><c>chmod</c>; the errno text on failure, null on success.</summary>
        public static string? Chmod(string path, uint mode)
        {
            return chmod(Bytes(path), mode) == 0 ? null : ErrorText(Marshal.GetLastWin32Error());
        }

        /// <summary><c>mkdir</c> with a mode (the umask can only take bits away): true when made, false when it existed; throws on other errors.</summary>
        public static bool MakeDirectory(string path, uint mode)
        {
            if (mkdir(Bytes(path), mode) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastWin32Error();
            if (errno == 17)
            {
                // EEXIST on Linux and macOS.
                return false;
            }

            throw new IOException("Cannot create the folder " + path + ": " + ErrorText(errno) + ".");
        }

        private static string ErrorText(int errno)
        {
            switch (errno)
            {
                case 1:
                    return "operation not permitted (EPERM)";
                case 2:
                    return "no such file or folder (ENOENT)";
                case 13:
                    return "permission denied (EACCES)";
                case 30:
                    return "read-only file system (EROFS)";
                default:
                    return "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        private static Layout DetectLayout()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                switch (RuntimeInformation.OSArchitecture)
                {
                    case Architecture.X64:
                        return Layout.LinuxX64;
                    case Architecture.Arm64:
                        return Layout.LinuxArm64;
                }
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                if (RuntimeInformation.OSArchitecture == Architecture.X64 || RuntimeInformation.OSArchitecture == Architecture.Arm64)
                {
                    return Layout.MacOS;
                }
            }

            return Layout.None;
        }

        /// <summary>The layout is trusted only when a file this process writes reads back with its size, as a regular file, owned by us.</summary>
        private static bool Verify()
        {
            string? probe = null;
            try
            {
                probe = Path.Combine(Path.GetTempPath(), ".indextools-stat-" + Guid.NewGuid().ToString("N"));
                File.WriteAllBytes(probe, new byte[1234]);
                var status = RawStat(probe, follow: false);
                var uid = EffectiveUserId();
                return status is UnixFileStatus s && s.IsRegularFile && s.Size == 1234 && s.Links == 1 && uid.HasValue && s.Uid == uid.Value;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
            finally
            {
                if (probe != null)
                {
                    try
                    {
                        File.Delete(probe);
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                    }
                }
            }
        }

        private static UnixFileStatus? RawStat(string path, bool follow)
        {
            var buffer = new byte[512];
            var name = Bytes(path);
            int result;
            if (Kind == Layout.MacOS)
            {
                result = RuntimeInformation.OSArchitecture == Architecture.X64
                    ? (follow ? stat_inode64(name, buffer) : lstat_inode64(name, buffer))
                    : (follow ? stat(name, buffer) : lstat(name, buffer));
            }
            else if (!_useXstat)
            {
                try
                {
                    result = follow ? stat(name, buffer) : lstat(name, buffer);
                }
                catch (EntryPointNotFoundException)
                {
                    // glibc before 2.33 exports only __xstat/__lxstat.
                    _useXstat = true;
                    return RawStat(path, follow);
                }
            }
            else
            {
                var version = Kind == Layout.LinuxX64 ? 1 : 0;
                result = follow ? __xstat(version, name, buffer) : __lxstat(version, name, buffer);
            }

            if (result != 0)
            {
                return null;
            }

            return StatFields.TryGetValue(Kind, out var fields) ? Decode(buffer, fields) : null;
        }

        /// <summary>
        /// Where each field of <c>struct stat</c> stands in one layout, as (offset, width in bytes), in the order of
        /// <see cref="UnixFileStatus"/>: st_dev, st_ino, st_nlink, st_mode, st_uid, st_gid, st_size.
        /// </summary>
        private static readonly Dictionary<Layout, (int Offset, int Width)[]> StatFields = new Dictionary<Layout, (int Offset, int Width)[]>
        {
            [Layout.LinuxX64] = new[] { (0, 8), (8, 8), (16, 8), (24, 4), (28, 4), (32, 4), (48, 8) },
            [Layout.LinuxArm64] = new[] { (0, 8), (8, 8), (20, 4), (16, 4), (24, 4), (28, 4), (48, 8) },
            [Layout.MacOS] = new[] { (0, 4), (8, 8), (6, 2), (4, 2), (16, 4), (20, 4), (96, 8) },
        };

        private static UnixFileStatus Decode(byte[] buffer, (int Offset, int Width)[] fields)
        {
            ulong Field(int i)
            {
                var (offset, width) = fields[i];
                return width == 2 ? BitConverter.ToUInt16(buffer, offset) : width == 4 ? BitConverter.ToUInt32(buffer, offset) : BitConverter.ToUInt64(buffer, offset);
            }

            return new UnixFileStatus(Field(0), Field(1), Field(2), (uint)Field(3), (uint)Field(4), (uint)Field(5), (long)Field(6));
        }

        private static string? RawRealPath(string path)
        {
            var resolved = new byte[8192];
            try
            {
                if (realpath(Bytes(path), resolved) == IntPtr.Zero)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }

            var length = Array.IndexOf(resolved, (byte)0);
            return Encoding.UTF8.GetString(resolved, 0, length < 0 ? resolved.Length : length);
        }

        private static byte[] Bytes(string path)
        {
            var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
            Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return bytes;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern uint geteuid();

        [DllImport("libc", SetLastError = true)]
        private static extern int stat(byte[] path, byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        private static extern int lstat(byte[] path, byte[] buffer);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        private static extern int stat_inode64(byte[] path, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
        private static extern int lstat_inode64(byte[] path, byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        private static extern int __xstat(int version, byte[] path, byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        private static extern int __lxstat(int version, byte[] path, byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath(byte[] path, byte[] resolved);

        [DllImport("libc", SetLastError = true)]
        private static extern int chown(byte[] path, uint owner, uint group);

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(byte[] path, uint mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int mkdir(byte[] path, uint mode);
    }
}
