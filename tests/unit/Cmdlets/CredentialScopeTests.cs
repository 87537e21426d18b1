using IndexTools.Cmdlets;
using IndexTools.Engine.Indexes;
using Xunit;

namespace IndexTools.Tests.Cmdlets
{
    public class CredentialScopeTests
    {
        private static IndexDefinition Index(string name, string url, AuthenticatePolicy authenticate = AuthenticatePolicy.Auto)
        {
            return new IndexDefinition(name, url, Provenance.Default) { Authenticate = authenticate };
        }

        [Fact]
        public void NamedIndexWins()
        {
            var indexes = new[] { Index("a", "https://a.test/simple"), Index("b", "https://b.test/simple") };
            Assert.Same(indexes[1], CredentialScope.Select(indexes, "b", out var problem));
            Assert.Null(problem);
        }

        [Fact]
        public void UnknownNameIsAProblemListingTheIndexes()
        {
            var indexes = new[] { Index("a", "https://a.test/simple") };
            Assert.Null(CredentialScope.Select(indexes, "zzz", out var problem));
            Assert.Contains("'zzz'", problem);
            Assert.Contains("a", problem);
        }

        [Fact]
        public void TheOnlyAuthenticateAlwaysIndexIsChosen()
        {
            var indexes = new[] { Index("a", "https://a.test/simple"), Index("b", "https://b.test/simple", AuthenticatePolicy.Always), Index("pypi", "https://pypi.org/simple") };
            Assert.Same(indexes[1], CredentialScope.Select(indexes, null, out _));
        }

        [Fact]
        public void TheOnlyNonPyPIIndexIsChosen()
        {
            var indexes = new[] { Index("internal", "https://pkgs.corp.test/simple"), Index(null!, "https://pypi.org/simple") };
            Assert.Same(indexes[0], CredentialScope.Select(indexes, null, out _));
        }

        [Fact]
        public void TwoPrivateIndexesAreAmbiguous()
        {
            var indexes = new[] { Index("a", "https://a.test/simple"), Index("b", "https://b.test/simple"), Index("pypi", "https://pypi.org/simple") };
            Assert.Null(CredentialScope.Select(indexes, null, out var problem));
            Assert.Contains("-CredentialIndex", problem);
        }

        [Fact]
        public void PyPIAloneNeverReceivesCredentialsImplicitly()
        {
            var indexes = new[] { Index("pypi", "https://pypi.org/simple") };
            Assert.Null(CredentialScope.Select(indexes, null, out _));
        }
    }
}
