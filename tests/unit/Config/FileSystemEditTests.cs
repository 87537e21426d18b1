using System;
using System.IO;
using System.Runtime.InteropServices;
using IndexTools.Engine.Config;
using Xunit;

namespace IndexTools.Tests.Config
{
    /// <summary>Issue 20.11-14 at the engine level: links, one lock per resolved file, hard links, what stat reports.</summary>
    public class FileSystemEditTests
    {
        private const string OneIndex = "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n";

        private static bool Unix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        [Fact]
        public void Stat_is_available_on_linux_and_reads_links_mode_and_owner()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return; // the layouts are checked where this suite runs (Linux CI); elsewhere IsAvailable may be false by design
            }

            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", OneIndex);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            Assert.True(UnixFileSystem.IsAvailable);
            var status = UnixFileSystem.Stat(path)!.Value;
            Assert.True(status.IsRegularFile);
            Assert.Equal(1UL, status.Links);
            Assert.Equal(0x1A0u /* 0640 */, status.Permissions);
            Assert.Equal(UnixFileSystem.EffectiveUserId(), status.Uid);
            Assert.Equal(OneIndex.Length, status.Size);

            var other = Path.Combine(folder.Project, "other.toml");
            File.CreateSymbolicLink(other + ".link", path);
            Assert.True(UnixFileSystem.LStat(other + ".link")!.Value.IsSymbolicLink);
            Assert.Equal(status.Inode, UnixFileSystem.Stat(other + ".link")!.Value.Inode);
        }

        [Fact]
        public void A_file_reached_through_a_symlinked_folder_has_one_lock()
        {
            if (!Unix)
            {
                return;
            }

            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", OneIndex);
            var alias = Path.Combine(folder.Root, "alias");
            Directory.CreateSymbolicLink(alias, folder.Project);
            var throughAlias = Path.Combine(alias, "uv.toml");

            Assert.Equal(ConfigFileLock.LockPathFor(path), ConfigFileLock.LockPathFor(throughAlias));
            using (var held = ConfigFileLock.Acquire(path))
            {
                Assert.Equal(ConfigFileLock.ResolvePath(Path.GetFullPath(path)), held.ResolvedPath);
                Assert.Throws<ConfigFileLockedException>(() => ConfigFileLock.Acquire(throughAlias, TimeSpan.FromMilliseconds(50)));
                // A plan made through the alias is written under the lock taken through the real path.
                ConfigEditor.Apply(ConfigEditor.PlanIgnoreErrorCodes(throughAlias, "a", new[] { 403 }), held);
            }

            Assert.Contains("ignore-error-codes = [403]", File.ReadAllText(path));
            Assert.Equal(FileAttributes.Directory, File.GetAttributes(alias) & FileAttributes.Directory);
            Assert.NotNull(new DirectoryInfo(alias).LinkTarget);
        }

        [Fact]
        public void A_symlinked_file_is_edited_where_it_points_and_stays_a_link()
        {
            if (!Unix)
            {
                return;
            }

            using var folder = new ConfigTestFolder();
            var target = folder.Write("work/shared/uv.toml", OneIndex);
            var link = Path.Combine(folder.Project, "uv.toml");
            Directory.CreateDirectory(folder.Project);
            File.CreateSymbolicLink(link, target);

            var plan = ConfigEditor.UpdateIgnoreErrorCodes(link, "a", new[] { 401 });

            Assert.Equal(Path.GetFullPath(target), plan.ResolvedPath);
            Assert.Equal(target, new FileInfo(link).LinkTarget);
            Assert.Equal(OneIndex + "ignore-error-codes = [401]\n", File.ReadAllText(target));
            Assert.Single(Directory.GetFileSystemEntries(folder.Project));
            Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!));
        }

        [Fact]
        public void A_hard_linked_file_is_refused_unless_breaking_the_link_is_allowed()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return;
            }

            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", OneIndex);
            var other = Path.Combine(folder.Project, "copy.toml");
            Assert.Equal(0, link(path, other));

            var plan = ConfigEditor.PlanIgnoreErrorCodes(path, "a", new[] { 403 });
            Assert.Equal(2, plan.HardLinkCount);
            var refused = Assert.Throws<HardLinkedFileException>(() => ConfigEditor.Apply(plan));
            Assert.Contains(path, refused.Message);
            Assert.Contains("-Force", refused.Message);
            Assert.Equal(OneIndex, File.ReadAllText(path));

            plan.AllowBreakingHardLinks = true;
            ConfigEditor.Apply(plan);
            Assert.Contains("ignore-error-codes = [403]", File.ReadAllText(path));
            Assert.Equal(OneIndex, File.ReadAllText(other));
            Assert.Equal(1UL, UnixFileSystem.Stat(path)!.Value.Links);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int link(string existing, string created);
    }
}
