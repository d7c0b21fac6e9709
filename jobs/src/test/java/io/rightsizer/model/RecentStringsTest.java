package io.rightsizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RecentStringsTest {
    @Test
    void anIdReadAgainIsTheStringReadBefore() throws IOException {
        RecentStrings recent = new RecentStrings(16);
        DataInputDeserializer in = written("vm-0042", "sys-7", "vm-0042", "sys-7");

        String vm = StringFormat.read(in, recent);
        String system = StringFormat.read(in, recent);

        assertThat(StringFormat.read(in, recent)).isSameAs(vm).isEqualTo("vm-0042");
        assertThat(StringFormat.read(in, recent)).isSameAs(system).isEqualTo("sys-7");
    }

    @Test
    void stringsOfOneHashInOneSlotAreToldApartByTheirChars() throws IOException {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        RecentStrings recent = new RecentStrings(1);
        DataInputDeserializer in = written("Aa", "BB", "BB", "Aa");

        assertThat(StringFormat.read(in, recent)).isEqualTo("Aa");
        String bb = StringFormat.read(in, recent);
        assertThat(bb).isEqualTo("BB");
        assertThat(StringFormat.read(in, recent)).isSameAs(bb);
        assertThat(StringFormat.read(in, recent)).isEqualTo("Aa");
    }

    @Test
    void aStringLongerThanItKeepsIsReadWholeEveryTime() throws IOException {
        String longId = "v".repeat(RecentStrings.LONGEST + 1);
        String longest = "w".repeat(RecentStrings.LONGEST);
        RecentStrings recent = new RecentStrings(8);
        DataInputDeserializer in = written(longId, longId, longest, longest);

        String first = StringFormat.read(in, recent);
        assertThat(first).isEqualTo(longId);
        assertThat(StringFormat.read(in, recent)).isEqualTo(longId).isNotSameAs(first);
        String kept = StringFormat.read(in, recent);
        assertThat(kept).isEqualTo(longest);
        assertThat(StringFormat.read(in, recent)).isSameAs(kept);
    }

    @Test
    void aNonAsciiStringIsReadWholeAndNotKept() throws IOException {
        RecentStrings recent = new RecentStrings(8);
        DataInputDeserializer in = written("vm-ü", "vm-ü", null, "");

        String first = StringFormat.read(in, recent);
        assertThat(first).isEqualTo("vm-ü");
        assertThat(StringFormat.read(in, recent)).isEqualTo("vm-ü").isNotSameAs(first);
        assertThat(StringFormat.read(in, recent)).isNull();
        assertThat(StringFormat.read(in, recent)).isEmpty();
    }

    @Test
    void itsSlotsArePowersOfTwo() {
        assertThatThrownBy(() -> new RecentStrings(12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slots must be a power of two: 12");
        assertThatThrownBy(() -> new RecentStrings(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static DataInputDeserializer written(String... strings) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (String s : strings) {
            StringFormat.write(s, out);
        }
        return new DataInputDeserializer(out.getCopyOfBuffer());
    }
}
