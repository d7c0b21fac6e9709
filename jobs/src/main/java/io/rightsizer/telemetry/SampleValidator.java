package io.rightsizer.telemetry;

import io.rightsizer.model.Sample;

/**
 * The input contract of a sample, shared by every decoder (JSON, Avro) so that each wire format
 * rejects exactly the same samples with the same messages.
 */
public final class SampleValidator {
    /**
     * The longest id, in characters (UTF-16 code units): vmId, systemId, unitId of a sample or an
     * allocation, an allocation's flavor, a decision's recommendationId and decidedBy, a rule
     * envelope's version, author and sha256. A longer id is the record's error, not a VM (or
     * decision, or rule set); every id the job writes then fits its topics.
     */
    public static final int MAX_ID_LENGTH = 256;

    /**
     * The longest free text, in characters: an allocation's reasons, a decision's comment. The job
     * copies them into notices and audit events, which must stay small.
     */
    public static final int MAX_TEXT_LENGTH = 4096;

    private SampleValidator() {}

    /** Why {@code id} is too long, or null. */
    public static String checkIdLength(String field, String id) {
        return checkLength(field, id, MAX_ID_LENGTH);
    }

    /** Why {@code text} is longer than {@link #MAX_TEXT_LENGTH}, or null. */
    public static String checkTextLength(String field, String text) {
        return checkLength(field, text, MAX_TEXT_LENGTH);
    }

    private static String checkLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            return field
                    + " is "
                    + value.length()
                    + " characters long, more than the maximum of "
                    + max;
        }
        return null;
    }

    /** The first of {@code problems} that is not null, or null. */
    public static String first(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /**
     * Checks the raw field values and fills {@code out}. Returns null when the sample is valid,
     * otherwise one message naming the first offending field.
     */
    public static String validate(
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
            Long businessRecords,
            Sample out) {
        if (vmId == null || vmId.isBlank()) {
            return "vmId is missing";
        }
        if (systemId == null || systemId.isBlank()) {
            return "systemId is missing";
        }
        String tooLong = checkIdLength("vmId", vmId);
        if (tooLong == null) {
            tooLong = checkIdLength("systemId", systemId);
        }
        if (tooLong == null) {
            tooLong = checkIdLength("unitId", unitId);
        }
        if (tooLong != null) {
            return tooLong;
        }
        if (timestamp == null) {
            return "timestamp is missing";
        }
        if (timestamp < 0) {
            return "timestamp " + timestamp + " is negative";
        }
        boolean stopped;
        if (powerState == null || powerState.equals("RUNNING")) {
            stopped = false;
        } else if (powerState.equals("STOPPED")) {
            stopped = true;
        } else {
            return "powerState '" + powerState + "' is neither RUNNING nor STOPPED";
        }
        String m =
                checkPair("memoryUsedBytes", memoryUsedBytes, "memoryTotalBytes", memoryTotalBytes);
        if (m != null) {
            return m;
        }
        m = checkPair("storageUsedBytes", storageUsedBytes, "storageTotalBytes", storageTotalBytes);
        if (m != null) {
            return m;
        }
        if (cpuUtilizationPct != null) {
            double c = cpuUtilizationPct;
            if (Double.isNaN(c)) {
                return "cpuUtilizationPct is NaN";
            }
            if (c < 0 || c > 100) {
                return "cpuUtilizationPct " + c + " is outside 0 to 100";
            }
        }
        if (businessRecords != null && businessRecords < 0) {
            return "businessRecords " + businessRecords + " is negative";
        }
        out.vmId = vmId;
        out.systemId = systemId;
        out.unitId = unitId;
        out.timestamp = timestamp;
        out.stopped = stopped;
        out.memoryUsedBytes = memoryUsedBytes == null ? Sample.ABSENT : memoryUsedBytes;
        out.memoryTotalBytes = memoryTotalBytes == null ? Sample.ABSENT : memoryTotalBytes;
        out.storageUsedBytes = storageUsedBytes == null ? Sample.ABSENT : storageUsedBytes;
        out.storageTotalBytes = storageTotalBytes == null ? Sample.ABSENT : storageTotalBytes;
        out.cpuUtilizationPct = cpuUtilizationPct == null ? Double.NaN : cpuUtilizationPct;
        out.businessRecords = businessRecords == null ? Sample.ABSENT : businessRecords;
        return null;
    }

    private static String checkPair(String usedName, Long used, String totalName, Long total) {
        if (used != null && used < 0) {
            return usedName + " " + used + " is negative";
        }
        if (total != null && total < 0) {
            return totalName + " " + total + " is negative";
        }
        if (total != null && total == 0) {
            return totalName + " is 0";
        }
        if (used != null && total != null && used > total) {
            return usedName + " " + used + " is greater than " + totalName + " " + total;
        }
        return null;
    }

    /**
     * The live job's guard against hosts with a wrong clock: a sample stamped further ahead of the
     * wall clock than {@code maxAheadMillis} would fast-forward event time for the whole fleet.
     */
    public static String checkNotAhead(long timestamp, long nowMillis, long maxAheadMillis) {
        if (timestamp - nowMillis > maxAheadMillis) {
            return "timestamp "
                    + java.time.Instant.ofEpochMilli(timestamp)
                    + " is more than "
                    + java.time.Duration.ofMillis(maxAheadMillis)
                    + " ahead of the wall clock ("
                    + java.time.Instant.ofEpochMilli(nowMillis)
                    + ")";
        }
        return null;
    }
}
