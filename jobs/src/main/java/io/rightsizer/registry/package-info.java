/**
 * A schema registry's Confluent-compatible REST API, as the job uses it: writer schemas of
 * Confluent-framed records by id ({@link io.rightsizer.telemetry.ConfluentFrame}), and the
 * registration of the approval topic's schema. docs/providers/schema-registry.md
 */
package io.rightsizer.registry;
