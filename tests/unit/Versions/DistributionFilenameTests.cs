using IndexTools.Engine.SimpleApi;
using IndexTools.Engine.Versions;
using Xunit;

namespace IndexTools.Tests.Versions
{
    /// <summary>Filenames as uv's crates/uv-distribution-filename reads them.</summary>
    public class DistributionFilenameTests
    {
        [Theory]
        [InlineData("numpy-2.1.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "numpy", "numpy", "2.1.3", null, "cp312", "cp312", "manylinux_2_17_x86_64,manylinux2014_x86_64")]
        [InlineData("numpy-1.26.4-pp39-pypy39_pp73-win_amd64.whl", "numpy", "numpy", "1.26.4", null, "pp39", "pypy39_pp73", "win_amd64")]
        [InlineData("torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl", "torch", "torch", "2.1.0+cu121", null, "cp311", "cp311", "linux_x86_64")]
        [InlineData("torch-2.5.0.dev20240901+cpu-cp312-cp312-win_amd64.whl", "torch", "torch", "2.5.0.dev20240901+cpu", null, "cp312", "cp312", "win_amd64")]
        [InlineData("requests-2.32.3-py3-none-any.whl", "requests", "requests", "2.32.3", null, "py3", "none", "any")]
        [InlineData("six-1.16.0-py2.py3-none-any.whl", "six", "six", "1.16.0", null, "py2,py3", "none", "any")]
        [InlineData("zope.interface-6.0-cp311-cp311-macosx_11_0_arm64.whl", "zope.interface", "zope-interface", "6.0", null, "cp311", "cp311", "macosx_11_0_arm64")]
        [InlineData("typing_extensions-4.12.2-py3-none-any.whl", "typing_extensions", "typing-extensions", "4.12.2", null, "py3", "none", "any")]
        [InlineData("Pillow-10.0.0-1-cp311-cp311-win_amd64.whl", "Pillow", "pillow", "10.0.0", "1", "cp311", "cp311", "win_amd64")]
        [InlineData("pkg-1.0-2b.editable-py3-none-any.whl", "pkg", "pkg", "1.0", "2b.editable", "py3", "none", "any")]
        [InlineData("cryptography-43.0.1-cp39-abi3-musllinux_1_2_aarch64.whl", "cryptography", "cryptography", "43.0.1", null, "cp39", "abi3", "musllinux_1_2_aarch64")]
        [InlineData("foo-1.0RC1-py3-none-any.whl", "foo", "foo", "1.0rc1", null, "py3", "none", "any")]
        public void ReadsWheels(string filename, string name, string normalized, string version, string? build, string python, string abi, string platform)
        {
            Assert.True(DistributionFilename.TryParse(filename, normalized, out var d));
            Assert.Equal(DistributionKind.Wheel, d!.Kind);
            Assert.Equal(name, d.Name);
            Assert.Equal(normalized, d.NormalizedName);
            Assert.Equal(version, d.Version.ToString());
            Assert.Equal(build, d.BuildTag);
            Assert.Equal(python, string.Join(",", d.PythonTags));
            Assert.Equal(abi, string.Join(",", d.AbiTags));
            Assert.Equal(platform, string.Join(",", d.PlatformTags));
            Assert.Equal(filename, d.Filename);
            Assert.Equal("whl", d.Extension);
        }

        [Fact]
        public void KeepsTheVersionAsWritten()
        {
            Assert.True(DistributionFilename.TryParse("foo-1.0RC1-py3-none-any.whl", "foo", out var d));
            Assert.Equal("1.0RC1", d!.VersionText);
            Assert.True(DistributionFilename.TryParse("Foo-1.0-1.tar.gz", "foo", out var s));
            Assert.Equal("1.0-1", s!.VersionText);
            Assert.Equal("1.0.post1", s.Version.ToString());
        }

        [Theory]
        [InlineData("requests-2.32.3.tar.gz", "requests", "requests", "2.32.3", "tar.gz")]
        [InlineData("numpy-1.26.4.zip", "numpy", "numpy", "1.26.4", "zip")]
        [InlineData("foo_lib-1.2.3.tar.bz2", "foo-lib", "foo_lib", "1.2.3", "tar.bz2")]
        [InlineData("foo_lib-1.2.3.tar.xz", "foo-lib", "foo_lib", "1.2.3", "tar.xz")]
        [InlineData("foo_lib-1.2.3.tar.lz", "foo-lib", "foo_lib", "1.2.3", "tar.lz")]
        [InlineData("foo_lib-1.2.3.tar.lzma", "foo-lib", "foo_lib", "1.2.3", "tar.lzma")]
        [InlineData("foo_lib-1.2.3.tar.zst", "foo-lib", "foo_lib", "1.2.3", "tar.zst")]
        [InlineData("foo_lib-1.2.3.tar", "foo-lib", "foo_lib", "1.2.3", "tar")]
        [InlineData("foo_lib-1.2.3.tgz", "foo-lib", "foo_lib", "1.2.3", "tgz")]
        [InlineData("foo_lib-1.2.3.tbz", "foo-lib", "foo_lib", "1.2.3", "tbz")]
        [InlineData("foo_lib-1.2.3.txz", "foo-lib", "foo_lib", "1.2.3", "txz")]
        [InlineData("foo_lib-1.2.3.tlz", "foo-lib", "foo_lib", "1.2.3", "tlz")]
        [InlineData("foo_lib-1.2.3a3.zip", "foo-lib", "foo_lib", "1.2.3a3", "zip")]
        [InlineData("Foo.Lib-1.2.3.TAR.gz", "foo-lib", "Foo.Lib", "1.2.3", "tar.gz")]
        [InlineData("python-dateutil-2.9.0.post0.tar.gz", "python-dateutil", "python-dateutil", "2.9.0.post0", "tar.gz")]
        [InlineData("a-1-1.zip", "a", "a", "1.post1", "zip")]
        [InlineData("zope.interface-6.0.tar.gz", "zope-interface", "zope.interface", "6.0", "tar.gz")]
        public void ReadsSdistsUsingTheExpectedName(string filename, string expected, string name, string version, string extension)
        {
            Assert.True(DistributionFilename.TryParse(filename, expected, out var d));
            Assert.Equal(DistributionKind.Sdist, d!.Kind);
            Assert.Equal(name, d.Name);
            Assert.Equal(expected, d.NormalizedName);
            Assert.Equal(version, d.Version.ToString());
            Assert.Equal(extension, d.Extension);
            Assert.Empty(d.PythonTags);
            Assert.Null(d.BuildTag);
        }

        [Theory]
        // Not distributions uv reads: skipped.
        [InlineData("numpy-1.0-py2.7.egg", "numpy")]
        [InlineData("numpy-1.0.win32-py2.7.exe", "numpy")]
        [InlineData("numpy-1.0.msi", "numpy")]
        [InlineData("numpy-1.0.rpm", "numpy")]
        [InlineData("numpy-1.0.tar.gz.asc", "numpy")]
        [InlineData("numpy-1.0-py3-none-any.whl.metadata", "numpy")]
        [InlineData("numpy-1.0.ZIP", "numpy")]
        [InlineData("numpy-1.0-py3-none-any.WHL", "numpy")]
        [InlineData("numpy-1.0.gz", "numpy")]
        [InlineData("0.1.0", "numpy")]
        [InlineData("", "numpy")]
        // Sdists of another project, or whose name only starts like the project's.
        [InlineData("numpyx-1.0.tar.gz", "numpy")]
        [InlineData("b-1.2.3.zip", "a")]
        [InlineData("aX1.2.3.zip", "a")]
        [InlineData("foo__lib-1.0.tar.gz", "foo-lib")]
        // Unparsable versions.
        [InlineData("a-1.2.3-gamma.3.zip", "a")]
        [InlineData("numpy-latest.tar.gz", "numpy")]
        [InlineData("numpy-.tar.gz", "numpy")]
        [InlineData("numpy.tar.gz", "numpy")]
        [InlineData("numpy-dev-py3-none-any.whl", "numpy")]
        // Malformed wheels.
        [InlineData("not-a-wheel.whl", "not-a-wheel")]
        [InlineData("foo-1.2.3.whl", "foo")]
        [InlineData("foo-1.2.3-py3-none.whl", "foo")]
        [InlineData("foo-1.2.3-1-2-py3-none-any.whl", "foo")]
        [InlineData("foo-1.2.3-build-py3-none-any.whl", "foo")]
        [InlineData("foo-1.2.3--none-any.whl", "foo")]
        [InlineData("foo-1.2.3-py3..py2-none-any.whl", "foo")]
        [InlineData("foo-1.2.3-py3-none-any!.whl", "foo")]
        [InlineData("_foo-1.2.3-py3-none-any.whl", "foo")]
        [InlineData("foo-1.0-99999999999999999999-py3-none-any.whl", "foo")]
        public void SkipsWhatUvSkips(string filename, string expected)
        {
            Assert.False(DistributionFilename.TryParse(filename, expected, out var d));
            Assert.Null(d);
        }

        [Fact]
        public void ReadsAWheelByItsOwnNameAsUvDoes()
        {
            // uv (wheel.rs WheelFilename::from_hint) uses the hint only as a shortcut and keeps a valid foreign name.
            Assert.True(DistributionFilename.TryParse("other_pkg-1.0-py3-none-any.whl", "numpy", out var d));
            Assert.Equal("other-pkg", d!.NormalizedName);
        }

        [Theory]
        // Flat indexes: no expected name, sdists split at their last '-'.
        [InlineData("foo_lib-1.2.3.tar.gz", "foo-lib", "1.2.3")]
        [InlineData("python-dateutil-2.9.0.tar.gz", "python-dateutil", "2.9.0")]
        [InlineData("torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl", "torch", "2.1.0+cu121")]
        public void ReadsFlatIndexFilesWithoutAnExpectedName(string filename, string normalized, string version)
        {
            Assert.True(DistributionFilename.TryParse(filename, null, out var d));
            Assert.Equal(normalized, d!.NormalizedName);
            Assert.Equal(version, d.Version.ToString());
        }

        [Theory]
        [InlineData("foo-1.0")]
        [InlineData("-1.0.tar.gz")]
        [InlineData("foo_-1.0.tar.gz")]
        public void FlatIndexRejectsUnsplittableSdists(string filename)
        {
            Assert.False(DistributionFilename.TryParse(filename, null, out _));
        }
    }
}
