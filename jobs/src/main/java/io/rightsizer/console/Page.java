package io.rightsizer.console;

import static io.rightsizer.report.Html.esc;

import java.time.Instant;

/** The frame every page shares: head, navigation, language switch, who is signed in. */
final class Page {
    private Page() {}

    /** What a page is rendered for: the locale, the session (null before sign-in), the time. */
    record View(Messages m, Sessions.Session session, String path, Instant now) {
        boolean approver() {
            return session != null && session.user.role() == Users.Role.APPROVER;
        }

        String csrfField() {
            return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(session.csrf) + "\">";
        }
    }

    static String html(View v, String title, String body) {
        return html(v, title, body, "", false);
    }

    /**
     * @param head extra elements of the head (a refresh while loading)
     * @param script whether the page loads the trail poll
     */
    static String html(View v, String title, String body, String head, boolean script) {
        Messages m = v.m();
        StringBuilder s = new StringBuilder(8192);
        s.append("<!DOCTYPE html>\n<html lang=\"")
                .append(esc(m.tag()))
                .append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width,"
                                + " initial-scale=1\">\n")
                .append("<title>")
                .append(esc(title))
                .append(" · ")
                .append(esc(m.get("app.name")))
                .append("</title>\n<link rel=\"stylesheet\" href=\"/static/console.css\">\n");
        if (script) {
            s.append("<script src=\"/static/trail.js\" defer></script>\n");
        }
        s.append(head).append("</head>\n<body>\n");
        s.append("<a class=\"skip\" href=\"#main\">")
                .append(esc(m.get("nav.skip")))
                .append("</a>\n");
        s.append("<header class=\"top\"><span class=\"brand\">")
                .append(esc(m.get("app.name")))
                .append("</span>\n");
        if (v.session() != null) {
            s.append("<nav aria-label=\"")
                    .append(esc(m.get("nav.label")))
                    .append("\"><ul>")
                    .append(navLink(v, "/", m.get("nav.inbox")))
                    .append(navLink(v, "/notices", m.get("nav.notices")))
                    .append(navLink(v, "/silent", m.get("nav.silent")))
                    .append("</ul></nav>\n");
        }
        s.append("<div class=\"lang\" role=\"group\" aria-label=\"")
                .append(esc(m.get("nav.language")))
                .append("\">")
                .append(langLink(v, "en", "English"))
                .append(langLink(v, "zh-CN", "简体中文"))
                .append("</div>\n");
        if (v.session() != null) {
            s.append("<form id=\"signout\" method=\"post\" action=\"/signout\"><span id=\"user\"")
                    .append(" data-role=\"")
                    .append(v.session().user.role().name().toLowerCase(java.util.Locale.ROOT))
                    .append("\">")
                    .append(
                            esc(
                                    m.get(
                                            "user.signed-in",
                                            v.session().user.name(),
                                            m.get("role." + v.session().user.role().name()))))
                    .append("</span> ")
                    .append(v.csrfField())
                    .append("<button type=\"submit\">")
                    .append(esc(m.get("nav.signout")))
                    .append("</button></form>\n");
        }
        s.append("</header>\n<main id=\"main\">\n<h1>")
                .append(esc(title))
                .append("</h1>\n")
                .append(body)
                .append("</main>\n</body>\n</html>\n");
        return s.toString();
    }

    private static String navLink(View v, String href, String label) {
        boolean here = v.path().equals(href);
        return "<li><a href=\""
                + href
                + "\""
                + (here ? " aria-current=\"page\"" : "")
                + ">"
                + esc(label)
                + "</a></li>";
    }

    private static String langLink(View v, String tag, String label) {
        boolean here = v.m().tag().equals(tag);
        return "<a href=\""
                + esc(v.path())
                + "?lang="
                + tag
                + "\" hreflang=\""
                + tag
                + "\" lang=\""
                + tag
                + "\""
                + (here ? " aria-current=\"true\"" : "")
                + ">"
                + esc(label)
                + "</a> ";
    }

    /** A table cell with escaped text. */
    static String td(String text) {
        return "<td>" + esc(text) + "</td>";
    }

    static String th(String text) {
        return "<th scope=\"col\">" + esc(text) + "</th>";
    }
}
