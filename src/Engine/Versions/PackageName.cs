using System.Text;

namespace IndexTools.Engine.Versions
{
    /// <summary>PEP 503 name normalization: lowercase, runs of '-', '_' and '.' become one '-'.</summary>
    public static class PackageName
    {
        public static string Normalize(string name)
        {
            // Exactly re.sub(r"[-_.]+", "-", name).lower() from PEP 503.
            var builder = new StringBuilder(name.Length);
            var previousWasSeparator = false;
            foreach (var c in name)
            {
                if (c == '-' || c == '_' || c == '.')
                {
                    if (!previousWasSeparator)
                    {
                        builder.Append('-');
                    }

                    previousWasSeparator = true;
                    continue;
                }

                previousWasSeparator = false;
                builder.Append(c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
            }

            return builder.ToString();
        }
    }
}
