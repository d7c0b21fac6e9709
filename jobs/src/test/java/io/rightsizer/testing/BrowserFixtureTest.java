package io.rightsizer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The {@link Browser} fixture itself, against pages a JDK HttpServer serves on loopback: it submits
 * a form, waits for what a script adds later, takes screenshots of the window's size, dumps the
 * page when a wait passes its deadline, and starts every browser with a fresh profile.
 */
class BrowserFixtureTest {
    @RegisterExtension final Browser browser = new Browser();

    private static final String PAGE =
            """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>fixture</title></head>
            <body>
            <form id="f" method="post" action="/submit">
              <input name="who"><button type="submit">go</button>
            </form>
            <script>
              setTimeout(function () {
                var p = document.createElement('p');
                p.id = 'late';
                document.body.appendChild(p);
              }, 700);
            </script>
            </body></html>
            """;

    private final List<String> posted = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> reply(x, 200, PAGE));
        server.createContext(
                "/submit",
                x -> {
                    String body =
                            new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    posted.add(x.getRequestMethod() + " " + body);
                    Matcher m = Pattern.compile("who=([a-z]*)").matcher(body);
                    String who = m.find() ? m.group(1) : "";
                    reply(
                            x,
                            200,
                            "<!doctype html><html><body><p id=\"posted\" data-who=\""
                                    + who
                                    + "\"></p></body></html>");
                });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServing() {
        server.stop(0);
    }

    @Test
    void submitsAFormAndWaitsForWhatAScriptAddsLater() {
        browser.open(base + "/");

        browser.await(By.id("late"));
        browser.driver().findElement(By.name("who")).sendKeys("alice");
        browser.driver().findElement(By.cssSelector("#f button[type=submit]")).click();

        assertThat(browser.await(By.id("posted")).getDomAttribute("data-who")).isEqualTo("alice");
        assertThat(posted).containsExactly("POST who=alice");
    }

    @Test
    void theWindowIs1280By900AndAScreenshotIsAPngOfIt() throws IOException {
        browser.open(base + "/");

        Object viewport = browser.driver().executeScript("return [innerWidth, innerHeight]");
        Path png = browser.screenshot("window");

        assertThat(viewport).isEqualTo(List.of(1280L, 900L));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Browser.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Browser.HEIGHT);
    }

    @Test
    void aWaitPastItsDeadlineFailsSayingWhereThePageWasDumped() throws IOException {
        browser.open(base + "/");

        AssertionError e =
                catchThrowableOfType(
                        AssertionError.class,
                        () -> browser.await(By.id("never"), Duration.ofSeconds(1)));

        assertThat(e.getMessage())
                .startsWith(
                        "waited 1 s for an element By.id: never at " + base + "/; page source in ");
        Matcher html = Pattern.compile("page source in (\\S+\\.html),").matcher(e.getMessage());
        assertThat(html.find()).as(e.getMessage()).isTrue();
        assertThat(Files.readString(Path.of(html.group(1)))).contains("<form id=\"f\"");
        assertThat(Path.of(e.getMessage().replaceAll(".*screenshot in (\\S+\\.png)$", "$1")))
                .isRegularFile();
    }

    @Test
    void everyBrowserStartsWithAnEmptyProfile() throws IOException {
        browser.open(base + "/");
        JavascriptExecutor first = browser.driver();
        first.executeScript("document.cookie = 'seen=yes; max-age=3600'");
        assertThat(first.executeScript("return document.cookie")).isEqualTo("seen=yes");

        Browser second = new Browser();
        second.start();
        try {
            second.open(base + "/");
            assertThat(second.driver().executeScript("return document.cookie")).isEqualTo("");
        } finally {
            second.stop();
        }
    }

    private static void reply(HttpExchange x, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
        x.close();
    }
}
