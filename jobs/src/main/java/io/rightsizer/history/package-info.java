/**
 * The utilization history in InfluxDB (issue #5): what the job writes, and how it keeps InfluxDB
 * from ever slowing it down.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link io.rightsizer.history.HistoryLines}: records to line protocol (ms precision), one
 *       function per measurement ({@code vm_hourly}, {@code vm_weekly}, {@code recommendations},
 *       {@code dead_letters}, {@code data_quality}).
 *   <li>{@link io.rightsizer.history.DeadLetterCounts}: dead letters per reason and processing-time
 *       interval, keyed by reason.
 *   <li>{@link io.rightsizer.history.InfluxHistorySink}: a Sink V2 of lines, one {@link
 *       io.rightsizer.history.InfluxWriter} (bounded buffer, one sender thread) per subtask.
 *   <li>{@link io.rightsizer.history.InfluxSettings}: where and how, with the defaults.
 * </ul>
 *
 * <h2>Semantics, to the millisecond</h2>
 *
 * <ul>
 *   <li>Point times are epoch milliseconds: {@code vm_hourly} at the hour's first millisecond,
 *       {@code vm_weekly} at the week's Monday 00:00 in the rule set's zone, {@code
 *       recommendations} at {@code firedAt}, {@code data_quality} at {@code detectedAt}, {@code
 *       dead_letters} at the end of the processing-time interval {@code [k×i, (k+1)×i)} that
 *       counted them ({@code i} = influxdb.dead-letter-interval, a minute by default; a dead letter
 *       at exactly {@code (k+1)×i} belongs to the next interval). An interval without dead letters
 *       of a reason writes no point.
 *   <li>The end of a bounded input (watermark {@code Long.MAX_VALUE}) writes the dead-letter count
 *       of the minute in progress at that minute's end.
 *   <li>Absent values: a null or empty tag and an unknown optional field are left out, never
 *       written as 0; NaN and infinities are left out (the line protocol has none). Floats always
 *       carry a decimal point, integers the {@code i} suffix, so a field's type never changes.
 *   <li>Reminders ({@code reminder} = true) are not written: they re-send an earlier
 *       recommendation.
 *   <li>Delivery is at most once and idempotent: the same record always gives the same point
 *       (measurement, tags, time), which InfluxDB overwrites, so a replay after a restore rewrites
 *       what a failure lost, without duplicates.
 * </ul>
 *
 * <h2>When InfluxDB is slow or down</h2>
 *
 * <ul>
 *   <li>{@code offer} never blocks. A subtask holds at most {@code bufferCapacity} points (queued
 *       and in flight); a point beyond that is dropped and counted, the newest first (what is
 *       buffered is kept).
 *   <li>A failed request is retried after {@code retryBackoff}, doubling, capped at 30 s, up to
 *       {@code maxRetries} times; then the batch is dropped and counted. Refusals a retry cannot
 *       fix (partial write, field type conflict, unparsable line, outside the retention policy,
 *       authorization, a missing database when {@code createDatabase} is off) drop the refused
 *       points at once (InfluxDB stores the rest of the batch; its "partial write" message names
 *       each unparsable line and counts the other refused points as "dropped=N"). Tag values with a
 *       line break, a control character or a trailing backslash have those characters replaced by
 *       U+FFFD, so one bad identifier cannot make a whole batch unparsable.
 *   <li>A checkpoint never waits for InfluxDB. The end of a bounded input waits up to {@code
 *       drainTimeout}; what is still buffered then is dropped and counted, and the job finishes.
 *   <li>Logs: WARN at the first failure, then at most once a minute with running totals; INFO when
 *       writes succeed again. Metrics per subtask: {@code rightsizer.influxdb.points_written},
 *       {@code points_dropped}, {@code write_failures} (one per failed HTTP request) and the gauge
 *       {@code buffered_points}.
 * </ul>
 */
package io.rightsizer.history;
