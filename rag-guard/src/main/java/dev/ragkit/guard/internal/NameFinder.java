package dev.ragkit.guard.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds person names in English, French and German text without a statistical model: a given name
 * from the bundled list (followed by capitalised words or initials), a title ({@code Mr}, {@code M.},
 * {@code Mme}, {@code Herr}...) followed by capitalised words, or a cue such as "my name is" /
 * "je m'appelle". A surname found once is also found alone later in the same text.
 *
 * <p>Immutable and thread-safe.
 */
public final class NameFinder {
    private static final String RESOURCE = "/dev/ragkit/guard/first-names.txt";
    private static final Set<String> TITLES = Set.copyOf(List.of("mr", "mrs", "ms", "miss", "mister", "dr", "prof", "sir", "dame",
            "lady", "lord", "monsieur", "madame", "mademoiselle", "mme", "mmes", "mlle", "mlles", "messieurs", "mm",
            "maitre", "herr", "frau", "docteur", "professeur", "doktor"));
    /** Capitalised words that follow names or titles but are not names themselves. */
    private static final Set<String> NOT_NAMES = Set.copyOf(List.of("the", "le", "la", "les", "un", "une", "des", "a", "an", "and",
            "et", "und", "or", "ou", "of", "in", "on", "at", "to", "for", "with", "by", "from", "is", "was", "est",
            "i", "je", "il", "elle", "nous", "vous", "ils", "elles", "he", "she", "we", "they", "you", "it", "this",
            "that", "ce", "cette", "der", "die", "das", "ein", "eine", "ich", "er", "sie", "es", "wir", "ihr",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi", "mardi",
            "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "january", "february", "march", "april", "may",
            "june", "july", "august", "september", "october", "november", "december", "janvier", "fevrier", "mars",
            "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "street",
            "road", "avenue", "rue", "boulevard", "university", "universite", "inc", "ltd", "llc", "sa", "sas",
            "gmbh", "company", "hospital", "hopital", "school", "ecole", "bank", "banque", "cour", "court",
            "commission", "convention", "gouvernement", "government", "etat", "state", "president", "ministre",
            "minister", "article", "section", "chapter", "chapitre", "paris", "london", "france", "england",
            "germany", "allemagne", "royaume", "uni", "united", "kingdom", "states", "america", "europe",
            "european", "europeenne", "new", "york", "san", "los", "saint", "st", "lake", "mount", "river", "city",
            "county", "north", "south", "east", "west", "nord", "sud", "est", "ouest", "ok", "hi", "hello",
            "bonjour", "dear", "cher", "chere", "thanks", "merci", "please", "yes", "no", "oui", "non", "justice",
            "advocate", "clerk", "general", "chief", "chancellor", "attorney", "solicitor", "judge", "juge"));
    private static final Set<String> PARTICLES = Set.copyOf(List.of("de", "du", "des", "van", "von", "der", "den", "da", "di",
            "del", "della", "dos", "das", "le", "la", "ter", "ten", "bin", "ibn", "al", "el"));
    /** Listed names that are also everyday words or places: a name only with a surname after them. */
    private static final Set<String> COMMON_WORDS = Set.copyOf(List.of("can", "per", "long", "hung", "van", "na", "yan", "jan",
            "mai", "said", "tal", "ole", "tor", "bo", "else", "lane", "rich", "iris", "clement", "frank", "chance",
            "georgia", "virginia", "florence", "lourdes", "sydney", "victoria", "jordan", "austin", "chelsea",
            "savannah", "madison", "li", "lin", "yu", "jin", "hong", "gang", "ping", "yang", "yi", "ying", "yong",
            "wei", "sung", "hao", "bao", "hai", "lan", "nam", "thu", "shin", "rin", "jun", "ken", "dag", "ida", "ada",
            "ruby", "jade", "amber", "crystal", "summer", "autumn", "grace", "hope", "faith", "angel", "major",
            "king", "miles", "page", "drew", "reed", "ray", "don", "max", "guy", "joy", "may", "june", "april",
            "august", "jean", "jesus", "christian", "dean", "earl", "duke", "sterling", "nadir", "mark", "will",
            "bill", "art", "pat", "sue", "ion", "eva", "sans", "ever", "gay", "kai", "min", "ming", "mei", "rex",
            "nora", "lena", "dawn", "sunny", "tim", "nick", "jack", "penny", "sandy", "olive", "violet", "ivy",
            "forrest", "hunter", "parker", "mason", "cooper", "carter", "bailey", "avery", "harley", "spencer",
            "grant", "hector", "homer", "perry", "preston", "quinn", "rowan", "wade", "lance", "kent", "cole", "blair"));
    /** Words after a capitalised run that make it a street or a company, not a person. */
    private static final Set<String> PLACE_AFTER = Set.copyOf(List.of("street", "st", "avenue", "ave", "road", "rd",
            "drive", "dr", "lane", "ln", "way", "pass", "bypass", "loop", "union", "terrace", "point", "radial",
            "extensions", "extension", "parks", "park", "fort", "u", "utca", "ut", "ter", "square", "place", "pl",
            "court", "ct", "boulevard", "blvd", "crescent", "close", "gardens", "row", "hill", "inc", "ltd", "llc",
            "corp", "investments", "capital", "group", "partners", "plaza", "highway", "hwy", "strasse", "platz",
            "weg", "allee", "gasse", "rue", "island", "islands", "bridge", "heights", "station", "airport", "valley"));
    private static final Map<String, Boolean> NAMES = load();

    private NameFinder() {
    }

    /** A name span, end exclusive. */
    public record Span(int start, int end) {
    }

    private record Word(int start, int end, String folded, boolean cap, boolean allCaps, boolean initial) {
    }

    /** The person-name spans of {@code text}, in order, not overlapping. */
    public static List<Span> find(String text) {
        boolean lowerCaseText = !hasUpperCase(text);
        List<Word> words = words(text, lowerCaseText);
        List<Span> spans = new ArrayList<>();
        Set<String> surnames = new HashSet<>();
        boolean[] used = new boolean[words.size()];
        for (int i = 0; i < words.size(); i++) {
            if (used[i]) {
                continue;
            }
            Word w = words.get(i);
            int first = -1;
            boolean needsMore = false;
            if (TITLES.contains(w.folded) && (w.cap || w.allCaps) && !(w.folded.equals("m") || w.folded.equals("mm"))) {
                first = i + 1;
            } else if ((w.folded.equals("m") || w.folded.equals("mm")) && (w.initial || w.allCaps) && i + 1 < words.size()
                    && (text.startsWith(".", w.end) || text.startsWith(" .", w.end))) {
                first = i + 1;
            } else if (isCue(words, i)) {
                first = i + 1;
            } else if (isRoleCue(words, i) && i + 1 < words.size() && words.get(i + 1).cap) {
                first = i + 1;
            } else if (isIntroduction(words, i) && i + 2 < words.size() && words.get(i + 1).cap) {
                // "I'm Quarto Angelo": needs two name words, since "I am French" is not a name.
                first = i + 1;
                needsMore = true;
            } else if (w.cap && !w.allCaps && !w.initial) {
                Boolean ambiguous = NAMES.get(w.folded);
                if (ambiguous != null && !NOT_NAMES.contains(w.folded)) {
                    first = i;
                    needsMore = ambiguous;
                }
            }
            if (first < 0 || first >= words.size()) {
                continue;
            }
            int last = extend(text, words, first, first == i);
            if (last < first || (needsMore && last == first) || (lowerCaseText && (needsMore || first != i))
                    || looksLikePlace(text, words, first, last)) {
                continue;
            }
            for (int k = first; k <= last; k++) {
                used[k] = true;
            }
            Word lw = words.get(last);
            if (!lw.initial && last > first || (first != i && !lw.initial)) {
                surnames.add(lw.folded);
            }
            int end = lw.end;
            if (lw.initial && end < text.length() && text.charAt(end) == '.') {
                end++;
            }
            spans.add(new Span(words.get(first).start, end));
        }
        if (!lowerCaseText) {
            addListNeighbours(text, words, used, spans);
        }
        if (!surnames.isEmpty()) {
            for (int i = 0; i < words.size(); i++) {
                Word w = words.get(i);
                if (!used[i] && w.cap && surnames.contains(w.folded) && !NOT_NAMES.contains(w.folded)) {
                    spans.add(new Span(w.start, w.end));
                }
            }
            spans.sort((a, b) -> Integer.compare(a.start, b.start));
        }
        return spans;
    }

    /**
     * In "Kónya, Becker and Vasquez" one recognised name makes its list neighbours names too: single
     * capitalised words joined to it by a comma or a conjunction.
     */
    private static void addListNeighbours(String text, List<Word> words, boolean[] used, List<Span> spans) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < words.size(); i++) {
                if (used[i]) {
                    continue;
                }
                Word w = words.get(i);
                if (!w.cap || NOT_NAMES.contains(w.folded) || TITLES.contains(w.folded)) {
                    continue;
                }
                boolean left = i > 0 && used[i - 1] && listGap(text, words.get(i - 1).end, w.start)
                        && (i + 1 >= words.size() || !words.get(i + 1).cap || !listGap(text, w.end, words.get(i + 1).start));
                boolean right = i + 1 < words.size() && used[i + 1] && listGap(text, w.end, words.get(i + 1).start)
                        && (i == 0 || !words.get(i - 1).cap || used[i - 1] || listGap(text, words.get(i - 1).end, w.start));
                if (left || right) {
                    used[i] = true;
                    spans.add(new Span(w.start, w.end));
                    changed = true;
                }
            }
        }
        spans.sort((a, b) -> Integer.compare(a.start, b.start));
    }

    /** "808 Kálmán Imre u. 12", "Philip Bypass", "Russell Investments": an address or a company. */
    private static boolean looksLikePlace(String text, List<Word> words, int first, int last) {
        if (last + 1 < words.size() && PLACE_AFTER.contains(words.get(last + 1).folded)
                && words.get(last + 1).start - words.get(last).end <= 2) {
            return true;
        }
        int k = words.get(first).start - 1;
        while (k >= 0 && text.charAt(k) == ' ') {
            k--;
        }
        return k >= 0 && Character.isDigit(text.charAt(k));
    }

    private static boolean listGap(String text, int from, int to) {
        String gap = text.substring(from, to).trim();
        return gap.equals(",") || gap.equals("and") || gap.equals("et") || gap.equals("und") || gap.equals("&")
                || gap.equals("or") || gap.equals("ou") || gap.equals(", and") || gap.equals(", et");
    }

    private static boolean hasUpperCase(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isUpperCase(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code name} is in the bundled given-name list (ignoring case and accents). */
    public static boolean isGivenName(String name) {
        return NAMES.containsKey(fold(name));
    }

    /** The index of the last word of a name starting at {@code first}, or first - 1 when none. */
    private static int extend(String text, List<Word> words, int first, boolean startsWithGivenName) {
        Word f = words.get(first);
        if (!startsWithGivenName && !isNameWord(f)) {
            return first - 1;
        }
        int last = first;
        int k = first + 1;
        while (k < words.size() && last - first < 3) {
            Word w = words.get(k);
            Word prev = words.get(k - 1);
            if (!onlySpaceOrDot(text, prev.end, w.start)) {
                break;
            }
            if (isNameWord(w)) {
                last = k;
                k++;
            } else if (PARTICLES.contains(w.folded) && !w.cap && k + 1 < words.size() && isNameWord(words.get(k + 1))
                    && onlySpaceOrDot(text, w.end, words.get(k + 1).start)) {
                last = k + 1;
                k += 2;
            } else {
                break;
            }
        }
        return last;
    }

    private static boolean isNameWord(Word w) {
        return (w.cap || w.initial || (w.allCaps && w.end - w.start >= 2)) && !NOT_NAMES.contains(w.folded)
                && !TITLES.contains(w.folded);
    }

    private static boolean onlySpaceOrDot(String text, int from, int to) {
        if (to - from > 3) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '.') {
                return false;
            }
        }
        return to > from;
    }

    /** Role and address words after which a capitalised word is a person: "my kid Selma", "Producer X". */
    private static final Set<String> ROLE_CUES = Set.copyOf(List.of("producer", "director", "author", "singer",
            "actor", "actress", "professor", "kid", "son", "daughter", "wife", "husband", "brother", "sister",
            "mother", "father", "friend", "colleague", "dear", "hi", "hello", "fils", "fille", "femme", "mari",
            "frere", "soeur", "mere", "pere", "ami", "amie", "collegue", "chere", "cher", "bonjour", "sohn", "tochter",
            "frau", "mann", "bruder", "schwester", "kollege", "kollegin", "hallo", "liebe", "lieber", "patient",
            "patiente", "client", "cliente", "customer", "employee", "requerant", "requerante"));

    private static boolean isRoleCue(List<Word> words, int i) {
        Word w = words.get(i);
        return ROLE_CUES.contains(w.folded) && !(i + 1 < words.size() && NOT_NAMES.contains(words.get(i + 1).folded));
    }

    private static boolean isIntroduction(List<Word> words, int i) {
        String w = words.get(i).folded;
        String p1 = i >= 1 ? words.get(i - 1).folded : "";
        return ((w.equals("am") || w.equals("m")) && p1.equals("i")) || (w.equals("suis") && p1.equals("je"))
                || (w.equals("bin") && p1.equals("ich"));
    }

    private static boolean isCue(List<Word> words, int i) {
        String w = words.get(i).folded;
        String p1 = i >= 1 ? words.get(i - 1).folded : "";
        String p2 = i >= 2 ? words.get(i - 2).folded : "";
        return (w.equals("is") && p1.equals("name")) || w.equals("called") || w.equals("appele") || w.equals("appelee")
                || (w.equals("name") && i + 1 < words.size() && (p1.equals("last") || p1.equals("your") || p1.equals("full")
                || p1.equals("first") || p1.equals("my") || i == 0)) || w.equals("named") || w.equals("nomme") || w.equals("nommee")
                || w.equals("appelle") && (p1.equals("m") || p1.equals("s")) || (w.equals("heisse") && p1.equals("ich"))
                || (w.equals("ist") && p1.equals("name")) || (w.equals("est") && p1.equals("nom") && p2.equals("mon"));
    }

    private static List<Word> words(String text, boolean allLowerCase) {
        List<Word> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!Character.isLetter(c)) {
                i++;
                continue;
            }
            int start = i;
            boolean lower = false;
            boolean upper = false;
            while (i < n) {
                char d = text.charAt(i);
                if (Character.isLetter(d)) {
                    lower |= Character.isLowerCase(d);
                    upper |= Character.isUpperCase(d);
                    i++;
                } else if ((d == '-') && i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                    i++;
                } else {
                    break;
                }
            }
            String raw = text.substring(start, i);
            // In a text written all in lower case, a listed given name followed by another word still
            // counts: treat every word as capitalised and let the name list decide.
            boolean firstUpper = Character.isUpperCase(raw.charAt(0)) || (allLowerCase && raw.length() > 1);
            if (allLowerCase && raw.length() > 1) {
                lower = true;
            }
            boolean initial = raw.length() == 1 && firstUpper;
            out.add(new Word(start, i, fold(raw), firstUpper && lower, upper && !lower && raw.length() > 1, initial));
        }
        return out;
    }

    static String fold(String s) {
        String lower = TextNormalizer.fold(s);
        for (int i = 0; i < lower.length(); i++) {
            if (lower.charAt(i) >= 0x80) {
                return lower
                        .replace('ß', 's').replace('ł', 'l').replace('ø', 'o').replace('đ', 'd').replace('ı', 'i')
                        .replace('æ', 'a').replace('œ', 'o').replace('þ', 't').replace('ð', 'd');
            }
        }
        return lower;
    }

    private static Map<String, Boolean> load() {
        return BundledResource.read(RESOURCE, NameFinder::parse);
    }

    private static Map<String, Boolean> parse(InputStream in) throws IOException {
        Map<String, Boolean> names = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                for (String token : line.trim().split("\\s+")) {
                    boolean ambiguous = token.startsWith("~");
                    String name = fold(ambiguous ? token.substring(1) : token);
                    // A name listed once as ambiguous stays ambiguous.
                    names.merge(name, ambiguous || COMMON_WORDS.contains(name), (a, b) -> a || b);
                }
            }
        }
        return Map.copyOf(names);
    }
}
