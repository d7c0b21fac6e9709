package io.rightsizer.bench;

import io.rightsizer.job.ReplayJob;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.SimWriters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/** Replay speed over a uniform fleet file, written once to the work directory. */
final class ReplayBench {
    private ReplayBench() {}

    static String replay(RuleSet rules, Path work, int vms, int days) throws Exception {
        Path file = work.resolve("fleet-" + vms + "vms-" + days + "d-5m.jsonl");
        FleetSimulator big =
                new FleetSimulator(
                        vms,
                        Bench.END.minus(Duration.ofDays(days)),
                        days,
                        Duration.ofMinutes(5),
                        1,
                        rules.zone());
        if (!Files.exists(file)) {
            SimWriters.writeJsonLines(big, file);
        }
        long t0 = System.nanoTime();
        ReplayJob.Result r =
                ReplayJob.run(
                        rules,
                        LiveBench.shippedCatalog(),
                        file,
                        1,
                        Duration.ofMinutes(5),
                        Duration.ofDays(42),
                        null,
                        new Configuration());
        double secs = (System.nanoTime() - t0) / 1e9;
        return String.format(
                Locale.ROOT,
                "replay: %,d samples (%,d MB JSON Lines) in %.1f s end to end ="
                        + " %,.0f samples/s (target >= 350,000); %d recommendations",
                big.validSampleCount(),
                Files.size(file) / 1_000_000,
                secs,
                big.validSampleCount() / secs,
                r.recommendations().size());
    }
}
