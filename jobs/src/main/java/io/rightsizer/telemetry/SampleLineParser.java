package io.rightsizer.telemetry;

import java.nio.charset.StandardCharsets;

/**
 * A fast path in front of {@link SampleJson#parse(byte[], int, int)} for the layout the project's
 * own writers produce ({@code RecordJson.toJson(Sample)}: one flat object, no whitespace, known
 * keys, plain ASCII strings without escapes, integers without exponent). Such a line is tokenized
 * here and judged by the same {@link SampleValidator} call; anything else (whitespace, escapes,
 * non-ASCII, unknown or repeated keys, floats where integers belong, exponents, very long values,
 * malformed JSON) goes to the full Jackson path unchanged, so both give the same result, message
 * for message, on every input.
 *
 * <p>Not thread-safe: it keeps the ids it has seen, so the 1,000 VMs of a fleet are 1,000 String
 * instances (their hash codes computed once) rather than three new Strings per line.
 */
public final class SampleLineParser {
    /** Longest id handled here; longer ones (and their length errors) go the full way. */
    private static final int MAX_FAST_STRING = 256;

    /** Longest integer handled here: 18 digits never overflow a long. */
    private static final int MAX_FAST_DIGITS = 18;

    private static final int CACHE_SIZE = 1 << 13;

    private final String[] cached = new String[CACHE_SIZE];
    private final byte[][] cachedBytes = new byte[CACHE_SIZE][];

    // The fields of the line being read; null = absent or JSON null, as in SampleJson.
    private String vmId;
    private String systemId;
    private String unitId;
    private String powerState;
    private boolean hasTimestamp;
    private long timestamp;
    private boolean hasMemUsed;
    private long memUsed;
    private boolean hasMemTotal;
    private long memTotal;
    private boolean hasStoUsed;
    private long stoUsed;
    private boolean hasStoTotal;
    private long stoTotal;
    private boolean hasCpu;
    private double cpu;
    private boolean hasBusiness;
    private long business;
    private int seen;

    /** The key expected next, in the order {@code RecordJson} writes them. */
    private int next;

    private byte[] buf;
    private int pos;
    private int end;

    /** How many lines took the fast path and how many the full one (for tests and profiles). */
    private long fast;

    private long full;

    /** Decodes one line, exactly as {@link SampleJson#parse(byte[], int, int)} does. */
    public SampleJson.Result parse(byte[] b, int off, int len) {
        if (tryFast(b, off, len)) {
            fast++;
            return SampleJson.Result.validated(
                    vmId,
                    systemId,
                    unitId,
                    powerState,
                    (hasTimestamp ? SampleValidator.TIMESTAMP : 0)
                            | (hasMemUsed ? SampleValidator.MEMORY_USED : 0)
                            | (hasMemTotal ? SampleValidator.MEMORY_TOTAL : 0)
                            | (hasStoUsed ? SampleValidator.STORAGE_USED : 0)
                            | (hasStoTotal ? SampleValidator.STORAGE_TOTAL : 0)
                            | (hasCpu ? SampleValidator.CPU : 0)
                            | (hasBusiness ? SampleValidator.BUSINESS : 0),
                    timestamp,
                    memUsed,
                    memTotal,
                    stoUsed,
                    stoTotal,
                    cpu,
                    business);
        }
        full++;
        return SampleJson.parse(b, off, len);
    }

    public long fastLines() {
        return fast;
    }

    public long fullLines() {
        return full;
    }

    /** Fills the fields and returns true, or returns false for the full path to decide. */
    private boolean tryFast(byte[] b, int off, int len) {
        buf = b;
        pos = off;
        end = off + len;
        vmId = null;
        systemId = null;
        unitId = null;
        powerState = null;
        hasTimestamp = false;
        hasMemUsed = false;
        hasMemTotal = false;
        hasStoUsed = false;
        hasStoTotal = false;
        hasCpu = false;
        hasBusiness = false;
        seen = 0;
        next = 0;
        if (pos >= end || buf[pos++] != '{') {
            return false;
        }
        if (pos < end && buf[pos] == '}') {
            pos++;
            return pos == end;
        }
        while (true) {
            if (!field()) {
                return false;
            }
            if (pos >= end) {
                return false;
            }
            byte c = buf[pos++];
            if (c == '}') {
                return pos == end;
            }
            if (c != ',') {
                return false;
            }
        }
    }

    /** One {@code "key":value}; false for anything the fast path does not take. */
    private boolean field() {
        int key = key();
        if (key < 0 || (seen & (1 << key)) != 0) {
            return false;
        }
        seen |= 1 << key;
        if (pos + 4 <= end
                && buf[pos] == 'n'
                && buf[pos + 1] == 'u'
                && buf[pos + 2] == 'l'
                && buf[pos + 3] == 'l') {
            pos += 4;
            return true; // JSON null: "not reported", the field stays absent
        }
        switch (key) {
            case VM_ID -> {
                return (vmId = string()) != null;
            }
            case SYSTEM_ID -> {
                return (systemId = string()) != null;
            }
            case UNIT_ID -> {
                return (unitId = string()) != null;
            }
            case POWER_STATE -> {
                return (powerState = string()) != null;
            }
            case CPU -> {
                return cpu();
            }
            default -> {
                if (!integer()) {
                    return false;
                }
                switch (key) {
                    case TIMESTAMP -> {
                        hasTimestamp = true;
                        timestamp = parsed;
                    }
                    case MEM_USED -> {
                        hasMemUsed = true;
                        memUsed = parsed;
                    }
                    case MEM_TOTAL -> {
                        hasMemTotal = true;
                        memTotal = parsed;
                    }
                    case STO_USED -> {
                        hasStoUsed = true;
                        stoUsed = parsed;
                    }
                    case STO_TOTAL -> {
                        hasStoTotal = true;
                        stoTotal = parsed;
                    }
                    default -> {
                        hasBusiness = true;
                        business = parsed;
                    }
                }
                return true;
            }
        }
    }

    private static final int VM_ID = 0;
    private static final int SYSTEM_ID = 1;
    private static final int UNIT_ID = 2;
    private static final int TIMESTAMP = 3;
    private static final int POWER_STATE = 4;
    private static final int MEM_USED = 5;
    private static final int MEM_TOTAL = 6;
    private static final int STO_USED = 7;
    private static final int STO_TOTAL = 8;
    private static final int CPU = 9;
    private static final int BUSINESS = 10;

    private static final byte[][] KEYS = {
        ascii("vmId"),
        ascii("systemId"),
        ascii("unitId"),
        ascii("timestamp"),
        ascii("powerState"),
        ascii("memoryUsedBytes"),
        ascii("memoryTotalBytes"),
        ascii("storageUsedBytes"),
        ascii("storageTotalBytes"),
        ascii("cpuUtilizationPct"),
        ascii("businessRecords")
    };

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code "name":} of a known key: its index, or -1 (unknown keys go the full way). */
    private int key() {
        if (pos >= end || buf[pos] != '"') {
            return -1;
        }
        // The writers' order first: one comparison instead of a search through the names.
        if (next < KEYS.length) {
            byte[] key = KEYS[next];
            int q = pos + 1 + key.length;
            if (q + 1 < end
                    && buf[q] == '"'
                    && buf[q + 1] == ':'
                    && regionEquals(buf, pos + 1, key)) {
                pos = q + 2;
                return next++;
            }
        }
        int start = pos + 1;
        int q = start;
        while (q < end && buf[q] != '"') {
            q++;
        }
        if (q + 1 >= end || buf[q + 1] != ':') {
            return -1;
        }
        int n = q - start;
        for (int k = 0; k < KEYS.length; k++) {
            byte[] key = KEYS[k];
            if (key.length == n && regionEquals(buf, start, key)) {
                pos = q + 2;
                next = k + 1;
                return k;
            }
        }
        return -1;
    }

    private static boolean regionEquals(byte[] b, int start, byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (b[start + i] != key[i]) {
                return false;
            }
        }
        return true;
    }

    /** A plain ASCII string without escapes, or null for the full path. */
    private String string() {
        if (pos >= end || buf[pos] != '"') {
            return null;
        }
        int start = pos + 1;
        int q = start;
        int hash = 0;
        while (q < end) {
            byte c = buf[q];
            if (c == '"') {
                break;
            }
            // Escapes, control characters (which JSON forbids unescaped) and non-ASCII (which
            // Jackson decodes and checks as UTF-8) all go the full way.
            if (c == '\\' || c < 0x20 || c >= 0x7f) {
                return null;
            }
            hash = 31 * hash + c;
            q++;
        }
        int n = q - start;
        if (q >= end || n > MAX_FAST_STRING) {
            return null;
        }
        pos = q + 1;
        return intern(start, n, hash);
    }

    private String intern(int start, int n, int hash) {
        int slot = (hash ^ (hash >>> 16)) & (CACHE_SIZE - 1);
        byte[] have = cachedBytes[slot];
        if (have != null && have.length == n && regionEquals(buf, start, have)) {
            return cached[slot];
        }
        String s = new String(buf, start, n, StandardCharsets.ISO_8859_1);
        cachedBytes[slot] = java.util.Arrays.copyOfRange(buf, start, start + n);
        cached[slot] = s;
        return s;
    }

    private long parsed;

    /**
     * An integer as JSON writes it (optional minus, no leading zero, at most 18 digits), followed
     * by ',' or '}'; anything else (fractions, exponents, longer numbers, strings) goes the full
     * way, which knows which of them an integer field accepts.
     */
    private boolean integer() {
        int p = pos;
        boolean negative = false;
        if (p < end && buf[p] == '-') {
            negative = true;
            p++;
        }
        int digits = p;
        long v = 0;
        while (p < end) {
            int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
            p++;
        }
        int n = p - digits;
        if (n == 0 || n > MAX_FAST_DIGITS || (n > 1 && buf[digits] == '0') || !delimiter(p)) {
            return false;
        }
        parsed = negative ? -v : v;
        pos = p;
        return true;
    }

    /**
     * The CPU percentage: an integer (as {@link #integer}) or a plain decimal fraction {@code
     * -?digits.digits}, read with {@link Double#parseDouble} like Jackson; exponents go the full
     * way.
     */
    private boolean cpu() {
        int p = pos;
        if (p < end && buf[p] == '-') {
            p++;
        }
        int digits = p;
        while (p < end && buf[p] >= '0' && buf[p] <= '9') {
            p++;
        }
        int intDigits = p - digits;
        if (intDigits == 0 || (intDigits > 1 && buf[digits] == '0')) {
            return false;
        }
        if (p < end && buf[p] == '.') {
            p++;
            int frac = p;
            while (p < end && buf[p] >= '0' && buf[p] <= '9') {
                p++;
            }
            if (p == frac || p - digits > 40 || !delimiter(p)) {
                return false;
            }
            cpu = decimal(pos, p, frac);
            hasCpu = true;
            pos = p;
            return true;
        }
        if (!integer()) {
            return false;
        }
        cpu = (double) parsed;
        hasCpu = true;
        return true;
    }

    /**
     * {@code -?digits.digits} between {@code from} and {@code to}, fraction from {@code frac}, as
     * {@link Double#parseDouble} reads it. With at most 15 digits the digits as a long and the
     * power of ten are both exact doubles, so one division is the correctly rounded value, which is
     * what parseDouble returns; longer numbers go through parseDouble.
     */
    private double decimal(int from, int to, int frac) {
        int digits = to - from - 1 - (buf[from] == '-' ? 1 : 0);
        int scale = to - frac;
        if (digits > 15) {
            return Double.parseDouble(
                    new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
        }
        long m = 0;
        for (int i = buf[from] == '-' ? from + 1 : from; i < to; i++) {
            if (i != frac - 1) {
                m = m * 10 + (buf[i] - '0');
            }
        }
        double v = m / POWERS_OF_TEN[scale];
        return buf[from] == '-' ? -v : v;
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    private boolean delimiter(int p) {
        return p < end && (buf[p] == ',' || buf[p] == '}');
    }
}
