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
        int present =
                (timestamp != null ? TIMESTAMP : 0)
                        | (memoryUsedBytes != null ? MEMORY_USED : 0)
                        | (memoryTotalBytes != null ? MEMORY_TOTAL : 0)
                        | (storageUsedBytes != null ? STORAGE_USED : 0)
                        | (storageTotalBytes != null ? STORAGE_TOTAL : 0)
                        | (cpuUtilizationPct != null ? CPU : 0)
                        | (businessRecords != null ? BUSINESS : 0);
        return validate(
                vmId,
                systemId,
                unitId,
                powerState,
                present,
                timestamp != null ? timestamp : 0,
                memoryUsedBytes != null ? memoryUsedBytes : 0,
                memoryTotalBytes != null ? memoryTotalBytes : 0,
                storageUsedBytes != null ? storageUsedBytes : 0,
                storageTotalBytes != null ? storageTotalBytes : 0,
                cpuUtilizationPct != null ? cpuUtilizationPct : 0,
                businessRecords != null ? businessRecords : 0,
                out);
    }

    /** The bits of {@code present} in the unboxed validate: which numeric fields are reported. */
    public static final int TIMESTAMP = 1;

    public static final int MEMORY_USED = 2;
    public static final int MEMORY_TOTAL = 4;
    public static final int STORAGE_USED = 8;
    public static final int STORAGE_TOTAL = 16;
    public static final int CPU = 32;
    public static final int BUSINESS = 64;

    /**
     * The same checks on unboxed values, for a decoder on the hot path (no boxing per field): a
     * numeric field is reported when its bit is set in {@code present}, and its value is ignored
     * otherwise.
     */
    public static String validate(
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
            long businessRecords,
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
        if ((present & TIMESTAMP) == 0) {
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
                checkPair(
                        "memoryUsedBytes",
                        (present & MEMORY_USED) != 0,
                        memoryUsedBytes,
                        "memoryTotalBytes",
                        (present & MEMORY_TOTAL) != 0,
                        memoryTotalBytes);
        if (m != null) {
            return m;
        }
        m =
                checkPair(
                        "storageUsedBytes",
                        (present & STORAGE_USED) != 0,
                        storageUsedBytes,
                        "storageTotalBytes",
                        (present & STORAGE_TOTAL) != 0,
                        storageTotalBytes);
        if (m != null) {
            return m;
        }
        boolean hasCpu = (present & CPU) != 0;
        if (hasCpu) {
            double c = cpuUtilizationPct;
            if (Double.isNaN(c)) {
                return "cpuUtilizationPct is NaN";
            }
            if (c < 0 || c > 100) {
                return "cpuUtilizationPct " + c + " is outside 0 to 100";
            }
        }
        boolean hasBusiness = (present & BUSINESS) != 0;
        if (hasBusiness && businessRecords < 0) {
            return "businessRecords " + businessRecords + " is negative";
        }
        out.vmId = vmId;
        out.systemId = systemId;
        out.unitId = unitId;
        out.timestamp = timestamp;
        out.stopped = stopped;
        out.memoryUsedBytes = (present & MEMORY_USED) == 0 ? Sample.ABSENT : memoryUsedBytes;
        out.memoryTotalBytes = (present & MEMORY_TOTAL) == 0 ? Sample.ABSENT : memoryTotalBytes;
        out.storageUsedBytes = (present & STORAGE_USED) == 0 ? Sample.ABSENT : storageUsedBytes;
        out.storageTotalBytes = (present & STORAGE_TOTAL) == 0 ? Sample.ABSENT : storageTotalBytes;
        out.cpuUtilizationPct = hasCpu ? cpuUtilizationPct : Double.NaN;
        out.businessRecords = hasBusiness ? businessRecords : Sample.ABSENT;
        return null;
    }

    private static String checkPair(
            String usedName,
            boolean hasUsed,
            long used,
            String totalName,
            boolean hasTotal,
            long total) {
        if (hasUsed && used < 0) {
            return usedName + " " + used + " is negative";
        }
        if (hasTotal && total < 0) {
            return totalName + " " + total + " is negative";
        }
        if (hasTotal && total == 0) {
            return totalName + " is 0";
        }
        if (hasUsed && hasTotal && used > total) {
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
