using System.Text.Json;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>A portal's JSON answer: anything but the JSON expected is the portal changing, said with the step and address.</summary>
internal static class PortalJson
{
    /// <summary>The answer as a JSON document whose root is an array; else a <see cref="PortalChangedException"/>.</summary>
    public static JsonDocument ParseArray(Chain chain, string step, Uri address, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new PortalChangedException(chain, step, $"the answer of {address}", $"no JSON ({ex.Message})", ex);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new PortalChangedException(chain, step, $"the answer of {address}", "no JSON array");
        }

        return document;
    }
}
