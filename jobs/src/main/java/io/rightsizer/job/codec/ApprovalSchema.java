package io.rightsizer.job.codec;

import io.rightsizer.registry.RegistryClient;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.ConfluentFrame;

/**
 * The Recommendation schema in the schema registry, so the data center reads the approval topic
 * with registry-aware tools: registered under the topic's value subject ({@code <topic>-value},
 * Confluent's TopicNameStrategy, what Kafka Connect's AvroConverter looks up) when the job starts.
 */
public final class ApprovalSchema {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(ApprovalSchema.class);

    /** The id of a job without a registry: the approval topic is in single-object encoding. */
    public static final int NONE = -1;

    private ApprovalSchema() {}

    /** The registry refused the schema or did not answer; the message says which and what to do. */
    public static final class RegistrationException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        RegistrationException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static String subject(String topic) {
        return topic + "-value";
    }

    /**
     * The schema id the approval topic's records carry, {@link #NONE} when {@code registryUrl} is
     * null.
     *
     * @throws RegistrationException saying what the registry answered, when it refuses the schema
     *     or does not answer
     */
    public static int register(String registryUrl, String topic) {
        if (registryUrl == null) {
            return NONE;
        }
        String subject = subject(topic);
        try {
            int id =
                    RegistryClient.of(registryUrl)
                            .register(subject, Recommendation.getClassSchema());
            LOG.info(
                    "approval topic {}: Confluent-framed, schema id {} (subject {} of {})",
                    topic,
                    id,
                    subject,
                    registryUrl);
            return id;
        } catch (RegistryClient.RefusedException e) {
            throw new RegistrationException(
                    e.getMessage()
                            + ": the approval topic's readers could not read what this release"
                            + " writes. Change the subject's compatibility rule, or point "
                            + ConfluentFrame.REGISTRY_KEY
                            + " elsewhere; docs/providers/schema-registry.md",
                    e);
        } catch (RegistryClient.UnavailableException e) {
            throw new RegistrationException(
                    "could not register the approval topic's schema under "
                            + subject
                            + ": the schema registry "
                            + registryUrl
                            + " ("
                            + ConfluentFrame.REGISTRY_KEY
                            + ") did not answer: "
                            + e.getMessage(),
                    e);
        }
    }
}
