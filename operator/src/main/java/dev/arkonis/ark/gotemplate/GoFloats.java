package dev.arkonis.ark.gotemplate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Go's strconv.FormatFloat for float64: verbs e E f g G x X b, shortest (precision -1) or a given precision. */
final class GoFloats {
    private GoFloats() {
    }

    /** Decimal digits of a magnitude: value = 0.{@code digits} x 10^{@code point}; no trailing zeros, "" for zero. */
    private record Digits(String digits, int point) {
        int count() {
            return digits.length();
        }

        char at(int i) {
            return digits.charAt(i);
        }

        static Digits of(BigDecimal value) {
            if (value.signum() == 0) {
                return new Digits("", 0);
            }
            BigDecimal stripped = value.stripTrailingZeros();
            String unscaled = stripped.unscaledValue().toString();
            return new Digits(unscaled, unscaled.length() - stripped.scale());
        }
    }

    static String format(double v, char verb, int prec) {
        boolean neg = Double.doubleToRawLongBits(v) < 0;
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return neg ? "-Inf" : "+Inf";
        }
        if (verb == 'x' || verb == 'X') {
            return hex(v, verb, prec);
        }
        if (verb == 'b') {
            return binary(v);
        }
        double abs = Math.abs(v);
        boolean shortest = prec < 0;
        Digits d;
        if (shortest) {
            d = shortest(abs);
            prec = switch (verb) {
                case 'e', 'E' -> Math.max(d.count() - 1, 0);
                case 'f' -> Math.max(d.count() - d.point(), 0);
                default -> d.count();
            };
        } else {
            BigDecimal exact = new BigDecimal(abs);
            d = switch (verb) {
                case 'e', 'E' -> Digits.of(exact.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN)));
                case 'f' -> Digits.of(exact.setScale(prec, RoundingMode.HALF_EVEN));
                default -> {
                    if (prec == 0) {
                        prec = 1;
                    }
                    yield Digits.of(exact.round(new MathContext(prec, RoundingMode.HALF_EVEN)));
                }
            };
        }
        StringBuilder out = new StringBuilder();
        if (neg) {
            out.append('-');
        }
        switch (verb) {
            case 'e', 'E' -> exponent(out, d, prec, verb);
            case 'f' -> fixed(out, d, prec);
            default -> {
                int eprec = prec;
                if (eprec > d.count() && d.count() >= d.point()) {
                    eprec = d.count();
                }
                if (shortest) {
                    eprec = 6;
                }
                int exp = d.point() - 1;
                if (exp < -4 || exp >= eprec) {
                    exponent(out, d, Math.min(prec, d.count()) - 1, verb == 'G' ? 'E' : 'e');
                } else {
                    fixed(out, d, Math.max((prec > d.point() ? d.count() : prec) - d.point(), 0));
                }
            }
        }
        return out.toString();
    }

    /** The shortest decimal that reads back as the same float64. */
    private static Digits shortest(double abs) {
        if (abs == 0) {
            return new Digits("", 0);
        }
        BigDecimal exact = new BigDecimal(abs);
        for (int p = 1; p < 17; p++) {
            BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == abs) {
                return Digits.of(candidate);
            }
        }
        return Digits.of(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
    }

    private static void exponent(StringBuilder out, Digits d, int prec, char e) {
        out.append(d.count() == 0 ? '0' : d.at(0));
        if (prec > 0) {
            out.append('.');
            for (int i = 1; i <= prec; i++) {
                out.append(i < d.count() ? d.at(i) : '0');
            }
        }
        int exp = d.count() == 0 ? 0 : d.point() - 1;
        out.append(e).append(exp < 0 ? '-' : '+');
        exp = Math.abs(exp);
        if (exp < 10) {
            out.append('0');
        }
        out.append(exp);
    }

    private static void fixed(StringBuilder out, Digits d, int prec) {
        if (d.point() > 0) {
            for (int i = 0; i < d.point(); i++) {
                out.append(i < d.count() ? d.at(i) : '0');
            }
        } else {
            out.append('0');
        }
        if (prec > 0) {
            out.append('.');
            for (int i = 1; i <= prec; i++) {
                int j = d.point() + i - 1;
                out.append(j >= 0 && j < d.count() ? d.at(j) : '0');
            }
        }
    }

    /** A double's IEEE 754 fields: its sign, the mantissa with its implicit bit, the exponent without its bias. */
    private record Fields(boolean negative, long mant, int exp) {
        static Fields of(double v) {
            long bits = Double.doubleToRawLongBits(v);
            int exp = (int) ((bits >>> 52) & 0x7FF);
            long mant = bits & ((1L << 52) - 1);
            if (exp == 0) {
                exp++; // subnormal: no implicit bit
            } else {
                mant |= 1L << 52;
            }
            return new Fields(bits < 0, mant, exp - 1023);
        }
    }

    /** %x: -0x1.yyyyp+dd with the fraction in hex and a decimal binary exponent. */
    private static String hex(double v, char verb, int prec) {
        Fields fields = Fields.of(v);
        long mant = fields.mant();
        int exp = fields.exp();
        if (mant == 0) {
            exp = 0;
        }
        mant <<= 60 - 52;
        while (mant != 0 && (mant & (1L << 60)) == 0) {
            mant <<= 1;
            exp--;
        }
        if (prec >= 0 && prec < 15) {
            int shift = prec * 4;
            long extra = (mant << shift) & ((1L << 60) - 1);
            mant >>>= 60 - shift;
            if ((extra | (mant & 1)) > 1L << 59) {
                mant++;
            }
            mant <<= 60 - shift;
            if ((mant & (1L << 61)) != 0) {
                mant >>>= 1;
                exp++;
            }
        }
        String digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        StringBuilder out = new StringBuilder();
        if (fields.negative()) {
            out.append('-');
        }
        out.append('0').append(verb).append((char) ('0' + ((mant >>> 60) & 1)));
        mant <<= 4;
        if (prec < 0 && mant != 0) {
            out.append('.');
            while (mant != 0) {
                out.append(digits.charAt((int) ((mant >>> 60) & 15)));
                mant <<= 4;
            }
        } else if (prec > 0) {
            out.append('.');
            for (int i = 0; i < prec; i++) {
                out.append(digits.charAt((int) ((mant >>> 60) & 15)));
                mant <<= 4;
            }
        }
        out.append(verb == 'X' ? 'P' : 'p').append(exp < 0 ? '-' : '+');
        exp = Math.abs(exp);
        if (exp < 10) {
            out.append('0');
        }
        return out.append(exp).toString();
    }

    /** %b: decimal mantissa and binary exponent, -ddddp+ddd. */
    private static String binary(double v) {
        Fields fields = Fields.of(v);
        long mant = fields.mant();
        int exp = fields.exp() - 52;
        return (fields.negative() ? "-" : "") + mant + "p" + (exp >= 0 ? "+" : "") + exp;
    }

    /** encoding/json's float64: shortest digits, 'f' form unless the magnitude is below 1e-6 or from 1e21 up. */
    static String json(double v) {
        double abs = Math.abs(v);
        boolean exp = abs != 0 && (abs < 1e-6 || abs >= 1e21);
        String s = format(v, exp ? 'e' : 'f', -1);
        if (exp) {
            int n = s.length();
            // clean up e-09 to e-9
            if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
                s = s.substring(0, n - 2) + s.charAt(n - 1);
            }
        }
        return s;
    }
}
