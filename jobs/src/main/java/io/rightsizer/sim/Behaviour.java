package io.rightsizer.sim;

import java.util.Optional;

/** What the simulator planted on a VM (or, for {@link #NO_BUSINESS}, on a whole system). */
public enum Behaviour {
    /** Memory 72–79.5 %: every judged week averages above 70 % without a single peak above 80. */
    BUSY("busy"),
    /** Memory ~50 % with bursts that cross 80 % three times within 20–40 minutes. */
    PEAKY("peaky"),
    /** Storage jumps from at most 68.5 % to at least 75 % at a planted instant. */
    STORAGE_FULL("storage-full"),
    /** Memory 15–25 %, CPU above the idle threshold. */
    UNDERUSED("underused"),
    /** STOPPED without memory readings from a planted instant to the end. */
    STOPPED("stopped"),
    /** RUNNING with CPU 0.5–4.5 % from a planted instant to the end. */
    IDLE("idle"),
    /** A member of (or, as a subject, the) system that stops producing business records. */
    NO_BUSINESS("no-business"),
    /** Memory 40–60 %, storage 30–50 %, CPU 10–60 %: triggers nothing. */
    NORMAL("normal");

    private final String id;

    Behaviour(String id) {
        this.id = id;
    }

    /** The name used in the ground-truth file. */
    public String id() {
        return id;
    }

    public static Optional<Behaviour> byId(String id) {
        for (Behaviour b : values()) {
            if (b.id.equals(id)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
