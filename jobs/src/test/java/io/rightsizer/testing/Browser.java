package io.rightsizer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver (Selenium's Chrome driver), one
 * browser per test with a fresh profile. Register it as an instance extension: it starts before
 * each test, writes a screenshot and the page source under {@code target/browser/} when the test
 * fails, and quits after it.
 *
 * <p>Only the binaries installed on the machine are used: the driver and the browser are given by
 * path, so Selenium Manager never looks for (or downloads) either. The flags keep Chromium off the
 * network beyond loopback (no background requests, updates, sync or QUIC), which this closed
 * network would otherwise refuse at every start.
 *
 * <p>Without chromium or chromedriver the test is skipped with the install hint, except under CI
 * (CI=true), where .ci/run installs them first and a missing binary is a failure.
 */
public final class Browser
        implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {
    /** How long {@link #await} waits unless told otherwise: generous for 2 busy cores. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    public static final int WIDTH = 1280;
    public static final int HEIGHT = 900;

    private static final Path OUT = Path.of("target", "browser");

    private ChromeDriverService service;
    private ChromeDriver driver;
    private Path profile;
    private String name = "browser";

    /** The chromium binary: on the PATH, else Debian's /usr/bin/chromium. */
    public static Optional<Path> chromium() {
        return binary("chromium");
    }

    /** The chromedriver binary (Debian's package chromium-driver). */
    public static Optional<Path> chromedriver() {
        return binary("chromedriver");
    }

    /** Skips (or, under CI, fails) when chromium or chromedriver is not installed. */
    public static void requireBinaries() {
        InfluxServer.requireTool(
                chromium().isPresent() && chromedriver().isPresent(),
                "chromium and chromedriver are not both installed:"
                        + " ./scripts/install-tools chromium chromedriver"
                        + " (Debian's packages chromium and chromium-driver)");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        name =
                context.getRequiredTestClass().getSimpleName()
                        + "-"
                        + context.getTestMethod().map(m -> m.getName()).orElse("test");
        name = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        start();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && driver != null) {
            System.err.println("Browser: the test failed; " + dump("failed"));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    /** Starts the browser with a fresh profile (done before each test when registered). */
    public void start() throws IOException {
        requireBinaries();
        Files.createDirectories(OUT);
        profile = Files.createTempDirectory("rightsizer-chromium-");
        Path driverBinary = chromedriver().orElseThrow();
        // Read by Selenium wherever it would otherwise ask Selenium Manager for a driver.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, driverBinary.toString());
        service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(driverBinary.toFile())
                        .usingAnyFreePort()
                        .withLogFile(OUT.resolve(name + "-chromedriver.log").toFile())
                        .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().orElseThrow().toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--user-data-dir=" + profile,
                "--window-size=" + WIDTH + "," + HEIGHT);
        driver = new ChromeDriver(service, options);
        // --window-size is the window's; headless Chromium keeps some of it for its (invisible)
        // toolbar. Grow the window by that much so the page, and every screenshot, is 1280x900.
        @SuppressWarnings("unchecked")
        List<Number> frame =
                (List<Number>)
                        driver.executeScript(
                                "return [outerWidth - innerWidth, outerHeight - innerHeight]");
        driver.manage()
                .window()
                .setSize(
                        new Dimension(
                                WIDTH + frame.get(0).intValue(), HEIGHT + frame.get(1).intValue()));
    }

    /** Quits the browser and its driver and removes the profile. */
    public void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            if (service != null) {
                service.stop();
                service = null;
            }
            if (profile != null) {
                deleteQuietly(profile);
                profile = null;
            }
        }
    }

    /** The driver: also a JavascriptExecutor and a TakesScreenshot. */
    public ChromeDriver driver() {
        if (driver == null) {
            throw new IllegalStateException("the browser is not started");
        }
        return driver;
    }

    /** Loads {@code url} and waits for the document to be complete. */
    public void open(String url) {
        driver().get(url);
        await(
                "the document at " + url + " to load",
                WAIT,
                d -> "complete".equals(driver().executeScript("return document.readyState")));
    }

    /** The element once it is in the page, waiting up to {@link #WAIT}. */
    public WebElement await(By by) {
        return await(by, WAIT);
    }

    public WebElement await(By by, Duration timeout) {
        return await("an element " + by, timeout, ExpectedConditions.presenceOfElementLocated(by));
    }

    /**
     * Waits until {@code condition} gives a non-null, non-false value, and returns it; past the
     * deadline fails with what was awaited, the URL, and where the screenshot and page source of
     * that moment were written.
     */
    public <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver(), timeout, Duration.ofMillis(100))
                    .until(condition::apply);
        } catch (TimeoutException e) {
            String url = driver().getCurrentUrl();
            throw new AssertionError(
                    "waited "
                            + timeout.toSeconds()
                            + " s for "
                            + what
                            + " at "
                            + url
                            + "; "
                            + dump("timeout"),
                    e);
        }
    }

    /** The current page's source (the DOM as it is now, scripts' changes included). */
    public String pageSource() {
        return driver().getPageSource();
    }

    /** A PNG of the viewport, written to {@code file} (its folder created). */
    public Path screenshot(Path file) {
        byte[] png = driver().getScreenshotAs(OutputType.BYTES);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, png);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the screenshot " + file, e);
        }
        return file;
    }

    /**
     * A PNG of the whole page, 1280 wide and as tall as the document: the window grows to the
     * page's height for the shot and is put back.
     */
    public Path screenshotOfThePage(Path file) {
        Dimension window = driver().manage().window().getSize();
        Number height =
                (Number) driver().executeScript("return document.documentElement.scrollHeight");
        int frame = window.getHeight() - HEIGHT;
        try {
            driver().manage()
                    .window()
                    .setSize(
                            new Dimension(
                                    window.getWidth(),
                                    Math.max(HEIGHT, height.intValue()) + frame));
            return screenshot(file);
        } finally {
            driver().manage().window().setSize(window);
        }
    }

    /** A screenshot under {@code target/browser/}, named after the test and {@code label}. */
    public Path screenshot(String label) {
        return screenshot(OUT.resolve(name + "-" + label + ".png"));
    }

    /**
     * Writes the screenshot and the page source of this moment under {@code target/browser/} and
     * says where (a dump that fails says why instead: the browser may be gone).
     */
    public String dump(String label) {
        Path html = OUT.resolve(name + "-" + label + ".html");
        try {
            Files.createDirectories(OUT);
            Files.writeString(html, pageSource(), StandardCharsets.UTF_8);
            Path png = screenshot(label);
            return "page source in "
                    + html.toAbsolutePath()
                    + ", screenshot in "
                    + png.toAbsolutePath();
        } catch (RuntimeException | IOException e) {
            return "no page dump (" + e + ")";
        }
    }

    private static Optional<Path> binary(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(Path.of(dir, name));
                }
            }
        }
        Path debian = Path.of("/usr/bin", name);
        return Files.isExecutable(debian) ? Optional.of(debian) : Optional.empty();
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    // Chromium may still be writing its profile as it exits; the
                                    // temporary folder is only a leftover then.
                                }
                            });
        } catch (IOException e) {
            // As above.
        }
    }
}
