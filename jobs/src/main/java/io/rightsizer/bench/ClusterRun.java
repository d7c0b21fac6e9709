package io.rightsizer.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One job on its own MiniCluster, which (unlike a local environment) answers for the job while it
 * runs: its checkpoints' statistics, a checkpoint on request, whether every task is running.
 */
final class ClusterRun implements AutoCloseable {
    private final MiniCluster cluster;

    ClusterRun(Configuration conf, int slots) throws Exception {
        Configuration c = new Configuration(conf);
        c.set(RestOptions.BIND_PORT, "0");
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(c)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
    }

    JobID submit(StreamGraph graph) throws Exception {
        return cluster.submitJob(graph).get().getJobID();
    }

    /** The job's net runtime in ms; it must succeed. */
    long awaitSuccess(JobID job) throws Exception {
        JobResult r = cluster.requestJobResult(job).get();
        if (!r.isSuccess()) {
            throw new IllegalStateException(
                    "bench job failed",
                    r.getSerializedThrowable()
                            .map(t -> t.deserializeError(getClass().getClassLoader()))
                            .orElse(null));
        }
        return r.getNetRuntime();
    }

    /** Waits until every task runs (state restored, sources reading); false at the deadline. */
    boolean awaitRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph g = cluster.getExecutionGraph(job).get();
            boolean all = true;
            for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
                ExecutionState s = v.getExecutionState();
                if (s == ExecutionState.FAILED || s == ExecutionState.CANCELED) {
                    throw new IllegalStateException("bench job " + s + ": " + v.getFailureInfo());
                }
                all &= s == ExecutionState.RUNNING;
            }
            if (all) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** A checkpoint now, and its statistics once the JobManager has them. */
    Checkpoint checkpoint(JobID job, String operator) throws Exception {
        long t0 = System.nanoTime();
        String path = cluster.triggerCheckpoint(job).get(10, TimeUnit.MINUTES);
        double wall = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph g = cluster.getExecutionGraph(job).get();
            CompletedCheckpointStats c =
                    g.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
            if (c != null && path.equals(c.getExternalPath())) {
                long operatorState = 0;
                for (AccessExecutionJobVertex v : g.getVerticesTopologically()) {
                    if (v.getName().contains(operator)) {
                        TaskStateStats t = c.getTaskStateStats(v.getJobVertexId());
                        operatorState += t == null ? 0 : t.getStateSize();
                    }
                }
                return new Checkpoint(
                        path,
                        c.getStateSize(),
                        c.getCheckpointedSize(),
                        operatorState,
                        c.getEndToEndDuration(),
                        wall);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no statistics for checkpoint " + path);
    }

    /** The external path of the job's latest completed checkpoint, also after it ended. */
    String latestCheckpoint(JobID job) throws Exception {
        CompletedCheckpointStats c =
                cluster.getArchivedExecutionGraph(job)
                        .get()
                        .getCheckpointStatsSnapshot()
                        .getHistory()
                        .getLatestCompletedCheckpoint();
        if (c == null) {
            throw new IllegalStateException("job " + job + " completed no checkpoint");
        }
        return c.getExternalPath();
    }

    void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get();
        cluster.requestJobResult(job).get();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }

    /**
     * A completed checkpoint: its full state size, what this checkpoint uploaded (smaller than the
     * state when incremental), the state of the operators whose name matched, its duration.
     */
    record Checkpoint(
            String path,
            long stateBytes,
            long checkpointedBytes,
            long operatorBytes,
            long durationMs,
            double wallSeconds) {}
}
