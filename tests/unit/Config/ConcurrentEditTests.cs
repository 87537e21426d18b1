using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IndexTools.Engine.Config;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Config
{
    /// <summary>Issue 5: concurrent edits of one file lose nothing; files changed underneath, locked, missing or read-only are refused clearly.</summary>
    public class ConcurrentEditTests
    {
        private const int Editors = 6;
        private const int Rounds = 15;

        private static string ManyIndexes(int count)
        {
            var text = new StringBuilder("[project]\nname = \"app\"\n\n[tool.uv]\n");
            for (var i = 0; i < count; i++)
            {
                text.Append("\n[[tool.uv.index]]\nname = \"i").Append(i).Append("\"\nurl = \"https://i").Append(i).Append(".example/simple\"\n");
            }

            return text.ToString();
        }

        [Fact]
        public async Task ConcurrentUpdatesOfOneFileAreAllKept()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/pyproject.toml", ManyIndexes(Editors));
            using var start = new ManualResetEventSlim(false);
            var editors = Enumerable.Range(0, Editors).Select(editor => Task.Factory.StartNew(
                () =>
                {
                    start.Wait();
                    for (var round = 0; round < Rounds; round++)
                    {
                        // About losing no update, not about time: a generous lock wait (the default 10 s ran out on a loaded machine).
                        ConfigEditor.UpdateIgnoreErrorCodes(path, "i" + editor, new[] { 100 + round, 500 + editor }, lockTimeout: TimeSpan.FromMinutes(5));
                    }
                },
                TaskCreationOptions.LongRunning)).ToArray();
            start.Set();
            await Task.WhenAll(editors);

            var settings = ConfigurationLoader.Load(new ConfigurationRequest { StartPath = folder.Project }, folder.Environment());
            for (var editor = 0; editor < Editors; editor++)
            {
                var index = settings.Indexes.Single(i => i.Name == "i" + editor);
                Assert.Equal(new[] { 100 + Rounds - 1, 500 + editor }, index.IgnoreErrorCodes);
            }
        }

        [Fact]
        public void AnEditThatChangedTheFileDuringTheConfirmationIsRefusedAndKeepsTheirBytes()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            byte[]? theirs = null;
            var error = Assert.Throws<IOException>(() => ConfigEditor.UpdateIgnoreErrorCodes(path, "a", new[] { 403 }, plan =>
            {
                // An editor that does not take our lock saves while the user is being asked.
                File.AppendAllText(path, "# saved by an editor\n");
                theirs = File.ReadAllBytes(path);
                return true;
            }));
            Assert.Contains(path, error.Message);
            Assert.Contains("changed since it was read", error.Message);
            Assert.Equal(theirs, File.ReadAllBytes(path));
        }

        [Fact]
        public void ADeclinedConfirmationLeavesTheFileByteForByte()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\r\nname = \"a\"\r\nurl = \"https://a/simple\"\r\n");
            var before = File.ReadAllBytes(path);
            var plan = ConfigEditor.UpdateIgnoreErrorCodes(path, "a", new[] { 403 }, _ => false);
            Assert.False(plan.IsNoOp);
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void AnEditWaitsForTheLockAndThenGivesUpNamingTheFile()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            var before = File.ReadAllBytes(path);
            using (ConfigFileLock.Acquire(path))
            {
                var error = Assert.Throws<ConfigFileLockedException>(() => ConfigEditor.UpdateIgnoreErrorCodes(path, "a", new[] { 403 }, lockTimeout: TimeSpan.FromMilliseconds(300)));
                Assert.Contains(path, error.Message);
                Assert.Equal(Path.GetFullPath(path), error.FilePath);
                Assert.Throws<ConfigFileLockedException>(() => ConfigFileLock.Acquire(path, TimeSpan.FromMilliseconds(50)));
            }

            Assert.Equal(before, File.ReadAllBytes(path));

            // Released: the next edit goes through.
            ConfigEditor.UpdateIgnoreErrorCodes(path, "a", new[] { 403 });
            Assert.Contains("ignore-error-codes = [403]", File.ReadAllText(path));
        }

        [Fact]
        public void TheLockBelongsToOneFileAndIsNotInTheProjectFolder()
        {
            using var folder = new ConfigTestFolder();
            var a = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            var b = folder.Write("work/project/pyproject.toml", "[project]\nname = \"x\"\n");
            using var lockA = ConfigFileLock.Acquire(a);
            using var lockB = ConfigFileLock.Acquire(b, TimeSpan.FromMilliseconds(200));
            Assert.NotEqual(lockA.LockPath, lockB.LockPath);
            Assert.False(lockA.LockPath.StartsWith(folder.Root, StringComparison.Ordinal));
            Assert.Equal(2, Directory.GetFiles(folder.Project).Length);
            Assert.Throws<InvalidOperationException>(() => ConfigEditor.Apply(ConfigEditor.PlanIgnoreErrorCodes(a, "a", new[] { 401 }), lockB));
        }

        [Fact]
        public void AFileOpenedExclusivelyByAnotherProgramIsAClearErrorNamingIt()
        {
            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            var before = File.ReadAllBytes(path);
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                var error = Assert.ThrowsAny<IOException>(() => ConfigEditor.UpdateIgnoreErrorCodes(path, "a", new[] { 403 }));
                Assert.Contains(path, error.Message);
            }

            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void TheEditedFileKeepsItsPermissions()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            using var folder = new ConfigTestFolder();
            var path = folder.Write("work/project/uv.toml", "[[index]]\nname = \"a\"\nurl = \"https://a/simple\"\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            ConfigEditor.UpdateIgnoreErrorCodes(path, "a", new[] { 403 });
            Assert.Contains("ignore-error-codes = [403]", File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        [Fact]
        public void AMissingFolderOrFileIsAClearErrorNamingIt()
        {
            using var folder = new ConfigTestFolder();
            var missing = Path.Combine(folder.Root, "no-such-folder", "uv.toml");
            var error = Assert.ThrowsAny<Exception>(() => ConfigEditor.UpdateIgnoreErrorCodes(missing, "a", new[] { 403 }));
            Assert.True(error is IOException || error is IndexConfigurationException, error.GetType().Name);
            Assert.Contains(missing, error.Message);
            Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
        }
    }
}
