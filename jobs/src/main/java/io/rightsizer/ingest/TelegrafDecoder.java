package io.rightsizer.ingest;

/**
 * The decoder {@code ingest.telegraf.format} chooses for a record. With {@code auto} a record whose
 * first byte other than white space (space, tab, CR, LF, form feed, vertical tab) is <code>{</code>
 * is Telegraf JSON, any other record line protocol: a line-protocol measurement name never starts
 * with <code>{</code> in practice, and a JSON record of Telegraf's always does.
 */
public final class TelegrafDecoder {
    private TelegrafDecoder() {}

    /**
     * The readings of one record, or why it is refused.
     *
     * @param recordTimestamp the Kafka record's timestamp (epoch ms) for metrics without one;
     *     negative: none
     */
    public static Decoded decode(
            byte[] value, long recordTimestamp, TelegrafOptions.Settings settings) {
        boolean json =
                switch (settings.format()) {
                    case TelegrafOptions.JSON -> true;
                    case TelegrafOptions.INFLUX -> false;
                    case TelegrafOptions.AUTO -> looksLikeJson(value);
                    default ->
                            throw new IllegalArgumentException(
                                    "format '" + settings.format() + "' was not checked");
                };
        return json
                ? TelegrafJson.decode(value, recordTimestamp, settings)
                : TelegrafLine.decode(value, recordTimestamp, settings);
    }

    /**
     * The name messages give the format of a {@link Reading#format} of Telegraf's ("Telegraf JSON",
     * "InfluxDB line protocol"), for a check made after decoding (e.g. a time ahead of the clock).
     */
    public static String formatName(String readingFormat) {
        return TelegrafJson.FORMAT.equals(readingFormat) ? TelegrafJson.NAME : TelegrafLine.NAME;
    }

    static boolean looksLikeJson(byte[] value) {
        if (value == null) {
            return false;
        }
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '\f' && b != 0x0B) {
                return b == '{';
            }
        }
        return false;
    }
}
