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
    ProbeCommand.Create(),
    LogsCommand.Create(),
    WorkerCommand.Create(),
    JobsCommand.Create(),
    StatusCommand.Create(),
    BenchCommand.Create(),
    BenchPortalCommand.Create(),
};
// No ProcessTerminationTimeout: System.CommandLine would cancel on SIGINT/SIGTERM and exit 130/143 two seconds later,
// whatever was open. The long-running verbs stop in two stages themselves (Hosting/ShutdownSignals); the short ones
// keep the runtime's default (the signal ends the process).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
