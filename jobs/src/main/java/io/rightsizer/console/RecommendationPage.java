package io.rightsizer.console;

import static io.rightsizer.console.Page.td;
import static io.rightsizer.console.Page.th;
import static io.rightsizer.report.Html.esc;

import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One recommendation: what it proposes, its evidence in full, the VM's history chart, the audit
 * trail and, for an approver, the decisions legal in its state.
 */
final class RecommendationPage {
    private RecommendationPage() {}

    /**
     * @param pending the decision this session published last on it (null when none)
     * @param error a decision the console refused itself, already in the page's language
     */
    static String render(
            Page.View v,
            ConsoleModel model,
            ConsoleModel.RecommendationDetail d,
            ConsoleModel.Published pending,
            String error) {
        Messages m = v.m();
        Recommendation r = d.item().recommendation();
        LifecycleState state = d.item().state();
        StringBuilder b = new StringBuilder();
        b.append("<section id=\"recommendation\" data-recommendation-id=\"")
                .append(esc(r.getRecommendationId()))
                .append("\" data-state=\"")
                .append(state.name())
                .append("\">\n");
        if (error != null) {
            b.append("<p id=\"decision-error\" role=\"alert\">")
                    .append(esc(error))
                    .append("</p>\n");
        }
        RecommendationEvent outcome = pending == null ? null : outcome(d.trail(), pending);
        boolean waiting = pending != null && outcome == null;
        if (waiting) {
            b.append("<p id=\"decision-pending\" role=\"status\" data-decided-at=\"")
                    .append(pending.decidedAt().toEpochMilli())
                    .append("\" data-trail=\"/recommendations/")
                    .append(esc(r.getRecommendationId()))
                    .append("/trail\">")
                    .append(esc(m.get("decision.pending", m.dateTime(pending.decidedAt()))))
                    .append("</p>\n");
        } else if (outcome != null) {
            b.append("<p id=\"decision-result\" role=\"status\" data-kind=\"")
                    .append(outcome.getKind().name())
                    .append("\">")
                    .append(
                            esc(
                                    m.get(
                                            outcome.getKind().name().equals("DECISION_REJECTED")
                                                    ? "decision.refused"
                                                    : "decision.applied",
                                            outcome.getReason())))
                    .append("</p>\n");
        }
        summary(b, v, d.item());
        b.append("<h2>").append(esc(m.get("rec.evidence"))).append("</h2>\n");
        evidence(b, m, r);
        b.append("<h2>").append(esc(m.get("rec.history"))).append("</h2>\n");
        b.append("<div id=\"history-chart\">");
        try {
            var h = model.history(r.getRecommendationId());
            if (h.isPresent()) {
                b.append(HistoryChart.svg(h.get(), m));
            } else {
                b.append("<p id=\"history-none\">").append(esc(m.get("rec.history-none")));
                b.append("</p>");
            }
        } catch (ConsoleException e) {
            b.append("<p id=\"history-error\">")
                    .append(esc(m.get("rec.history-error", e.getMessage())))
                    .append("</p>");
        }
        b.append("</div>\n");
        if (v.approver()) {
            forms(b, v, r.getRecommendationId(), state);
        }
        b.append("<h2>").append(esc(m.get("rec.trail"))).append("</h2>\n");
        b.append(trail(m, d.trail()));
        b.append("</section>\n");
        String head =
                waiting ? "<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>\n" : "";
        String title = m.get("rec.title", r.getVmId() != null ? r.getVmId() : r.getSystemId());
        return Page.html(v, title, b.toString(), head, waiting);
    }

    /** The first trail event at or after the decision: what the job made of it. */
    static RecommendationEvent outcome(
            List<RecommendationEvent> trail, ConsoleModel.Published pending) {
        for (RecommendationEvent e : trail) {
            if (!e.getAt().isBefore(pending.decidedAt())
                    && (e.getKind().name().equals("TRANSITION")
                            || e.getKind().name().equals("DECISION_REJECTED"))) {
                return e;
            }
        }
        return null;
    }

    private static void summary(StringBuilder b, Page.View v, ConsoleModel.InboxItem i) {
        Messages m = v.m();
        Recommendation r = i.recommendation();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {m.get("col.state"), m.get("state." + i.state().name())});
        if (i.deferredUntil() != null) {
            rows.add(new String[] {m.get("rec.deferred-until"), m.dateTime(i.deferredUntil())});
        }
        rows.add(new String[] {m.get("col.action"), m.get("action." + r.getAction().name())});
        rows.add(new String[] {m.get("rec.resource"), m.get("resource." + r.getResource())});
        rows.add(new String[] {m.get("col.vm"), r.getVmId() == null ? "–" : r.getVmId()});
        rows.add(new String[] {m.get("col.system"), r.getSystemId()});
        rows.add(new String[] {m.get("col.unit"), r.getUnitId() == null ? "–" : r.getUnitId()});
        rows.add(new String[] {m.get("col.size"), InboxPage.size(m, r)});
        rows.add(new String[] {m.get("col.article"), m.regulation(r.getRegulation())});
        rows.add(new String[] {m.get("rec.rule"), r.getRuleId()});
        rows.add(new String[] {m.get("rec.rule-set-version"), r.getRuleSetVersion()});
        rows.add(new String[] {m.get("rec.fired-at"), m.dateTime(r.getFiredAt())});
        rows.add(new String[] {m.get("rec.opened-at"), m.dateTime(i.openedAt())});
        rows.add(new String[] {m.get("rec.state-since"), m.dateTime(i.stateSince())});
        rows.add(new String[] {m.get("rec.priority"), Integer.toString(r.getPriority())});
        rows.add(new String[] {m.get("rec.id"), r.getRecommendationId()});
        b.append("<dl class=\"summary\">\n");
        for (String[] row : rows) {
            b.append("<dt>").append(esc(row[0])).append("</dt><dd>").append(esc(row[1]));
            b.append("</dd>\n");
        }
        b.append("<dt>")
                .append(esc(m.get("col.flags")))
                .append("</dt><dd>")
                .append(InboxPage.flags(m, r))
                .append("</dd>\n<dt>")
                .append(esc(m.get("col.reason")))
                .append("</dt><dd class=\"reason\">")
                .append(esc(r.getReason()))
                .append("</dd>\n</dl>\n");
    }

    private static void evidence(StringBuilder b, Messages m, Recommendation r) {
        Evidence e = r.getEvidence();
        List<String[]> rows = new ArrayList<>();
        add(
                rows,
                m,
                "ev.week-start",
                e.getWeekStart() == null ? null : m.dateTime(e.getWeekStart()));
        add(rows, m, "ev.week-end", e.getWeekEnd() == null ? null : m.dateTime(e.getWeekEnd()));
        add(rows, m, "ev.weekly-average", pct(m, e.getWeeklyAveragePct()));
        add(rows, m, "ev.weekly-peak", pct(m, e.getWeeklyPeakPct()));
        add(
                rows,
                m,
                "ev.covered-hours",
                e.getCoveredHours() == null ? null : m.number(e.getCoveredHours()));
        if (e.getPeakStarts() != null) {
            List<String> starts = e.getPeakStarts().stream().map(m::dateTime).toList();
            add(rows, m, "ev.peak-starts", starts.isEmpty() ? "–" : String.join("; ", starts));
        }
        add(rows, m, "ev.memory", pct(m, e.getMemoryPct()));
        add(rows, m, "ev.storage", pct(m, e.getStoragePct()));
        add(
                rows,
                m,
                "ev.inactive-since",
                e.getInactiveSince() == null ? null : m.dateTime(e.getInactiveSince()));
        add(
                rows,
                m,
                "ev.last-business-data",
                e.getLastBusinessDataAt() == null ? null : m.dateTime(e.getLastBusinessDataAt()));
        add(
                rows,
                m,
                "ev.sample-count",
                e.getSampleCount() == null ? null : m.number(e.getSampleCount()));
        if (e.getOverrides() != null && !e.getOverrides().isEmpty()) {
            add(rows, m, "ev.overrides", String.join("; ", e.getOverrides()));
        }
        add(rows, m, "ev.memory-total", bytes(m, r.getMemoryTotalBytes()));
        add(rows, m, "ev.storage-total", bytes(m, r.getStorageTotalBytes()));
        add(rows, m, "ev.proposed-memory", bytes(m, r.getProposedMemoryBytes()));
        add(rows, m, "ev.proposed-storage", bytes(m, r.getProposedStorageBytes()));
        add(rows, m, "ev.projected-average", pct(m, r.getProjectedAveragePct()));
        add(rows, m, "ev.projected-peak", pct(m, r.getProjectedPeakPct()));
        add(rows, m, "ev.projected-storage", pct(m, r.getProjectedStoragePct()));
        add(rows, m, "ev.change", pct(m, r.getChangePct()));
        b.append("<table id=\"evidence\">\n<tbody>\n");
        for (String[] row : rows) {
            b.append("<tr><th scope=\"row\">")
                    .append(esc(row[0]))
                    .append("</th>")
                    .append(td(row[1]))
                    .append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static void add(List<String[]> rows, Messages m, String key, String value) {
        if (value != null) {
            rows.add(new String[] {m.get(key), value});
        }
    }

    private static String pct(Messages m, Double v) {
        return v == null ? null : m.pct(v);
    }

    private static String bytes(Messages m, Long v) {
        return v == null ? null : m.bytes(v);
    }

    /**
     * The decisions legal now: approve, reject, defer while OPEN or DEFERRED; implemented once
     * APPROVED.
     */
    private static void forms(StringBuilder b, Page.View v, String id, LifecycleState state) {
        Messages m = v.m();
        boolean decidable = state == LifecycleState.OPEN || state == LifecycleState.DEFERRED;
        if (!decidable && state != LifecycleState.APPROVED) {
            return;
        }
        b.append("<h2>")
                .append(esc(m.get("decide.title")))
                .append("</h2>\n<div class=\"decide\">\n");
        String action = "/recommendations/" + esc(id) + "/decide";
        if (decidable) {
            form(b, v, action, "approve", "", m.get("decide.approve"));
            form(
                    b,
                    v,
                    action,
                    "reject",
                    "<label for=\"reject-comment\">"
                            + esc(m.get("decide.reject-reason"))
                            + "</label><textarea id=\"reject-comment\" name=\"comment\""
                            + " rows=\"3\" maxlength=\""
                            + ConsoleServer.MAX_COMMENT
                            + "\"></textarea>",
                    m.get("decide.reject"));
            form(
                    b,
                    v,
                    action,
                    "defer",
                    "<label for=\"defer-until\">"
                            + esc(m.get("decide.defer-until"))
                            + "</label><input type=\"date\" id=\"defer-until\" name=\"until\">",
                    m.get("decide.defer"));
        } else {
            form(b, v, action, "implemented", "", m.get("decide.implemented"));
        }
        b.append("</div>\n");
    }

    private static void form(
            StringBuilder b,
            Page.View v,
            String action,
            String decision,
            String fields,
            String label) {
        b.append("<form id=\"decide-")
                .append(decision)
                .append("\" method=\"post\" action=\"")
                .append(action)
                .append("\"><input type=\"hidden\" name=\"decision\" value=\"")
                .append(decision)
                .append("\">")
                .append(v.csrfField())
                .append(fields)
                .append("<button type=\"submit\">")
                .append(esc(label))
                .append("</button></form>\n");
    }

    /** The audit trail, oldest first: also the fragment the pending page polls. */
    static String trail(Messages m, List<RecommendationEvent> trail) {
        StringBuilder b = new StringBuilder();
        b.append("<table id=\"trail\">\n<thead><tr>");
        for (String k :
                List.of(
                        "trail.at",
                        "trail.kind",
                        "trail.change",
                        "trail.by",
                        "trail.comment",
                        "trail.reason")) {
            b.append(th(m.get(k)));
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (RecommendationEvent e : trail) {
            b.append("<tr data-kind=\"")
                    .append(e.getKind().name())
                    .append("\" data-to-state=\"")
                    .append(e.getToState() == null ? "" : e.getToState().name())
                    .append("\" data-at=\"")
                    .append(e.getAt().toEpochMilli())
                    .append("\">");
            b.append(td(m.dateTime(e.getAt())));
            b.append(td(m.get("kind." + e.getKind().name())));
            b.append(td(change(m, e)));
            b.append(td(e.getBy()));
            b.append(td(e.getComment() == null ? "" : e.getComment()));
            b.append("<td class=\"reason\">").append(esc(e.getReason())).append("</td>");
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        return b.toString();
    }

    private static String change(Messages m, RecommendationEvent e) {
        String from = e.getFromState() == null ? null : m.get("state." + e.getFromState().name());
        String to = e.getToState() == null ? null : m.get("state." + e.getToState().name());
        if (from == null && to == null) {
            return "";
        }
        return (from == null ? "" : from + " → ") + (to == null ? "" : to);
    }
}
