package io.rightsizer.rules;

/** What became of a sample offered to an evaluator. */
public enum Admission {
    /** Buffered; it is evaluated once the watermark passes its timestamp. */
    ACCEPTED,
    /** Same subject and timestamp as a sample already accepted: ignored (a producer retry). */
    DUPLICATE,
    /** At or behind the watermark when it arrived: changes nothing, goes to the dead letters. */
    LATE
}
