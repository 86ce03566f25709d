using System.Diagnostics;

namespace Gogobe.Host.Hosting;

/// <summary>
/// This executable with other arguments, started the way this process itself was: the apphost directly, or
/// <c>dotnet gogobe.dll</c> (also what a test host running this assembly in-process gets).
/// </summary>
internal static class SelfCommand
{
    public static (string FileName, IReadOnlyList<string> Arguments) For(params IReadOnlyList<string> arguments)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var isDotnet = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return isDotnet ? (host, [typeof(SelfCommand).Assembly.Location, .. arguments]) : (host, arguments);
    }

    /// <summary><see cref="For"/> as a start info (no shell; the caller chooses what to redirect).</summary>
    public static ProcessStartInfo StartInfo(params IReadOnlyList<string> arguments)
    {
        var (fileName, args) = For(arguments);
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
