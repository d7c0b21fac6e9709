package io.rightsizer.console;

import static io.rightsizer.console.Page.td;
import static io.rightsizer.console.Page.th;
import static io.rightsizer.report.Html.esc;

import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.TimeLimitNotice;
import java.time.Duration;
import java.util.List;

/** The simpler pages: sign-in, the notices, the silent VMs, and a page for an error. */
final class ListPages {
    private ListPages() {}

    /** The form, under {@code error} when it is not null. */
    static String signIn(Page.View v, String error, String trustedHeader) {
        Messages m = v.m();
        StringBuilder b = new StringBuilder();
        if (error != null) {
            b.append("<p id=\"signin-error\" role=\"alert\">").append(esc(error)).append("</p>\n");
        }
        b.append("<form id=\"signin\" method=\"post\" action=\"/signin\">\n")
                .append("<p><label for=\"username\">")
                .append(esc(m.get("signin.username")))
                .append(
                        "</label><input id=\"username\" name=\"username\""
                                + " autocomplete=\"username\"")
                .append(" required autofocus></p>\n<p><label for=\"password\">")
                .append(esc(m.get("signin.password")))
                .append("</label><input id=\"password\" name=\"password\" type=\"password\"")
                .append(" autocomplete=\"current-password\" required></p>\n")
                .append("<p><button type=\"submit\">")
                .append(esc(m.get("signin.submit")))
                .append("</button></p>\n</form>\n");
        if (trustedHeader != null) {
            b.append("<p class=\"hint\">").append(esc(m.get("signin.proxy-hint"))).append("</p>\n");
        }
        return Page.html(v, m.get("signin.title"), b.toString());
    }

    static String notices(Page.View v, List<TimeLimitNotice> notices) {
        Messages m = v.m();
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"intro\">").append(esc(m.get("notices.intro"))).append("</p>\n");
        if (notices.isEmpty()) {
            b.append("<p id=\"notices-empty\">")
                    .append(esc(m.get("notices.empty")))
                    .append("</p>\n");
        }
        b.append("<table id=\"notices\">\n<thead><tr>");
        for (String k :
                List.of(
                        "notice.kind",
                        "col.article",
                        "col.vm",
                        "col.system",
                        "col.unit",
                        "notice.issued",
                        "notice.from",
                        "notice.until",
                        "notice.limit-end",
                        "notice.resources",
                        "col.reason")) {
            b.append(th(m.get(k)));
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (TimeLimitNotice n : notices) {
            b.append("<tr data-notice-id=\"")
                    .append(esc(n.getNoticeId()))
                    .append("\" data-kind=\"")
                    .append(n.getKind().name())
                    .append("\">");
            b.append(td(m.get("notice." + n.getKind().name())));
            b.append(td(m.regulation(n.getRegulation())));
            b.append(td(n.getVmId()));
            b.append(td(n.getSystemId()));
            b.append(td(n.getUnitId()));
            b.append(td(m.dateTime(n.getIssuedAt())));
            b.append(td(m.dateTime(n.getFrom())));
            b.append(td(m.dateTime(n.getUntil())));
            b.append(td(m.dateTime(n.getLimitEnd())));
            b.append(
                    td(
                            m.get(
                                    "notice.memory-storage",
                                    m.bytes(n.getMemoryBytes()),
                                    m.bytes(n.getStorageBytes()))));
            b.append("<td class=\"reason\">").append(esc(n.getReason())).append("</td>");
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        return Page.html(v, m.get("notices.title"), b.toString());
    }

    static String silent(Page.View v, List<DataQualityEvent> silent) {
        Messages m = v.m();
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"intro\">").append(esc(m.get("silent.intro"))).append("</p>\n");
        if (silent.isEmpty()) {
            b.append("<p id=\"silent-empty\">").append(esc(m.get("silent.empty"))).append("</p>\n");
        }
        b.append("<table id=\"silent\">\n<thead><tr>");
        for (String k :
                List.of(
                        "col.vm",
                        "col.system",
                        "col.unit",
                        "silent.last-sample",
                        "silent.detected",
                        "silent.for",
                        "silent.after")) {
            b.append(th(m.get(k)));
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (DataQualityEvent e : silent) {
            b.append("<tr data-vm-id=\"").append(esc(e.getVmId())).append("\">");
            b.append(td(e.getVmId()));
            b.append(td(e.getSystemId() == null ? "–" : e.getSystemId()));
            b.append(td(e.getUnitId() == null ? "–" : e.getUnitId()));
            b.append(td(m.dateTime(e.getLastSampleAt())));
            b.append(td(m.dateTime(e.getDetectedAt())));
            b.append(td(m.age(Duration.between(e.getLastSampleAt(), v.now()))));
            b.append(td(m.age(Duration.ofMillis(e.getSilenceAfterMillis()))));
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        return Page.html(v, m.get("silent.title"), b.toString());
    }

    /** A page that says what went wrong (not found, not allowed, too large) in a sentence. */
    static String error(Page.View v, String titleKey, String message) {
        Messages m = v.m();
        String body =
                "<p id=\"error\" role=\"alert\">"
                        + esc(message)
                        + "</p>\n<p><a href=\"/\">"
                        + esc(m.get("nav.inbox"))
                        + "</a></p>\n";
        return Page.html(v, m.get(titleKey), body);
    }
}
