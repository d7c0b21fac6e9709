package io.rightsizer.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of rule-set versions, which decides whether a published update is newer than the rule
 * set in force (rules/README.md, "Versions").
 *
 * <p>A version is split into runs of digits and runs of other characters ({@code 2026.11.0} → 2026
 * . 11 . 0; {@code 2026-11-26.1} → 2026 - 11 - 26 . 1). Runs are compared pairwise: two digit runs
 * by numeric value (so 2026.11.10 is newer than 2026.11.9), anything else by its characters (code
 * point order), and a digit run is newer than a non-digit run at the same place. When one version
 * is a prefix of the other in this sense, the longer is newer ({@code 2026.11.0.1} after {@code
 * 2026.11.0}). Versions equal in this order (such as {@code 1.01} and {@code 1.1}) are the same
 * version.
 */
public final class RuleSetVersions {
    private RuleSetVersions() {}

    /** Negative when {@code a} is older than {@code b}, zero when the same, positive when newer. */
    public static int compare(String a, String b) {
        List<String> x = runs(a);
        List<String> y = runs(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = compareRun(x.get(i), y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    public static boolean isNewer(String candidate, String inForce) {
        return compare(candidate, inForce) > 0;
    }

    private static int compareRun(String a, String b) {
        boolean da = Character.isDigit(a.charAt(0));
        boolean db = Character.isDigit(b.charAt(0));
        if (da && db) {
            String na = stripZeros(a);
            String nb = stripZeros(b);
            if (na.length() != nb.length()) {
                return Integer.compare(na.length(), nb.length());
            }
            return na.compareTo(nb);
        }
        if (da != db) {
            return da ? 1 : -1;
        }
        return a.compareTo(b);
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    private static List<String> runs(String v) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < v.length()) {
            boolean digit = isAsciiDigit(v.charAt(i));
            int j = i + 1;
            while (j < v.length() && isAsciiDigit(v.charAt(j)) == digit) {
                j++;
            }
            out.add(v.substring(i, j));
            i = j;
        }
        return out;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
