namespace Gogobe.Simulator.Model;

/// <summary>
/// Generated files kept on disk, so a file is generated once and then served as static bytes. Used by the benchmark:
/// generating gzip XML costs more CPU than reading it, so on a small machine a simulator generating per request would
/// measure itself rather than the ingest. A file's bytes are a pure function of (seed, chain, name, world state), and a
/// name carries its day, so the name identifies the bytes within one world; the cache must not be shared across worlds
/// of different options.
/// </summary>
internal sealed class FileCache(string directory)
{
    /// <summary>
    /// Copies the cached bytes of <paramref name="fileName"/> to <paramref name="destination"/>, generating them first
    /// with <paramref name="generate"/> when missing. Concurrent first requests may both generate; the rename is atomic,
    /// so a reader never sees a half-written file.
    /// </summary>
    public async Task CopyToAsync(
        string chainId, string fileName, Stream destination, Func<Stream, CancellationToken, Task> generate, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(directory, chainId);
        var path = Path.Combine(folder, fileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".part";
            try
            {
                var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (output.ConfigureAwait(false))
                {
                    await generate(output, cancellationToken).ConfigureAwait(false);
                }

                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        if (destination == Stream.Null)
        {
            return;
        }

        var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (input.ConfigureAwait(false))
        {
            await input.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        }
    }
}
