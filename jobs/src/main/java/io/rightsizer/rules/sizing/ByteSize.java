package io.rightsizer.rules.sizing;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in bytes as the service catalog writes them: a whole number with an optional unit, binary
 * ({@code KiB MiB GiB TiB PiB}, powers of 1024) or decimal ({@code kB MB GB TB PB}, powers of
 * 1000), e.g. {@code 512MiB}, {@code 4GiB}, {@code 500GB}; no unit (or {@code B}) is bytes. Units
 * are case-sensitive, so {@code 4gb} and the ambiguous {@code KB} are refused.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(-?\\d+)\\s*([A-Za-z]*)");

    /** Units, largest first; a binary unit before the decimal unit of the same rank. */
    private static final String[] UNITS = {
        "PiB", "PB", "TiB", "TB", "GiB", "GB", "MiB", "MB", "KiB", "kB"
    };

    private static final long[] FACTORS = {
        1L << 50,
        1_000_000_000_000_000L,
        1L << 40,
        1_000_000_000_000L,
        1L << 30,
        1_000_000_000L,
        1L << 20,
        1_000_000L,
        1L << 10,
        1_000L
    };

    private ByteSize() {}

    /**
     * The number of bytes {@code text} stands for, exactly (it may be zero, negative or beyond a
     * {@code long}: the caller judges), or null when it is not a size.
     */
    public static BigInteger parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        BigInteger n = new BigInteger(m.group(1));
        String unit = m.group(2);
        if (unit.isEmpty() || unit.equals("B")) {
            return n;
        }
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return n.multiply(BigInteger.valueOf(FACTORS[i]));
            }
        }
        return null;
    }

    /**
     * Exactly, in the largest unit that divides it (binary before decimal at the same rank): {@code
     * 256 GiB}, {@code 16350 GiB}, {@code 500 GB}, {@code 1023 B}.
     */
    public static String format(long bytes) {
        if (bytes != 0) {
            for (int i = 0; i < UNITS.length; i++) {
                if (bytes % FACTORS[i] == 0) {
                    return bytes / FACTORS[i] + " " + UNITS[i];
                }
            }
        }
        return bytes + " B";
    }
}
