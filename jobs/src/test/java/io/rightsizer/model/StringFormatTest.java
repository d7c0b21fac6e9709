package io.rightsizer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

/**
 * StringFormat writes exactly the bytes of Flink's StringValue, so that state and shuffles written
 * before it read back unchanged, and reads them back to the same string, every char included.
 */
class StringFormatTest {
    @Test
    void writesTheBytesOfStringValueAndReadsThemBack() throws IOException {
        for (String s : strings()) {
            DataOutputSerializer flink = new DataOutputSerializer(64);
            StringValue.writeString(s, flink);
            DataOutputSerializer ours = new DataOutputSerializer(64);
            StringFormat.write(s, ours);

            assertThat(ours.getCopyOfBuffer()).as(describe(s)).isEqualTo(flink.getCopyOfBuffer());
            assertThat(StringFormat.read(new DataInputDeserializer(flink.getCopyOfBuffer())))
                    .as(describe(s))
                    .isEqualTo(s);
        }
    }

    @Test
    void readsConsecutiveStringsToTheirEnds() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        List<String> all = strings();
        for (String s : all) {
            StringFormat.write(s, out);
        }
        out.writeInt(0x5EED);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (String s : all) {
            assertThat(StringFormat.read(in)).as(describe(s)).isEqualTo(s);
        }
        assertThat(in.readInt()).isEqualTo(0x5EED);
        assertThat(in.available()).isZero();
    }

    @Test
    void readsTheSameStringsThroughRecentStringsOfFewSlots() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        List<String> all = strings();
        for (int round = 0; round < 2; round++) {
            for (String s : all) {
                StringFormat.write(s, out);
            }
        }
        out.writeInt(0x5EED);

        // Four slots: most strings evict another, many share a slot with an equal hash's.
        RecentStrings recent = new RecentStrings(4);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (int round = 0; round < 2; round++) {
            for (String s : all) {
                assertThat(StringFormat.read(in, recent)).as(describe(s)).isEqualTo(s);
            }
        }
        assertThat(in.readInt()).isEqualTo(0x5EED);
        assertThat(in.available()).isZero();
    }

    private static List<String> strings() {
        List<String> s =
                new ArrayList<>(
                        Arrays.asList(
                                null,
                                "",
                                "vm-0042",
                                "a".repeat(126),
                                "a".repeat(127),
                                "a".repeat(128),
                                "b".repeat(16_383),
                                "b".repeat(16_384),
                                "\u007F",
                                "\u0080",
                                "ü",
                                "vm-ü",
                                "虚拟机-0042",
                                "vm-\uD800-x",
                                "\uDFFF",
                                "\uD83D\uDE00 vm",
                                "\uFFFF",
                                "\u0000"));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            char[] c = new char[r.nextInt(40)];
            int range = r.nextBoolean() ? 0x80 : r.nextBoolean() ? 0x800 : 0x10000;
            for (int j = 0; j < c.length; j++) {
                c[j] = (char) r.nextInt(range);
            }
            s.add(new String(c));
        }
        return s;
    }

    private static String describe(String s) {
        return s == null ? "null" : s.length() > 20 ? s.length() + " chars" : '"' + s + '"';
    }
}
