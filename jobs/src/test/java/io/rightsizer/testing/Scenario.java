package io.rightsizer.testing;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static io.rightsizer.testing.Samples.MON_2026_03_02;
import static io.rightsizer.testing.Samples.running;
import static io.rightsizer.testing.Samples.shanghai;
import static io.rightsizer.testing.Samples.stopped;
import static io.rightsizer.testing.Samples.withBusiness;
import static io.rightsizer.testing.Samples.withStorage;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A small fleet over 40 days (from Monday 2026-03-02 00:00 Asia/Shanghai, one sample every 30
 * minutes) in which every rule fires a known number of times at known instants. The rule set is the
 * default except {@code reduce.vm.inactive.months = 1}, so the inactive rule fires within the 40
 * days too.
 */
public final class Scenario {
    public static final long S = MON_2026_03_02;
    public static final long END = S + 40 * DAY;
    public static final long STEP = 30 * MINUTE;

    public static final RuleSet RULES =
            new RuleSet(
                    "scenario-1",
                    "defaults, inactive after 1 month",
                    Samples.SHANGHAI,
                    RuleSet.WeeklyAverage.DEFAULT,
                    RuleSet.HourlyPeaks.DEFAULT,
                    RuleSet.StorageUsage.DEFAULT,
                    RuleSet.WeeklyUnderuse.DEFAULT,
                    new RuleSet.VmInactive(true, 5, 1),
                    RuleSet.NoBusinessData.DEFAULT);

    public static final String RULES_YAML =
            """
            version: scenario-1
            description: defaults, inactive after 1 month
            calendar:
              zone: Asia/Shanghai
            rules:
              reduce.vm.inactive:
                months: 1
            """;

    private Scenario() {}

    /** Every valid sample, in timestamp order (ties by vmId). */
    public static List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (long t = S; t < END; t += STEP) {
            Sample busy = running("vm-busy", "sys-a", t, 75);
            withBusiness(busy, t < S + 2 * DAY ? 10 : 0);
            out.add(busy);
            out.add(running("vm-low", "sys-a", t, 20));
            out.add(withStorage(running("vm-disk", "sys-b", t, 50), 75));
            out.add(running("vm-peaky", "sys-b", t, 50));
            out.add(stopped("vm-off", "sys-c", t));
        }
        long burst = S + DAY + 10 * HOUR;
        double[] pct = {85, 50, 85, 50, 85};
        for (int i = 0; i < pct.length; i++) {
            out.add(running("vm-peaky", "sys-b", burst + (5 + 5 * i) * MINUTE, pct[i]));
        }
        out.sort(Comparator.comparingLong((Sample s) -> s.timestamp).thenComparing(s -> s.vmId));
        return out;
    }

    /** The firings, as "ruleId subject firedAt". */
    public static List<String> expected() {
        List<String> e = new ArrayList<>();
        for (int w = 1; w <= 5; w++) {
            e.add(key("scale-up.memory.weekly-average", "vm-busy", S + w * 7 * DAY));
            e.add(key("reduce.memory.weekly-underuse", "vm-low", S + w * 7 * DAY));
        }
        for (int k = 0; k <= 5; k++) {
            e.add(key("scale-up.storage.usage", "vm-disk", S + k * 7 * DAY));
        }
        e.add(key("scale-up.memory.hourly-peaks", "vm-peaky", S + DAY + 10 * HOUR + 25 * MINUTE));
        e.add(key("reduce.vm.inactive", "vm-off", shanghai(2026, 4, 2, 0, 0)));
        e.add(key("reduce.system.no-business-data", "sys-a", shanghai(2026, 4, 3, 23, 30)));
        return e;
    }

    public static String key(String rule, String subject, long firedAt) {
        return rule + " " + subject + " " + firedAt;
    }

    /** A telemetry record as produced, with its key (null for none). */
    public static ProducerRecord<byte[], byte[]> raw(String key, byte[] value) {
        return new ProducerRecord<>(
                "unused", key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Two UNDECODABLE records (bytes that are no sample, broken JSON) and one INVALID sample. */
    public static List<ProducerRecord<byte[], byte[]>> malformed() {
        return List.of(
                raw("vm-x", new byte[] {1, 2, 3}),
                raw(null, "{not json".getBytes(StandardCharsets.UTF_8)),
                raw(
                        "vm-bad",
                        ("{\"vmId\":\"vm-bad\",\"systemId\":\"sys-z\",\"timestamp\":"
                                        + S
                                        + ",\"memoryUsedBytes\":20,\"memoryTotalBytes\":10}")
                                .getBytes(StandardCharsets.UTF_8)));
    }
}
