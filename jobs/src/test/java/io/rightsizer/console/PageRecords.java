package io.rightsizer.console;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.Resource;
import io.rightsizer.schema.TimeLimitNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The records the console's tests show: named instants, ids and values. */
final class PageRecords {
    static final Instant WEEK_START = Instant.parse("2026-03-01T16:00:00Z");
    static final Instant WEEK_END = Instant.parse("2026-03-08T16:00:00Z");
    static final Instant OLD_OPENED = Instant.parse("2026-03-08T16:05:00Z");
    static final Instant NEW_OPENED = Instant.parse("2026-03-09T02:16:00Z");
    static final Instant EMERGENCY_OPENED = Instant.parse("2026-03-09T08:00:00Z");

    /** "Now" for every page: 2026-03-10 09:00 in Shanghai. */
    static final Instant NOW = Instant.parse("2026-03-10T01:00:00Z");

    static final String SCALE_UP = "0123456789abcdef0123456789abcdef";
    static final String SCALE_DOWN = "11111111111111111111111111111111";
    static final String EMERGENCY = "22222222222222222222222222222222";
    static final long GIB = 1L << 30;

    private PageRecords() {}

    static Recommendation recommendation(
            String id, String vm, Action action, String regulation, boolean emergency) {
        return Recommendation.newBuilder()
                .setRecommendationId(id)
                .setRuleId(action == Action.SCALE_UP ? "memory-scale-up" : "memory-underuse")
                .setRuleSetVersion("article26-v3")
                .setRegulation(regulation)
                .setAction(action)
                .setResource(Resource.MEMORY)
                .setVmId(vm)
                .setSystemId("tax-portal")
                .setUnitId("finance-bureau")
                .setFiredAt(WEEK_END)
                .setEvidence(
                        Evidence.newBuilder()
                                .setWeekStart(WEEK_START)
                                .setWeekEnd(WEEK_END)
                                .setWeeklyAveragePct(action == Action.SCALE_UP ? 82.5 : 12.25)
                                .setWeeklyPeakPct(97.0)
                                .setCoveredHours(168)
                                .setPeakStarts(List.of(WEEK_START.plus(Duration.ofHours(10))))
                                .setSampleCount(40320L)
                                .build())
                .setReason("weekly average above 80 % (" + vm + ")")
                .setMemoryTotalBytes(16 * GIB)
                .setProposedMemoryBytes(action == Action.SCALE_UP ? 24 * GIB : 8 * GIB)
                .setProjectedAveragePct(55.0)
                .setChangePct(action == Action.SCALE_UP ? 50.0 : -50.0)
                .setMajorChange(action == Action.SCALE_UP)
                .setEmergency(emergency)
                .setReminder(emergency)
                .build();
    }

    /** Three in play: an old scale-up, a newer scale-down, and an emergency opened last. */
    static InMemoryConsoleModel fleet() {
        InMemoryConsoleModel m = new InMemoryConsoleModel();
        m.add(
                recommendation(SCALE_UP, "vm-0042", Action.SCALE_UP, "Article 26(1)1", false),
                LifecycleState.OPEN,
                OLD_OPENED,
                null);
        m.add(
                recommendation(SCALE_DOWN, "vm-0007", Action.SCALE_DOWN, "Article 26(2)1", false),
                LifecycleState.APPROVED,
                NEW_OPENED,
                null);
        m.add(
                recommendation(
                        EMERGENCY,
                        "vm-0099",
                        Action.SCALE_UP,
                        "Article 26 (emergency expansion)",
                        true),
                LifecycleState.DEFERRED,
                EMERGENCY_OPENED,
                NOW.plus(Duration.ofDays(3)));
        m.event(opened(SCALE_UP, OLD_OPENED));
        m.histories.put(SCALE_UP, history("vm-0042"));
        m.notices.add(notice("n-1", "vm-0042", "the expansion ends on 2026-03-12"));
        m.silent.add(silent("vm-0500", "tax-portal", "finance-bureau"));
        return m;
    }

    static RecommendationEvent opened(String id, Instant at) {
        return event(id, RecommendationEventKind.OPENED, null, LifecycleState.OPEN, at)
                .setBy("rightsizer")
                .setReason("sent for approval")
                .build();
    }

    static RecommendationEvent.Builder event(
            String id,
            RecommendationEventKind kind,
            LifecycleState from,
            LifecycleState to,
            Instant at) {
        return RecommendationEvent.newBuilder()
                .setEventId(id.substring(0, 16) + kind.ordinal() + at.toEpochMilli())
                .setKind(kind)
                .setRecommendationId(id)
                .setRuleId("memory-scale-up")
                .setVmId("vm-0042")
                .setSystemId("tax-portal")
                .setUnitId("finance-bureau")
                .setFromState(from)
                .setToState(to)
                .setAt(at)
                .setBy("rightsizer")
                .setReason("");
    }

    /** The evidence week hour by hour, with a gap of three hours without readings. */
    static ConsoleModel.History history(String vm) {
        List<ConsoleModel.HourPoint> memory = new ArrayList<>();
        List<ConsoleModel.HourPoint> storage = new ArrayList<>();
        for (int h = 0; h < 168; h++) {
            Instant hour = WEEK_START.plus(Duration.ofHours(h));
            boolean gap = h >= 50 && h < 53;
            memory.add(
                    new ConsoleModel.HourPoint(
                            hour, gap ? null : 70.0 + h % 24, gap ? null : 85.0 + h % 12));
            storage.add(new ConsoleModel.HourPoint(hour, 40.0, 42.0));
        }
        return new ConsoleModel.History(
                vm,
                WEEK_START,
                WEEK_END,
                memory,
                storage,
                List.of(new ConsoleModel.Threshold("scale up above", "memory", 80.0)));
    }

    static TimeLimitNotice notice(String id, String vm, String reason) {
        return TimeLimitNotice.newBuilder()
                .setNoticeId(id)
                .setKind(NoticeKind.EXPANSION_ENDING)
                .setRegulation("Article 22")
                .setVmId(vm)
                .setSystemId("tax-portal")
                .setUnitId("finance-bureau")
                .setIssuedAt(NOW.minus(Duration.ofHours(2)))
                .setFrom(WEEK_START)
                .setUntil(NOW.plus(Duration.ofDays(2)))
                .setLimitEnd(NOW.plus(Duration.ofDays(2)))
                .setMemoryBytes(8 * GIB)
                .setReason(reason)
                .build();
    }

    static DataQualityEvent silent(String vm, String system, String unit) {
        return DataQualityEvent.newBuilder()
                .setEventId("dq-" + vm)
                .setKind(DataQualityKind.TELEMETRY_SILENT)
                .setVmId(vm)
                .setSystemId(system)
                .setUnitId(unit)
                .setLastSampleAt(NOW.minus(Duration.ofHours(5)))
                .setDetectedAt(NOW.minus(Duration.ofHours(4)))
                .setSilentForMillis(Duration.ofHours(1).toMillis())
                .setSilenceAfterMillis(Duration.ofHours(1).toMillis())
                .build();
    }
}
