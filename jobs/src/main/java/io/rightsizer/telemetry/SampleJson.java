package io.rightsizer.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Samples as JSON objects whose keys are the MetricSample field names with plain JSON values:
 * {@code timestamp} in epoch milliseconds, {@code powerState} as a string, absent keys and nulls
 * meaning "not reported". Unknown keys are ignored, so producers may add fields.
 */
public final class SampleJson {
    private static final JsonFactory JSON = JsonLimits.factory();

    private SampleJson() {}

    /** The outcome of decoding one record: a sample, or what was wrong with it. */
    public static final class Result {
        public final Sample sample;
        public final DeadLetterReason reason;
        public final String message;
        public final String vmId;
        public final long timestamp;

        private Result(
                Sample sample, DeadLetterReason reason, String message, String vmId, long ts) {
            this.sample = sample;
            this.reason = reason;
            this.message = message;
            this.vmId = vmId;
            this.timestamp = ts;
        }

        public static Result ok(Sample s) {
            return new Result(s, null, null, s.vmId, s.timestamp);
        }

        public static Result bad(DeadLetterReason reason, String message, String vmId, Long ts) {
            return new Result(null, reason, message, vmId, ts == null ? Long.MIN_VALUE : ts);
        }

        /**
         * The sample these raw values make ({@link SampleValidator#validate(String, String, String,
         * String, int, long, long, long, long, long, double, long, Sample)}), or the reason they
         * make none: INVALID, naming the first offending field.
         */
        static Result validated(
                String vmId,
                String systemId,
                String unitId,
                String powerState,
                int present,
                long timestamp,
                long memoryUsedBytes,
                long memoryTotalBytes,
                long storageUsedBytes,
                long storageTotalBytes,
                double cpuUtilizationPct,
                long businessRecords) {
            Sample s = new Sample();
            String error =
                    SampleValidator.validate(
                            vmId,
                            systemId,
                            unitId,
                            powerState,
                            present,
                            timestamp,
                            memoryUsedBytes,
                            memoryTotalBytes,
                            storageUsedBytes,
                            storageTotalBytes,
                            cpuUtilizationPct,
                            businessRecords,
                            s);
            if (error != null) {
                Long ts = (present & SampleValidator.TIMESTAMP) != 0 ? timestamp : null;
                return bad(DeadLetterReason.INVALID, error, vmId, ts);
            }
            return ok(s);
        }

        /** As above, from boxed values: null for a field not reported. */
        static Result validated(
                String vmId,
                String systemId,
                String unitId,
                Long timestamp,
                String powerState,
                Long memoryUsedBytes,
                Long memoryTotalBytes,
                Long storageUsedBytes,
                Long storageTotalBytes,
                Double cpuUtilizationPct,
                Long businessRecords) {
            Sample s = new Sample();
            String error =
                    SampleValidator.validate(
                            vmId,
                            systemId,
                            unitId,
                            timestamp,
                            powerState,
                            memoryUsedBytes,
                            memoryTotalBytes,
                            storageUsedBytes,
                            storageTotalBytes,
                            cpuUtilizationPct,
                            businessRecords,
                            s);
            if (error != null) {
                return bad(DeadLetterReason.INVALID, error, vmId, timestamp);
            }
            return ok(s);
        }

        public boolean ok() {
            return sample != null;
        }

        public Rejected toRejected(byte[] payload) {
            Rejected r = Rejected.of(reason, message, payload);
            r.vmId = Rejected.cap(vmId, Rejected.ID_CAP);
            r.sampleTimestamp = timestamp;
            return r;
        }
    }

    public static Result parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    public static Result parse(byte[] buf, int off, int len) {
        String vmId = null;
        String systemId = null;
        String unitId = null;
        Long timestamp = null;
        String powerState = null;
        Long memUsed = null;
        Long memTotal = null;
        Long stoUsed = null;
        Long stoTotal = null;
        Double cpu = null;
        Long br = null;
        String typeError = null;
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Result.bad(DeadLetterReason.UNDECODABLE, "not a JSON object", null, null);
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "vmId" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            vmId = p.getText();
                        } else if (v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "vmId must be a string";
                        }
                    }
                    case "systemId" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            systemId = p.getText();
                        } else if (v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "systemId must be a string";
                        }
                    }
                    case "unitId" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            unitId = p.getText();
                        } else if (v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "unitId must be a string or null";
                        }
                    }
                    case "powerState" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            powerState = p.getText();
                        } else if (v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "powerState must be \"RUNNING\" or \"STOPPED\"";
                        }
                    }
                    case "timestamp" -> {
                        Long l = integer(p, v);
                        if (l != null) {
                            timestamp = l;
                        } else if (v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "timestamp must be an integer (epoch milliseconds)";
                        }
                    }
                    case "memoryUsedBytes" -> {
                        memUsed = integer(p, v);
                        if (memUsed == null && v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "memoryUsedBytes must be an integer or null";
                        }
                    }
                    case "memoryTotalBytes" -> {
                        memTotal = integer(p, v);
                        if (memTotal == null && v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "memoryTotalBytes must be an integer or null";
                        }
                    }
                    case "storageUsedBytes" -> {
                        stoUsed = integer(p, v);
                        if (stoUsed == null && v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "storageUsedBytes must be an integer or null";
                        }
                    }
                    case "storageTotalBytes" -> {
                        stoTotal = integer(p, v);
                        if (stoTotal == null && v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "storageTotalBytes must be an integer or null";
                        }
                    }
                    case "cpuUtilizationPct" -> {
                        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                            cpu = p.getDoubleValue();
                        } else if (v == JsonToken.VALUE_STRING && "NaN".equals(p.getText())) {
                            cpu = Double.NaN;
                        } else if (v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "cpuUtilizationPct must be a number or null";
                        }
                    }
                    case "businessRecords" -> {
                        br = integer(p, v);
                        if (br == null && v != JsonToken.VALUE_NULL && typeError == null) {
                            typeError = "businessRecords must be an integer or null";
                        }
                    }
                    default -> {}
                }
                // A known field given an object or array is a type error already recorded; its
                // contents must not be read as fields of the sample.
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) {
                return Result.bad(DeadLetterReason.UNDECODABLE, "not a JSON object", null, null);
            }
            if (p.nextToken() != null) {
                return Result.bad(
                        DeadLetterReason.UNDECODABLE,
                        "more than one JSON value on the line",
                        vmId,
                        timestamp);
            }
        } catch (IOException e) {
            return Result.bad(
                    DeadLetterReason.UNDECODABLE, "not valid JSON: " + brief(e), vmId, timestamp);
        }
        if (typeError != null) {
            return Result.bad(DeadLetterReason.INVALID, typeError, vmId, timestamp);
        }
        return Result.validated(
                vmId,
                systemId,
                unitId,
                timestamp,
                powerState,
                memUsed,
                memTotal,
                stoUsed,
                stoTotal,
                cpu,
                br);
    }

    private static Long integer(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return null;
            }
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
        }
        return null;
    }

    private static String brief(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
