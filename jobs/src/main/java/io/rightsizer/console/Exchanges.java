package io.rightsizer.console;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading a request (query, form body within a cap, cookies) and writing a response. */
final class Exchanges {
    /** Only 'self': no inline script or style, no other origin, no framing. */
    static final String CSP =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
                    + " form-action 'self'; frame-ancestors 'none'; base-uri 'none';"
                    + " object-src 'none'";

    /** A form body larger than the cap: answered 413, nothing read beyond it. */
    static final class TooLarge extends Exception {
        TooLarge() {
            super("request body too large");
        }
    }

    private Exchanges() {}

    static Map<String, String> query(HttpExchange x) {
        return parse(x.getRequestURI().getRawQuery());
    }

    /** The url-encoded form of a POST, read up to {@code max} bytes. */
    static Map<String, String> form(HttpExchange x, int max) throws IOException, TooLarge {
        String length = x.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > max) {
                    throw new TooLarge();
                }
            } catch (NumberFormatException e) {
                throw new TooLarge();
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try (InputStream in = x.getRequestBody()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                body.write(buf, 0, n);
                if (body.size() > max) {
                    throw new TooLarge();
                }
            }
        }
        return parse(body.toString(StandardCharsets.UTF_8));
    }

    /** The first value of each name; a malformed escape makes the field absent. */
    static Map<String, String> parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(
                        URLDecoder.decode(k, StandardCharsets.UTF_8),
                        URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // Not url-encoded: the field is as good as missing, and the handler says so.
            }
        }
        return out;
    }

    static String cookie(HttpExchange x, String name) {
        for (String header : x.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                    return part.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    /** The headers every answer carries. */
    static void secure(HttpExchange x) {
        Headers h = x.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
    }

    static void send(HttpExchange x, int status, String contentType, byte[] body)
            throws IOException {
        secure(x);
        x.getResponseHeaders().set("Content-Type", contentType);
        if (!x.getResponseHeaders().containsKey("Cache-Control")) {
            x.getResponseHeaders().set("Cache-Control", "no-store");
        }
        if ("HEAD".equals(x.getRequestMethod())) {
            x.sendResponseHeaders(status, -1);
            x.close();
            return;
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    static void html(HttpExchange x, int status, String page) throws IOException {
        send(x, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    static void redirect(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().set("Location", location);
        send(x, 303, "text/plain; charset=utf-8", new byte[0]);
    }
}
