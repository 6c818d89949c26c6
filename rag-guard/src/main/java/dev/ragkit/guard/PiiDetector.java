package dev.ragkit.guard;

import dev.ragkit.guard.internal.NameFinder;
import dev.ragkit.guard.internal.Validators;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in text: e-mail addresses, phone numbers, IBANs, payment cards, French NIRs,
 * IP addresses and person names. Numbers are confirmed by their validators (Luhn and issuer range,
 * IBAN country length and mod 97, NIR key, IP ranges), so look-alikes are not reported.
 *
 * <p>Immutable and thread-safe. {@code PiiDetector.all()} finds every type.
 */
public final class PiiDetector {
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}(?![\\w@])");
    private static final Pattern IBAN = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z]{2}\\d{2}(?:[ ]?[A-Za-z0-9]){11,30}");
    private static final Pattern CARD = Pattern.compile("(?<![\\w.,-])\\d(?:[ -]?\\d){11,18}(?!\\w)");
    private static final Pattern NIR = Pattern.compile(
            "(?<![\\w.-])[1-478][ .]?\\d{2}[ .]?\\d{2}[ .]?(?:\\d{2}|2[ABab])[ .]?\\d{3}[ .]?\\d{3}[ .]?\\d{2}(?![\\w])");
    private static final Pattern IPV4 = Pattern.compile("(?<![\\w.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\w]|\\.\\d)");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\\d{1,3}(?:\\.\\d{1,3}){3})?(?![\\w:])");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+.\\-/])(?:(?:\\+|00)\\d{1,3}[ .\\-]?)?(?:\\(\\d{1,4}\\)[ .\\-]?)?\\d{1,11}(?:[ .\\-]\\d{1,8}){0,6}"
                    + "(?:\\s?(?:x|ext\\.?)\\s?\\d{1,5})?(?!\\w|[.\\-/]\\d)");
    private static final Pattern FR_NATIONAL = Pattern.compile("0[1-9](?:[ .\\-]?\\d{2}){4}");
    private static final Pattern DATE = Pattern.compile("\\d{1,4}[./\\-]\\d{1,2}[./\\-]\\d{1,4}");
    private static final Pattern US_SSN = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");
    private static final Pattern THOUSANDS = Pattern.compile("\\d{1,3}(?:[ .,]\\d{3})+");
    private static final Pattern DATE_PREFIX = Pattern.compile("^\\d{4}[./\\-]\\d{1,2}[./\\-]\\d{1,2}|"
            + "^\\d{1,2}[./\\-]\\d{1,2}[./\\-]\\d{4}");
    private static final Pattern PHONE_CUE = Pattern.compile("(?i)(phone|tel|t[ée]l[ée]phone|mobile|cell|fax|desk|"
            + "call|ring|portable|num[ée]ro|n°|telefon|handy|rufnummer|whatsapp|sms|text me|contact|joindre|"
            + "answering|reach)\\W{0,5}(\\w+\\W{1,3}){0,3}$");
    private static final Pattern MONEY_AFTER = Pattern.compile("^\\s?(?:€|\\$|£|eur|euros?|usd|dollars?|gbp|chf|%)",
            Pattern.CASE_INSENSITIVE);

    private final Set<PiiType> types;

    private PiiDetector(Set<PiiType> types) {
        this.types = Set.copyOf(types);
    }

    /** A detector for every {@link PiiType}. */
    public static PiiDetector all() {
        return new PiiDetector(EnumSet.allOf(PiiType.class));
    }

    /** A detector for the given types only. */
    public static PiiDetector of(Set<PiiType> types) {
        Objects.requireNonNull(types, "types");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("types was empty but a PII detector needs at least one type");
        }
        return new PiiDetector(EnumSet.copyOf(types));
    }

    /** The types this detector looks for. */
    public Set<PiiType> types() {
        return types;
    }

    /** The personal data in {@code text}, sorted by position, never overlapping. */
    public List<PiiMatch> find(String text) {
        Objects.requireNonNull(text, "text");
        List<PiiMatch> found = new ArrayList<>();
        if (types.contains(PiiType.EMAIL) && text.indexOf('@') >= 0) {
            Matcher m = EMAIL.matcher(text);
            while (m.find()) {
                found.add(match(PiiType.EMAIL, text, m.start(), m.end()));
            }
        }
        if (types.contains(PiiType.IBAN)) {
            findIbans(text, found);
        }
        if (types.contains(PiiType.CARD)) {
            findCards(text, found);
        }
        if (types.contains(PiiType.NIR)) {
            Matcher m = NIR.matcher(text);
            while (m.find()) {
                if (Validators.isNir(m.group())) {
                    found.add(match(PiiType.NIR, text, m.start(), m.end()));
                }
            }
        }
        if (types.contains(PiiType.IP)) {
            Matcher m = IPV4.matcher(text);
            while (m.find()) {
                if (Validators.isIpv4(m.group())) {
                    found.add(match(PiiType.IP, text, m.start(), m.end()));
                }
            }
            if (text.indexOf(':') >= 0) {
                m = IPV6.matcher(text);
                while (m.find()) {
                    if (m.end() - m.start() >= 3 && Validators.isIpv6(m.group())) {
                        found.add(match(PiiType.IP, text, m.start(), m.end()));
                    }
                }
            }
        }
        if (types.contains(PiiType.PHONE)) {
            findPhones(text, found);
        }
        if (types.contains(PiiType.PERSON)) {
            for (NameFinder.Span s : NameFinder.find(text)) {
                found.add(match(PiiType.PERSON, text, s.start(), s.end()));
            }
        }
        return resolveOverlaps(found);
    }

    /** True when {@code text} holds any personal data this detector looks for. */
    public boolean containsPii(String text) {
        return !find(text).isEmpty();
    }

    private static PiiMatch match(PiiType type, String text, int start, int end) {
        return new PiiMatch(type, start, end, text.substring(start, end));
    }

    private static void findIbans(String text, List<PiiMatch> found) {
        Matcher m = IBAN.matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int start = m.start();
            int length = Validators.ibanLength(text.substring(start, start + 2));
            from = m.start() + 1;
            if (length < 0) {
                continue;
            }
            // The pattern may run on into the next word; take exactly the country's length.
            int count = 0;
            int i = start;
            while (i < m.end() && count < length) {
                if (text.charAt(i) != ' ') {
                    count++;
                }
                i++;
            }
            if (count == length && (i >= text.length() || !Character.isLetterOrDigit(text.charAt(i)))
                    && Validators.isIban(text.substring(start, i))) {
                found.add(match(PiiType.IBAN, text, start, i));
                from = i;
            }
        }
    }

    private static void findCards(String text, List<PiiMatch> found) {
        Matcher m = CARD.matcher(text);
        while (m.find()) {
            // Greedy matching may swallow a following number; try shorter prefixes at group ends.
            String group = m.group();
            for (int end = group.length(); end >= 12; end--) {
                if (end < group.length() && Character.isDigit(group.charAt(end))) {
                    continue;
                }
                String digits = Validators.digits(group.substring(0, end));
                if (Validators.isCardNumber(digits)) {
                    found.add(match(PiiType.CARD, text, m.start(), m.start() + end));
                    break;
                }
            }
        }
    }

    private static void findPhones(String text, List<PiiMatch> found) {
        Matcher m = PHONE.matcher(text);
        while (m.find()) {
            String s = m.group();
            int start = m.start();
            int end = m.end();
            String trimmed = s.strip();
            if (trimmed.length() != s.length()) {
                end = start + s.stripTrailing().length();
                s = text.substring(start, end);
            }
            if (isPhone(s, text, start, end)) {
                found.add(match(PiiType.PHONE, text, start, end));
            }
        }
    }

    /** Decides whether a digit run shaped like a phone number is one. */
    static boolean isPhone(String s, String text, int start, int end) {
        int ext = Math.max(s.indexOf('x'), s.indexOf("ext"));
        String main = ext > 0 ? s.substring(0, ext) : s;
        String digits = Validators.digits(main);
        int n = digits.length();
        if (n < 7 || n > 15) {
            return false;
        }
        boolean international = main.startsWith("+") || main.startsWith("00");
        if (international) {
            return n >= 8;
        }
        if (DATE.matcher(main).matches() || DATE_PREFIX.matcher(main).find() || US_SSN.matcher(main).matches()) {
            return false;
        }
        if (THOUSANDS.matcher(main).matches() && MONEY_AFTER.matcher(text.substring(end, Math.min(text.length(),
                end + 8))).find()) {
            return false;
        }
        if (FR_NATIONAL.matcher(main).matches() || main.startsWith("(")) {
            return true;
        }
        int groups = 1;
        for (int i = 0; i < main.length(); i++) {
            char c = main.charAt(i);
            if ((c == ' ' || c == '.' || c == '-') && i + 1 < main.length() && Character.isDigit(main.charAt(i + 1))) {
                groups++;
            }
        }
        if (groups == 1) {
            // A bare digit run is a phone only at the usual national lengths.
            return n == 10 || n == 11;
        }
        if (groups == 2) {
            // "370 3911" is as often a street number as a phone: two groups need a cue before them
            // ("phone:", "tél.", "call") or a leading trunk zero.
            boolean cue = PHONE_CUE.matcher(text.substring(Math.max(0, start - 30), start)).find();
            return !looksLikeYears(main) && (cue || (main.charAt(0) == '0' && n >= 9));
        }
        return true;
    }

    private static boolean looksLikeYears(String s) {
        String[] parts = s.split("[ .\\-]");
        for (String p : parts) {
            if (!(p.length() == 4 && (p.startsWith("19") || p.startsWith("20")))) {
                return false;
            }
        }
        return true;
    }

    /** Keeps the most specific match where matches overlap: validated numbers beat phones and names. */
    private static List<PiiMatch> resolveOverlaps(List<PiiMatch> found) {
        if (found.size() <= 1) {
            return List.copyOf(found);
        }
        List<PiiMatch> byPriority = new ArrayList<>(found);
        byPriority.sort(Comparator.comparingInt((PiiMatch p) -> priority(p.type()))
                .thenComparingInt(p -> -(p.end() - p.start())).thenComparingInt(PiiMatch::start));
        List<PiiMatch> kept = new ArrayList<>();
        for (PiiMatch p : byPriority) {
            boolean overlaps = false;
            for (PiiMatch k : kept) {
                if (p.start() < k.end() && k.start() < p.end()) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(p);
            }
        }
        kept.sort(Comparator.comparingInt(PiiMatch::start));
        return List.copyOf(kept);
    }

    private static int priority(PiiType type) {
        return switch (type) {
            case EMAIL -> 0;
            case IBAN -> 1;
            case CARD -> 2;
            case NIR -> 3;
            case IP -> 4;
            case PHONE -> 5;
            case PERSON -> 6;
        };
    }
}
