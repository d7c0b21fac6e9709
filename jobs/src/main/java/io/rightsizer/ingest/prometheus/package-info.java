/**
 * {@code rightsizer ingest prometheus}: Prometheus remote write 1.0 received over HTTP, the
 * node_exporter and libvirt exporter series mapped, the values of one VM and one scrape assembled
 * into one sample and produced to the telemetry topic before the request is answered
 * (docs/providers/prometheus.md).
 */
package io.rightsizer.ingest.prometheus;
