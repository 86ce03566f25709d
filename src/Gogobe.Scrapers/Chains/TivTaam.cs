using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>Tiv Taam publishes its prices as a .NET DataSet dump (<c>NewDataSet/item</c>).</summary>
public sealed class TivTaam() : CerberusScraper(new Chain("Tiv Taam", "7290873255550"), user: "TivTaam");
