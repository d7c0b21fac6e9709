package io.rightsizer.history;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.influxdb.InfluxDBException;

/** How InfluxDB 1.x says that it refused points for good, and how many. */
final class InfluxRefusals {
    private static final Pattern DROPPED = Pattern.compile("dropped=(\\d+)");
    private static final String UNPARSABLE = "unable to parse '";

    private InfluxRefusals() {}

    /**
     * A write the server answered with a client error that the same request would get again.
     * "partial write" is how InfluxDB reports that it stored some lines and refused others.
     */
    static boolean refusedForGood(InfluxDBException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("partial write")
                || e instanceof InfluxDBException.FieldTypeConflictException
                || e instanceof InfluxDBException.UnableToParseException
                || e instanceof InfluxDBException.PointsBeyondRetentionPolicyException
                || e instanceof InfluxDBException.AuthorizationFailedException
                || e instanceof InfluxDBException.DatabaseNotFoundException;
    }

    /**
     * How many points of a refused batch the server did not store. InfluxDB 1.x stores what it can
     * and says "partial write: " followed by one "unable to parse '...'" per line it could not
     * parse (these are not in its count) and "dropped=N" for parsed points it refused (a field type
     * conflict, outside the retention policy). Without "partial write" nothing was stored.
     */
    static int notTaken(String message, int batchSize) {
        if (!message.contains("partial write")) {
            return batchSize;
        }
        long refused = 0;
        for (int i = message.indexOf(UNPARSABLE); i >= 0; i = message.indexOf(UNPARSABLE, i + 1)) {
            refused++;
        }
        // The last one: a quoted unparsable line may itself contain "dropped=".
        Matcher m = DROPPED.matcher(message);
        String count = null;
        while (m.find()) {
            count = m.group(1);
        }
        if (count != null) {
            try {
                refused += Long.parseLong(count);
            } catch (NumberFormatException e) {
                return batchSize;
            }
        } else if (refused == 0) {
            return batchSize;
        }
        return (int) Math.min(batchSize, refused);
    }
}
