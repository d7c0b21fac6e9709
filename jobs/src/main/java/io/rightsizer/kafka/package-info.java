/**
 * Kafka client helpers the job and the command line share in production (not the demo's embedded
 * broker, which is {@code io.rightsizer.local}): {@link io.rightsizer.kafka.TopicReader} reads a
 * topic read_committed by assignment, as the data center would.
 */
package io.rightsizer.kafka;
