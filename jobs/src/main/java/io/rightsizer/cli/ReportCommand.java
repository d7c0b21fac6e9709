package io.rightsizer.cli;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.i18n.Messages;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.report.InfluxReportSource;
import io.rightsizer.report.MonthlyCsv;
import io.rightsizer.report.MonthlyHtml;
import io.rightsizer.report.MonthlyReport;
import io.rightsizer.report.ReportException;
import io.rightsizer.report.ReportMonth;
import io.rightsizer.report.YearlyCsv;
import io.rightsizer.rules.RuleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rightsizer report ...}: the utilization reports the regulation asks for, from InfluxDB.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Utilization reports from the utilization history in InfluxDB: the monthly"
                        + " report to the data center (Article 27) and a unit's yearly"
                        + " self-assessment figures (Article 37).",
        subcommands = {ReportCommand.Monthly.class, ReportCommand.Yearly.class})
public class ReportCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final String PASSWORD_ENV = "RIGHTSIZER_INFLUX_PASSWORD";

    /** The options both reports take. */
    static class Source {
        @Option(
                names = "--out",
                required = true,
                paramLabel = "DIR",
                description = "Directory to write the report into (created if missing).")
        Path out;

        @Option(
                names = "--influx-url",
                paramLabel = "URL",
                defaultValue = InfluxOptions.DEFAULT_URL,
                description = "InfluxDB's HTTP API (default: ${DEFAULT-VALUE}).")
        String influxUrl;

        @Option(
                names = "--database",
                paramLabel = "NAME",
                defaultValue = InfluxOptions.DEFAULT_DATABASE,
                description = "The database the job writes to (default: ${DEFAULT-VALUE}).")
        String database;

        @Option(
                names = "--retention-policy",
                paramLabel = "RP",
                description =
                        "The retention policy the job writes to (default: the database's default"
                                + " policy).")
        String retentionPolicy;

        @Option(
                names = "--influx-user",
                paramLabel = "NAME",
                description =
                        "Authenticate as NAME, with the password from the environment variable "
                                + PASSWORD_ENV
                                + " (never on the command line, where ps shows it).")
        String user;

        @Option(
                names = "--rules",
                paramLabel = "FILE",
                defaultValue = RightsizerOptions.DEFAULT_RULES_FILE,
                description =
                        "The rule set whose zone bounds the months and whose weekly-underuse"
                                + " thresholds define over-provisioned (default:"
                                + " ${DEFAULT-VALUE}).")
        Path rules;

        @Option(
                names = "--locale",
                paramLabel = "LOCALE",
                defaultValue = Messages.EN,
                description =
                        "The report's language: en or zh-CN (default: ${DEFAULT-VALUE}; the"
                                + " reasons are as the job wrote them, in its locale).")
        String locale;

        /** The messages of --locale, or null after printing why it is not a locale. */
        Messages messages(String command, PrintWriter err) {
            if (Messages.problem(locale).isPresent()) {
                err.println(command + ": --locale: " + Messages.problem(locale).get());
                return null;
            }
            return Messages.of(locale);
        }

        /** The password for --influx-user, or null after printing why there is none. */
        String password(String command, PrintWriter err) {
            String p = System.getenv(PASSWORD_ENV);
            if (user != null && (p == null || p.isEmpty())) {
                err.println(
                        command
                                + ": --influx-user "
                                + user
                                + " needs the password in the environment variable "
                                + PASSWORD_ENV);
                return null;
            }
            return p;
        }

        InfluxReportSource connect(String password) throws ReportException {
            return InfluxReportSource.connect(
                    influxUrl, database, retentionPolicy, user, user == null ? null : password);
        }
    }

    @Command(
            name = "monthly",
            mixinStandardHelpOptions = true,
            description = {
                "Writes the month's utilization report: DIR/utilization-MONTH[-UNIT].html (one"
                        + " self-contained page: summary, heat map, distribution, recommendations"
                        + " per day, tables) and the tables as CSV:"
                        + " DIR/utilization-MONTH[-UNIT]-{units,systems,vms,recommendations}.csv.",
                "The month runs from its first day 00:00 to the next month's first day 00:00 in the"
                        + " rule set's zone. A month without data still gets a report that says so."
            })
    @ExitCodes({
        @ExitCodes.Code(value = ExitCode.OK, when = "written"),
        @ExitCodes.Code(
                value = ExitCode.FAILED,
                when =
                        "InfluxDB unreachable, no such database, or the files cannot"
                                + " be written"),
        @ExitCodes.Code(value = ExitCode.USAGE, when = "usage error (bad --month, bad rule file)")
    })
    static class Monthly implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--month",
                required = true,
                paramLabel = "YYYY-MM",
                description = "The month, e.g. 2026-10.")
        String month;

        @Option(
                names = "--unit",
                paramLabel = "UNIT",
                description = "Only this using unit (its unitId); default: every unit.")
        String unit;

        @CommandLine.Mixin Source source;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            YearMonth ym;
            try {
                ym = ReportMonth.parse(month);
            } catch (IllegalArgumentException e) {
                err.println("report monthly: --month: " + e.getMessage());
                return ExitCode.USAGE.code();
            }
            if (unit != null && unit.isBlank()) {
                err.println("report monthly: --unit must not be empty");
                return ExitCode.USAGE.code();
            }
            Messages m = source.messages("report monthly", err);
            if (m == null) {
                return ExitCode.USAGE.code();
            }
            RuleSet rules =
                    RuleFileLoader.load(
                            "report monthly", source.rules, " (run from the repository root)", err);
            if (rules == null) {
                return ExitCode.USAGE.code();
            }
            String password = source.password("report monthly", err);
            if (source.user != null && password == null) {
                return ExitCode.USAGE.code();
            }
            ReportMonth period = new ReportMonth(ym, rules.zone());
            MonthlyReport report;
            try (InfluxReportSource db = source.connect(password)) {
                report = db.month(period, unit, rules);
            } catch (ReportException e) {
                err.println("report monthly: " + e.getMessage());
                return ExitCode.FAILED.code();
            }
            String base = "utilization-" + period + suffix(unit);
            Map<String, String> files = new LinkedHashMap<>();
            files.put(
                    base + ".html",
                    MonthlyHtml.render(
                            report,
                            "InfluxDB database " + source.database + " at " + source.influxUrl,
                            m));
            files.put(base + "-units.csv", MonthlyCsv.units(report, m));
            files.put(base + "-systems.csv", MonthlyCsv.systems(report, m));
            files.put(base + "-vms.csv", MonthlyCsv.vms(report, m));
            files.put(base + "-recommendations.csv", MonthlyCsv.recommendations(report, m));
            if (!write(source.out, files, "report monthly", out, err)) {
                return ExitCode.FAILED.code();
            }
            if (!report.hasData()) {
                err.printf(
                        Locale.ROOT,
                        "report monthly: warning: no data for %s%s in database %s; the report"
                                + " says so%n",
                        period,
                        unit == null ? "" : " (unit " + unit + ")",
                        source.database);
            } else {
                out.printf(
                        Locale.ROOT,
                        "%s: %d units, %d systems, %d VMs, %d recommendations, %d over-provisioned,"
                                + " %d idle%n",
                        period,
                        report.units().size(),
                        report.fleet().systems(),
                        report.fleet().vms(),
                        report.recommendations().size(),
                        report.fleet().overProvisionedVms(),
                        report.fleet().idleVms());
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "yearly",
            mixinStandardHelpOptions = true,
            description = {
                "Writes a using unit's yearly self-assessment figures (Article 37) as"
                        + " DIR/self-assessment-YEAR-UNIT.csv: per system and month, the system's"
                        + " row and its VMs' rows with the monthly figures and recommendations,"
                        + " then the system's total for the year."
            })
    @ExitCodes({
        @ExitCodes.Code(value = ExitCode.OK, when = "written"),
        @ExitCodes.Code(
                value = ExitCode.FAILED,
                when =
                        "InfluxDB unreachable, no such database, or the file cannot"
                                + " be written"),
        @ExitCodes.Code(value = ExitCode.USAGE, when = "usage error")
    })
    static class Yearly implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--year", required = true, paramLabel = "YYYY", description = "The year.")
        String year;

        @Option(
                names = "--unit",
                required = true,
                paramLabel = "UNIT",
                description = "The using unit (its unitId).")
        String unit;

        @CommandLine.Mixin Source source;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (year == null || !year.matches("\\d{4}")) {
                err.println("report yearly: --year: '" + year + "' is not a year such as 2026");
                return ExitCode.USAGE.code();
            }
            if (unit.isBlank()) {
                err.println("report yearly: --unit must not be empty");
                return ExitCode.USAGE.code();
            }
            Year y = Year.parse(year);
            Messages words = source.messages("report yearly", err);
            if (words == null) {
                return ExitCode.USAGE.code();
            }
            RuleSet rules =
                    RuleFileLoader.load(
                            "report yearly", source.rules, " (run from the repository root)", err);
            if (rules == null) {
                return ExitCode.USAGE.code();
            }
            String password = source.password("report yearly", err);
            if (source.user != null && password == null) {
                return ExitCode.USAGE.code();
            }
            List<MonthlyReport> months = new ArrayList<>();
            try (InfluxReportSource db = source.connect(password)) {
                for (int m = 1; m <= 12; m++) {
                    months.add(
                            db.monthFigures(
                                    new ReportMonth(y.atMonth(m), rules.zone()), unit, rules));
                }
            } catch (ReportException e) {
                err.println("report yearly: " + e.getMessage());
                return ExitCode.FAILED.code();
            }
            String name = "self-assessment-" + y + suffix(unit) + ".csv";
            if (!write(
                    source.out,
                    Map.of(name, YearlyCsv.render(y, months, words)),
                    "report yearly",
                    out,
                    err)) {
                return ExitCode.FAILED.code();
            }
            if (months.stream().noneMatch(MonthlyReport::hasData)) {
                err.printf(
                        Locale.ROOT,
                        "report yearly: warning: no data for unit %s in %s in database %s; the"
                                + " file has the header only%n",
                        unit,
                        y,
                        source.database);
            }
            return ExitCode.OK.code();
        }
    }

    /**
     * "-UNIT" for a file name, with characters other than letters, digits, '.', '_', '-' as '_'.
     */
    static String suffix(String unit) {
        return unit == null ? "" : "-" + unit.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static boolean write(
            Path dir, Map<String, String> files, String command, PrintWriter out, PrintWriter err) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
                out.println("wrote " + p);
            }
            return true;
        } catch (IOException e) {
            err.println(command + ": cannot write to " + dir + ": " + e);
            return false;
        }
    }
}
