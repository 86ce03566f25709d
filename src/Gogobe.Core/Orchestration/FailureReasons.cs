using System.IO.Compression;
using System.Xml;

namespace Gogobe.Core.Orchestration;

/// <summary>Turns an exception into the one line an operator reads in file_processing_log.</summary>
public static class FailureReasons
{
    /// <summary>Whether a reason <see cref="Describe"/> wrote is a download's 404.</summary>
    public static bool IsNotFound(string? reason) => reason?.StartsWith("HTTP 404 ", StringComparison.Ordinal) ?? false;

    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var root = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        var text = root switch
        {
            HttpRequestException http when http.StatusCode is { } code => $"HTTP {(int)code} {code}: {http.Message}",
            HttpRequestException http => $"HTTP request failed: {http.Message}",
            XmlException xml => $"malformed XML at line {xml.LineNumber}, position {xml.LinePosition}: {xml.Message}",
            InvalidDataException data => data.Message,
            TaskCanceledException or TimeoutException => $"timed out: {root.Message}",
            _ => $"{root.GetType().Name}: {root.Message}",
        };
        return text.Length <= 2_000 ? text : text[..2_000];
    }
}
