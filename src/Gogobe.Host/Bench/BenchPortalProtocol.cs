using System.Text.Json;

namespace Gogobe.Host.Bench;

/// <summary>
/// The bench's talk with its simulator process (<c>gogobe bench-portal</c>): one JSON object per line on the child's
/// stdout, answering one command per line on its stdin: <c>generate</c>, <c>advance FRACTION</c>; end of input stops it.
/// </summary>
internal static class BenchPortalProtocol
{
    public const string Generate = "generate";
    public const string Advance = "advance";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.General);
}

/// <summary>The first line: the simulator is listening.</summary>
internal sealed record PortalReady(Uri Address);

/// <summary>The answer to <c>generate</c>: today's files, all on disk under the cache folder.</summary>
/// <param name="StoresRows">Stores the day's Stores files list (a chain without one has its stores created bare by its price files).</param>
internal sealed record PortalDay(BenchDayFigures Figures, IReadOnlyList<PortalFile> Files, long StoresRows);

/// <summary>A published file (placeholders excluded).</summary>
internal sealed record PortalFile(string ChainId, string Name);

/// <summary>The answer to <c>advance</c>: the day moved on and this many prices changed.</summary>
internal sealed record PortalAdvanced(int Changed);
