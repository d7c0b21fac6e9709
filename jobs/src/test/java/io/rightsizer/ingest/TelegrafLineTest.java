package io.rightsizer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Telegraf's Kafka output in InfluxDB line protocol: Telegraf's documented examples, every escaping
 * rule, every mapping, the bad records with their exact messages, and the limits.
 */
class TelegrafLineTest {
    static final TelegrafOptions.Settings SETTINGS = TelegrafOptions.Settings.defaults();
    static final long NO_RECORD_TIME = -1;
    static final long INTERVAL = 10_000;

    /** 2023-11-14T22:13:20Z, in nanoseconds and milliseconds. */
    static final long T_NS = 1_700_000_000_000_000_000L;

    static final long T_MS = 1_700_000_000_000L;

    /**
     * plugins/inputs/mem/README.md, "Example Output", with {@code host=vm-00042} added: the README
     * leaves out the host tag that Telegraf's agent adds to every metric.
     */
    static final String MEM_README =
            "mem,host=vm-00042"
                + " active=9299595264i,available=16818249728i,available_percent=80.41654254645131,buffered=2383761408i,cached=13316689920i,commit_limit=14751920128i,committed_as=11781156864i,dirty=122880i,free=1877688320i,high_free=0i,high_total=0i,huge_page_size=2097152i,huge_pages_free=0i,huge_pages_total=0i,inactive=7549939712i,low_free=0i,low_total=0i,mapped=416763904i,page_tables=19787776i,shared=670679040i,slab=2081071104i,sreclaimable=1923395584i,sunreclaim=157675520i,swap_cached=1302528i,swap_free=4286128128i,swap_total=4294963200i,total=20913917952i,used=3335778304i,used_percent=15.95004011996231,vmalloc_chunk=0i,vmalloc_total=35184372087808i,vmalloc_used=0i,wired=0i,write_back=0i,write_back_tmp=0i"
                + " 1574712869000000000\n";

    /** plugins/inputs/disk/README.md, "Example", with {@code host=vm-00042} added. */
    static final String DISK_README =
            """
            disk,fstype=hfs,host=vm-00042,mode=ro,path=/ free=398407520256i,inodes_free=97267461i,inodes_total=121847806i,inodes_used=24580345i,total=499088621568i,used=100418957312i,used_percent=20.131039916242397 1453832006274071563
            disk,fstype=devfs,host=vm-00042,mode=rw,path=/dev free=0i,inodes_free=0i,inodes_total=628i,inodes_used=628i,total=185856i,used=185856i,used_percent=100 1453832006274137913
            disk,fstype=autofs,host=vm-00042,mode=rw,path=/net free=0i,inodes_free=0i,inodes_total=0i,inodes_used=0i,total=0i,used=0i,used_percent=0 1453832006274157077
            disk,fstype=autofs,host=vm-00042,mode=rw,path=/home free=0i,inodes_free=0i,inodes_total=0i,inodes_used=0i,total=0i,used=0i,used_percent=0 1453832006274169688
            """;

    /** plugins/inputs/cpu/README.md, "Example Output" (percpu and totalcpu, collect_cpu_time). */
    static final String CPU_README =
            """
            cpu,cpu=cpu0,host=loaner time_active=202224.15999999992,time_guest=30250.35,time_guest_nice=0,time_idle=1527035.04,time_iowait=1352,time_irq=0,time_nice=169.28,time_softirq=6281.4,time_steal=0,time_system=40097.14,time_user=154324.34 1568760922000000000
            cpu,cpu=cpu0,host=loaner usage_active=31.249999981810106,usage_guest=2.083333333080696,usage_guest_nice=0,usage_idle=68.7500000181899,usage_iowait=0,usage_irq=0,usage_nice=0,usage_softirq=0,usage_steal=0,usage_system=4.166666666161392,usage_user=25.000000002273737 1568760922000000000
            cpu,cpu=cpu1,host=loaner time_active=201890.02000000002,time_guest=30508.41,time_guest_nice=0,time_idle=264641.18,time_iowait=210.44,time_irq=0,time_nice=181.75,time_softirq=4537.88,time_steal=0,time_system=39480.7,time_user=157479.25 1568760922000000000
            cpu,cpu=cpu1,host=loaner usage_active=12.500000010610771,usage_guest=2.0833333328280585,usage_guest_nice=0,usage_idle=87.49999998938922,usage_iowait=0,usage_irq=0,usage_nice=0,usage_softirq=2.0833333332070145,usage_steal=0,usage_system=4.166666665656117,usage_user=4.166666666414029 1568760922000000000
            cpu,cpu=cpu2,host=loaner time_active=201382.78999999998,time_guest=30325.8,time_guest_nice=0,time_idle=264686.63,time_iowait=202.77,time_irq=0,time_nice=162.81,time_softirq=3378.34,time_steal=0,time_system=39270.59,time_user=158368.28 1568760922000000000
            cpu,cpu=cpu2,host=loaner usage_active=15.999999993480742,usage_guest=1.9999999999126885,usage_guest_nice=0,usage_idle=84.00000000651926,usage_iowait=0,usage_irq=0,usage_nice=0,usage_softirq=2.0000000002764864,usage_steal=0,usage_system=3.999999999825377,usage_user=7.999999998923158 1568760922000000000
            cpu,cpu=cpu3,host=loaner time_active=198953.51000000007,time_guest=30344.43,time_guest_nice=0,time_idle=265504.09,time_iowait=187.64,time_irq=0,time_nice=197.47,time_softirq=2301.47,time_steal=0,time_system=39313.73,time_user=156953.2 1568760922000000000
            cpu,cpu=cpu3,host=loaner usage_active=10.41666667424579,usage_guest=0,usage_guest_nice=0,usage_idle=89.58333332575421,usage_iowait=0,usage_irq=0,usage_nice=0,usage_softirq=0,usage_steal=0,usage_system=4.166666666666667,usage_user=6.249999998484175 1568760922000000000
            cpu,cpu=cpu-total,host=loaner time_active=804450.5299999998,time_guest=121429,time_guest_nice=0,time_idle=2321866.96,time_iowait=1952.86,time_irq=0,time_nice=711.32,time_softirq=16499.1,time_steal=0,time_system=158162.17,time_user=627125.08 1568760922000000000
            cpu,cpu=cpu-total,host=loaner usage_active=17.616580305880305,usage_guest=1.036269430422946,usage_guest_nice=0,usage_idle=82.3834196941197,usage_iowait=0,usage_irq=0,usage_nice=0,usage_softirq=1.0362694300459534,usage_steal=0,usage_system=4.145077721691784,usage_user=11.398963731636465 1568760922000000000
            """;

    static Decoded decode(String text) {
        return decode(text, NO_RECORD_TIME, SETTINGS);
    }

    static Decoded decode(String text, long recordTime, TelegrafOptions.Settings settings) {
        return TelegrafLine.decode(text.getBytes(StandardCharsets.UTF_8), recordTime, settings);
    }

    static Reading reading(String vm, long ts, Quantity q, String instance, double value) {
        return Reading.of(vm, ts, INTERVAL, TelegrafLine.FORMAT, q, instance, value);
    }

    static TelegrafMetric one(String text) {
        List<TelegrafMetric> metrics = TelegrafLine.parse(text);
        assertThat(metrics).hasSize(1);
        return metrics.get(0);
    }

    static void assertRejected(Decoded d, DeadLetterReason reason, String message) {
        assertThat(d.ok()).as("%s", d).isFalse();
        assertThat(d.reason).isEqualTo(reason);
        assertThat(d.message).isEqualTo(message);
        assertThat(d.readings).isEmpty();
    }

    // ---------------------------------------------------------------- Telegraf's examples

    @Test
    void memReadmeExampleGivesUsedAndTotalAndIgnoresUsedPercent() {
        Decoded d = decode(MEM_README);
        long t = 1_574_712_869_000L;
        assertThat(d.readings)
                .containsExactly(
                        reading("vm-00042", t, Quantity.MEMORY_USED_BYTES, "", 3335778304.0),
                        reading("vm-00042", t, Quantity.MEMORY_TOTAL_BYTES, "", 20913917952.0));
        assertThat(d.ignored).isZero();
    }

    @Test
    void diskReadmeExampleGivesUsedAndTotalPerPath() {
        Decoded d = decode(DISK_README);
        long t = 1_453_832_006_274L;
        assertThat(d.readings)
                .containsExactly(
                        reading("vm-00042", t, Quantity.STORAGE_USED_BYTES, "/", 100418957312.0),
                        reading("vm-00042", t, Quantity.STORAGE_TOTAL_BYTES, "/", 499088621568.0),
                        reading("vm-00042", t, Quantity.STORAGE_USED_BYTES, "/dev", 185856.0),
                        reading("vm-00042", t, Quantity.STORAGE_TOTAL_BYTES, "/dev", 185856.0),
                        reading("vm-00042", t, Quantity.STORAGE_USED_BYTES, "/net", 0.0),
                        reading("vm-00042", t, Quantity.STORAGE_TOTAL_BYTES, "/net", 0.0),
                        reading("vm-00042", t, Quantity.STORAGE_USED_BYTES, "/home", 0.0),
                        reading("vm-00042", t, Quantity.STORAGE_TOTAL_BYTES, "/home", 0.0));
        assertThat(d.ignored).isZero();
    }

    @Test
    void cpuReadmeExampleTakesOnlyTheTotalsIdleShareAndCountsTheRest() {
        Decoded d = decode(CPU_README);
        assertThat(d.readings)
                .containsExactly(
                        reading(
                                "loaner",
                                1_568_760_922_000L,
                                Quantity.CPU_IDLE_PCT,
                                "",
                                82.3834196941197));
        // 8 per-CPU series, and cpu-total's time_* metric, which has no usage_idle
        assertThat(d.ignored).isEqualTo(9);
    }

    @Test
    void memReadmeExampleAsPrintedHasNoHostTagAndIsRefused() {
        String asPrinted = MEM_README.replace(",host=vm-00042", "");
        Decoded d = decode(asPrinted);
        assertRejected(
                d,
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: mem has no tag 'host' to take the vmId from"
                        + " (ingest.telegraf.vm-tag)");
        assertThat(d.vmId).isNull();
    }

    // ---------------------------------------------------------------- mapping

    @Test
    void vmIsTakenFromTheConfiguredTag() {
        Decoded d =
                decode(
                        "mem,host=hv-1,vm_id=vm-7 used=1i,total=2i " + T_NS,
                        NO_RECORD_TIME,
                        SETTINGS.withVmTag("vm_id"));
        assertThat(d.readings).extracting(r -> r.vmId).containsExactly("vm-7", "vm-7");
    }

    @Test
    void intervalIsTheConfiguredOne() {
        Decoded d =
                decode(
                        "mem,host=a used=1i " + T_NS,
                        NO_RECORD_TIME,
                        SETTINGS.withInterval(java.time.Duration.ofMinutes(1)));
        assertThat(d.readings).extracting(r -> r.intervalMillis).containsExactly(60_000L);
    }

    @Test
    void memUsedPercentIsTakenOnlyWhenUsedOrTotalIsMissing() {
        assertThat(decode("mem,host=a total=100i,used_percent=40.5 " + T_NS).readings)
                .containsExactly(
                        reading("a", T_MS, Quantity.MEMORY_TOTAL_BYTES, "", 100),
                        reading("a", T_MS, Quantity.MEMORY_USED_PCT, "", 40.5));
        assertThat(decode("mem,host=a used=7i,used_percent=40.5 " + T_NS).readings)
                .containsExactly(
                        reading("a", T_MS, Quantity.MEMORY_USED_BYTES, "", 7),
                        reading("a", T_MS, Quantity.MEMORY_USED_PCT, "", 40.5));
        assertThat(decode("mem,host=a used_percent=40.5 " + T_NS).readings)
                .containsExactly(reading("a", T_MS, Quantity.MEMORY_USED_PCT, "", 40.5));
        assertThat(decode("mem,host=a used_percent=40.5,used=7i,total=100i " + T_NS).readings)
                .containsExactly(
                        reading("a", T_MS, Quantity.MEMORY_USED_BYTES, "", 7),
                        reading("a", T_MS, Quantity.MEMORY_TOTAL_BYTES, "", 100));
    }

    @Test
    void diskFreeIsTakenOnlyWithoutTotalAndUsedPercentOnlyWithoutUsedOrTotal() {
        assertThat(decode("disk,host=a,path=/ used=1i,free=3i,used_percent=25 " + T_NS).readings)
                .containsExactly(
                        reading("a", T_MS, Quantity.STORAGE_USED_BYTES, "/", 1),
                        reading("a", T_MS, Quantity.STORAGE_FREE_BYTES, "/", 3),
                        reading("a", T_MS, Quantity.STORAGE_USED_PCT, "/", 25));
        assertThat(decode("disk,host=a,path=/ free=3i,total=4i,used=1i " + T_NS).readings)
                .containsExactly(
                        reading("a", T_MS, Quantity.STORAGE_USED_BYTES, "/", 1),
                        reading("a", T_MS, Quantity.STORAGE_TOTAL_BYTES, "/", 4));
        assertThat(decode("disk,host=a,path=/ total=4i,used_percent=25 " + T_NS).readings)
                .containsExactly(
                        reading("a", T_MS, Quantity.STORAGE_TOTAL_BYTES, "/", 4),
                        reading("a", T_MS, Quantity.STORAGE_USED_PCT, "/", 25));
    }

    @Test
    void otherMeasurementsAndMetricsWithoutAMappedFieldAreIgnoredAndCounted() {
        Decoded d =
                decode(
                        "swap,host=a total=1i "
                                + T_NS
                                + "\nsystem,host=a load1=0.5 "
                                + T_NS
                                + "\nmem,host=a free=5i "
                                + T_NS
                                + "\ncpu,cpu=cpu0,host=a usage_idle=50 "
                                + T_NS
                                + "\ncpu,host=a usage_idle=50 "
                                + T_NS
                                + "\nmem,host=a used=1i "
                                + T_NS);
        assertThat(d.ok()).isTrue();
        assertThat(d.readings)
                .containsExactly(reading("a", T_MS, Quantity.MEMORY_USED_BYTES, "", 1));
        assertThat(d.ignored).isEqualTo(5);
    }

    @Test
    void ignoredMeasurementsNeedNoVmTagAndNoTimestamp() {
        Decoded d = decode("swap total=1i\nsystem load1=0.5");
        assertThat(d.ok()).isTrue();
        assertThat(d.readings).isEmpty();
        assertThat(d.ignored).isEqualTo(2);
    }

    @Test
    void aMappedFieldThatIsNotANumberRefusesTheRecord() {
        assertRejected(
                decode("mem,host=a used=\"lots\" " + T_NS),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: mem: field 'used' is a string, not a number");
        assertRejected(
                decode("mem,host=a total=1i " + T_NS + "\ndisk,host=a,path=/ total=true " + T_NS),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 2: disk: field 'total' is a boolean, not a number");
        assertRejected(
                decode("cpu,cpu=cpu-total,host=a usage_idle=F " + T_NS),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: cpu: field 'usage_idle' is a boolean, not a"
                        + " number");
    }

    @Test
    void aFieldTheMappingDoesNotTakeMayHaveAnyType() {
        assertThat(decode("mem,host=a used=1i,total=2i,used_percent=\"n/a\" " + T_NS).readings)
                .hasSize(2);
    }

    @Test
    void diskWithoutPathIsRefused() {
        assertRejected(
                decode("disk,host=a used=1i " + T_NS),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: disk has no tag 'path' to tell its file systems"
                        + " apart");
    }

    @Test
    void aRefusedRecordsDeadLetterNamesTheVmAndTime() {
        Decoded d = decode("mem,host=vm-9 used=1i " + T_NS + "\nmem,host=vm-9 used=\"x\" " + T_NS);
        assertThat(d.vmId).isEqualTo("vm-9");
        assertThat(d.timestamp).isEqualTo(T_MS);
        byte[] payload = "raw".getBytes(StandardCharsets.UTF_8);
        Rejected r = d.toRejected(payload);
        assertThat(r.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(r.message).isEqualTo(d.message);
        assertThat(r.vmId).isEqualTo("vm-9");
        assertThat(r.sampleTimestamp).isEqualTo(T_MS);
        assertThat(r.payload).isEqualTo(payload);
    }

    // ---------------------------------------------------------------- escaping

    @Test
    void tagKeysAndValuesUnescapeCommaEqualsAndSpace() {
        TelegrafMetric m = one("disk,host=vm\\ 1\\,a\\=b,pa\\ th=/mnt/my\\ disk used=1i");
        assertThat(m.tags)
                .containsExactly(entry("host", "vm 1,a=b"), entry("pa th", "/mnt/my disk"));
        Decoded d = decode("disk,host=vm\\ 1\\,a\\=b,path=/mnt/my\\ disk used=1i,total=2i " + T_NS);
        assertThat(d.readings)
                .containsExactly(
                        reading("vm 1,a=b", T_MS, Quantity.STORAGE_USED_BYTES, "/mnt/my disk", 1),
                        reading("vm 1,a=b", T_MS, Quantity.STORAGE_TOTAL_BYTES, "/mnt/my disk", 2));
    }

    @Test
    void anyOtherBackslashIsKeptAsWritten() {
        TelegrafMetric m = one("disk,host=a,path=C:\\Data\\\\x,q=\\\"y\\\" f\\x=1i");
        assertThat(m.tags)
                .containsExactly(
                        entry("host", "a"),
                        entry("path", "C:\\Data\\\\x"),
                        entry("q", "\\\"y\\\""));
        assertThat(m.fields).containsOnlyKeys("f\\x");
        // a backslash pair is read as one, so the comma after it separates
        assertThat(one("m,a=x\\\\,b=y f=1").tags)
                .containsExactly(entry("a", "x\\\\"), entry("b", "y"));
    }

    @Test
    void measurementUnescapesOnlyCommaAndSpace() {
        assertThat(one("my\\,mem\\ x,host=a f=1").name).isEqualTo("my,mem x");
        assertThat(one("cpu\\=x f=1").name).isEqualTo("cpu\\=x");
        assertThat(one("m=x f=1").name).isEqualTo("m=x");
        // an escaped measurement is not "mem": ignored, not mapped
        assertThat(decode("mem\\ x,host=a used=1i " + T_NS).ignored).isEqualTo(1);
    }

    @Test
    void fieldKeysUnescapeCommaEqualsAndSpace() {
        assertThat(one("m us\\ ed=1i,a\\,b=2i,c\\=d=3i").fields)
                .containsExactly(entry("us ed", 1.0), entry("a,b", 2.0), entry("c=d", 3.0));
    }

    @Test
    void stringFieldsUnescapeQuoteAndBackslashAndKeepTheRest() {
        TelegrafMetric m = one("m s=\"a \\\"q\\\" b\\\\c \\d, e=f g\",n=1i");
        assertThat(m.fields)
                .containsExactly(entry("s", "a \"q\" b\\c \\d, e=f g"), entry("n", 1.0));
        assertThat(one("m s=\"\"").fields).containsExactly(entry("s", ""));
    }

    @Test
    void aLineBreakInsideAStringBelongsToTheStringAndCountsAsALine() {
        List<TelegrafMetric> ms =
                TelegrafLine.parse("m,host=a s=\"one\ntwo\",f=1 1\nmem,host=a used=1i 2\n");
        assertThat(ms).extracting(x -> x.position).containsExactly(1, 3);
        assertThat(ms.get(0).fields).containsExactly(entry("s", "one\ntwo"), entry("f", 1.0));
    }

    @Test
    void fieldValuesOfEveryType() {
        TelegrafMetric m =
                one(
                        "m a=1,b=-1.5,c=.5,d=2.,e=1e3,f=-2.5E-3,g=12i,h=-12i,i=12u,"
                                + "j=18446744073709551615u,k=9223372036854775807i,"
                                + "l=t,n=T,o=true,p=True,q=TRUE,r=f,s=F,t=false,u=False,v=FALSE");
        assertThat(m.fields)
                .containsExactly(
                        entry("a", 1.0),
                        entry("b", -1.5),
                        entry("c", 0.5),
                        entry("d", 2.0),
                        entry("e", 1000.0),
                        entry("f", -0.0025),
                        entry("g", 12.0),
                        entry("h", -12.0),
                        entry("i", 12.0),
                        entry("j", 18446744073709551615.0),
                        entry("k", 9223372036854775807.0),
                        entry("l", true),
                        entry("n", true),
                        entry("o", true),
                        entry("p", true),
                        entry("q", true),
                        entry("r", false),
                        entry("s", false),
                        entry("t", false),
                        entry("u", false),
                        entry("v", false));
    }

    @Test
    void whiteSpaceCommentsBlankLinesAndCrLf() {
        String text =
                "# written by hand\r\n"
                        + "\r\n"
                        + "  \t\n"
                        + "\t mem,host=a \t used=1i \t "
                        + T_NS
                        + " \t\r\n"
                        + "   # another comment\n"
                        + "mem,host=b used=2i\f"
                        + T_NS
                        + "\u000B";
        Decoded d = decode(text);
        assertThat(d.readings)
                .containsExactly(
                        reading("a", T_MS, Quantity.MEMORY_USED_BYTES, "", 1),
                        reading("b", T_MS, Quantity.MEMORY_USED_BYTES, "", 2));
        assertThat(TelegrafLine.parse(text)).extracting(m -> m.position).containsExactly(4, 6);
    }

    @Test
    void tagsAreOptional() {
        TelegrafMetric m = one("mem used=1i");
        assertThat(m.tags).isEmpty();
        assertThat(m.timestamp).isNull();
    }

    // ---------------------------------------------------------------- timestamps

    @Test
    void nanosecondsAreFlooredToMilliseconds() {
        assertThat(decode("mem,host=a used=1i 1700000000123999999").readings)
                .extracting(r -> r.timestamp)
                .containsExactly(1_700_000_000_123L);
    }

    @Test
    void aLineWithoutTimestampTakesTheKafkaRecordsTimestamp() {
        Decoded d = decode("mem,host=a used=1i", 1_700_000_000_123L, SETTINGS);
        assertThat(d.readings)
                .containsExactly(
                        reading("a", 1_700_000_000_123L, Quantity.MEMORY_USED_BYTES, "", 1));
    }

    @Test
    void aLineWithoutTimestampInARecordWithoutTimestampIsRefused() {
        assertRejected(
                decode("mem,host=a used=1i"),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: mem has no timestamp and the Kafka record has"
                        + " none");
        assertRejected(
                decode("mem,host=a used=1i", 5, SETTINGS),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: mem has no timestamp, and the Kafka record's"
                        + " timestamp 5 in units of 1ms is not between 2001-09-09T01:46:40Z and"
                        + " 2286-11-20T17:46:40Z; it is no time in that range in any unit from 1ns"
                        + " to 1s: producer_timestamp must be metric");
    }

    static Stream<Arguments> timestampsInOtherUnits() {
        return Stream.of(
                Arguments.of("1700000000", "its 10 digits are a time in units of 1s"),
                Arguments.of("1700000000000", "its 13 digits are a time in units of 1ms"),
                Arguments.of("1700000000000000", "its 16 digits are a time in units of 1us"),
                Arguments.of("0", "it is no time in that range in any unit from 1ns to 1s"),
                Arguments.of("-1", "it is no time in that range in any unit from 1ns to 1s"));
    }

    @ParameterizedTest
    @MethodSource
    void timestampsInOtherUnits(String ts, String guess) {
        assertRejected(
                decode("mem,host=a used=1i " + ts),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: mem: timestamp "
                        + ts
                        + " in units of 1ns is not between 2001-09-09T01:46:40Z and"
                        + " 2286-11-20T17:46:40Z; "
                        + guess
                        + ": Telegraf writes line protocol timestamps in nanoseconds");
    }

    @Test
    void timestampsAtTheEdgesOfTheAcceptedRange() {
        assertThat(decode("mem,host=a used=1i 1000000000000000000").readings)
                .extracting(r -> r.timestamp)
                .containsExactly(1_000_000_000_000L);
        assertThat(decode("mem,host=a used=1i 999999999999999999").ok()).isFalse();
        assertThat(decode("mem,host=a used=1i 9223372036854775807").readings)
                .extracting(r -> r.timestamp)
                .containsExactly(9_223_372_036_854L);
    }

    // ---------------------------------------------------------------- bad records

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "the record is empty"),
                Arguments.of(
                        "# only a comment\n\n  \n",
                        "the record holds no metric, only blank or comment lines"),
                Arguments.of("mem", "line 1: mem has no fields"),
                Arguments.of("mem,host=a", "line 1: mem has no fields"),
                Arguments.of("mem,host=a   \n", "line 1: mem has no fields"),
                Arguments.of(
                        ",host=a used=1i", "line 1: the measurement name is missing at column 1"),
                Arguments.of(
                        " ,host=a used=1i", "line 1: the measurement name is missing at column 2"),
                Arguments.of("mem,=a used=1i", "line 1: a tag key is missing at column 5"),
                Arguments.of(
                        "mem,host used=1i",
                        "line 1: expected '=' after tag key 'host' at column 9"),
                Arguments.of("mem,host= used=1i", "line 1: tag 'host' has no value at column 10"),
                Arguments.of(
                        "mem,host=a=b used=1i",
                        "line 1: the value of tag 'host' has an unescaped '=' at column 11"),
                Arguments.of("mem,host=a,host=b used=1i", "line 1: tag 'host' appears twice"),
                Arguments.of("mem,host=a, used=1i", "line 1: a tag key is missing at column 12"),
                Arguments.of(
                        "mem,host=a used",
                        "line 1: expected '=' after field key 'used' at column 16"),
                Arguments.of("mem,host=a used=", "line 1: field 'used' has no value at column 17"),
                Arguments.of("mem,host=a =1i", "line 1: a field key is missing at column 12"),
                Arguments.of("mem,host=a used=1i,", "line 1: a field key is missing at column 20"),
                Arguments.of("mem,host=a used=1i,used=2i", "line 1: field 'used' appears twice"),
                Arguments.of(
                        "mem,host=a used=abc",
                        "line 1: the value 'abc' of field 'used' is no float, integer (1i),"
                                + " unsigned (1u), boolean or quoted string"),
                Arguments.of(
                        "mem,host=a used=1.5i",
                        "line 1: the value '1.5i' of field 'used' is no float, integer (1i),"
                                + " unsigned (1u), boolean or quoted string"),
                Arguments.of(
                        "mem,host=a used=-1u",
                        "line 1: the value '-1u' of field 'used' is no float, integer (1i),"
                                + " unsigned (1u), boolean or quoted string"),
                Arguments.of(
                        "mem,host=a used=NaN",
                        "line 1: the value 'NaN' of field 'used' is no float, integer (1i),"
                                + " unsigned (1u), boolean or quoted string"),
                Arguments.of(
                        "mem,host=a used=9223372036854775808i",
                        "line 1: the value 9223372036854775808i of field 'used' is out of the"
                                + " range of a 64-bit integer"),
                Arguments.of(
                        "mem,host=a used=18446744073709551616u",
                        "line 1: the value 18446744073709551616u of field 'used' is out of the"
                                + " range of a 64-bit unsigned integer"),
                Arguments.of(
                        "mem,host=a used=1e999",
                        "line 1: the value 1e999 of field 'used' is out of range"),
                Arguments.of(
                        "mem,host=a s=\"open",
                        "line 1: the string value of field 's' is not closed"),
                Arguments.of(
                        "mem,host=a used=1i 17e9",
                        "line 1: the timestamp '17e9' is not a whole number of at most 19 digits"),
                Arguments.of(
                        "mem,host=a used=1i 12345678901234567890",
                        "line 1: the timestamp '12345678901234567890' is not a whole number of at"
                                + " most 19 digits"),
                Arguments.of("mem,host=a used=1i 1 2", "line 1: unexpected '2' at column 22"),
                Arguments.of(
                        "mem,host=a used=1i\"x",
                        "line 1: the value '1i\"x' of field 'used' is no float, integer (1i),"
                                + " unsigned (1u), boolean or quoted string"),
                Arguments.of(
                        "mem,host=a used=1i\tx=2i",
                        "line 1: the timestamp 'x=2i' is not a whole number of at most 19 digits"),
                Arguments.of("mem\\", "line 1: a backslash escapes nothing at column 4"),
                Arguments.of(
                        "mem,host=a\\\n used=1i",
                        "line 1: a backslash escapes nothing at column 11"),
                Arguments.of(
                        "mem,host=a used=1i\rx",
                        "line 1: a carriage return not followed by a line feed at column 19"),
                Arguments.of("mem,host=a used=1i " + T_NS + "\nbad", "line 2: bad has no fields"));
    }

    @ParameterizedTest
    @MethodSource
    void malformed(String text, String message) {
        assertRejected(
                decode(text), DeadLetterReason.UNDECODABLE, "InfluxDB line protocol: " + message);
    }

    @Test
    void aRecordThatIsNotUtf8IsRefused() {
        byte[] bytes = {'m', 'e', 'm', ' ', 'u', '=', '1', (byte) 0xC3, (byte) 0x28};
        assertRejected(
                TelegrafLine.decode(bytes, NO_RECORD_TIME, SETTINGS),
                DeadLetterReason.UNDECODABLE,
                "InfluxDB line protocol: the record is not UTF-8 text");
        assertRejected(
                TelegrafLine.decode(null, NO_RECORD_TIME, SETTINGS),
                DeadLetterReason.UNDECODABLE,
                "InfluxDB line protocol: the record is empty");
    }

    @Test
    void parseNamesTheLineOfAnError() {
        assertThatThrownBy(() -> TelegrafLine.parse("m f=1\n\nm f=x"))
                .isInstanceOf(TelegrafMetric.Malformed.class)
                .hasMessage(
                        "line 3: the value 'x' of field 'f' is no float, integer (1i), unsigned"
                                + " (1u), boolean or quoted string");
    }

    // ---------------------------------------------------------------- limits

    @Test
    void aLineOfTheMaximumLengthIsReadAndALongerOneIsRefused() {
        String head = "m,host=a s=\"";
        String tail = "\" 1";
        String fits =
                head
                        + "x".repeat(TelegrafLine.MAX_LINE_LENGTH - head.length() - tail.length())
                        + tail;
        assertThat(fits).hasSize(TelegrafLine.MAX_LINE_LENGTH);
        assertThat(TelegrafLine.parse(fits + "\n")).hasSize(1);
        assertRejected(
                decode("m,host=a s=\"x" + fits.substring(head.length())),
                DeadLetterReason.UNDECODABLE,
                "InfluxDB line protocol: line 1: the line is longer than 65536 characters");
        assertRejected(
                decode("#" + "c".repeat(TelegrafLine.MAX_LINE_LENGTH)),
                DeadLetterReason.UNDECODABLE,
                "InfluxDB line protocol: line 1: the line is longer than 65536 characters");
    }

    @Test
    void aRecordOfTheMaximumNumberOfMetricsIsReadAndALargerOneIsRefused() {
        String line = "mem,host=a used=1i " + T_NS + "\n";
        Decoded full = decode(line.repeat(TelegrafLine.MAX_METRICS));
        assertThat(full.readings).hasSize(TelegrafLine.MAX_METRICS);
        assertRejected(
                decode(line.repeat(TelegrafLine.MAX_METRICS + 1)),
                DeadLetterReason.UNDECODABLE,
                "InfluxDB line protocol: line 1001: the record holds more than 1000 metrics");
    }

    @Test
    void vmIdsAndPathsOfTheMaximumLengthAreReadAndLongerOnesRefused() {
        String id = "v".repeat(256);
        assertThat(decode("mem,host=" + id + " used=1i " + T_NS).readings)
                .extracting(r -> r.vmId)
                .containsExactly(id);
        assertRejected(
                decode("mem,host=" + id + "v used=1i " + T_NS),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: mem: tag 'host' is 257 characters long, more than"
                        + " the maximum of 256");
        assertThat(decode("disk,host=a,path=/" + "p".repeat(255) + " used=1i " + T_NS).ok())
                .isTrue();
        assertRejected(
                decode("disk,host=a,path=/" + "p".repeat(256) + " used=1i " + T_NS),
                DeadLetterReason.INVALID,
                "InfluxDB line protocol: line 1: disk: tag 'path' is 257 characters long, more"
                        + " than the maximum of 256");
    }
}
