package io.rightsizer.job.codec;

/**
 * What the job's Kafka deserializers do with a failure nobody foresaw: a deserializer that throws
 * fails the job, which restarts into the same record forever, so each one catches every {@link
 * Throwable} a record can cause and turns it into that record's rejection with this message.
 *
 * <p>That includes {@link OutOfMemoryError} and {@link StackOverflowError}: decoding is bounded (no
 * allocation larger than the record), so one that still happens was asked for by the record. Other
 * {@link VirtualMachineError}s ({@link InternalError}, {@link UnknownError}) say the JVM is broken,
 * not the record: they are rethrown, and Flink restarts the task elsewhere. So is the interruption
 * of a wait for the schema registry (the task is cancelled).
 */
final class Deserializers {
    private Deserializers() {}

    static String unforeseen(String record, Throwable t) {
        if (t instanceof io.rightsizer.registry.RegistryClient.WaitInterruptedException w) {
            // The task is being cancelled while it waited for the schema registry: the record
            // was not read, and a rejection would say it was bad.
            throw w;
        }
        if (t instanceof VirtualMachineError
                && !(t instanceof OutOfMemoryError || t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
        return "decoding the " + record + " failed: " + t;
    }
}
