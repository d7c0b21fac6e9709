/**
 * What crosses Kafka and the replay files: the deserializers (a record that cannot be used becomes
 * a dead letter naming the format and the problem), the serializers and the approval schema.
 */
package io.rightsizer.job.codec;
