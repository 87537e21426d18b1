using System;
using System.Diagnostics;
using System.Linq;
using IndexTools.Engine.Versions;
using Xunit;

namespace IndexTools.Tests.Versions
{
    /// <summary>The target environment: uv's --python-platform values, their tags in priority order and marker values.</summary>
    public class TargetEnvironmentTests
    {
        private static DistributionFilename Wheel(string name)
        {
            Assert.True(DistributionFilename.TryParse(name, null, out var d));
            return d!;
        }

        [Theory]
        [InlineData("linux", "linux", "Linux", "x86_64", "posix", "manylinux_2_28_x86_64")]
        [InlineData("windows", "win32", "Windows", "x86_64", "nt", "win_amd64")]
        [InlineData("macos", "darwin", "Darwin", "arm64", "posix", "macosx_13_0_arm64")]
        [InlineData("aarch64-pc-windows-msvc", "win32", "Windows", "ARM64", "nt", "win_arm64")]
        [InlineData("x86_64-manylinux_2_17", "linux", "Linux", "x86_64", "posix", "manylinux_2_17_x86_64")]
        [InlineData("manylinux_2_31_aarch64", "linux", "Linux", "aarch64", "posix", "manylinux_2_31_aarch64")]
        [InlineData("x86_64-unknown-linux-musl", "linux", "Linux", "x86_64", "posix", "musllinux_1_2_x86_64")]
        [InlineData("x86_64-apple-darwin", "darwin", "Darwin", "x86_64", "posix", "macosx_13_0_x86_64")]
        public void KnowsUvPlatformsAndTheirMarkers(string platform, string sys, string system, string machine, string os, string firstTag)
        {
            var target = TargetEnvironment.Create("3.11", platform);
            Assert.False(target.IsUniversal);
            Assert.Equal(sys, target.Markers["sys_platform"]);
            Assert.Equal(system, target.Markers["platform_system"]);
            Assert.Equal(machine, target.Markers["platform_machine"]);
            Assert.Equal(os, target.Markers["os_name"]);
            Assert.Equal("3.11", target.Markers["python_version"]);
            Assert.Equal("3.11.0", target.Markers["python_full_version"]);
            Assert.Equal("cpython", target.Markers["implementation_name"]);
            Assert.Equal(firstTag, target.PlatformTags[0]);
            Assert.Equal("cp311-cp311-" + firstTag, target.Tags[0]);
        }

        [Fact]
        public void UniversalTargetLeavesPlatformMarkersOpenAndSaysSo()
        {
            var target = TargetEnvironment.Create(null, null, ">=3.10", "pyproject.toml:4");
            Assert.True(target.IsUniversal);
            Assert.False(target.TryGetMarker("sys_platform", out _));
            Assert.False(target.TryGetMarker("python_version", out _));
            Assert.Contains("universal", target.Description);
            Assert.Contains(">=3.10", target.Description);
            Assert.Contains("pyproject.toml:4", target.Description);
            Assert.Empty(target.Tags);
        }

        [Theory]
        [InlineData("3.11", "linux-android")]
        [InlineData("3.11", "wasm32-pyodide2024")]
        [InlineData("three", null)]
        [InlineData("3.12rc1", null)]
        public void RejectsUnknownValuesNamingThem(string python, string? platform)
        {
            var error = Assert.Throws<FormatException>(() => TargetEnvironment.Create(python, platform));
            Assert.Contains("'" + (platform ?? python) + "'", error.Message);
        }

        [Theory]
        [InlineData("pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "linux", true)]
        [InlineData("pkg-1.0-cp311-cp311-manylinux_2_34_x86_64.whl", "linux", false)]
        [InlineData("pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.whl", "linux", false)]
        [InlineData("pkg-1.0-cp39-abi3-manylinux_2_17_x86_64.whl", "linux", true)]
        [InlineData("pkg-1.0-cp311-cp311-win_amd64.whl", "linux", false)]
        [InlineData("pkg-1.0-cp311-cp311-win_amd64.whl", "windows", true)]
        [InlineData("pkg-1.0-cp311-cp311-macosx_11_0_arm64.whl", "macos", true)]
        [InlineData("pkg-1.0-cp311-cp311-macosx_14_0_arm64.whl", "macos", false)]
        [InlineData("pkg-1.0-cp311-cp311-macosx_10_9_universal2.whl", "macos", true)]
        [InlineData("pkg-1.0-py3-none-any.whl", "windows", true)]
        [InlineData("pkg-1.0-py2-none-any.whl", "windows", false)]
        [InlineData("pkg-1.0-cp311-cp311-musllinux_1_1_x86_64.whl", "x86_64-unknown-linux-musl", true)]
        [InlineData("pkg-1.0-cp311-cp311-manylinux_2_17_aarch64.whl", "linux", false)]
        public void ChecksWheelTags(string wheel, string platform, bool fits)
        {
            var target = TargetEnvironment.Create("3.11", platform);
            Assert.Equal(fits, target.TagRank(Wheel(wheel)) >= 0);
            Assert.Equal(fits, target.WheelProblem(Wheel(wheel)) is null);
        }

        [Fact]
        public void RanksTheExactAbiAboveAbi3AbovePureWheels()
        {
            var target = TargetEnvironment.Create("3.11", "linux");
            var exact = target.TagRank(Wheel("p-1-cp311-cp311-manylinux_2_17_x86_64.whl"));
            var newerGlibc = target.TagRank(Wheel("p-1-cp311-cp311-manylinux_2_28_x86_64.whl"));
            var abi3 = target.TagRank(Wheel("p-1-cp38-abi3-manylinux_2_28_x86_64.whl"));
            var pure = target.TagRank(Wheel("p-1-py3-none-any.whl"));
            Assert.True(newerGlibc < exact);
            Assert.True(exact < abi3);
            Assert.True(abi3 < pure);
        }

        [Theory]
        [InlineData(">=3.10", "pkg-1.0-cp39-cp39-manylinux_2_17_x86_64.whl", false)]
        [InlineData(">=3.10", "pkg-1.0-cp313-cp313-win_amd64.whl", true)]
        [InlineData(">=3.10,<3.13", "pkg-1.0-cp313-cp313-win_amd64.whl", false)]
        [InlineData(">=3.10,<3.13", "pkg-1.0-cp312-cp312-win_amd64.whl", true)]
        [InlineData(">=3.10", "pkg-1.0-cp36-abi3-win_amd64.whl", true)]
        [InlineData(">=3.10", "pkg-1.0-py2-none-any.whl", false)]
        [InlineData(">=3.10", "pkg-1.0-py2.py3-none-any.whl", true)]
        [InlineData("==3.10.*", "pkg-1.0-py312-none-any.whl", false)]
        public void UniversalTargetChecksTheAbiAgainstRequiresPython(string requiresPython, string wheel, bool fits)
        {
            var target = TargetEnvironment.Create(null, null, requiresPython);
            Assert.Equal(fits, target.WheelProblem(Wheel(wheel)) is null);
        }

        /// <summary>The tag order is packaging's (pip vendors it; uv follows it): compared with what python3 prints.</summary>
        [Theory]
        [InlineData(3, 11)]
        [InlineData(3, 7)]
        public void TagOrderMatchesPackaging(int major, int minor)
        {
            var platforms = TargetEnvironment.ManylinuxTags("x86_64", 28);
            var script = "from pip._vendor.packaging.tags import cpython_tags, compatible_tags;"
                + "p=" + "[" + string.Join(",", platforms.Select(x => "'" + x + "'")) + "];"
                + "v=(" + major + "," + minor + ");"
                + "abis=['cp" + major + minor + (minor <= 7 ? "m" : "") + "'];"
                + "print('\\n'.join(str(t) for t in list(cpython_tags(v, abis, p)) + list(compatible_tags(v, 'cp" + major + minor + "', p))))";
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            using var process = Process.Start(start)!;
            var expected = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.Equal(expected, TargetEnvironment.CompatibleTags((major, minor), platforms).ToArray());
        }
    }
}
