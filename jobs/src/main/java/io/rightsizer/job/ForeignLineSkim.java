package io.rightsizer.job;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.MathUtils;

/**
 * Lets a reader of a partitioned replay pass over another reader's JSON line without decoding it.
 *
 * <p>A line is <em>prefixed</em> when it starts with {@code {"vmId":"ID"}} (ID of 1 to 256
 * printable ASCII characters, no quote), contains no backslash, and {@code "vmId"} occurs in it
 * only there. Without a backslash no key can be escaped, so a JSON key named vmId is that literal;
 * the only one is the first, and so a prefixed line that decodes to a valid sample is a sample of
 * VM ID, whoever decodes it. The reader of ID's key group decodes a prefixed line (and reports it
 * when it is rejected); every other reader only needs to know whether it raises the file's
 * watermark, and it cannot when each {@code "timestamp"} followed by a colon in it is followed by a
 * plain integer no greater than the maximum timestamp read so far (a valid sample's timestamp is
 * one of those). A line that is not prefixed is decoded by every reader, as before.
 *
 * <p>The decision is a function of the line's bytes, so every reader agrees which reader owns which
 * line.
 */
final class ForeignLineSkim {
    /** The ID's reader is unknown from the bytes: every reader decodes the line. */
    static final int UNPREFIXED = -1;

    private static final byte[] PREFIX = ascii("{\"vmId\":\"");
    private static final byte[] VM_ID_KEY = ascii("\"vmId\"");
    private static final byte[] TIMESTAMP_KEY = ascii("\"timestamp\"");
    private static final int MAX_ID = 256;
    private static final int MAX_DIGITS = 18;

    private final int maxParallelism;
    private final int readers;
    private boolean raises;

    ForeignLineSkim(int maxParallelism, int readers) {
        this.maxParallelism = maxParallelism;
        this.readers = readers;
    }

    /**
     * The reader whose VMs include the line's prefix ID, as {@code keyBy(vmId)} places it, or
     * {@link #UNPREFIXED}; for a prefixed line, {@link #mayRaise()} then says whether it may raise
     * a watermark whose samples reached {@code maxTimestamp}.
     */
    int owner(byte[] b, int start, int end, long maxTimestamp) {
        int p = start;
        if (end - p < PREFIX.length + 1) {
            return UNPREFIXED;
        }
        for (byte x : PREFIX) {
            if (b[p++] != x) {
                return UNPREFIXED;
            }
        }
        int idStart = p;
        int hash = 0;
        while (p < end && b[p] != '"') {
            byte c = b[p];
            if (c < 0x20 || c > 0x7e || c == '\\') {
                return UNPREFIXED;
            }
            // String.hashCode of a Latin-1 string: the ID's key group without building the String.
            hash = 31 * hash + c;
            p++;
        }
        int n = p - idStart;
        if (p == end || n == 0 || n > MAX_ID) {
            return UNPREFIXED;
        }
        raises = false;
        // Every "vmId" has an 'I' and every "timestamp" a 'p': only those bytes (and backslashes)
        // need a look, a few per line rather than every quote.
        for (p = candidate(b, p + 1, end); p < end; p = candidate(b, p, end)) {
            byte c = b[p];
            if (c == '\\') {
                return UNPREFIXED;
            }
            if (c == 'I' && matches(b, p - 3, end, VM_ID_KEY)) {
                return UNPREFIXED;
            }
            if (c == 'p' && !raises && matches(b, p - 9, end, TIMESTAMP_KEY)) {
                p = timestamp(b, p + 2, end, maxTimestamp);
            } else {
                p++;
            }
        }
        int keyGroup = MathUtils.murmurHash(hash) % maxParallelism;
        return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
                maxParallelism, readers, keyGroup);
    }

    /**
     * Whether the last prefixed line may be a valid sample stamped later than the maximum: false
     * only when every {@code "timestamp"} followed by a colon has a plain integer (optional minus,
     * at most 18 digits, no fraction or exponent) no greater than it.
     */
    boolean mayRaise() {
        return raises;
    }

    /** Reads what follows a {@code "timestamp"} at {@code p}; returns where to go on. */
    private int timestamp(byte[] b, int p, int end, long maxTimestamp) {
        int q = skipSpace(b, p, end);
        if (q == end || b[q] != ':') {
            return p; // not a key: a key is followed by a colon
        }
        q = skipSpace(b, q + 1, end);
        boolean negative = q < end && b[q] == '-';
        if (negative) {
            q++;
        }
        int digits = q;
        long v = 0;
        while (q < end && b[q] >= '0' && b[q] <= '9') {
            v = v * 10 + (b[q] - '0');
            q++;
        }
        int n = q - digits;
        if (n == 0
                || n > MAX_DIGITS
                || (q < end && (b[q] == '.' || b[q] == 'e' || b[q] == 'E'))
                || (negative ? -v : v) > maxTimestamp) {
            raises = true;
        }
        return q;
    }

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private static final long BIG_IS = 0x4949494949494949L;
    private static final long PS = 0x7070707070707070L;

    /**
     * The first 'I', 'p' or '\\' at or after {@code p}, or {@code end}; eight bytes at a time,
     * since this scan is most of what passing over a line costs.
     */
    static int candidate(byte[] b, int p, int end) {
        for (; p + 8 <= end; p += 8) {
            long w = (long) LONGS.get(b, p);
            long i = w ^ BIG_IS;
            long q = w ^ PS;
            long s = w ^ BACKSLASHES;
            // A zero byte of i, q or s is a match; the lowest flagged byte is always a true one.
            long m = (((i - ONES) & ~i) | ((q - ONES) & ~q) | ((s - ONES) & ~s)) & HIGHS;
            if (m != 0) {
                return p + (Long.numberOfTrailingZeros(m) >>> 3);
            }
        }
        while (p < end && b[p] != 'I' && b[p] != 'p' && b[p] != '\\') {
            p++;
        }
        return p;
    }

    private static int skipSpace(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        return p;
    }

    private static boolean matches(byte[] b, int p, int end, byte[] what) {
        if (end - p < what.length) {
            return false;
        }
        for (int i = 0; i < what.length; i++) {
            if (b[p + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
