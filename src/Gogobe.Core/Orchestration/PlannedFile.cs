using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Core.Orchestration;

/// <summary>A listed file whose name was understood, chosen for processing.</summary>
public sealed record PlannedFile(PublishedFile File, PriceFileName Name);

/// <summary>The files of one listing, sorted out: what to process and what was set aside, with counts.</summary>
public sealed record FilePlan(
    IReadOnlyList<PlannedFile> Files,
    int Placeholders,
    int Superseded,
    IReadOnlyList<PublishedFile> Unrecognised);
