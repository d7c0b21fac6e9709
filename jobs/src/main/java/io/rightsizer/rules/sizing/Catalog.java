package io.rightsizer.rules.sizing;

import io.rightsizer.rules.format.CatalogParser;
import java.io.Serializable;
import java.util.List;

/**
 * The service catalog ({@code config/catalog.yaml}, documented in rules/README.md, "Target sizes"):
 * the memory and storage sizes that may be allocated, and the utilization a proposed size must keep
 * on the evidence of a recommendation. Immutable and serializable so a Flink operator can carry it.
 * {@link CatalogParser} reports a bad file with every problem; the constructors only refuse what
 * the parser never produces.
 *
 * @param memorySizes the memory sizes in bytes, ascending, each once
 * @param storage the storage sizes: a list, or a step between a minimum and a maximum
 * @param memoryScaleUp the limits a memory scale-up target must meet
 * @param memoryScaleDown the limits a memory scale-down target must meet
 * @param storageUsageAtMostPct the projected usage a storage scale-up target must keep
 * @param majorChangeAbovePct a change of more than this % of the current allocation is major
 *     (Article 22)
 */
public record Catalog(
        List<Long> memorySizes,
        Storage storage,
        MemoryTarget memoryScaleUp,
        MemoryTarget memoryScaleDown,
        double storageUsageAtMostPct,
        double majorChangeAbovePct)
        implements Serializable {

    public static final long GIB = 1L << 30;
    public static final long TIB = 1L << 40;

    public static final MemoryTarget DEFAULT_MEMORY_SCALE_UP = new MemoryTarget(60, 80);
    public static final MemoryTarget DEFAULT_MEMORY_SCALE_DOWN = new MemoryTarget(70, 80);
    public static final double DEFAULT_STORAGE_USAGE_AT_MOST_PCT = 60;
    public static final double DEFAULT_MAJOR_CHANGE_ABOVE_PCT = 50;

    public Catalog {
        memorySizes = List.copyOf(memorySizes);
        checkSizes(memorySizes, "memory");
        if (storage == null || memoryScaleUp == null || memoryScaleDown == null) {
            throw new IllegalArgumentException("storage and both memory targets are required");
        }
        checkPct(storageUsageAtMostPct, "storage usage-at-most-pct");
        checkPct(majorChangeAbovePct, "major-change-above-pct");
    }

    /** The shipped catalog, {@code config/catalog.yaml}. */
    public static Catalog defaults() {
        return new Catalog(
                List.of(
                        GIB, 2 * GIB, 4 * GIB, 8 * GIB, 16 * GIB, 32 * GIB, 64 * GIB, 128 * GIB,
                        256 * GIB),
                new Steps(50 * GIB, 50 * GIB, 16 * TIB),
                DEFAULT_MEMORY_SCALE_UP,
                DEFAULT_MEMORY_SCALE_DOWN,
                DEFAULT_STORAGE_USAGE_AT_MOST_PCT,
                DEFAULT_MAJOR_CHANGE_ABOVE_PCT);
    }

    /** A proposed size must keep the projected weekly average and peak at or below these. */
    public record MemoryTarget(double averageAtMostPct, double peakAtMostPct)
            implements Serializable {
        public MemoryTarget {
            checkPct(averageAtMostPct, "average-at-most-pct");
            checkPct(peakAtMostPct, "peak-at-most-pct");
        }
    }

    /** The storage sizes that may be allocated. */
    public sealed interface Storage extends Serializable permits Sizes, Steps {
        /** The largest storage size of the catalog. */
        long largest();
    }

    /** Storage sizes listed one by one, in bytes, ascending, each once. */
    public record Sizes(List<Long> sizes) implements Storage {
        public Sizes {
            sizes = List.copyOf(sizes);
            checkSizes(sizes, "storage");
        }

        @Override
        public long largest() {
            return sizes.get(sizes.size() - 1);
        }
    }

    /**
     * Storage sizes that are multiples of {@code step} from {@code min} to {@code max} (both
     * inclusive, neither need be a multiple): {@link #smallest()} to {@link #largest()}.
     */
    public record Steps(long step, long min, long max) implements Storage {
        public Steps {
            if (step <= 0 || min <= 0 || max <= 0) {
                throw new IllegalArgumentException("step, min and max must be positive");
            }
            if (Math.floorDiv(max, step) < ceilDiv(min, step)) {
                throw new IllegalArgumentException(
                        "no multiple of " + step + " between " + min + " and " + max);
            }
        }

        /** The smallest multiple of step at or above min. */
        public long smallest() {
            return ceilDiv(min, step) * step;
        }

        /** The largest multiple of step at or below max. */
        @Override
        public long largest() {
            return Math.floorDiv(max, step) * step;
        }

        public static long ceilDiv(long a, long b) {
            return -Math.floorDiv(-a, b);
        }
    }

    private static void checkSizes(List<Long> sizes, String what) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException(what + " sizes must not be empty");
        }
        long previous = 0;
        for (long s : sizes) {
            if (s <= previous) {
                throw new IllegalArgumentException(
                        what + " sizes must be positive, ascending and distinct: " + sizes);
            }
            previous = s;
        }
    }

    private static void checkPct(double v, String what) {
        if (!(v >= 0 && v <= 100)) {
            throw new IllegalArgumentException(what + " must be from 0 to 100, is " + v);
        }
    }
}
