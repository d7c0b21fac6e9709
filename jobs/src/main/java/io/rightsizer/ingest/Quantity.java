package io.rightsizer.ingest;

/**
 * What a collector's value measures, in the vocabulary the interval assembly merges: each decoder
 * (collectd, Telegraf) maps its own metric names to these, and one piece of code turns the
 * quantities of one VM and one collection interval into one sample. The {@link Reading#instance}
 * tells apart several values of one quantity (a file system, a disk, a memory state, a CPU).
 */
public enum Quantity {
    /** Memory the guest uses, bytes (collectd memory/used, Telegraf mem.used). */
    MEMORY_USED_BYTES,
    /**
     * One part of the memory that is not "used", bytes, instance = the state (collectd's memory
     * plugin: free, buffered, cached, slab_recl, slab_unrecl): used plus every part is the total.
     */
    MEMORY_PART_BYTES,
    /** The memory the VM has, bytes (Telegraf mem.total, the virt plugin's memory). */
    MEMORY_TOTAL_BYTES,
    /** Memory of the total the guest does not use, bytes (the virt plugin's balloon "unused"). */
    MEMORY_UNUSED_BYTES,
    /** Used memory as a percentage of the total, 0 to 100 (collectd percent/used). */
    MEMORY_USED_PCT,
    /** Used bytes of one file system or disk, instance = its name. */
    STORAGE_USED_BYTES,
    /** Free bytes of one file system, instance = its name. */
    STORAGE_FREE_BYTES,
    /** Bytes of one file system reserved for the superuser, instance = its name. */
    STORAGE_RESERVED_BYTES,
    /** Size of one file system or disk, bytes, instance = its name. */
    STORAGE_TOTAL_BYTES,
    /** Used share of one file system, 0 to 100, instance = its name. */
    STORAGE_USED_PCT,
    /** Idle share of one CPU (or of all, instance ""), 0 to 100. */
    CPU_IDLE_PCT,
    /** The VM's power state: 1 running, 0 stopped (the virt plugin's domain state). */
    POWER_STATE
}
