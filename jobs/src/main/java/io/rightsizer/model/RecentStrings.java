package io.rightsizer.model;

import java.nio.charset.StandardCharsets;

/**
 * The strings a deserializer read last, by content, so that an id that comes again is read as the
 * same {@link String}: no new array and string for each record, and a hash code already computed
 * for the key's key group and the keyed state's lookup. A profile of the live job put a tenth of
 * vm-rules' thread in making and hashing the three ids of every sample it reads from the shuffle,
 * where a VM's ids are the same in every sample.
 *
 * <p>A direct-mapped table: a slot holds the last ASCII string of at most {@link #LONGEST} chars
 * whose hash maps to it, so its memory is bounded whatever the fleet; a fleet with more ids than
 * slots only misses more often, and a miss costs what reading without it does, plus a comparison.
 * Not thread-safe: one per deserializer instance ({@code TypeSerializer#duplicate}).
 */
final class RecentStrings {
    /**
     * The longest string it keeps; longer ones (and non-ASCII ones) are read as they always were.
     */
    static final int LONGEST = 64;

    /**
     * Where {@link StringFormat#read(org.apache.flink.core.memory.DataInputView, RecentStrings)}
     * puts the bytes.
     */
    final byte[] scratch = new byte[LONGEST];

    private final String[] slots;

    /** 32 less the slots' bits: a slot is the top bits of the hash times the golden ratio. */
    private final int shift;

    /**
     * @param slots a power of two
     */
    RecentStrings(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = new String[slots];
        this.shift = 32 - Integer.numberOfTrailingZeros(slots);
    }

    /**
     * The string of {@code len} ASCII bytes of {@code ascii}, whose {@link String#hashCode} is
     * {@code hash}: the one kept when it is equal, else a new one, then kept.
     */
    String string(byte[] ascii, int len, int hash) {
        // Fibonacci hashing: ids that differ in their last chars ("sys-017", "sys-018") have
        // String hashes that differ in their low bits only, which a mask of those bits put in one
        // slot for a third of a simulated fleet's system ids; multiplying by 2^32 / golden ratio
        // spreads every bit of the hash into the top ones.
        int slot = shift == 32 ? 0 : (hash * 0x9E3779B9) >>> shift;
        String kept = slots[slot];
        if (kept != null && kept.hashCode() == hash && same(kept, ascii, len)) {
            return kept;
        }
        String s = new String(ascii, 0, len, StandardCharsets.ISO_8859_1);
        // Computed now from the bytes just read: String caches it, the key group and state need it.
        s.hashCode();
        slots[slot] = s;
        return s;
    }

    private static boolean same(String kept, byte[] ascii, int len) {
        if (kept.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (kept.charAt(i) != ascii[i]) {
                return false;
            }
        }
        return true;
    }
}
