namespace Gogobe.Simulator;

/// <summary>Puts a simulated chain's files on disk, for servers other than the simulator's own (the FTPS tests' vsftpd).</summary>
public static class SimulatedWorldFiles
{
    /// <summary>
    /// Writes every file the chain publishes now (yesterday's snapshots too where its portal keeps history) into
    /// <paramref name="directory"/>, one file per published name, generated exactly as the simulator serves it.
    /// Returns the names written.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteChainFilesAsync(
        this SimulatedWorld world, string chainId, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var names = world.FileNames(chainId, includeHistory: true);
        foreach (var name in names)
        {
            var file = new FileStream(Path.Combine(directory, name), FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await world.WriteFileAsync(chainId, name, file, cancellationToken).ConfigureAwait(false);
            }
        }

        return names;
    }
}
