// netstandard2.0 lacks the marker type the compiler needs for init-only setters (IndexDefinition's fields).
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
