package io.rightsizer.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.Resource;
import io.rightsizer.schema.TimeLimitNotice;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines for people and scripts: the field names of the Avro schemas with plain JSON values
 * (enums as strings, timestamps as epoch milliseconds, every field present, null when absent).
 */
public final class RecordJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonLimits.factory());

    private RecordJson() {}

    public static String toJson(Recommendation r) {
        return toJson(r, null);
    }

    /**
     * A recommendation as {@link #toJson(Recommendation)} writes it, preceded by {@code "type":
     * type} when type is not null: for streams that mix kinds of record.
     */
    public static String toJson(Recommendation r, String type) {
        StringWriter w = new StringWriter(640);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            if (type != null) {
                g.writeStringField("type", type);
            }
            g.writeStringField("recommendationId", r.getRecommendationId());
            g.writeStringField("ruleId", r.getRuleId());
            g.writeStringField("ruleSetVersion", r.getRuleSetVersion());
            g.writeStringField("regulation", r.getRegulation());
            g.writeStringField("action", r.getAction().name());
            g.writeStringField("resource", r.getResource().name());
            g.writeStringField("vmId", r.getVmId());
            g.writeStringField("systemId", r.getSystemId());
            g.writeStringField("unitId", r.getUnitId());
            g.writeNumberField("firedAt", r.getFiredAt().toEpochMilli());
            Evidence e = r.getEvidence();
            g.writeObjectFieldStart("evidence");
            instant(g, "weekStart", e.getWeekStart());
            instant(g, "weekEnd", e.getWeekEnd());
            number(g, "weeklyAveragePct", e.getWeeklyAveragePct());
            number(g, "weeklyPeakPct", e.getWeeklyPeakPct());
            if (e.getCoveredHours() == null) {
                g.writeNullField("coveredHours");
            } else {
                g.writeNumberField("coveredHours", e.getCoveredHours());
            }
            if (e.getPeakStarts() == null) {
                g.writeNullField("peakStarts");
            } else {
                g.writeArrayFieldStart("peakStarts");
                for (Instant i : e.getPeakStarts()) {
                    g.writeNumber(i.toEpochMilli());
                }
                g.writeEndArray();
            }
            number(g, "storagePct", e.getStoragePct());
            instant(g, "inactiveSince", e.getInactiveSince());
            instant(g, "lastBusinessDataAt", e.getLastBusinessDataAt());
            if (e.getSampleCount() == null) {
                g.writeNullField("sampleCount");
            } else {
                g.writeNumberField("sampleCount", e.getSampleCount());
            }
            number(g, "memoryPct", e.getMemoryPct());
            if (e.getOverrides() == null) {
                g.writeNullField("overrides");
            } else {
                g.writeArrayFieldStart("overrides");
                for (String o : e.getOverrides()) {
                    g.writeString(o);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeStringField("reason", r.getReason());
            longField(g, "memoryTotalBytes", r.getMemoryTotalBytes());
            longField(g, "storageTotalBytes", r.getStorageTotalBytes());
            longField(g, "proposedMemoryBytes", r.getProposedMemoryBytes());
            longField(g, "proposedStorageBytes", r.getProposedStorageBytes());
            number(g, "projectedAveragePct", r.getProjectedAveragePct());
            number(g, "projectedPeakPct", r.getProjectedPeakPct());
            number(g, "projectedStoragePct", r.getProjectedStoragePct());
            number(g, "changePct", r.getChangePct());
            g.writeBooleanField("majorChange", r.getMajorChange());
            g.writeBooleanField("emergency", r.getEmergency());
            g.writeNumberField("priority", r.getPriority());
            g.writeBooleanField("reminder", r.getReminder());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    /**
     * A time-limit notice with the field names of its schema, preceded by {@code "type": type} when
     * type is not null.
     */
    public static String toJson(TimeLimitNotice n, String type) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            if (type != null) {
                g.writeStringField("type", type);
            }
            g.writeStringField("noticeId", n.getNoticeId());
            g.writeStringField("kind", n.getKind().name());
            g.writeStringField("regulation", n.getRegulation());
            g.writeStringField("vmId", n.getVmId());
            g.writeStringField("systemId", n.getSystemId());
            g.writeStringField("unitId", n.getUnitId());
            instant(g, "issuedAt", n.getIssuedAt());
            instant(g, "from", n.getFrom());
            instant(g, "until", n.getUntil());
            instant(g, "limitEnd", n.getLimitEnd());
            longField(g, "memoryBytes", n.getMemoryBytes());
            longField(g, "storageBytes", n.getStorageBytes());
            g.writeStringField("reason", n.getReason());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    /**
     * An audit-trail event with the field names of its schema, preceded by {@code "type": type}
     * when type is not null. The states are null where the schema allows it (OPENED has no
     * fromState), so a script can tell "no state" from a state.
     */
    public static String toJson(RecommendationEvent e, String type) {
        StringWriter w = new StringWriter(384);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            if (type != null) {
                g.writeStringField("type", type);
            }
            g.writeStringField("eventId", e.getEventId());
            g.writeStringField("kind", e.getKind().name());
            g.writeStringField("recommendationId", e.getRecommendationId());
            g.writeStringField("ruleId", e.getRuleId());
            g.writeStringField("vmId", e.getVmId());
            g.writeStringField("systemId", e.getSystemId());
            g.writeStringField("unitId", e.getUnitId());
            enumField(g, "fromState", e.getFromState());
            enumField(g, "toState", e.getToState());
            instant(g, "at", e.getAt());
            g.writeStringField("by", e.getBy());
            g.writeStringField("comment", e.getComment());
            g.writeStringField("reason", e.getReason());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    /** Reads a line written by {@link #toJson(Recommendation)}. */
    public static Recommendation recommendation(String line) {
        try {
            JsonNode n = MAPPER.readTree(line);
            JsonNode e = n.get("evidence");
            List<Instant> starts = null;
            if (e.hasNonNull("peakStarts")) {
                starts = new ArrayList<>();
                for (JsonNode s : e.get("peakStarts")) {
                    starts.add(Instant.ofEpochMilli(s.asLong()));
                }
            }
            List<String> overrides = null;
            if (e.hasNonNull("overrides")) {
                overrides = new ArrayList<>();
                for (JsonNode o : e.get("overrides")) {
                    overrides.add(o.asText());
                }
            }
            Evidence ev =
                    Evidence.newBuilder()
                            .setWeekStart(instant(e, "weekStart"))
                            .setWeekEnd(instant(e, "weekEnd"))
                            .setWeeklyAveragePct(dbl(e, "weeklyAveragePct"))
                            .setWeeklyPeakPct(dbl(e, "weeklyPeakPct"))
                            .setCoveredHours(
                                    e.hasNonNull("coveredHours")
                                            ? e.get("coveredHours").asInt()
                                            : null)
                            .setPeakStarts(starts)
                            .setStoragePct(dbl(e, "storagePct"))
                            .setInactiveSince(instant(e, "inactiveSince"))
                            .setLastBusinessDataAt(instant(e, "lastBusinessDataAt"))
                            .setSampleCount(lng(e, "sampleCount"))
                            .setMemoryPct(dbl(e, "memoryPct"))
                            .setOverrides(overrides)
                            .build();
            return Recommendation.newBuilder()
                    .setRecommendationId(n.get("recommendationId").asText())
                    .setRuleId(n.get("ruleId").asText())
                    .setRuleSetVersion(n.get("ruleSetVersion").asText())
                    .setRegulation(n.get("regulation").asText())
                    .setAction(Action.valueOf(n.get("action").asText()))
                    .setResource(Resource.valueOf(n.get("resource").asText()))
                    .setVmId(str(n, "vmId"))
                    .setSystemId(n.get("systemId").asText())
                    .setUnitId(str(n, "unitId"))
                    .setFiredAt(Instant.ofEpochMilli(n.get("firedAt").asLong()))
                    .setEvidence(ev)
                    .setReason(n.get("reason").asText())
                    .setMemoryTotalBytes(lng(n, "memoryTotalBytes"))
                    .setStorageTotalBytes(lng(n, "storageTotalBytes"))
                    .setProposedMemoryBytes(lng(n, "proposedMemoryBytes"))
                    .setProposedStorageBytes(lng(n, "proposedStorageBytes"))
                    .setProjectedAveragePct(dbl(n, "projectedAveragePct"))
                    .setProjectedPeakPct(dbl(n, "projectedPeakPct"))
                    .setProjectedStoragePct(dbl(n, "projectedStoragePct"))
                    .setChangePct(dbl(n, "changePct"))
                    // Lines written before these fields existed read as the schema's defaults.
                    .setMajorChange(n.path("majorChange").asBoolean(false))
                    .setEmergency(n.path("emergency").asBoolean(false))
                    .setPriority(
                            n.hasNonNull("priority")
                                    ? n.get("priority").asInt()
                                    : Recommendations.priority(
                                            Action.valueOf(n.get("action").asText()),
                                            n.path("emergency").asBoolean(false)))
                    .setReminder(n.path("reminder").asBoolean(false))
                    .build();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A sample as a JSON line in the input contract of vm-metrics and replay. */
    public static String toJson(Sample s) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("vmId", s.vmId);
            g.writeStringField("systemId", s.systemId);
            if (s.unitId != null) {
                g.writeStringField("unitId", s.unitId);
            }
            g.writeNumberField("timestamp", s.timestamp);
            g.writeStringField("powerState", s.stopped ? "STOPPED" : "RUNNING");
            optLong(g, "memoryUsedBytes", s.memoryUsedBytes);
            optLong(g, "memoryTotalBytes", s.memoryTotalBytes);
            optLong(g, "storageUsedBytes", s.storageUsedBytes);
            optLong(g, "storageTotalBytes", s.storageTotalBytes);
            if (s.hasCpu()) {
                g.writeNumberField("cpuUtilizationPct", s.cpuUtilizationPct);
            }
            optLong(g, "businessRecords", s.businessRecords);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    private static void optLong(JsonGenerator g, String name, long v) throws IOException {
        if (v != Sample.ABSENT) {
            g.writeNumberField(name, v);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v.toEpochMilli());
        }
    }

    private static void enumField(JsonGenerator g, String name, Enum<?> v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, v.name());
        }
    }

    private static void number(JsonGenerator g, String name, Double v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private static void longField(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private static Instant instant(JsonNode n, String f) {
        return n.hasNonNull(f) ? Instant.ofEpochMilli(n.get(f).asLong()) : null;
    }

    private static Double dbl(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asDouble() : null;
    }

    private static Long lng(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asLong() : null;
    }

    private static String str(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asText() : null;
    }
}
