package io.rightsizer.console;

import static io.rightsizer.console.ConsoleRecords.EMERGENCY;
import static io.rightsizer.console.ConsoleRecords.NOW;
import static io.rightsizer.console.ConsoleRecords.WEEKLY;
import static io.rightsizer.console.ConsoleRecords.WEEK_CLOSED;
import static io.rightsizer.console.ConsoleRecords.WEEK_START;
import static io.rightsizer.console.ConsoleRecords.keyed;
import static io.rightsizer.console.ConsoleRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.console.ConsoleModel.History;
import io.rightsizer.console.ConsoleModel.HourPoint;
import io.rightsizer.console.ConsoleModel.Threshold;
import io.rightsizer.history.HistoryLines;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.testing.InfluxServer;
import io.rightsizer.testing.KafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A recommendation's chart from a real influxd: the VM's hours over the evidence's week (or the
 * week before a firing without one), with the thresholds of the rule set version the recommendation
 * names, as published on the rules topic with the VM's override.
 */
class ConsoleHistoryITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final long HOUR = Duration.ofHours(1).toMillis();

    /** The rule set version the fixtures' recommendations name, with vm-a judged at 65 %. */
    static final String RULES_2026_11 =
            """
            version: "2026.11.0"
            overrides:
              - name: vm-a-tighter
                match: {vmId: vm-a}
                set: {scale-up.memory.weekly-average: {average-above-pct: 65}}
            """;

    /** A recommendation naming a version nobody published. */
    static final Recommendation OTHER_VERSION =
            Recommendation.newBuilder(
                            ConsoleRecords.fired(WEEKLY, WEEK_CLOSED.minus(Duration.ofDays(14))))
                    .setRuleSetVersion("2025.1.0")
                    .build();

    @Test
    void theChartHasEveryHourOfTheEvidenceWindowAndTheThresholdsOfTheFiringsRuleSet()
            throws Exception {
        String url = InfluxServer.url();
        String database = InfluxServer.freshDatabase("console_history");
        long w = WEEK_START.toEpochMilli();
        try (InfluxDB influx = InfluxDBFactory.connect(url)) {
            influx.query(new Query("CREATE DATABASE \"" + database + "\""));
            influx.write(
                    database,
                    "autogen",
                    InfluxDB.ConsistencyLevel.ONE,
                    TimeUnit.MILLISECONDS,
                    List.of(
                            HistoryLines.hourly(hour("vm-a", w, 71.25, 96.5, 40.0)),
                            // w + 1 h: no point (the VM was silent).
                            HistoryLines.hourly(hour("vm-a", w + 2 * HOUR, 60.0, 70.0, 41.0)),
                            HistoryLines.hourly(hour("vm-a", w - HOUR, 10.0, 10.0, 10.0)),
                            HistoryLines.hourly(hour("vm-other", w, 20.0, 20.0, 20.0)),
                            HistoryLines.hourly(
                                    hour(
                                            "vm-b",
                                            EMERGENCY.getFiredAt().toEpochMilli() - HOUR,
                                            50.0,
                                            55.0,
                                            93.0))));
        }
        String recommendations = KAFKA.freshTopic("rightsizing-recommendations", 1);
        String rules = KAFKA.freshTopic("rightsizing-rules", 1);
        KAFKA.produce(
                recommendations, List.of(record(WEEKLY), record(EMERGENCY), record(OTHER_VERSION)));
        KAFKA.produce(
                rules,
                List.of(
                        keyed(
                                "2026.11.0",
                                RuleEnvelopes.encode(
                                        RuleEnvelopes.envelope(
                                                RULES_2026_11, "2026.11.0", "ops", NOW)))));
        Map<String, String> values =
                ConsoleRecords.topics(
                        recommendations,
                        KAFKA.freshTopic("rightsizing-recommendation-events", 1),
                        KAFKA.freshTopic("rightsizing-decisions", 1),
                        KAFKA.freshTopic("rightsizing-notices", 1),
                        KAFKA.freshTopic("rightsizing-data-quality", 1),
                        rules);
        values.put("kafka.bootstrap-servers", KAFKA.bootstrapServers());
        ConsoleSettings settings =
                ConsoleRecords.settings(
                        KAFKA,
                        JobConfig.of(values),
                        new ConsoleSettings.Influx(url, database, null, null, null));
        try (TopicConsoleModel model = TopicConsoleModel.start(settings, CLOCK)) {
            TopicConsoleModelITCase.awaitReady(model);

            History h = model.history(WEEKLY.getRecommendationId()).orElseThrow();
            assertThat(h.vmId()).isEqualTo("vm-a");
            assertThat(h.from()).isEqualTo(WEEK_START);
            assertThat(h.to()).isEqualTo(WEEK_CLOSED);
            assertThat(h.memory()).hasSize(168);
            assertThat(h.memory().subList(0, 4))
                    .containsExactly(
                            new HourPoint(WEEK_START, 71.25, 96.5),
                            new HourPoint(WEEK_START.plusMillis(HOUR), null, null),
                            new HourPoint(WEEK_START.plusMillis(2 * HOUR), 60.0, 70.0),
                            new HourPoint(WEEK_START.plusMillis(3 * HOUR), null, null));
            assertThat(h.memory().get(167))
                    .isEqualTo(new HourPoint(WEEK_CLOSED.minusMillis(HOUR), null, null));
            assertThat(h.storage().subList(0, 3))
                    .containsExactly(
                            new HourPoint(WEEK_START, null, 40.0),
                            new HourPoint(WEEK_START.plusMillis(HOUR), null, null),
                            new HourPoint(WEEK_START.plusMillis(2 * HOUR), null, 41.0));
            assertThat(h.thresholds())
                    .containsExactly(new Threshold("average-above-pct", "memory", 65.0));

            // No week in the evidence: the seven days up to the end of the firing's hour.
            History e = model.history(EMERGENCY.getRecommendationId()).orElseThrow();
            Instant end = Instant.parse("2026-03-08T19:00:00Z");
            assertThat(e.from()).isEqualTo(end.minus(Duration.ofDays(7)));
            assertThat(e.to()).isEqualTo(end);
            assertThat(e.storage().subList(165, 168))
                    .containsExactly(
                            new HourPoint(end.minusMillis(3 * HOUR), null, null),
                            new HourPoint(end.minusMillis(2 * HOUR), null, 93.0),
                            new HourPoint(end.minusMillis(HOUR), null, null));
            assertThat(e.thresholds())
                    .containsExactly(new Threshold("usage-at-least-pct", "storage", 90.0));

            // A version neither on the rules topic nor the configuration's: no lines drawn.
            assertThat(
                            model.history(OTHER_VERSION.getRecommendationId())
                                    .orElseThrow()
                                    .thresholds())
                    .isEmpty();
            assertThat(model.history("0".repeat(32))).isEmpty();
        }
    }

    @Test
    void withoutInfluxDbThereIsNoHistory() throws Exception {
        String recommendations = KAFKA.freshTopic("rightsizing-recommendations", 1);
        KAFKA.produce(recommendations, List.of(record(WEEKLY)));
        Map<String, String> values =
                ConsoleRecords.topics(
                        recommendations,
                        KAFKA.freshTopic("rightsizing-recommendation-events", 1),
                        KAFKA.freshTopic("rightsizing-decisions", 1),
                        KAFKA.freshTopic("rightsizing-notices", 1),
                        KAFKA.freshTopic("rightsizing-data-quality", 1),
                        KAFKA.freshTopic("rightsizing-rules", 1));
        values.put("kafka.bootstrap-servers", KAFKA.bootstrapServers());
        ConsoleSettings settings = ConsoleRecords.settings(KAFKA, JobConfig.of(values), null);
        assertThat(settings.influx()).isNull();
        try (TopicConsoleModel model = TopicConsoleModel.start(settings, CLOCK)) {
            TopicConsoleModelITCase.awaitReady(model);
            assertThat(model.recommendation(WEEKLY.getRecommendationId())).isPresent();
            assertThat(model.history(WEEKLY.getRecommendationId())).isEmpty();
        }
    }

    static HourSummary hour(String vm, long start, double mean, double max, double storage) {
        HourSummary h = new HourSummary();
        h.vmId = vm;
        h.systemId = "sys-1";
        h.unitId = "unit-1";
        h.hourStart = start;
        h.samples = 12;
        h.memorySamples = 12;
        h.memoryMeanPct = mean;
        h.memoryMaxPct = max;
        h.storageSamples = 12;
        h.storageMaxPct = storage;
        return h;
    }
}
