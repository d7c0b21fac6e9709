package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RecordJson;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rightsizer replay} end to end, in process: each replay starts its own local MiniCluster,
 * reads a file of samples and writes the recommendations as sorted JSON Lines.
 */
class ReplayCommandITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The summary's per-rule lines for the Scenario fixture, in rule-id order. */
    private static final List<String> SCENARIO_PER_RULE =
            List.of(
                    perRule("reduce.memory.weekly-underuse", 5),
                    perRule("reduce.system.no-business-data", 1),
                    perRule("reduce.vm.inactive", 1),
                    perRule("scale-up.memory.emergency", 0),
                    perRule("scale-up.memory.hourly-peaks", 1),
                    perRule("scale-up.memory.weekly-average", 5),
                    perRule("scale-up.storage.emergency", 0),
                    perRule("scale-up.storage.usage", 6));

    @TempDir Path tmp;

    @Test
    void scenarioReplaysToExactlyTheExpectedFiringsSortedByFiredAtRuleAndSubject()
            throws Exception {
        Path rules = scenarioRules();
        Path input = jsonLines("scenario.jsonl", scenarioLines());
        Path output = tmp.resolve("out/recommendations.jsonl");

        Cli.Run run = replay(rules, input, output);

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(Scenario.expected().size());
        List<Recommendation> recs = new ArrayList<>();
        for (String line : lines) {
            Recommendation r = RecordJson.recommendation(line);
            assertThat(RecordJson.toJson(r)).as("line round-trips").isEqualTo(line);
            recs.add(r);
        }
        assertThat(recs)
                .extracting(ReplayCommandITCase::key)
                .containsExactlyElementsOf(sorted(Scenario.expected()));
        assertThat(recs).extracting(Recommendation::getRuleSetVersion).containsOnly("scenario-1");
        assertThat(recs).extracting(Recommendation::getRecommendationId).doesNotHaveDuplicates();

        List<String> err = run.errLines();
        assertThat(err).hasSize(10);
        assertThat(err.get(0))
                .matches(
                        Pattern.quote("replay: 19 recommendations in ")
                                + "\\d+\\.\\d s "
                                + Pattern.quote("(rule set scenario-1) -> " + output));
        assertThat(err.subList(1, 9)).containsExactlyElementsOf(SCENARIO_PER_RULE);
        assertThat(err.get(9)).isEqualTo("  dead letters: 0 UNDECODABLE, 0 INVALID, 0 LATE");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void outputIsByteIdenticalAtParallelismOneAndThree() throws Exception {
        Path rules = scenarioRules();
        Path input = jsonLines("scenario.jsonl", scenarioLines());
        Path p1 = tmp.resolve("p1.jsonl");
        Path p3 = tmp.resolve("p3.jsonl");

        Cli.Run one = replay(rules, input, p1, "--parallelism", "1");
        Cli.Run three = replay(rules, input, p3, "--parallelism", "3");

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(three.exitCode()).as(three.err()).isZero();
        byte[] a = Files.readAllBytes(p1);
        assertThat(Files.readAllLines(p1, StandardCharsets.UTF_8))
                .hasSize(Scenario.expected().size());
        assertThat(Files.readAllBytes(p3)).isEqualTo(a);
    }

    @Test
    void badLinesAreReportedWithTheirLineNumbersAndWrittenAsDeadLetters() throws Exception {
        String invalid =
                "{\"vmId\":\"vm-bad\",\"systemId\":\"sys-z\",\"timestamp\":"
                        + Scenario.S
                        + ",\"memoryUsedBytes\":20,\"memoryTotalBytes\":10}";
        List<String> samples = scenarioLines();
        List<String> lines = new ArrayList<>();
        lines.add("{not json"); // 1
        lines.add(""); // 2
        lines.add("[1,2,3]"); // 3
        lines.add("   "); // 4
        lines.add(invalid); // 5
        lines.add(""); // 6
        lines.addAll(samples.subList(0, 5000)); // 7 .. 5006
        lines.add("[{\"vmId\":\"vm-busy\"}]"); // 5007
        lines.add("\t"); // 5008
        lines.addAll(samples.subList(5000, samples.size())); // 5009 .. 5008 + (n - 5000)
        int last = lines.size() + 2;
        lines.add("");
        lines.add("not json at all"); // last
        assertThat(lines).hasSize(last);
        Path rules = scenarioRules();
        Path input = jsonLines("bad.jsonl", lines);
        Path output = tmp.resolve("bad-out.jsonl");
        Path deadLetters = tmp.resolve("dead/dead-letters.jsonl");
        Files.createDirectories(deadLetters.getParent());

        Cli.Run run = replay(rules, input, output, "--dead-letters", deadLetters.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        // Bad records change nothing: the recommendations are the Scenario's.
        assertThat(Files.readAllLines(output, StandardCharsets.UTF_8))
                .extracting(l -> key(RecordJson.recommendation(l)))
                .containsExactlyElementsOf(sorted(Scenario.expected()));

        String in = input.toString();
        List<String> reported =
                run.errLines().stream().filter(l -> l.startsWith(in + ":")).toList();
        assertThat(reported)
                .satisfiesExactly(
                        l -> assertThat(l).startsWith(in + ":1: UNDECODABLE: not valid JSON: "),
                        l -> assertThat(l).isEqualTo(in + ":3: UNDECODABLE: not a JSON object"),
                        l ->
                                assertThat(l)
                                        .isEqualTo(
                                                in
                                                        + ":5: INVALID: memoryUsedBytes 20 is"
                                                        + " greater than memoryTotalBytes 10"),
                        l -> assertThat(l).isEqualTo(in + ":5007: UNDECODABLE: not a JSON object"),
                        l ->
                                assertThat(l)
                                        .startsWith(
                                                in
                                                        + ":"
                                                        + last
                                                        + ": UNDECODABLE: not valid JSON: "));
        assertThat(run.errLines())
                .contains("  dead letters: 4 UNDECODABLE, 1 INVALID, 0 LATE")
                .containsSubsequence(SCENARIO_PER_RULE);

        List<JsonNode> dead = new ArrayList<>();
        for (String l : Files.readAllLines(deadLetters, StandardCharsets.UTF_8)) {
            dead.add(MAPPER.readTree(l));
        }
        assertThat(dead)
                .extracting(
                        d -> d.get("reason").asText(),
                        d -> d.get("sourceOffset").asLong(),
                        d -> d.get("payload").asText())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("UNDECODABLE", 1L, "{not json"),
                        org.assertj.core.groups.Tuple.tuple("UNDECODABLE", 3L, "[1,2,3]"),
                        org.assertj.core.groups.Tuple.tuple("INVALID", 5L, invalid),
                        org.assertj.core.groups.Tuple.tuple(
                                "UNDECODABLE", 5007L, "[{\"vmId\":\"vm-busy\"}]"),
                        org.assertj.core.groups.Tuple.tuple(
                                "UNDECODABLE", (long) last, "not json at all"));
        // Each dead letter carries the message printed for its line.
        assertThat(dead)
                .extracting(
                        d ->
                                in
                                        + ":"
                                        + d.get("sourceOffset").asLong()
                                        + ": "
                                        + d.get("reason").asText()
                                        + ": "
                                        + d.get("message").asText())
                .containsExactlyElementsOf(reported);
        JsonNode bad = dead.get(2);
        assertThat(bad.get("vmId").asText()).isEqualTo("vm-bad");
        assertThat(bad.get("sampleTimestamp").asLong()).isEqualTo(Scenario.S);
        assertThat(dead.get(0).get("vmId").isNull()).isTrue();
        assertThat(dead.get(0).get("sampleTimestamp").isNull()).isTrue();
        assertThat(dead).allSatisfy(d -> assertThat(d.get("sourcePartition").isNull()).isTrue());
    }

    @Test
    void deadLetterFileNamesTheInputFileAsSourceTopic() throws Exception {
        // DeadLetter.avsc: sourceTopic is "Kafka topic, or the input file of a replay".
        Path rules = scenarioRules();
        Path input = jsonLines("two-bad.jsonl", List.of("{not json", "[1]"));
        Path output = tmp.resolve("two-bad-out.jsonl");
        Path deadLetters = tmp.resolve("two-bad-dead.jsonl");

        Cli.Run run = replay(rules, input, output, "--dead-letters", deadLetters.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllLines(output, StandardCharsets.UTF_8)).isEmpty();
        List<String> dead = Files.readAllLines(deadLetters, StandardCharsets.UTF_8);
        assertThat(dead).hasSize(2);
        for (String l : dead) {
            assertThat(MAPPER.readTree(l).get("sourceTopic").asText(null))
                    .as(l)
                    .isEqualTo(input.toAbsolutePath().toString());
        }
    }

    @Test
    void avroContainerFileGivesTheSameRecommendationsAsJsonLines() throws Exception {
        Path rules = scenarioRules();
        Path json = jsonLines("scenario.jsonl", scenarioLines());
        Path avro = tmp.resolve("scenario.avro");
        try (DataFileWriter<MetricSample> w =
                new DataFileWriter<>(new SpecificDatumWriter<>(MetricSample.class))) {
            w.create(MetricSample.getClassSchema(), avro.toFile());
            for (Sample s : Scenario.samples()) {
                w.append(SampleCodec.toAvro(s));
            }
        }
        Path fromJson = tmp.resolve("from-json.jsonl");
        Path fromAvro = tmp.resolve("from-avro.jsonl");

        Cli.Run a = replay(rules, json, fromJson);
        Cli.Run b = replay(rules, avro, fromAvro);

        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(Files.readAllLines(fromAvro, StandardCharsets.UTF_8))
                .extracting(l -> key(RecordJson.recommendation(l)))
                .containsExactlyElementsOf(sorted(Scenario.expected()));
        assertThat(Files.readAllBytes(fromAvro)).isEqualTo(Files.readAllBytes(fromJson));
        assertThat(b.errLines()).contains("  dead letters: 0 UNDECODABLE, 0 INVALID, 0 LATE");
    }

    @Test
    void ruleFileWithAnErrorExitsTwoAndPrintsFileLineColumnAndMessage() throws Exception {
        Path rules = tmp.resolve("broken.yaml");
        Files.writeString(
                rules,
                "version: broken-1\n"
                        + "rules:\n"
                        + "  reduce.vm.inactive:\n"
                        + "    idle-cpu-at-most-pct: 101\n",
                StandardCharsets.UTF_8);
        Path input = jsonLines("scenario.jsonl", scenarioLines().subList(0, 10));
        Path output = tmp.resolve("never.jsonl");

        Cli.Run run = replay(rules, input, output);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        rules
                                + ":4:27: reduce.vm.inactive.idle-cpu-at-most-pct is 101: a"
                                + " percentage must be from 0 to 100");
        assertThat(output).doesNotExist();
    }

    @Test
    void missingInputFileExitsTwo() throws Exception {
        Path rules = scenarioRules();
        Path input = tmp.resolve("no-such-file.jsonl");
        Path output = tmp.resolve("never.jsonl");

        Cli.Run run = replay(rules, input, output);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("replay: no such input file: " + input);
        assertThat(output).doesNotExist();
    }

    /** The repository's catalog; the command's default is relative to the repository root. */
    static final Path SHIPPED_CATALOG = Path.of("..", "config", "catalog.yaml");

    @Test
    void missingCatalogStopsTheReplayBeforeItRuns() throws Exception {
        Path output = tmp.resolve("out.jsonl");
        Path input = tmp.resolve("in.jsonl");
        Files.writeString(input, "", StandardCharsets.UTF_8);

        Cli.Run run =
                Cli.run(
                        "replay",
                        "--rules",
                        scenarioRules().toString(),
                        "--input",
                        input.toString(),
                        "--output",
                        output.toString(),
                        "--catalog",
                        "no/such/catalog.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("replay: no such catalog file: no/such/catalog.yaml");
        assertThat(output).doesNotExist();
    }

    @Test
    void withLifecycleSendsEachSubjectsFirstFiringOnceAndOneReminderWhenTimeReachesIt()
            throws Exception {
        Path rules = scenarioRules();
        Path input = jsonLines("scenario.jsonl", scenarioLines());
        Path firingsFile = tmp.resolve("firings.jsonl");
        Path approvalsFile = tmp.resolve("approvals.jsonl");

        Cli.Run firings = replay(rules, input, firingsFile);
        Cli.Run approvals = replay(rules, input, approvalsFile, "--with-lifecycle");

        assertThat(firings.exitCode()).as(firings.err()).isZero();
        assertThat(approvals.exitCode()).as(approvals.err()).isZero();
        // Without decisions every recommendation stays open: only the first firing per subject and
        // rule is sent, and re-sent once 14 days later if the data's watermark gets there.
        long lastWatermark =
                Scenario.samples().stream().mapToLong(x -> x.timestamp).max().orElseThrow()
                        - 5 * 60_000L
                        - 1;
        Map<String, Recommendation> first = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(firingsFile, StandardCharsets.UTF_8)) {
            Recommendation r = RecordJson.recommendation(line);
            first.putIfAbsent(
                    r.getRuleId() + "|" + (r.getVmId() != null ? r.getVmId() : r.getSystemId()), r);
        }
        List<Recommendation> expected = new ArrayList<>(first.values());
        for (Recommendation r : first.values()) {
            if (r.getFiredAt().toEpochMilli() + 14 * 86_400_000L <= lastWatermark) {
                expected.add(Recommendation.newBuilder(r).setReminder(true).build());
            }
        }
        expected.sort(io.rightsizer.job.ReplayJob.ORDER);
        List<Recommendation> sent = new ArrayList<>();
        for (String line : Files.readAllLines(approvalsFile, StandardCharsets.UTF_8)) {
            sent.add(RecordJson.recommendation(line));
        }
        assertThat(sent).containsExactlyElementsOf(expected);
        assertThat(sent).filteredOn(Recommendation::getReminder).isNotEmpty();
        assertThat(sent.size()).isLessThan(Scenario.expected().size());
    }

    @Test
    void aReminderPeriodLongerThanTheDecisionWindowIsAUsageError() throws Exception {
        Cli.Run run =
                replay(
                        scenarioRules(),
                        jsonLines("scenario.jsonl", scenarioLines().subList(0, 10)),
                        tmp.resolve("never.jsonl"),
                        "--with-lifecycle",
                        "--reminder-after",
                        "180d");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "replay: --reminder-after takes a duration such as 14d, shorter than the"
                                + " decision window (180d)\n");
    }

    private static Cli.Run replay(Path rules, Path input, Path output, String... more) {
        List<String> args = new ArrayList<>();
        args.addAll(
                List.of(
                        "replay",
                        "--rules",
                        rules.toString(),
                        "--input",
                        input.toString(),
                        "--output",
                        output.toString(),
                        "--catalog",
                        SHIPPED_CATALOG.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private Path scenarioRules() throws IOException {
        Path p = tmp.resolve("scenario.yaml");
        Files.writeString(p, Scenario.RULES_YAML, StandardCharsets.UTF_8);
        return p;
    }

    private static List<String> scenarioLines() {
        return Scenario.samples().stream().map(RecordJson::toJson).toList();
    }

    private Path jsonLines(String name, List<String> lines) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private static String perRule(String rule, int n) {
        return String.format("  %-34s %d", rule, n);
    }

    private static String key(Recommendation r) {
        return Scenario.key(
                r.getRuleId(),
                r.getVmId() != null ? r.getVmId() : r.getSystemId(),
                r.getFiredAt().toEpochMilli());
    }

    /** Scenario keys ("rule subject firedAt") in output order: firedAt, then rule, then subject. */
    private static List<String> sorted(List<String> keys) {
        return keys.stream()
                .sorted(
                        Comparator.<String>comparingLong(k -> Long.parseLong(k.split(" ")[2]))
                                .thenComparing(k -> k.split(" ")[0])
                                .thenComparing(k -> k.split(" ")[1]))
                .toList();
    }
}
