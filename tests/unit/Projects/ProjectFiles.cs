using System;
using System.IO;

namespace IndexTools.Tests.Projects
{
    /// <summary>A temporary folder for project files, removed on dispose.</summary>
    internal sealed class ProjectFiles : IDisposable
    {
        public ProjectFiles()
        {
            Root = Path.Combine(Path.GetTempPath(), "indextools-projects-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
        }

        public string Root { get; }

        public string Write(string relative, string text)
        {
            var path = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text.Replace("\r\n", "\n"));
            return path;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
