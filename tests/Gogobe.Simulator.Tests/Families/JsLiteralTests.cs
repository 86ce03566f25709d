using System.Text.Json;
using Gogobe.Scrapers.Families;

namespace Gogobe.Simulator.Tests.Families;

public sealed class JsLiteralTests
{
    private const string Page = """
        var other = [1, 2];
        const path = "./20260217";
        // the list the table renders
        const files = [
            {name: 'PriceFull7290055700007-001-202602170300.gz', size: 1234, 'type': "PriceFull", note: 'it\'s "quoted"', /* gone */ },
            { "name": "Stores7290055700007-000-202602170105.gz", size: -1, ok: true, missing: undefined, x: null },
        ];
        render(path, files);
        """;

    [Fact]
    public void FindDeclaration_HandWrittenLiteral_ReadsAsJson()
    {
        var json = JsLiteral.FindDeclaration(Page, "files");

        Assert.NotNull(json);
        using var document = JsonDocument.Parse(json);
        var files = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        Assert.Equal("PriceFull7290055700007-001-202602170300.gz", files[0].GetProperty("name").GetString());
        Assert.Equal(1234, files[0].GetProperty("size").GetInt32());
        Assert.Equal("PriceFull", files[0].GetProperty("type").GetString());
        Assert.Equal("it's \"quoted\"", files[0].GetProperty("note").GetString());
        Assert.Equal(-1, files[1].GetProperty("size").GetInt32());
        Assert.True(files[1].GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, files[1].GetProperty("missing").ValueKind);
    }

    [Fact]
    public void FindString_EitherQuote_ReturnsTheValue()
    {
        Assert.Equal("./20260217", JsLiteral.FindString(Page, "path"));
        Assert.Equal("./x", JsLiteral.FindString("let  path='./x';", "path"));
        Assert.Null(JsLiteral.FindString("const filepath = './y';", "path"));
    }

    [Fact]
    public void FindDeclaration_Expression_IsRefusedNotEvaluated() =>
        Assert.Throws<FormatException>(() => JsLiteral.FindDeclaration("const files = [{name: fetch('x')}];", "files"));

    [Fact]
    public void FindDeclaration_Absent_ReturnsNull() => Assert.Null(JsLiteral.FindDeclaration("const other = [];", "files"));
}
