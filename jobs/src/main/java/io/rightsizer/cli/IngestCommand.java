package io.rightsizer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description =
                "Receives telemetry from collectors a provider already runs and produces"
                        + " MetricSamples to the telemetry topic (docs/providers/).",
        subcommands = {IngestPrometheusCommand.class})
public class IngestCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
