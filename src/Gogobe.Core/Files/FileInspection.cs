namespace Gogobe.Core.Files;

/// <summary>
/// What <see cref="PriceFileReader.Inspect(Stream, string, CancellationToken)"/> found in one file, for the operator
/// (<c>gogobe parse FILE...</c>): what the name says, how the content was opened and read, and what went wrong.
/// </summary>
public sealed record FileInspection
{
    public required string FileName { get; init; }

    /// <summary>The parsed name, or null when it matches neither naming scheme.</summary>
    public PriceFileName? Name { get; init; }

    /// <summary>One line: "PriceFull chain 7290027600007 store 1 at 2024-10-07 00:10", "placeholder (NULL...)" or "unrecognised name".</summary>
    public required string NameSummary { get; init; }

    /// <summary>The kind that decided the reader: the name's, or (name unrecognised) detected from the content.</summary>
    public FileKind? Kind { get; init; }

    /// <summary>"name", "content", or "unknown" when neither told.</summary>
    public required string KindSource { get; init; }

    /// <summary>"gzip", "zip", "plain"; null if the file could not be opened.</summary>
    public string? Container { get; init; }

    /// <summary>The text encoding's web name ("utf-8", "windows-1255", "utf-16"); null if the file could not be opened.</summary>
    public string? Encoding { get; init; }

    /// <summary>The layout recognised (see <see cref="PriceShapes"/>, <see cref="PromotionShapes"/>, <see cref="StoreShapes"/>).</summary>
    public string? Shape { get; init; }

    public int RowsRead { get; init; }
    public int RowsRejected { get; init; }
    public IReadOnlyDictionary<string, int> RejectsByReason { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> WarningsByReason { get; init; } = new Dictionary<string, int>();
    public int Repairs { get; init; }

    /// <summary>Why the file could not be read (the <see cref="InvalidDataException"/> message); null when it was read to the end.</summary>
    public string? Error { get; init; }

    public bool Succeeded => Error is null;
}
