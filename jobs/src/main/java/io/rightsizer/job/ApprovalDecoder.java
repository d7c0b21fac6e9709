package io.rightsizer.job;

import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.telemetry.SingleObject;
import org.apache.kafka.common.header.Headers;

/**
 * Reads a record of the approval or notices topic as what its topic carries, else as the other
 * kind: either topic may carry both, since where notices go is the job's configuration. The reason
 * given for a record that is neither is the one of its topic's kind. One reader for {@code
 * rightsizer tail} and the approval console.
 */
public final class ApprovalDecoder {
    private static final SingleObject.Reader<Recommendation> RECOMMENDATIONS =
            SingleObject.reader(Recommendation.class);
    private static final SingleObject.Reader<TimeLimitNotice> NOTICES =
            SingleObject.reader(TimeLimitNotice.class);

    private final String recommendationsTopic;

    public ApprovalDecoder(String recommendationsTopic) {
        this.recommendationsTopic = recommendationsTopic;
    }

    /** A {@link Recommendation} or a {@link TimeLimitNotice}. */
    public Object decode(String topic, byte[] value) {
        return decode(topic, value, null);
    }

    /**
     * As above, reading a newer writer schema from the record's headers.
     *
     * @throws IllegalArgumentException naming the format and the problem
     */
    public Object decode(String topic, byte[] value, Headers headers) {
        boolean recommendationsFirst = topic.equals(recommendationsTopic);
        try {
            return recommendationsFirst ? recommendation(value, headers) : notice(value, headers);
        } catch (IllegalArgumentException first) {
            try {
                return recommendationsFirst
                        ? notice(value, headers)
                        : recommendation(value, headers);
            } catch (IllegalArgumentException second) {
                throw first;
            }
        }
    }

    private static Recommendation recommendation(byte[] value, Headers headers) {
        return SingleObject.decode(RECOMMENDATIONS, value, headers, "Recommendation");
    }

    private static TimeLimitNotice notice(byte[] value, Headers headers) {
        return SingleObject.decode(NOTICES, value, headers, "TimeLimitNotice");
    }
}
