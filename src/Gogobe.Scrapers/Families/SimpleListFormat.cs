namespace Gogobe.Scrapers.Families;

/// <summary>How a simple page lists its files.</summary>
public enum SimpleListFormat
{
    /// <summary>An HTML page whose table rows (<c>&lt;tr&gt;</c>) or list items (<c>&lt;li&gt;</c>) link to the files.</summary>
    HtmlLinks,

    /// <summary>A JSON array of <c>{"name": "...", "url": "..."}</c>.</summary>
    JsonList,
}
