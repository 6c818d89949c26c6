package dev.ragkit.guard.internal;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Check-digit and structure validators for the numbers a PII detector must not confuse with
 * look-alikes: payment cards (Luhn and issuer ranges), IBANs (country length and ISO 7064 mod 97),
 * French NIR (social security number, key = 97 - n mod 97) and IP addresses.
 *
 * <p>Stateless and thread-safe.
 */
public final class Validators {
    private static final Map<String, Integer> IBAN_LENGTHS = new HashMap<>();

    static {
        // SWIFT IBAN registry lengths (country code -> total length).
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 "
                + "DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 "
                + "IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 "
                + "MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 "
                + "SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";
        for (String entry : table.split(" ")) {
            IBAN_LENGTHS.put(entry.substring(0, 2), Integer.parseInt(entry.substring(2)));
        }
    }

    private Validators() {
    }

    /** The digits of {@code s}, ignoring every other character. */
    public static String digits(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** True when the digit string passes the Luhn (mod 10) check. */
    public static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return digits.length() > 0 && sum % 10 == 0;
    }

    /**
     * The card network whose issuer range and length fit {@code digits}, or null. Covers Visa,
     * Mastercard (51-55 and 2221-2720), American Express, Discover, Diners Club, JCB (including
     * the old 15-digit 1800/2131 ranges), Maestro, UnionPay and Mir.
     */
    public static String cardNetwork(String digits) {
        int len = digits.length();
        if (len < 12 || len > 19) {
            return null;
        }
        int p1 = digits.charAt(0) - '0';
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p3 = Integer.parseInt(digits.substring(0, 3));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        int p6 = Integer.parseInt(digits.substring(0, 6));
        if (p1 == 4 && (len == 13 || len == 16 || len == 19)) {
            return "visa";
        }
        if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && len == 16) {
            return "mastercard";
        }
        if ((p2 == 34 || p2 == 37) && len == 15) {
            return "amex";
        }
        if ((p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925))
                && len >= 16 && len <= 19) {
            return "discover";
        }
        if (((p3 >= 300 && p3 <= 305) || p3 == 309 || p2 == 36 || p2 == 38 || p2 == 39) && len >= 14 && len <= 19) {
            return "diners";
        }
        // JCB is assigned 3528-3589, but test-card generators (and some issuers' test data) use the
        // whole 35 prefix; with Luhn still required, accepting 3500-3599 costs little precision.
        if (p2 == 35 && len >= 16 && len <= 19) {
            return "jcb";
        }
        if ((p4 == 1800 || p4 == 2131) && len == 15) {
            return "jcb";
        }
        if (p4 >= 2200 && p4 <= 2204 && len >= 16 && len <= 19) {
            return "mir";
        }
        if (p2 == 62 && len >= 16 && len <= 19) {
            return "unionpay";
        }
        if ((p2 == 50 || (p2 >= 56 && p2 <= 69)) && len >= 12 && len <= 19) {
            return "maestro";
        }
        return null;
    }

    /** A payment card number: 12-19 digits, a known issuer range for that length, and Luhn. */
    public static boolean isCardNumber(String digits) {
        return cardNetwork(digits) != null && luhn(digits);
    }

    /** The expected IBAN length for a country code, or -1 when the country has no IBAN. */
    public static int ibanLength(String country) {
        return IBAN_LENGTHS.getOrDefault(country.toUpperCase(Locale.ROOT), -1);
    }

    /** An IBAN (spaces allowed, any case): known country, its exact length, check digits 02-98, mod 97 = 1. */
    public static boolean isIban(String value) {
        String iban = value.replace(" ", "").toUpperCase(Locale.ROOT);
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        for (int i = 0; i < iban.length(); i++) {
            char c = iban.charAt(i);
            boolean ok = i < 2 ? (c >= 'A' && c <= 'Z') : i < 4 ? (c >= '0' && c <= '9')
                    : ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
            if (!ok) {
                return false;
            }
        }
        if (ibanLength(iban.substring(0, 2)) != iban.length()) {
            return false;
        }
        int check = Integer.parseInt(iban.substring(2, 4));
        if (check < 2 || check > 98) {
            return false;
        }
        return mod97(iban.substring(4) + iban.substring(0, 4)) == 1;
    }

    /** ISO 7064 mod 97-10 over an alphanumeric string, letters as 10..35. */
    static int mod97(String s) {
        int r = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int v = c <= '9' ? c - '0' : c - 'A' + 10;
            r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
        }
        return r;
    }

    /**
     * A French NIR (numéro de sécurité sociale): 13 characters then a 2-digit key equal to
     * 97 - (number mod 97); Corsican departments 2A and 2B count as 19 and 18. Checks sex (1, 2,
     * or 3, 4, 7, 8 for temporary numbers), month (01-12, 20-42 or 50-99) and the key.
     */
    public static boolean isNir(String value) {
        String nir = value.replace(" ", "").replace(".", "").replace("-", "").toUpperCase(Locale.ROOT);
        if (nir.length() != 15) {
            return false;
        }
        char sex = nir.charAt(0);
        if ("123478".indexOf(sex) < 0) {
            return false;
        }
        String body = nir.substring(0, 13);
        String key = nir.substring(13);
        if (!key.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int month;
        try {
            month = Integer.parseInt(body.substring(3, 5));
        } catch (NumberFormatException e) {
            return false;
        }
        if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) {
            return false;
        }
        String dept = body.substring(5, 7);
        boolean corsica = dept.equals("2A") || dept.equals("2B");
        String digitsOnly = corsica ? body.substring(0, 5) + body.substring(7) : body;
        if (!digitsOnly.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return nirKey(body) == Integer.parseInt(key);
    }

    /** The NIR key (01-97) for a 13-character body, e.g. to build test data. */
    public static int nirKey(String body13) {
        String b = body13.toUpperCase(Locale.ROOT);
        if (b.length() != 13) {
            throw new IllegalArgumentException("NIR body was '" + body13 + "' but it must have 13 characters");
        }
        String dept = b.substring(5, 7);
        String numeric = dept.equals("2A") ? b.substring(0, 5) + "19" + b.substring(7)
                : dept.equals("2B") ? b.substring(0, 5) + "18" + b.substring(7) : b;
        return (int) (97 - new BigInteger(numeric).mod(BigInteger.valueOf(97)).longValue());
    }

    /** A dotted-quad IPv4 address, each part 0-255 without leading zeros. */
    public static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (!Character.isDigit(p.charAt(i))) {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * An IPv6 address in full, compressed ({@code ::}) or IPv4-suffixed form, without zone or prefix.
     * Rejects look-alikes such as times ({@code 10:30:00}) and MAC addresses.
     */
    public static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45) {
            return false;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String head = s;
        int ipv4Groups = 0;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.') >= 0) {
            if (!isIpv4(s.substring(lastColon + 1))) {
                return false;
            }
            head = s.substring(0, lastColon + 1);
            if (!head.endsWith("::")) {
                head = head.substring(0, head.length() - 1);
            }
            ipv4Groups = 2;
        }
        if (head.isEmpty()) {
            return false;
        }
        int groups = 0;
        if (dbl >= 0) {
            String[] sides = head.split("::", -1);
            for (String side : sides) {
                if (side.isEmpty()) {
                    continue;
                }
                for (String g : side.split(":", -1)) {
                    if (!isHexGroup(g)) {
                        return false;
                    }
                    groups++;
                }
            }
            // "::" stands for at least one zero group; require some real content so "::" alone
            // and two-group look-alikes are not reported as addresses.
            return groups + ipv4Groups <= 7 && groups + ipv4Groups >= 1 && s.length() >= 3;
        }
        for (String g : head.split(":", -1)) {
            if (!isHexGroup(g)) {
                return false;
            }
            groups++;
        }
        return groups + ipv4Groups == 8;
    }

    private static boolean isHexGroup(String g) {
        if (g.isEmpty() || g.length() > 4) {
            return false;
        }
        for (int i = 0; i < g.length(); i++) {
            if (Character.digit(g.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
