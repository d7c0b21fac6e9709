package io.rightsizer.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Strings in exactly the bytes of Flink's {@code StringValue} (and so of its {@code
 * StringSerializer}): the length plus one (0: null), then each char, both as unsigned varints of 7
 * bits a byte. An ASCII string is thus its length and its bytes, which this writes in one call and
 * reads without the thread-local buffer {@code StringValue.readString} looks up for every string: a
 * profile of the live job put 8 % of the rules' and the source's threads in the three ids of every
 * sample, and the heap checkpoints' thread mostly in writing them a char at a time. Any other
 * string (a lone surrogate included) goes char by char, as before.
 */
public final class StringFormat {
    private static final int HIGH_BIT = 0x80;

    private StringFormat() {}

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): see below
    public static void write(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= HIGH_BIT) {
                writeVarint(n + 1, out);
                writeChars(s, i, out);
                return;
            }
        }
        if (n + 1 < HIGH_BIT) {
            // An id: its length (one byte) and its bytes in one write. A profile of the live job
            // put 7 % of the source's thread in writing the length prefixes byte by byte.
            byte[] b = new byte[n + 1];
            b[0] = (byte) (n + 1);
            s.getBytes(0, n, b, 1); // ASCII, checked above: each char is its low byte
            out.write(b);
            return;
        }
        writeVarint(n + 1, out);
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The chars from {@code from} on, the ones before it (ASCII) as bytes. */
    private static void writeChars(String s, int from, DataOutputView out) throws IOException {
        if (from > 0) {
            out.write(s.substring(0, from).getBytes(StandardCharsets.ISO_8859_1));
        }
        for (int i = from; i < s.length(); i++) {
            writeVarint(s.charAt(i), out);
        }
    }

    private static void writeVarint(int v, DataOutputView out) throws IOException {
        while (v >= HIGH_BIT) {
            out.writeByte(v | HIGH_BIT);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static String read(DataInputView in) throws IOException {
        return read(in, null);
    }

    /**
     * As {@link #read(DataInputView)}, returning the string {@code recent} holds when it holds an
     * equal one (and remembering the new one if not); null {@code recent}: always a new string.
     */
    static String read(DataInputView in, RecentStrings recent) throws IOException {
        int len = readVarint(in);
        if (len == 0) {
            return null;
        }
        len -= 1;
        boolean kept = recent != null && len <= RecentStrings.LONGEST;
        byte[] ascii = kept ? recent.scratch : new byte[len];
        int hash = 0;
        for (int i = 0; i < len; i++) {
            int c = in.readUnsignedByte();
            if (c >= HIGH_BIT) {
                return readChars(in, ascii, i, c, len);
            }
            ascii[i] = (byte) c;
            hash = 31 * hash + c;
        }
        if (kept) {
            return recent.string(ascii, len, hash);
        }
        return new String(ascii, StandardCharsets.ISO_8859_1);
    }

    /** The rest of a string whose char {@code at} starts with {@code first}, a varint's byte. */
    private static String readChars(DataInputView in, byte[] ascii, int at, int first, int len)
            throws IOException {
        char[] chars = new char[len];
        for (int i = 0; i < at; i++) {
            chars[i] = (char) ascii[i];
        }
        chars[at] = (char) continueVarint(in, first);
        for (int i = at + 1; i < len; i++) {
            chars[i] = (char) readVarint(in);
        }
        return new String(chars);
    }

    private static int readVarint(DataInputView in) throws IOException {
        int b = in.readUnsignedByte();
        return b < HIGH_BIT ? b : continueVarint(in, b);
    }

    private static int continueVarint(DataInputView in, int first) throws IOException {
        int v = first & 0x7F;
        int shift = 7;
        int b;
        while ((b = in.readUnsignedByte()) >= HIGH_BIT) {
            v |= (b & 0x7F) << shift;
            shift += 7;
        }
        return v | (b << shift);
    }
}
