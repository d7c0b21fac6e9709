package io.rightsizer.rules.sizing;

import io.rightsizer.i18n.Messages;
import io.rightsizer.rules.Percent;
import io.rightsizer.rules.format.RuleSetParser;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Target sizes from the service catalog, computed on a recommendation's evidence (rules/README.md,
 * "Target sizes", says exactly how). Pure functions of the catalog and their arguments.
 */
public final class Sizing implements Serializable {
    private final Catalog catalog;
    private final Messages messages;

    /** Writing its reasons in English. */
    public Sizing(Catalog catalog) {
        this(catalog, Messages.ENGLISH);
    }

    /**
     * Writing the proposals' reasons, and the reasons of the recommendations sized with it ({@link
     * Recommendations}), in the language of {@code messages}.
     */
    public Sizing(Catalog catalog, Messages messages) {
        this.catalog = catalog;
        this.messages = java.util.Objects.requireNonNull(messages, "messages");
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The language of the reasons. */
    public Messages messages() {
        return messages;
    }

    /** What a resize is. */
    public enum Kind {
        MEMORY_UP,
        MEMORY_DOWN,
        STORAGE_UP
    }

    /**
     * A proposed size, or none.
     *
     * @param proposedBytes the proposed size in bytes; null when no catalog size fits
     * @param projectedAveragePct memory: the weekly average at the proposed size; else null
     * @param projectedPeakPct memory: the weekly peak at the proposed size; else null
     * @param projectedUsagePct storage: the usage at the proposed size; else null
     * @param changePct |proposed − current| / current × 100; null when none is proposed
     * @param majorChange changePct is above the catalog's major-change-above-pct (Article 22)
     * @param reason the proposal with its projection, or why there is none
     */
    public record Proposal(
            Kind kind,
            long currentBytes,
            Long proposedBytes,
            Double projectedAveragePct,
            Double projectedPeakPct,
            Double projectedUsagePct,
            Double changePct,
            boolean majorChange,
            String reason)
            implements Serializable {

        public boolean proposed() {
            return proposedBytes != null;
        }
    }

    /**
     * The projected utilization at {@code size} of what is {@code pct} % of {@code current}: {@code
     * pct × current / size} in double arithmetic (mathematically used / size × 100 with used = pct
     * × current / 100).
     */
    public static double projectedPct(double pct, long current, long size) {
        return pct * current / size;
    }

    /**
     * The smallest catalog memory size above {@code currentBytes} at which the projected weekly
     * average and peak are at or below the memory scale-up limits.
     */
    public Proposal memoryUp(long currentBytes, double averagePct, double peakPct) {
        check(currentBytes, averagePct, peakPct);
        Catalog.MemoryTarget t = catalog.memoryScaleUp();
        List<Long> sizes = catalog.memorySizes();
        long largest = sizes.get(sizes.size() - 1);
        if (largest <= currentBytes) {
            return none(
                    Kind.MEMORY_UP,
                    currentBytes,
                    messages.get("sizing.memory-none-larger", ByteSize.format(currentBytes)));
        }
        for (long s : sizes) {
            if (s > currentBytes && memoryFits(t, currentBytes, averagePct, peakPct, s)) {
                return memory(Kind.MEMORY_UP, t, currentBytes, averagePct, peakPct, s);
            }
        }
        return none(
                Kind.MEMORY_UP,
                currentBytes,
                messages.get(
                        "sizing.none-up-to",
                        ByteSize.format(largest),
                        failing(t, currentBytes, averagePct, peakPct, largest)));
    }

    /**
     * The smallest catalog memory size below {@code currentBytes} at which the projected weekly
     * peak and average are at or below the memory scale-down limits.
     */
    public Proposal memoryDown(long currentBytes, double averagePct, double peakPct) {
        check(currentBytes, averagePct, peakPct);
        Catalog.MemoryTarget t = catalog.memoryScaleDown();
        List<Long> sizes = catalog.memorySizes();
        if (sizes.get(0) >= currentBytes) {
            return none(
                    Kind.MEMORY_DOWN,
                    currentBytes,
                    messages.get("sizing.memory-none-smaller", ByteSize.format(currentBytes)));
        }
        long nearest = 0;
        for (long s : sizes) {
            if (s >= currentBytes) {
                break;
            }
            if (memoryFits(t, currentBytes, averagePct, peakPct, s)) {
                return memory(Kind.MEMORY_DOWN, t, currentBytes, averagePct, peakPct, s);
            }
            nearest = s;
        }
        return none(
                Kind.MEMORY_DOWN,
                currentBytes,
                messages.get(
                        "sizing.none-below",
                        ByteSize.format(currentBytes),
                        failing(t, currentBytes, averagePct, peakPct, nearest)));
    }

    /**
     * The smallest catalog storage size above {@code currentBytes} at which the projected usage is
     * at or below the storage limit.
     */
    public Proposal storageUp(long currentBytes, double usagePct) {
        check(currentBytes, usagePct, usagePct);
        double limit = catalog.storageUsageAtMostPct();
        Catalog.Storage storage = catalog.storage();
        long largest = storage.largest();
        if (largest <= currentBytes) {
            return none(
                    Kind.STORAGE_UP,
                    currentBytes,
                    messages.get("sizing.storage-none-larger", ByteSize.format(currentBytes)));
        }
        if (projectedPct(usagePct, currentBytes, largest) > limit) {
            return none(
                    Kind.STORAGE_UP,
                    currentBytes,
                    messages.get(
                            "sizing.storage-none-up-to",
                            ByteSize.format(largest),
                            RuleSetParser.fmt(limit)));
        }
        // The largest size fits, and the projection falls as the size grows, so a size fits.
        long proposed =
                storage instanceof Catalog.Steps st
                        ? smallestStep(st, currentBytes, usagePct, limit)
                        : smallestListed((Catalog.Sizes) storage, currentBytes, usagePct, limit);
        double usage = projectedPct(usagePct, currentBytes, proposed);
        return proposal(
                Kind.STORAGE_UP,
                currentBytes,
                proposed,
                null,
                null,
                usage,
                messages.get(
                        "sizing.storage",
                        ByteSize.format(proposed),
                        messages.decimal(usage),
                        RuleSetParser.fmt(limit)));
    }

    private static long smallestListed(
            Catalog.Sizes l, long current, double usagePct, double limit) {
        for (long s : l.sizes()) {
            if (s > current && projectedPct(usagePct, current, s) <= limit) {
                return s;
            }
        }
        throw new IllegalStateException("the largest size fits");
    }

    /**
     * The smallest multiple k·step with k from kLow (the first multiple at or above min and above
     * current) to kHigh (the last at or below max) whose projection is at or below the limit, given
     * that kHigh's is. The estimate from the inequality is checked against the projection as
     * computed, so rounding can move it by a step, never further.
     */
    private static long smallestStep(
            Catalog.Steps st, long current, double usagePct, double limit) {
        long step = st.step();
        long kLow = Math.max(Catalog.Steps.ceilDiv(st.min(), step), current / step + 1);
        long kHigh = st.largest() / step;
        if (projectedPct(usagePct, current, kLow * step) <= limit) {
            return kLow * step;
        }
        // Not at kLow, so limit > 0 and usagePct > 0: size >= usagePct · current / limit.
        double needed = usagePct * current / limit;
        long k = (long) Math.min((double) kHigh, Math.max((double) kLow, Math.ceil(needed / step)));
        while (k > kLow && projectedPct(usagePct, current, (k - 1) * step) <= limit) {
            k--;
        }
        while (projectedPct(usagePct, current, k * step) > limit) {
            k++;
        }
        return k * step;
    }

    private static boolean memoryFits(
            Catalog.MemoryTarget t, long current, double averagePct, double peakPct, long size) {
        return projectedPct(averagePct, current, size) <= t.averageAtMostPct()
                && projectedPct(peakPct, current, size) <= t.peakAtMostPct();
    }

    /** The limits the projection at {@code size} breaks, for the reason. */
    private String failing(
            Catalog.MemoryTarget t, long current, double averagePct, double peakPct, long size) {
        List<String> out = new ArrayList<>();
        if (projectedPct(averagePct, current, size) > t.averageAtMostPct()) {
            out.add(
                    messages.get(
                            "sizing.failing-average", RuleSetParser.fmt(t.averageAtMostPct())));
        }
        if (projectedPct(peakPct, current, size) > t.peakAtMostPct()) {
            out.add(messages.get("sizing.failing-peak", RuleSetParser.fmt(t.peakAtMostPct())));
        }
        return out.size() == 2
                ? messages.get("sizing.failing-both", out.get(0), out.get(1))
                : String.join("", out);
    }

    private Proposal memory(
            Kind kind,
            Catalog.MemoryTarget t,
            long current,
            double averagePct,
            double peakPct,
            long size) {
        double avg = projectedPct(averagePct, current, size);
        double peak = projectedPct(peakPct, current, size);
        return proposal(
                kind,
                current,
                size,
                avg,
                peak,
                null,
                messages.get(
                        "sizing.memory",
                        ByteSize.format(size),
                        messages.decimal(avg),
                        RuleSetParser.fmt(t.averageAtMostPct()),
                        messages.decimal(peak),
                        RuleSetParser.fmt(t.peakAtMostPct())));
    }

    private Proposal proposal(
            Kind kind,
            long current,
            long size,
            Double avg,
            Double peak,
            Double usage,
            String reason) {
        long change = Math.abs(size - current);
        double changePct = Percent.of(change, current);
        boolean major = changePct > catalog.majorChangeAbovePct();
        if (major) {
            reason +=
                    messages.get(
                            "sizing.major-change",
                            ByteSize.format(change),
                            RuleSetParser.fmt(catalog.majorChangeAbovePct()),
                            ByteSize.format(current));
        }
        return new Proposal(kind, current, size, avg, peak, usage, changePct, major, reason);
    }

    private static Proposal none(Kind kind, long current, String reason) {
        return new Proposal(kind, current, null, null, null, null, null, false, reason);
    }

    private static void check(long currentBytes, double pct1, double pct2) {
        if (currentBytes <= 0) {
            throw new IllegalArgumentException(
                    "the current allocation must be positive, is " + currentBytes);
        }
        if (!(pct1 >= 0 && pct2 >= 0 && Double.isFinite(pct1) && Double.isFinite(pct2))) {
            throw new IllegalArgumentException(
                    "utilization must be a finite percentage >= 0, is " + pct1 + ", " + pct2);
        }
    }
}
