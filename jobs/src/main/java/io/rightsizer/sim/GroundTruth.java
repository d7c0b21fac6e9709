package io.rightsizer.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.schema.Recommendation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which subject of a simulated fleet got which behaviour, and which rules it must fire, written as
 * JSON next to the generated data:
 *
 * <pre>{@code
 * {"generator": {...},
 *  "subjects": [{"subject":"vm-00001","kind":"VM","behaviour":"busy","systemId":"sys-001",
 *                "plantedAt":null,"expectedRules":["scale-up.memory.weekly-average"]}, ...],
 *  "malformed": {"invalid": 12, "undecodable": 3}}
 * }</pre>
 *
 * Every VM and every system is listed; a subject with no expected rule must fire nothing.
 */
public final class GroundTruth {
    public static final String KIND_VM = "VM";
    public static final String KIND_SYSTEM = "SYSTEM";

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One planted subject.
     *
     * @param subject vmId, or systemId for kind SYSTEM (the subject of the no-business rule)
     * @param plantedAt when the behaviour begins (epoch ms), null when it spans the whole range
     */
    public record Subject(
            String subject,
            String kind,
            String behaviour,
            String systemId,
            Long plantedAt,
            List<String> expectedRules) {
        public Subject {
            expectedRules = List.copyOf(expectedRules);
        }
    }

    /** How many malformed records the stream holds (file and Kafka outputs alike). */
    public record Malformed(long invalid, long undecodable) {}

    /** The simulator's arguments and what they produced, so a run can be reproduced. */
    public record Generator(
            int vms,
            String start,
            int days,
            String interval,
            long seed,
            String zone,
            long validSamples,
            long extraSamples,
            long firstTimestamp,
            long lastTimestamp) {}

    private final Generator generator;
    private final List<Subject> subjects;
    private final Malformed malformed;

    public GroundTruth(Generator generator, List<Subject> subjects, Malformed malformed) {
        this.generator = generator;
        this.subjects = List.copyOf(subjects);
        this.malformed = malformed;
    }

    /** May be null for a file written by hand. */
    public Generator generator() {
        return generator;
    }

    public List<Subject> subjects() {
        return subjects;
    }

    public Malformed malformed() {
        return malformed;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /** One subject per line, so the file stays greppable and diffs well. */
    public String toJson() {
        StringBuilder b = new StringBuilder(256 + 160 * subjects.size());
        b.append("{\n");
        if (generator != null) {
            b.append("\"generator\": ")
                    .append(
                            object(
                                    g -> {
                                        g.writeNumberField("vms", generator.vms());
                                        g.writeStringField("start", generator.start());
                                        g.writeNumberField("days", generator.days());
                                        g.writeStringField("interval", generator.interval());
                                        g.writeNumberField("seed", generator.seed());
                                        g.writeStringField("zone", generator.zone());
                                        g.writeNumberField(
                                                "validSamples", generator.validSamples());
                                        g.writeNumberField(
                                                "extraSamples", generator.extraSamples());
                                        g.writeNumberField(
                                                "firstTimestamp", generator.firstTimestamp());
                                        g.writeNumberField(
                                                "lastTimestamp", generator.lastTimestamp());
                                    }))
                    .append(",\n");
        }
        b.append("\"subjects\": [");
        for (int i = 0; i < subjects.size(); i++) {
            Subject s = subjects.get(i);
            b.append(i == 0 ? "\n  " : ",\n  ")
                    .append(
                            object(
                                    g -> {
                                        g.writeStringField("subject", s.subject());
                                        g.writeStringField("kind", s.kind());
                                        g.writeStringField("behaviour", s.behaviour());
                                        g.writeStringField("systemId", s.systemId());
                                        if (s.plantedAt() == null) {
                                            g.writeNullField("plantedAt");
                                        } else {
                                            g.writeNumberField("plantedAt", s.plantedAt());
                                        }
                                        g.writeArrayFieldStart("expectedRules");
                                        for (String r : s.expectedRules()) {
                                            g.writeString(r);
                                        }
                                        g.writeEndArray();
                                    }));
        }
        b.append("\n],\n\"malformed\": ")
                .append(
                        object(
                                g -> {
                                    g.writeNumberField("invalid", malformed.invalid());
                                    g.writeNumberField("undecodable", malformed.undecodable());
                                }))
                .append("\n}\n");
        return b.toString();
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String object(Fields fields) {
        StringWriter w = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    public static GroundTruth read(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static GroundTruth fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject() || !root.path("subjects").isArray()) {
            throw new IllegalArgumentException("not a ground-truth file: no \"subjects\" array");
        }
        Generator gen = null;
        JsonNode g = root.get("generator");
        if (g != null && g.isObject()) {
            gen =
                    new Generator(
                            g.path("vms").asInt(),
                            g.path("start").asText(null),
                            g.path("days").asInt(),
                            g.path("interval").asText(null),
                            g.path("seed").asLong(),
                            g.path("zone").asText(null),
                            g.path("validSamples").asLong(),
                            g.path("extraSamples").asLong(),
                            g.path("firstTimestamp").asLong(),
                            g.path("lastTimestamp").asLong());
        }
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode s : root.get("subjects")) {
            List<String> rules = new ArrayList<>();
            for (JsonNode r : s.path("expectedRules")) {
                rules.add(r.asText());
            }
            subjects.add(
                    new Subject(
                            s.path("subject").asText(),
                            s.path("kind").asText(KIND_VM),
                            s.path("behaviour").asText(),
                            s.hasNonNull("systemId") ? s.get("systemId").asText() : null,
                            s.hasNonNull("plantedAt") ? s.get("plantedAt").asLong() : null,
                            rules));
        }
        JsonNode m = root.path("malformed");
        return new GroundTruth(
                gen,
                subjects,
                new Malformed(m.path("invalid").asLong(0), m.path("undecodable").asLong(0)));
    }

    /** Whether an expected (rule, subject) pair fired, and how often. */
    public record Outcome(String ruleId, String subject, String behaviour, int firings) {
        public boolean fired() {
            return firings > 0;
        }
    }

    /**
     * A (rule, subject) pair that fired but was not expected; behaviour is "unknown" when the
     * subject is not in the ground truth.
     */
    public record Unexpected(String ruleId, String subject, String behaviour, int firings) {}

    /** The result of {@link #check}. */
    public record Report(List<Outcome> expected, List<Unexpected> unexpected) {
        public List<Outcome> missing() {
            return expected.stream().filter(o -> !o.fired()).toList();
        }

        public boolean passed() {
            return unexpected.isEmpty() && missing().isEmpty();
        }

        public String summary() {
            StringBuilder b = new StringBuilder();
            long fired = expected.size() - missing().size();
            b.append(passed() ? "PASSED" : "FAILED")
                    .append(": ")
                    .append(fired)
                    .append(" of ")
                    .append(expected.size())
                    .append(" expected (rule, subject) pairs fired, ")
                    .append(unexpected.size())
                    .append(" unexpected pairs fired");
            for (Outcome o : missing()) {
                b.append("\n  missing    ")
                        .append(o.ruleId())
                        .append(' ')
                        .append(o.subject())
                        .append(" (")
                        .append(o.behaviour())
                        .append(')');
            }
            for (Unexpected u : unexpected) {
                b.append("\n  unexpected ")
                        .append(u.ruleId())
                        .append(' ')
                        .append(u.subject())
                        .append(" (")
                        .append(u.behaviour())
                        .append(", ")
                        .append(u.firings())
                        .append('x')
                        .append(')');
            }
            return b.toString();
        }
    }

    /**
     * Compares recommendations with the expectations. The subject of a recommendation is its vmId,
     * or its systemId when vmId is null (system-level rules). Repeated firings of one pair (weekly
     * rules every week, repeats after a cooldown) count as one pair.
     */
    public Report check(Collection<? extends Recommendation> recommendations) {
        Map<String, Integer> firings = new TreeMap<>();
        for (Recommendation r : recommendations) {
            String subject = r.getVmId() != null ? r.getVmId() : r.getSystemId();
            firings.merge(r.getRuleId() + "|" + subject, 1, Integer::sum);
        }
        Map<String, String> behaviourOf = new LinkedHashMap<>();
        for (Subject s : subjects) {
            behaviourOf.putIfAbsent(s.subject(), s.behaviour());
        }
        Set<String> expectedKeys = new TreeSet<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (Subject s : subjects) {
            for (String rule : s.expectedRules()) {
                String key = rule + "|" + s.subject();
                if (expectedKeys.add(key)) {
                    outcomes.add(
                            new Outcome(
                                    rule,
                                    s.subject(),
                                    s.behaviour(),
                                    firings.getOrDefault(key, 0)));
                }
            }
        }
        List<Unexpected> unexpected = new ArrayList<>();
        for (Map.Entry<String, Integer> e : firings.entrySet()) {
            if (!expectedKeys.contains(e.getKey())) {
                int bar = e.getKey().indexOf('|');
                String subject = e.getKey().substring(bar + 1);
                unexpected.add(
                        new Unexpected(
                                e.getKey().substring(0, bar),
                                subject,
                                behaviourOf.getOrDefault(subject, "unknown"),
                                e.getValue()));
            }
        }
        return new Report(
                Collections.unmodifiableList(outcomes), Collections.unmodifiableList(unexpected));
    }
}
