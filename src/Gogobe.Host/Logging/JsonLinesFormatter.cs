using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace Gogobe.Host.Logging;

/// <summary>
/// One JSON object per line, in the compact (CLEF) field names tools know: <c>@t</c> time, <c>@l</c> level (omitted for
/// Information), <c>@m</c> the message rendered for reading (strings as they are, not quoted as Serilog's default
/// rendering has them), <c>@x</c> the exception, then every property except the text files' layout helpers.
/// </summary>
internal sealed class JsonLinesFormatter : ITextFormatter
{
    private static readonly JsonValueFormatter Values = new(typeTagName: null);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write("{\"@t\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        output.Write("\",\"@m\":");
        JsonValueFormatter.WriteQuotedJsonString(Render(logEvent), output);
        if (logEvent.Level != LogEventLevel.Information)
        {
            output.Write(",\"@l\":\"");
            output.Write(logEvent.Level.ToString());
            output.Write('"');
        }

        if (logEvent.Exception is { } exception)
        {
            output.Write(",\"@x\":");
            JsonValueFormatter.WriteQuotedJsonString(exception.ToString(), output);
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            if (name == LogFiles.ChainSeparatorProperty)
            {
                continue;
            }

            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name.StartsWith('@') ? "@" + name : name, output);
            output.Write(':');
            Values.Format(value, output);
        }

        output.Write('}');
        output.Write('\n');
    }

    /// <summary>The message with string values unquoted (the <c>:l</c> rendering), the way a person reads it.</summary>
    public static string Render(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value)
                && value is ScalarValue { Value: string s } && property.Format is null)
            {
                text.Write(s);
            }
            else
            {
                token.Render(logEvent.Properties, text, CultureInfo.InvariantCulture);
            }
        }

        return text.ToString();
    }
}
