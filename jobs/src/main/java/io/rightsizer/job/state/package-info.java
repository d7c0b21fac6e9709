/**
 * Hand-written serializers for the keyed state of vm-rules: what RocksDB reads and writes on every
 * sample, so its cost is paid per sample; each reads what Flink's POJO serializer wrote before it.
 */
package io.rightsizer.job.state;
