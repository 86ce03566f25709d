using System.CommandLine;
using Gogobe.Host.Cli;

// Composition only: each verb lives in Cli/.
var root = new RootCommand("Gogobe — collects every Israeli supermarket price file into PostgreSQL, in parallel.")
{
    RunCommand.Create(),
    ServeCommand.Create(),
    ChainsCommand.Create(),
    ParseCommand.Create(),
    RetentionCommand.Create(),
    SseLoadCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
