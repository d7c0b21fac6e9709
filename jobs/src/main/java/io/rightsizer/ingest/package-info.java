/**
 * Telemetry in the formats collectors already send (collectd's write_kafka JSON, Telegraf's Kafka
 * output), decoded into {@link io.rightsizer.ingest.Reading}s and assembled per VM and collection
 * interval into the same samples the native producers send. Nothing here knows Flink or Kafka
 * except the operators that say so in their name.
 */
package io.rightsizer.ingest;
