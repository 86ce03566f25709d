using Gogobe.Core.Scraping;

namespace Gogobe.Simulator;

/// <summary>A chain the simulator serves, on the portal (family, address, settings) its scraper declares.</summary>
public sealed record SimulatedChain(Chain Chain, PortalInfo Portal);
