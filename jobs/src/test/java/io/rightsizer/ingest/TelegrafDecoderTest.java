package io.rightsizer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rightsizer.schema.DeadLetterReason;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The format choice of {@code ingest.telegraf.format}, and the two formats against each other: for
 * random mem, disk and cpu values, the line-protocol and JSON records Telegraf would write give the
 * same readings, and exactly the ones the mapping promises.
 */
class TelegrafDecoderTest {
    static final TelegrafOptions.Settings AUTO = TelegrafOptions.Settings.defaults();
    static final long T_MS = 1_700_000_000_000L;
    static final String LINE = "mem,host=a used=1i 1700000000000000000\n";
    static final String JSON =
            "{\"fields\":{\"used\":1},\"name\":\"mem\",\"tags\":{\"host\":\"a\"},"
                    + "\"timestamp\":1700000000}\n";

    static Decoded decode(String record, TelegrafOptions.Settings settings) {
        return TelegrafDecoder.decode(record.getBytes(StandardCharsets.UTF_8), -1, settings);
    }

    // ---------------------------------------------------------------- format choice

    @Test
    void autoReadsARecordStartingWithABraceAsJsonAndAnyOtherAsLineProtocol() {
        assertThat(decode(JSON, AUTO).readings)
                .extracting(r -> r.format)
                .containsExactly(TelegrafJson.FORMAT);
        assertThat(decode(" \t\r\n" + JSON, AUTO).readings)
                .extracting(r -> r.format)
                .containsExactly(TelegrafJson.FORMAT);
        assertThat(decode(LINE, AUTO).readings)
                .extracting(r -> r.format)
                .containsExactly(TelegrafLine.FORMAT);
        assertThat(decode("# comment\n" + LINE, AUTO).readings)
                .extracting(r -> r.format)
                .containsExactly(TelegrafLine.FORMAT);
        assertThat(decode("[" + JSON + "]", AUTO).message)
                .startsWith("InfluxDB line protocol: line 1: expected '=' after tag key");
    }

    @Test
    void autoReadsAnEmptyRecordAsLineProtocol() {
        Decoded d = TelegrafDecoder.decode(null, -1, AUTO);
        assertThat(d.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(d.message).isEqualTo("InfluxDB line protocol: the record is empty");
        assertThat(decode("  \n", AUTO).message)
                .isEqualTo(
                        "InfluxDB line protocol: the record holds no metric, only blank or"
                                + " comment lines");
    }

    @Test
    void aConfiguredFormatIsUsedForEveryRecord() {
        TelegrafOptions.Settings json = AUTO.withFormat(TelegrafOptions.JSON);
        TelegrafOptions.Settings influx = AUTO.withFormat(TelegrafOptions.INFLUX);
        assertThat(decode(JSON, json).readings).hasSize(1);
        assertThat(decode(LINE, influx).readings).hasSize(1);
        assertThat(decode(LINE, json).message)
                .startsWith("Telegraf JSON: not valid JSON: Unrecognized token 'mem'");
        assertThat(decode(JSON, influx).message)
                .startsWith("InfluxDB line protocol: line 1: expected '=' after tag key");
    }

    @Test
    void formatNamesForMessagesAfterDecoding() {
        assertThat(TelegrafDecoder.formatName(TelegrafJson.FORMAT)).isEqualTo("Telegraf JSON");
        assertThat(TelegrafDecoder.formatName(TelegrafLine.FORMAT))
                .isEqualTo("InfluxDB line protocol");
    }

    // ---------------------------------------------------------------- both formats alike

    /** One metric as Telegraf holds it, before either serializer writes it. */
    record Metric(String name, Map<String, String> tags, Map<String, Object> fields) {}

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final long[] UNITS = {1, 1_000, 1_000_000, 1_000_000_000};

    @Test
    void lineProtocolAndJsonOfTheSameMetricsGiveTheSameReadings() throws Exception {
        Random random = new Random(13);
        for (int round = 0; round < 300; round++) {
            String vm = name(random, 1 + random.nextInt(20));
            // round_interval: collections on 10 s boundaries from 2001 to 2286
            long seconds = 1_000_000_000L + 10L * random.nextInt(800_000_000);
            long unit = UNITS[random.nextInt(UNITS.length)];
            List<Metric> metrics = new ArrayList<>();
            List<Reading> expected = new ArrayList<>();
            long ms = seconds * 1000;

            Map<String, Object> mem = new LinkedHashMap<>();
            long total = 1 + (random.nextLong() >>> 12);
            long used = Math.floorMod(random.nextLong(), total);
            double pct = 100.0 * used / total;
            mem.put("used", used);
            boolean withTotal = random.nextBoolean();
            if (withTotal) {
                mem.put("total", total);
            }
            mem.put("used_percent", pct);
            mem.put("free", total - used);
            metrics.add(new Metric("mem", Map.of("host", vm), mem));
            expected.add(expect(vm, ms, Quantity.MEMORY_USED_BYTES, "", used));
            if (withTotal) {
                expected.add(expect(vm, ms, Quantity.MEMORY_TOTAL_BYTES, "", total));
            } else {
                expected.add(expect(vm, ms, Quantity.MEMORY_USED_PCT, "", pct));
            }

            int disks = 1 + random.nextInt(3);
            for (int i = 0; i < disks; i++) {
                String path = "/" + name(random, random.nextInt(12)) + i;
                long size = 1 + (random.nextLong() >>> 14);
                long taken = Math.floorMod(random.nextLong(), size);
                Map<String, Object> disk = new LinkedHashMap<>();
                disk.put("free", size - taken);
                disk.put("total", size);
                disk.put("used", taken);
                disk.put("used_percent", 100.0 * taken / size);
                disk.put("inodes_used", (long) random.nextInt(1_000_000));
                Map<String, String> tags = new LinkedHashMap<>();
                tags.put("device", "sd" + (char) ('a' + i));
                tags.put("fstype", "ext4");
                tags.put("host", vm);
                tags.put("mode", "rw");
                tags.put("path", path);
                metrics.add(new Metric("disk", tags, disk));
                expected.add(expect(vm, ms, Quantity.STORAGE_USED_BYTES, path, taken));
                expected.add(expect(vm, ms, Quantity.STORAGE_TOTAL_BYTES, path, size));
            }

            double idle = random.nextInt(10_001) / 100.0;
            for (String cpu : List.of("cpu0", "cpu-total")) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("usage_idle", cpu.equals("cpu0") ? 100 - idle : idle);
                f.put("usage_user", 100 - idle);
                metrics.add(new Metric("cpu", Map.of("cpu", cpu, "host", vm), f));
            }
            expected.add(expect(vm, ms, Quantity.CPU_IDLE_PCT, "", idle));
            metrics.add(new Metric("swap", Map.of("host", vm), Map.of("total", (Object) 1L)));

            TelegrafOptions.Settings settings = AUTO.withJsonTimestampUnits(Duration.ofNanos(unit));
            String seed = "round " + round + ", vm '" + vm + "', unit " + unit + " ns";

            // one record per metric, as Telegraf's Kafka output writes them
            List<Reading> fromLines = new ArrayList<>();
            List<Reading> fromJson = new ArrayList<>();
            int ignoredLines = 0;
            int ignoredJson = 0;
            StringBuilder allLines = new StringBuilder();
            ArrayNode batch = MAPPER.createArrayNode();
            for (Metric m : metrics) {
                String line = line(m, seconds * 1_000_000_000L, random);
                allLines.append(line);
                Decoded l = decode(line, settings);
                assertThat(l.ok()).as("%s: %s", seed, l).isTrue();
                fromLines.addAll(l.readings);
                ignoredLines += l.ignored;

                ObjectNode o = json(m, seconds * 1_000_000_000L / unit);
                batch.add(o);
                Decoded j = decode(MAPPER.writeValueAsString(o) + "\n", settings);
                assertThat(j.ok()).as("%s: %s", seed, j).isTrue();
                fromJson.addAll(j.readings);
                ignoredJson += j.ignored;
            }
            assertThat(fromLines)
                    .as(seed)
                    .containsExactlyElementsOf(as(expected, TelegrafLine.FORMAT));
            assertThat(fromJson)
                    .as(seed)
                    .containsExactlyElementsOf(as(expected, TelegrafJson.FORMAT));
            assertThat(ignoredLines).as(seed).isEqualTo(2);
            assertThat(ignoredJson).as(seed).isEqualTo(2);

            // and all of them in one record: several lines, the batch form
            Decoded lines = decode(allLines.toString(), settings);
            assertThat(lines.readings).as(seed).containsExactlyElementsOf(fromLines);
            ObjectNode b = MAPPER.createObjectNode();
            b.set("metrics", batch);
            Decoded json = decode(MAPPER.writeValueAsString(b), settings);
            assertThat(json.readings).as(seed).containsExactlyElementsOf(fromJson);
        }
    }

    static Reading expect(String vm, long ts, Quantity q, String instance, double value) {
        return Reading.of(vm, ts, 10_000, "", q, instance, value);
    }

    static List<Reading> as(List<Reading> readings, String format) {
        return readings.stream()
                .map(
                        r ->
                                Reading.of(
                                        r.vmId,
                                        r.timestamp,
                                        r.intervalMillis,
                                        format,
                                        r.quantity,
                                        r.instance,
                                        r.value))
                .toList();
    }

    /**
     * A name with every character line protocol escapes, and others. A backslash is followed by a
     * letter: before a comma, equals sign, space or another backslash, or at the end, line protocol
     * cannot carry it (Telegraf's serializer drops a trailing one).
     */
    static String name(Random random, int length) {
        String chars = "abcxyzABC0129-_.:/ ,=\"'é日\\";
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            char c = chars.charAt(random.nextInt(chars.length()));
            b.append(c);
            if (c == '\\') {
                b.append((char) ('a' + random.nextInt(26)));
            }
        }
        return b.toString();
    }

    /** The metric as Telegraf's influx serializer writes it (plugins/serializers/influx). */
    static String line(Metric m, long nanos, Random random) {
        StringBuilder b = new StringBuilder(m.name().replace(",", "\\,").replace(" ", "\\ "));
        m.tags().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        t ->
                                b.append(',')
                                        .append(escape(t.getKey()))
                                        .append('=')
                                        .append(escape(t.getValue())));
        b.append(' ');
        boolean first = true;
        for (Map.Entry<String, Object> f : m.fields().entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(escape(f.getKey())).append('=');
            Object v = f.getValue();
            if (v instanceof Long l) {
                b.append(l).append(random.nextBoolean() ? 'i' : 'u');
            } else {
                double d = (Double) v;
                // Telegraf writes floats without exponent (strconv 'f'); Java's form has one
                b.append(
                        random.nextBoolean()
                                ? BigDecimal.valueOf(d).toPlainString()
                                : Double.toString(d));
            }
        }
        return b.append(' ').append(nanos).append('\n').toString();
    }

    static String escape(String s) {
        return s.replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ");
    }

    /** The metric as Telegraf's JSON serializer writes it (plugins/serializers/json). */
    static ObjectNode json(Metric m, long timestamp) {
        ObjectNode o = MAPPER.createObjectNode();
        ObjectNode fields = o.putObject("fields");
        m.fields()
                .forEach(
                        (k, v) -> {
                            if (v instanceof Long l) {
                                fields.put(k, l);
                            } else {
                                fields.put(k, (Double) v);
                            }
                        });
        o.put("name", m.name());
        ObjectNode tags = o.putObject("tags");
        m.tags().forEach(tags::put);
        o.put("timestamp", timestamp);
        return o;
    }
}
