using Gogobe.Scrapers.Ftp;

namespace Gogobe.IntegrationTests;

/// <summary>MLSD lines as Cerberus and other RFC 3659 servers send them (vsftpd has no MLSD, so the live tests use NLST + SIZE).</summary>
public sealed class FtpListItemTests
{
    [Fact]
    public void ParseMlsd_FileWithFacts_ReturnsNameAndSize()
    {
        var item = FtpListItem.ParseMlsd("type=file;size=48211;modify=20261125031500;perm=r; PriceFull7290058140886-001-202611250300.gz");

        Assert.Equal(new FtpListItem("PriceFull7290058140886-001-202611250300.gz", IsFile: true, 48211), item);
    }

    [Fact]
    public void ParseMlsd_FoldersAndNameWithSpaces_AreToldApart()
    {
        Assert.False(FtpListItem.ParseMlsd("Type=dir;Modify=20261125031500; Yuda")!.IsFile);
        Assert.False(FtpListItem.ParseMlsd("type=cdir; .")!.IsFile);
        Assert.Equal("odd name; with spaces.gz", FtpListItem.ParseMlsd("type=file;size=3; odd name; with spaces.gz")!.Name);
        Assert.Null(FtpListItem.ParseMlsd("garbage-without-space"));
    }
}
