package dev.arkonis.ark.api;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** How an amount of US dollars reads in a terminal or a page: cents for dollars, three figures for fractions of one. */
public final class Usd {
    private static final BigDecimal CENT = new BigDecimal("0.01");

    private Usd() {
    }

    /** {@code $12.35}, {@code $0.0123}, {@code $0.000121}, {@code $0}; empty when the cost is not known. */
    public static String format(BigDecimal usd) {
        if (usd == null) {
            return "";
        }
        if (usd.signum() == 0) {
            return "$0";
        }
        BigDecimal shown = usd.abs().compareTo(BigDecimal.ONE) >= 0 ? usd.setScale(2, RoundingMode.HALF_UP)
                : usd.abs().compareTo(CENT) >= 0 ? usd.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros()
                : usd.round(new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros();
        return "$" + shown.toPlainString();
    }

    /** The cost of these tokens, or empty when no price was known. */
    public static String of(TokenUsage usage) {
        return usage == null ? "" : format(usage.costUSD());
    }
}
