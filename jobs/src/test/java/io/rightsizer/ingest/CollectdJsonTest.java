package io.rightsizer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * collectd's write_kafka JSON: the messages collectd 5.12 wrote on this kind of machine, every
 * plugin mapping, what is ignored, and each rejection with its message.
 */
class CollectdJsonTest {
    /** 1796362210.531 s, the time of the messages collectd wrote (notes). */
    static final long T = 1_796_362_210_531L;

    static final long INTERVAL = 2_000;

    static Decoded decode(String json) {
        return CollectdJson.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** One value list as collectd writes it (values and dsnames as raw JSON). */
    static String vl(
            String host,
            String plugin,
            String pluginInstance,
            String type,
            String typeInstance,
            String values,
            String dsnames) {
        return "{\"values\":"
                + values
                + ",\"dstypes\":[\"gauge\"],\"dsnames\":"
                + dsnames
                + ",\"time\":1796362210.531,\"interval\":2.000,\"host\":\""
                + host
                + "\",\"plugin\":\""
                + plugin
                + "\",\"plugin_instance\":\""
                + pluginInstance
                + "\",\"type\":\""
                + type
                + "\",\"type_instance\":\""
                + typeInstance
                + "\"}";
    }

    static String gauge(String plugin, String pi, String type, String ti, String value) {
        return "[" + vl("vm-00042", plugin, pi, type, ti, "[" + value + "]", "[\"value\"]") + "]";
    }

    static Reading reading(Quantity q, String instance, double v) {
        return Reading.of("vm-00042", T, INTERVAL, "collectd", q, instance, v);
    }

    // ---------------------------------------------------------------- what collectd wrote

    @Test
    void theMemoryPercentageCollectdWroteIsTheUsedShare() {
        Decoded r =
                decode(
                        "[{\"values\":[10.77],\"dstypes\":[\"gauge\"],\"dsnames\":[\"value\"],"
                            + "\"time\":1796362210.531,\"interval\":2.000,\"host\":\"vm-00042\","
                            + "\"plugin\":\"memory\",\"plugin_instance\":\"\",\"type\":\"percent\","
                            + "\"type_instance\":\"used\"}]");

        assertThat(r.ok()).isTrue();
        assertThat(r.readings).containsExactly(reading(Quantity.MEMORY_USED_PCT, "", 10.77));
        assertThat(r.ignored).isZero();
    }

    @Test
    void theBufferedMemoryCollectdWroteIsAPartOfTheTotal() {
        Decoded r =
                decode(
                        "[{\"values\":[8933376],\"dstypes\":[\"gauge\"],\"dsnames\":[\"value\"],"
                            + "\"time\":1796362210.531,\"interval\":2.000,\"host\":\"vm-00042\","
                            + "\"plugin\":\"memory\",\"plugin_instance\":\"\",\"type\":\"memory\","
                            + "\"type_instance\":\"buffered\"}]");

        assertThat(r.readings)
                .containsExactly(reading(Quantity.MEMORY_PART_BYTES, "buffered", 8933376));
    }

    // ---------------------------------------------------------------- mappings

    static Stream<Arguments> mappings() {
        return Stream.of(
                Arguments.of(
                        gauge("memory", "", "memory", "used", "1000"),
                        reading(Quantity.MEMORY_USED_BYTES, "", 1000)),
                Arguments.of(
                        gauge("memory", "", "memory", "free", "1"),
                        reading(Quantity.MEMORY_PART_BYTES, "free", 1)),
                Arguments.of(
                        gauge("memory", "", "memory", "cached", "2"),
                        reading(Quantity.MEMORY_PART_BYTES, "cached", 2)),
                Arguments.of(
                        gauge("memory", "", "memory", "slab_recl", "3"),
                        reading(Quantity.MEMORY_PART_BYTES, "slab_recl", 3)),
                Arguments.of(
                        gauge("memory", "", "memory", "slab_unrecl", "4"),
                        reading(Quantity.MEMORY_PART_BYTES, "slab_unrecl", 4)),
                Arguments.of(
                        gauge("memory", "", "memory", "slab", "5"),
                        reading(Quantity.MEMORY_PART_BYTES, "slab", 5)),
                Arguments.of(
                        gauge("df", "root", "df_complex", "used", "100"),
                        reading(Quantity.STORAGE_USED_BYTES, "root", 100)),
                Arguments.of(
                        gauge("df", "root", "df_complex", "free", "200"),
                        reading(Quantity.STORAGE_FREE_BYTES, "root", 200)),
                Arguments.of(
                        gauge("df", "boot", "df_complex", "reserved", "10"),
                        reading(Quantity.STORAGE_RESERVED_BYTES, "boot", 10)),
                Arguments.of(
                        gauge("df", "root", "percent_bytes", "used", "33.3"),
                        reading(Quantity.STORAGE_USED_PCT, "root", 33.3)),
                Arguments.of(
                        gauge("cpu", "", "percent", "idle", "97.5"),
                        reading(Quantity.CPU_IDLE_PCT, "", 97.5)),
                Arguments.of(
                        gauge("cpu", "1", "percent", "idle", "90"),
                        reading(Quantity.CPU_IDLE_PCT, "1", 90)));
    }

    @ParameterizedTest
    @MethodSource("mappings")
    void eachMappedValueOfTheAgentPluginsIsOneReading(String json, Reading expected) {
        Decoded r = decode(json);

        assertThat(r.readings).containsExactly(expected);
        assertThat(r.ignored).isZero();
    }

    static Reading virt(Quantity q, String instance, double v) {
        return Reading.of("web-7", T, INTERVAL, "collectd", q, instance, v);
    }

    static String virtVl(String type, String ti, String values, String dsnames) {
        return "[" + vl("hv-3", "virt", "web-7", type, ti, values, dsnames) + "]";
    }

    static Stream<Arguments> virtMappings() {
        return Stream.of(
                Arguments.of(
                        virtVl("memory", "total", "[17179869184]", "[\"value\"]"),
                        virt(Quantity.MEMORY_TOTAL_BYTES, "total", 17179869184.0)),
                Arguments.of(
                        virtVl("memory", "available", "[16000000000]", "[\"value\"]"),
                        virt(Quantity.MEMORY_TOTAL_BYTES, "available", 16e9)),
                Arguments.of(
                        virtVl("memory", "unused", "[4000000000]", "[\"value\"]"),
                        virt(Quantity.MEMORY_UNUSED_BYTES, "", 4e9)),
                Arguments.of(
                        virtVl("disk_capacity", "vda", "[107374182400]", "[\"value\"]"),
                        virt(Quantity.STORAGE_TOTAL_BYTES, "vda", 107374182400.0)),
                Arguments.of(
                        virtVl("disk_allocation", "vda", "[21474836480]", "[\"value\"]"),
                        virt(Quantity.STORAGE_USED_BYTES, "vda", 21474836480.0)),
                Arguments.of(
                        virtVl("domain_state", "", "[1,1]", "[\"state\",\"reason\"]"),
                        virt(Quantity.POWER_STATE, "", 1)),
                Arguments.of(
                        virtVl("domain_state", "", "[2,0]", "[\"state\",\"reason\"]"),
                        virt(Quantity.POWER_STATE, "", 1)),
                Arguments.of(
                        virtVl("domain_state", "", "[3,1]", "[\"state\",\"reason\"]"),
                        virt(Quantity.POWER_STATE, "", 0)),
                Arguments.of(
                        virtVl("domain_state", "", "[5,1]", "[\"state\",\"reason\"]"),
                        virt(Quantity.POWER_STATE, "", 0)),
                Arguments.of(
                        virtVl("domain_state", "", "[7,0]", "[\"state\",\"reason\"]"),
                        virt(Quantity.POWER_STATE, "", 0)));
    }

    @ParameterizedTest
    @MethodSource("virtMappings")
    void theVirtPluginNamesTheVmInItsPluginInstance(String json, Reading expected) {
        Decoded r = decode(json);

        assertThat(r.readings).containsExactly(expected);
        assertThat(r.ok()).isTrue();
    }

    @Test
    void aDomainWithNoStateGivesNoPowerStateAndTheReasonIsIgnored() {
        Decoded r = decode(virtVl("domain_state", "", "[0,0]", "[\"state\",\"reason\"]"));

        assertThat(r.readings).isEmpty();
        assertThat(r.ignored).isEqualTo(2);
    }

    static Stream<String> ignoredValues() {
        return Stream.of(
                // other plugins and types
                gauge("load", "", "load", "", "0.5"),
                "["
                        + vl(
                                "vm-00042",
                                "interface",
                                "eth0",
                                "if_octets",
                                "",
                                "[10,20]",
                                "[\"rx\",\"tx\"]")
                        + "]",
                gauge("memory", "", "percent", "free", "80"),
                gauge("df", "root", "percent_bytes", "free", "60"),
                gauge("df", "root", "df_inodes", "used", "5000"),
                gauge("cpu", "0", "cpu", "idle", "123456"),
                gauge("cpu", "", "percent", "user", "2.5"),
                virtVl("memory", "rss", "[1000]", "[\"value\"]"),
                virtVl("memory", "swap_in", "[1000]", "[\"value\"]"),
                virtVl("virt_cpu_total", "", "[123]", "[\"value\"]"),
                virtVl("disk_physical", "vda", "[1000]", "[\"value\"]"),
                // a value collectd could not measure
                gauge("memory", "", "memory", "used", "null"));
    }

    @ParameterizedTest
    @MethodSource("ignoredValues")
    void valuesOutsideTheMappingAreIgnoredAndCountedNotRejected(String json) {
        Decoded r = decode(json);

        assertThat(r.ok()).isTrue();
        assertThat(r.readings).isEmpty();
        assertThat(r.ignored).isEqualTo(json.contains("[10,20]") ? 2 : 1);
    }

    @Test
    void oneMessageMayHoldSeveralValueLists() {
        String json =
                "["
                        + vl("vm-1", "memory", "", "memory", "used", "[100]", "[\"value\"]")
                        + ","
                        + vl("vm-1", "load", "", "load", "", "[1,2,3]", "[\"s\",\"m\",\"l\"]")
                        + ","
                        + vl("vm-1", "df", "root", "df_complex", "free", "[7]", "[\"value\"]")
                        + "]";

        Decoded r = decode(json);

        assertThat(r.readings)
                .containsExactly(
                        Reading.of(
                                "vm-1",
                                T,
                                INTERVAL,
                                "collectd",
                                Quantity.MEMORY_USED_BYTES,
                                "",
                                100),
                        Reading.of(
                                "vm-1",
                                T,
                                INTERVAL,
                                "collectd",
                                Quantity.STORAGE_FREE_BYTES,
                                "root",
                                7));
        assertThat(r.ignored).isEqualTo(3);
    }

    @Test
    void metaDataAndUnknownKeysAreSkipped() {
        String json =
                "[{\"values\":[5],\"dstypes\":[\"gauge\"],\"dsnames\":[\"value\"],\"time\":1796362210.531,"
                    + "\"interval\":2,\"host\":\"vm-00042\",\"plugin\":\"memory\",\"plugin_instance\":\"\","
                    + "\"type\":\"memory\",\"type_instance\":\"used\",\"meta\":{\"a\":{\"b\":[1]}},\"x\":1}]";

        assertThat(decode(json).readings)
                .containsExactly(reading(Quantity.MEMORY_USED_BYTES, "", 5));
    }

    // ---------------------------------------------------------------- rejected

    static Stream<Arguments> undecodable() {
        return Stream.of(
                Arguments.of("{\"values\":[1]}", "collectd JSON: not a JSON array of value lists"),
                Arguments.of("", "collectd JSON: not a JSON array of value lists"),
                Arguments.of("[1]", "collectd JSON: value list 1 is not a JSON object"),
                Arguments.of(
                        gauge("memory", "", "memory", "used", "1") + " []",
                        "collectd JSON: more than one JSON value in the message"),
                Arguments.of("[{\"values\":[1", "collectd JSON: not valid JSON: "));
    }

    @ParameterizedTest
    @MethodSource("undecodable")
    void aMessageThatIsNotAnArrayOfValueListsIsUndecodable(String json, String message) {
        Decoded r = decode(json);

        assertThat(r.ok()).isFalse();
        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith(message);
        assertThat(r.readings).isEmpty();
    }

    static String without(String key) {
        return gauge("memory", "", "memory", "used", "1")
                .replaceAll(",?\"" + key + "\":(\"[^\"]*\"|\\[[^]]*\\]|[0-9.]+)", "")
                .replace("{,", "{");
    }

    static Stream<Arguments> invalid() {
        String longId = "v".repeat(257);
        return Stream.of(
                Arguments.of("[]", "collectd JSON: the array holds no value list"),
                Arguments.of(
                        without("host"),
                        "collectd JSON: value list 1 (null/memory/memory-used): host is missing"),
                Arguments.of(without("plugin"), "collectd JSON: value list 1: plugin is missing"),
                Arguments.of(without("type"), "collectd JSON: value list 1: type is missing"),
                Arguments.of(
                        without("time"),
                        "collectd JSON: value list 1 (vm-00042/memory/memory-used): time is"
                                + " missing"),
                Arguments.of(
                        without("interval"),
                        "collectd JSON: value list 1 (vm-00042/memory/memory-used): interval is"
                                + " missing"),
                Arguments.of(
                        without("values"),
                        "collectd JSON: value list 1 (vm-00042/memory/memory-used): values is"
                                + " missing"),
                Arguments.of(
                        without("dsnames"),
                        "collectd JSON: value list 1 (vm-00042/memory/memory-used): dsnames is"
                                + " missing"),
                Arguments.of(
                        "["
                                + vl("vm-1", "memory", "", "memory", "used", "[1,2]", "[\"value\"]")
                                + "]",
                        "collectd JSON: value list 1 (vm-1/memory/memory-used): values has 2"
                                + " elements but dsnames 1"),
                Arguments.of(
                        "["
                                + vl(
                                        "vm-1",
                                        "memory",
                                        "",
                                        "memory",
                                        "used",
                                        "[\"7\"]",
                                        "[\"value\"]")
                                + "]",
                        "collectd JSON: value list 1 (vm-1/memory/memory-used): values must be an"
                                + " array of numbers (or null)"),
                Arguments.of(
                        "[" + vl("vm-1", "memory", "", "memory", "used", "7", "[\"value\"]") + "]",
                        "collectd JSON: value list 1 (vm-1/memory/memory-used): values must be an"
                                + " array of numbers"),
                Arguments.of(
                        "[" + vl("vm-1", "memory", "", "memory", "used", "[7]", "[1]") + "]",
                        "collectd JSON: value list 1 (vm-1/memory/memory-used): dsnames must be an"
                                + " array of strings"),
                Arguments.of(
                        gauge("memory", "", "memory", "used", "1")
                                .replace("\"time\":1796362210.531", "\"time\":\"now\""),
                        "collectd JSON: value list 1 (vm-00042/memory/memory-used): time must be"
                                + " a number of seconds"),
                Arguments.of(
                        gauge("memory", "", "memory", "used", "1")
                                .replace("\"time\":1796362210.531", "\"time\":-1"),
                        "collectd JSON: value list 1 (vm-00042/memory/memory-used): time -1.0 is"
                                + " not from 0 to 253402300799 seconds"),
                Arguments.of(
                        gauge("memory", "", "memory", "used", "1")
                                .replace("\"interval\":2.000", "\"interval\":0"),
                        "collectd JSON: value list 1 (vm-00042/memory/memory-used): interval 0.0"
                                + " is not from 0.001 to 86400 seconds"),
                Arguments.of(
                        gauge("memory", "", "memory", "used", "1")
                                .replace("\"host\":\"vm-00042\"", "\"host\":7"),
                        "collectd JSON: value list 1 (null/memory/memory-used): host must be a"
                                + " string"),
                Arguments.of(
                        "["
                                + vl(longId, "memory", "", "memory", "used", "[1]", "[\"value\"]")
                                + "]",
                        "collectd JSON: value list 1 ("
                                + longId
                                + "/memory/memory-used): host is 257 characters long, more than"
                                + " the maximum of 256"),
                Arguments.of(
                        "[" + vl("hv-3", "virt", "", "memory", "total", "[1]", "[\"value\"]") + "]",
                        "collectd JSON: value list 1 (hv-3/virt/memory-total): plugin_instance is"
                                + " empty: the virt plugin names the domain, the vmId, there"
                                + " (PluginInstanceFormat name)"),
                Arguments.of(
                        "["
                                + vl("vm-1", "memory", "", "memory", "used", "[1]", "[\"value\"]")
                                + ","
                                + vl("vm-1", "memory", "", "memory", "free", "[1]", "[]")
                                + "]",
                        "collectd JSON: value list 2 (vm-1/memory/memory-free): values has 1"
                                + " elements but dsnames 0"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void aValueListWithoutWhatTheMappingNeedsRejectsTheWholeMessage(String json, String message) {
        Decoded r = decode(json);

        assertThat(r.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(r.message).isEqualTo(message);
        assertThat(r.readings).isEmpty();
    }

    @Test
    void aRejectionNamesTheVmAndTimeOfItsFirstValueList() {
        String json =
                "["
                        + vl("vm-1", "memory", "", "memory", "used", "[1]", "[\"value\"]")
                        + ","
                        + vl("vm-1", "memory", "", "memory", "free", "[1]", "[]")
                        + "]";
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);

        Rejected r = CollectdJson.decode(raw).toRejected(raw);

        assertThat(r.vmId).isEqualTo("vm-1");
        assertThat(r.sampleTimestamp).isEqualTo(T);
        assertThat(r.payload).isEqualTo(raw);
    }

    @Test
    void deepNestingIsRefusedByTheSharedJsonLimits() {
        String json = "[{\"meta\":" + "[".repeat(40) + "]".repeat(40) + "}]";

        Decoded r = decode(json);

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("collectd JSON: not valid JSON: ");
    }
}
