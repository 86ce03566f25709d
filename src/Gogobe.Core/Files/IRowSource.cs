namespace Gogobe.Core.Files;

/// <summary>A parser handing out one row at a time: the XmlReader parsers and the fast price scanner.</summary>
internal interface IRowSource<out TRow> : IDisposable
    where TRow : class
{
    /// <summary>The next accepted row, or null at the end. Rejected rows are counted in the stats and passed over.</summary>
    TRow? Next();
}
