package io.rightsizer.console;

import static io.rightsizer.console.Page.td;
import static io.rightsizer.console.Page.th;
import static io.rightsizer.report.Html.esc;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/** The recommendations in play, emergency first then oldest, with their filters. */
final class InboxPage {
    static final List<LifecycleState> IN_PLAY =
            List.of(LifecycleState.OPEN, LifecycleState.DEFERRED, LifecycleState.APPROVED);

    private InboxPage() {}

    /**
     * The filter a query asks for; a value that is not one of the enum's is "any" (the select only
     * offers valid ones).
     */
    static ConsoleModel.InboxFilter filter(Map<String, String> q) {
        return new ConsoleModel.InboxFilter(
                blankToNull(q.get("unit")),
                blankToNull(q.get("system")),
                blankToNull(q.get("rule")),
                enumOrNull(Action.class, q.get("action")),
                enumOrNull(LifecycleState.class, q.get("state")));
    }

    static String render(Page.View v, ConsoleModel model, Map<String, String> query) {
        Messages m = v.m();
        ConsoleModel.Loading loading = model.loading();
        if (!loading.ready()) {
            String body =
                    "<p id=\"loading\" role=\"status\">"
                            + esc(m.get("inbox.loading", m.number(loading.recordsRead())))
                            + (loading.detail() == null
                                    ? ""
                                    : " <span class=\"detail\">"
                                            + esc(loading.detail())
                                            + "</span>")
                            + "</p>\n";
            return Page.html(
                    v,
                    m.get("inbox.title"),
                    body,
                    "<meta http-equiv=\"refresh\" content=\"2\">\n",
                    false);
        }
        ConsoleModel.InboxFilter f = filter(query);
        List<ConsoleModel.InboxItem> all = model.inbox(ConsoleModel.InboxFilter.any());
        List<ConsoleModel.InboxItem> items = model.inbox(f);
        StringBuilder b = new StringBuilder();
        b.append("<form id=\"filters\" method=\"get\" action=\"/\">\n");
        select(b, m, "unit", f.unitId(), values(all, r -> r.getUnitId()), Function.identity());
        select(b, m, "system", f.systemId(), values(all, r -> r.getSystemId()), s -> s);
        select(b, m, "rule", f.ruleId(), values(all, r -> r.getRuleId()), s -> s);
        select(
                b,
                m,
                "action",
                f.action() == null ? null : f.action().name(),
                enumNames(Action.values()),
                a -> m.get("action." + a));
        select(
                b,
                m,
                "state",
                f.state() == null ? null : f.state().name(),
                IN_PLAY.stream().map(Enum::name).toList(),
                s -> m.get("state." + s));
        b.append("<button type=\"submit\">")
                .append(esc(m.get("filters.apply")))
                .append("</button> <a href=\"/\">")
                .append(esc(m.get("filters.clear")))
                .append("</a>\n</form>\n");
        if (items.isEmpty()) {
            b.append("<p id=\"inbox-empty\">")
                    .append(esc(m.get(all.isEmpty() ? "inbox.empty" : "inbox.empty-filtered")))
                    .append("</p>\n");
        } else {
            b.append("<p class=\"count\">")
                    .append(esc(m.get("inbox.count", items.size(), all.size())))
                    .append("</p>\n");
            table(b, v, items);
        }
        return Page.html(v, m.get("inbox.title"), b.toString());
    }

    private static void table(StringBuilder b, Page.View v, List<ConsoleModel.InboxItem> items) {
        Messages m = v.m();
        b.append("<table id=\"inbox\">\n<thead><tr>");
        for (String k :
                List.of(
                        "col.vm",
                        "col.system",
                        "col.unit",
                        "col.action",
                        "col.size",
                        "col.flags",
                        "col.state",
                        "col.age",
                        "col.reason",
                        "col.article")) {
            b.append(th(m.get(k)));
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (ConsoleModel.InboxItem i : items) {
            Recommendation r = i.recommendation();
            b.append("<tr data-recommendation-id=\"")
                    .append(esc(r.getRecommendationId()))
                    .append("\" data-state=\"")
                    .append(i.state().name())
                    .append("\" data-emergency=\"")
                    .append(r.getEmergency())
                    .append("\"")
                    .append(r.getEmergency() ? " class=\"emergency\"" : "")
                    .append(">");
            b.append("<td><a class=\"open\" href=\"/recommendations/")
                    .append(esc(r.getRecommendationId()))
                    .append("\">")
                    .append(esc(r.getVmId() != null ? r.getVmId() : m.get("inbox.whole-system")))
                    .append("</a></td>");
            b.append(td(r.getSystemId()));
            b.append(td(r.getUnitId() == null ? "–" : r.getUnitId()));
            b.append(td(m.get("action." + r.getAction().name())));
            b.append(td(size(m, r)));
            b.append("<td>").append(flags(m, r)).append("</td>");
            String state = m.get("state." + i.state().name());
            if (i.deferredUntil() != null) {
                state = m.get("inbox.deferred-until", state, m.dateTime(i.deferredUntil()));
            }
            b.append(td(state));
            b.append(td(m.age(Duration.between(i.openedAt(), v.now()))));
            b.append("<td class=\"reason\">").append(esc(r.getReason())).append("</td>");
            b.append(td(m.regulation(r.getRegulation())));
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    /** Current → proposed, of what the rule resizes; a reclaim proposes none. */
    static String size(Messages m, Recommendation r) {
        StringBuilder s = new StringBuilder();
        if (r.getMemoryTotalBytes() != null || r.getProposedMemoryBytes() != null) {
            s.append(
                    m.get(
                            "size.memory",
                            m.bytes(r.getMemoryTotalBytes()),
                            m.bytes(r.getProposedMemoryBytes())));
        }
        if (r.getStorageTotalBytes() != null || r.getProposedStorageBytes() != null) {
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append(
                    m.get(
                            "size.storage",
                            m.bytes(r.getStorageTotalBytes()),
                            m.bytes(r.getProposedStorageBytes())));
        }
        return s.length() == 0 ? "–" : s.toString();
    }

    static String flags(Messages m, Recommendation r) {
        StringBuilder s = new StringBuilder();
        if (r.getEmergency()) {
            s.append("<span class=\"flag emergency\" data-flag=\"emergency\">")
                    .append(esc(m.get("flag.emergency")))
                    .append("</span> ");
        }
        if (r.getMajorChange()) {
            s.append("<span class=\"flag major\" data-flag=\"major-change\">")
                    .append(esc(m.get("flag.major-change")))
                    .append("</span> ");
        }
        if (r.getReminder()) {
            s.append("<span class=\"flag reminder\" data-flag=\"reminder\">")
                    .append(esc(m.get("flag.reminder")))
                    .append("</span>");
        }
        return s.toString().strip();
    }

    private static <T> void select(
            StringBuilder b,
            Messages m,
            String name,
            String chosen,
            List<String> values,
            Function<String, String> label) {
        b.append("<label for=\"f-")
                .append(name)
                .append("\">")
                .append(esc(m.get("filter." + name)))
                .append("</label> <select id=\"f-")
                .append(name)
                .append("\" name=\"")
                .append(name)
                .append("\"><option value=\"\">")
                .append(esc(m.get("filter.any")))
                .append("</option>");
        for (String value : values) {
            b.append("<option value=\"")
                    .append(esc(value))
                    .append("\"")
                    .append(value.equals(chosen) ? " selected" : "")
                    .append(">")
                    .append(esc(label.apply(value)))
                    .append("</option>");
        }
        b.append("</select>\n");
    }

    private static List<String> values(
            List<ConsoleModel.InboxItem> items, Function<Recommendation, String> f) {
        return List.copyOf(
                items.stream()
                        .map(i -> f.apply(i.recommendation()))
                        .filter(Objects::nonNull)
                        .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }

    private static List<String> enumNames(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
