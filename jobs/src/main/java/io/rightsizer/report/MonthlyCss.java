package io.rightsizer.report;

/** The monthly report page's style sheet, inline in the page so that it works offline. */
final class MonthlyCss {
    private MonthlyCss() {}

    static final String CSS =
            """
            :root { color-scheme: light; }
            body { margin: 0; background: #f4f6f8; color: #212529;
              font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
                "DejaVu Sans", sans-serif; }
            main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 40px; }
            header h1 { font-size: 28px; margin: 0 0 4px; }
            .sub { color: #495057; margin: 0 0 16px; }
            section { background: #fff; border-radius: 8px; padding: 16px 20px; margin: 16px 0;
              box-shadow: 0 1px 3px rgba(0,0,0,.08); overflow-x: auto; }
            h2 { font-size: 20px; margin: 0 0 10px; }
            h3 { font-size: 16px; margin: 14px 0 6px; }
            .cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
            .card { border: 1px solid #dee2e6; border-radius: 6px; padding: 10px 14px; }
            .card .v { font-size: 26px; font-weight: 650; }
            .card .l { font-weight: 600; }
            .card .d { color: #6c757d; font-size: 13px; }
            .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
            table { border-collapse: collapse; width: 100%; font-size: 14px; }
            th, td { padding: 4px 8px; border-bottom: 1px solid #e9ecef; text-align: left;
              vertical-align: top; white-space: nowrap; }
            th { background: #f1f3f5; font-weight: 600; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums;
              white-space: nowrap; }
            td.flags { white-space: normal; min-width: 130px; }
            .flags .tag { margin: 1px 0; }
            td.t { white-space: nowrap; font-variant-numeric: tabular-nums; }
            td.reason { font-size: 13px; color: #343a40; white-space: normal; min-width: 280px; }
            .tag { display: inline-block; color: #fff; border-radius: 4px; padding: 0 6px;
              font-size: 12px; font-weight: 600; }
            .tag.under { background: #3b7dd8; }
            .tag.idle { background: #7b4fb8; }
            .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
              margin-right: 6px; }
            .note { color: #495057; margin: 0 0 8px; }
            .empty { border-left: 6px solid #e0542e; }
            footer { color: #6c757d; font-size: 13px; margin-top: 20px; }
            svg { display: block; max-width: 100%; height: auto; }
            """;
}
