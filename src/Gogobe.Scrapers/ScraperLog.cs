using Gogobe.Core.Scraping;
using Microsoft.Extensions.Logging;

namespace Gogobe.Scrapers;

internal static partial class ScraperLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Chain}: Cerberus listing for user {User} returned {Count} files")]
    public static partial void CerberusListed(ILogger logger, Chain chain, string user, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Chain}: Cerberus FTPS listing of {Folder} for user {User} returned {Count} files")]
    public static partial void CerberusFtpsListed(ILogger logger, Chain chain, string user, string folder, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Chain}: listing had {Pages} pages, {Count} files")]
    public static partial void PagesListed(ILogger logger, Chain chain, int pages, int count);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Chain}: listing page {Page} of category {Category} held only files already listed (the pager named {LastPage}); the site answers past its end, stopped")]
    public static partial void PagesRepeated(ILogger logger, Chain chain, string category, int page, int lastPage);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Chain}: the Bina listing of {Kind} files for {Day} stopped at the portal's cap of {Cap} rows; files past it are not listed")]
    public static partial void BinaPartitionCapped(ILogger logger, Chain chain, string kind, DateOnly day, int cap);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Chain}: listing row without a download link on page {Page} skipped")]
    public static partial void RowWithoutLink(ILogger logger, Chain chain, int page);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Chain}: the link to {FileName} was refused ({Status}, expired); re-listed for a fresh link")]
    public static partial void LinkRefreshed(ILogger logger, Chain chain, string fileName, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Chain}: listing at {Address} returned {Count} files")]
    public static partial void PageListed(ILogger logger, Chain chain, Uri address, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Chain}: {Count} files listed for {Day}")]
    public static partial void DayListed(ILogger logger, Chain chain, DateOnly day, int count);
}
