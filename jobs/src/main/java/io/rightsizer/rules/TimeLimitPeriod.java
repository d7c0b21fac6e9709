package io.rightsizer.rules;

/**
 * One temporary period of a VM's allocation that the regulation limits in time: a temporary
 * expansion (Article 22) or the VM itself as a temporary resource (Article 24), with when each of
 * its notices is due and which were issued. Scheduled by {@link TimeLimits#track}.
 *
 * <p>A Flink POJO (public fields, public no-arg constructor): it is kept in the VM's keyed state.
 */
public class TimeLimitPeriod {
    public static final long NONE = Long.MIN_VALUE;

    /** Article 24 (the whole VM) rather than an Article 22 expansion. */
    public boolean temporaryResource;

    public long from;

    /** Exclusive end. */
    public long until;

    /** Expansions: what is added (0 when nothing); 0 for a temporary resource. */
    public long memoryBytes;

    public long storageBytes;
    public String reason;

    /** When the first inventory record listing this period was received. */
    public long receivedAt;

    /** {@code from} plus the limit (3 or 6 calendar months) in the calendar zone. */
    public long limitEnd;

    /** When each notice is due, NONE when it has none. */
    public long tooLongAt = NONE;

    public long endingAt = NONE;
    public long overAt = NONE;

    /** Bits of {@link TimeLimits#TOO_LONG}, {@link TimeLimits#ENDING}, {@link TimeLimits#OVER}. */
    public int issued;

    public TimeLimitPeriod() {}

    boolean sameAs(TimeLimitPeriod o) {
        return temporaryResource == o.temporaryResource && from == o.from && until == o.until;
    }
}
