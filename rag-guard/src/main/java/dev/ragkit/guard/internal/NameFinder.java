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
import java.util.regex.Pattern;

/**
 * Finds person names in English, French and German text without a statistical model: a given name
 * from the bundled list (followed by capitalised words or initials), two or more capitalised words
 * ending in a listed surname, a title ({@code Mr}, {@code M.}, {@code Mme}, {@code Herr}...) followed
 * by capitalised words, or a cue such as "my name is" / "je m'appelle". A surname found once is also
 * found alone later in the same text.
 *
 * <p>The given-name and surname lists are built from Datafaker's per-country name lists by
 * {@code rag-guard/scripts/build-name-lists.py} (see the files' headers); nothing in this class or its
 * lists comes from evaluation data.
 *
 * <p>Immutable and thread-safe.
 */
public final class NameFinder {
    private static final String GIVEN_NAMES = "/dev/ragkit/guard/given-names.txt";
    private static final String SURNAMES = "/dev/ragkit/guard/surnames.txt";
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
            "advocate", "clerk", "general", "chief", "chancellor", "attorney", "solicitor", "judge", "juge",
            // form labels
            "phone", "telephone", "tel", "mobile", "fax", "email", "mail", "address", "adresse", "date",
            // pronouns and possessives, written capitalised at a sentence start
            "me", "my", "mine", "us", "our", "your", "his", "her", "him", "them", "their", "mon", "ma", "mes",
            "notre", "votre", "moi", "toi", "lui", "eux", "mein", "meine", "dein", "unser",
            // royalty and nobility, compass adjectives, nationalities and languages
            "king", "queen", "prince", "princess", "duke", "duchess", "royal", "roi", "reine", "princesse",
            "northern", "southern", "eastern", "western", "central", "upper", "lower", "greater",
            "english", "french", "german", "spanish", "italian", "portuguese", "dutch", "polish", "russian",
            "chinese", "japanese", "american", "british", "canadian", "australian", "african", "asian",
            "francais", "francaise", "anglais", "allemand", "espagnol", "italien", "deutsch", "deutsche"));
    /**
     * Address words written before a street name in many languages ("Rua Mina 50", "Via Roma",
     * "ul. Polna"): a capitalised run right after one is a street, not a person.
     */
    private static final Set<String> PLACE_BEFORE = Set.copyOf(List.of("rue", "avenue", "av", "boulevard", "bd",
            "allee", "impasse", "chemin", "quai", "route", "cite", "place", "rua", "avenida", "avda", "calle", "camino",
            "paseo", "plaza", "via", "viale", "piazza", "corso", "vicolo", "strada", "ulica", "ul", "utca", "ulitsa",
            "street", "road", "lane", "cesta", "praca", "largo", "travessa", "estrada", "carrer", "passeig", "calea",
            "strasse", "platz"));
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
    /** Words after a capitalised run that make it a street, a place or a company, not a person. */
    private static final Set<String> PLACE_AFTER = Set.copyOf(List.of("street", "st", "avenue", "ave", "road", "rd",
            "drive", "dr", "lane", "ln", "way", "terrace", "square", "place", "pl", "court", "ct", "boulevard", "blvd",
            "crescent", "close", "gardens", "row", "hill", "park", "inc", "ltd", "llc", "corp", "company", "group",
            "partners", "plaza", "highway", "hwy", "strasse", "platz", "weg", "allee", "gasse", "rue", "island",
            "islands", "bridge", "heights", "station", "airport", "valley", "university", "college", "foundation",
            "orchestra", "band", "club", "hotel", "school", "institute", "museum", "church", "hospital", "bank",
            "association", "lines", "airlines", "motors", "industries", "holdings", "consulting", "solutions",
            // legal forms and sector words of firm names
            "plc", "ag", "bv", "nv", "oy", "oyj", "srl", "sarl", "kg", "kft", "pty", "llp", "co", "sons", "brothers",
            "bros", "associates", "enterprises", "ventures", "investments", "capital", "trust", "systems",
            "technologies", "services", "media", "studios", "records", "labs", "insurance", "logistics", "center",
            "centre", "theatre", "theater", "stadium", "tower", "building", "restaurant", "cafe"));
    /** Words whose next words, up to the clause's end, name streets: "at the corner of X and Y". */
    private static final Set<String> CROSSING = Set.of("corner", "intersection", "junction", "crossroads");
    /** "Király u. 15", "Polna ul. 3": a short lowercase street abbreviation and a house number. */
    private static final Pattern ABBREVIATION_AND_NUMBER =
            Pattern.compile("^ ?\\p{Ll}{1,3}\\. ?\\d");
    /** A postal code after a capitalised run: "Springfield 12345", "Porto 4000-123", "Warszawa 00-950". */
    private static final Pattern POSTCODE =
            Pattern.compile("^ (?:\\d{5}|\\d{4}-\\d{3}|\\d{2}-\\d{3})(?!\\w)");
    private static final Map<String, Boolean> NAMES = load(GIVEN_NAMES);
    private static final Map<String, Boolean> SURNAME_LIST = load(SURNAMES);

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
        boolean[] street = streetZones(text, words);
        for (int i = 0; i < words.size(); i++) {
            if (used[i]) {
                continue;
            }
            Word w = words.get(i);
            int first = -1;
            boolean needsMore = false;
            boolean cued = false;
            if (TITLES.contains(w.folded) && (w.cap || w.allCaps) && !(w.folded.equals("m") || w.folded.equals("mm"))) {
                first = i + 1;
            } else if ((w.folded.equals("m") || w.folded.equals("mm")) && (w.initial || w.allCaps) && i + 1 < words.size()
                    && (text.startsWith(".", w.end) || text.startsWith(" .", w.end))) {
                first = i + 1;
            } else if (isCue(words, i)) {
                first = i + 1;
                cued = true;
            } else if ((isRoleCue(words, i) || isSpeechCue(text, words, i)) && i + 1 < words.size() && words.get(i + 1).cap) {
                first = i + 1;
            } else if (isIntroduction(words, i) && i + 2 < words.size() && words.get(i + 1).cap) {
                // "I'm Tom Okafor": needs two name words, since "I am French" is not a name.
                first = i + 1;
                needsMore = true;
            } else if (w.cap && !w.allCaps && !w.initial && isSpeakerLabel(text, w)) {
                first = i;
            } else if (w.cap && !w.allCaps && !w.initial && !PLACE_BEFORE.contains(w.folded)) {
                Boolean ambiguous = NAMES.get(w.folded);
                if (ambiguous != null && !NOT_NAMES.contains(w.folded) && !PLACE_BEFORE.contains(w.folded)) {
                    first = i;
                    needsMore = ambiguous;
                } else if (!NOT_NAMES.contains(w.folded) && (endsInSurname(text, words, i) || hasMiddleInitial(text, words, i))) {
                    // "Kalevi Koskinen": an unlisted given name before a listed surname;
                    // "Soib K. Kishiev": capitalised word, initial, capitalised word
                    first = i;
                    needsMore = true;
                } else if (!lowerCaseText && isLoneSurname(text, words, i)) {
                    first = i;
                }
            }
            if (first < 0 || first >= words.size()) {
                continue;
            }
            int last = extend(text, words, first, first == i);
            if (last < first || (needsMore && last == first) || (lowerCaseText && (needsMore || first != i)
                    && !(cued && NAMES.containsKey(words.get(first).folded)))
                    || street[first] || looksLikePlace(text, words, first, last)
                    || coordinatedWithPlace(text, words, first, last)) {
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
            addListNeighbours(text, words, used, street, spans);
            dropFirmNames(text, spans);
        }
        if (!surnames.isEmpty()) {
            for (int i = 0; i < words.size(); i++) {
                Word w = words.get(i);
                if (!used[i] && w.cap && surnames.contains(w.folded) && !NOT_NAMES.contains(w.folded) && !street[i]
                        && !looksLikePlace(text, words, i, i)) {
                    spans.add(new Span(w.start, w.end));
                }
            }
            spans.sort((a, b) -> Integer.compare(a.start, b.start));
        }
        return spans;
    }

    /**
     * A listed surname alone ("Morales and Adams were engineers"), when nothing else explains the
     * capital: not at a sentence start, not an everyday word, not followed by another capitalised word.
     */
    private static boolean isLoneSurname(String text, List<Word> words, int i) {
        Word w = words.get(i);
        Boolean ambiguous = SURNAME_LIST.get(w.folded);
        if (ambiguous == null || ambiguous || NOT_NAMES.contains(w.folded) || TITLES.contains(w.folded)
                || w.end - w.start < 3 || sentenceStart(text, w.start)) {
            return false;
        }
        if (i + 1 < words.size() && words.get(i + 1).cap && onlySpaceOrDot(text, w.end, words.get(i + 1).start)) {
            return false;
        }
        if (i >= 1) {
            Word before = words.get(i - 1);
            // "South Africa", "in Lyon", "from Kenosha": part of a place name, or after a preposition of place
            if ((before.cap && onlySpaceOrDot(text, before.end, w.start)) || PLACE_PREPOSITIONS.contains(before.folded)) {
                return false;
            }
        }
        return true;
    }

    private static final Set<String> PLACE_PREPOSITIONS = Set.of("in", "from", "to", "at", "near", "of", "a", "de",
            "en", "au", "vers", "pres", "nach", "aus", "bei", "im");

    /**
     * "Davis, Reynolds and Clark" — three or more bare single words in a list, none with a given name —
     * is how firms and bands are named; people in a list come with their given names.
     */
    private static void dropFirmNames(String text, List<Span> spans) {
        List<Span> drop = new ArrayList<>();
        int i = 0;
        while (i < spans.size()) {
            int j = i;
            while (j + 1 < spans.size() && singleWord(text, spans.get(j)) && singleWord(text, spans.get(j + 1))
                    && listGap(text, spans.get(j).end, spans.get(j + 1).start)) {
                j++;
            }
            if (j - i >= 2) {
                List<Span> run = spans.subList(i, j + 1);
                boolean allSurnames = run.stream().allMatch(s -> SURNAME_LIST.containsKey(fold(text.substring(s.start, s.end))));
                boolean noGivenName = run.stream().noneMatch(s -> isGivenName(text.substring(s.start, s.end)));
                if (allSurnames || noGivenName) {
                    drop.addAll(run);
                }
            }
            i = j + 1;
        }
        spans.removeAll(drop);
    }

    private static boolean singleWord(String text, Span s) {
        return text.substring(s.start, s.end).indexOf(' ') < 0;
    }

    /** True at the start of the text, a line or a sentence ({@code .!?:;>"} before it). */
    private static boolean sentenceStart(String text, int start) {
        int k = start - 1;
        while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '\t')) {
            k--;
        }
        return k < 0 || ".!?:;>\n\r\"\u201c\u00ab(-".indexOf(text.charAt(k)) >= 0;
    }

    /**
     * "Maria: Remember me?" in a transcript: a listed given name (also an ambiguous one) alone at the start
     * of a line, followed by a colon and the words spoken.
     */
    private static boolean isSpeakerLabel(String text, Word w) {
        if (!NAMES.containsKey(w.folded) || NOT_NAMES.contains(w.folded) || PLACE_BEFORE.contains(w.folded)
                || !text.startsWith(":", w.end) || w.end + 2 > text.length()) {
            return false;
        }
        int lineStart = text.lastIndexOf('\n', w.start - 1) + 1;
        return text.substring(lineStart, w.start).isBlank() && lineStart > 0 || (lineStart == 0 && w.start == 0
                && text.indexOf('\n') > 0 && SPEAKER_LINE.matcher(text).find());
    }

    /** "Soib K. Kishiev", "Ravil G Yefimov": a capitalised word, one capital initial, a capitalised word. */
    private static boolean hasMiddleInitial(String text, List<Word> words, int i) {
        if (i + 2 >= words.size()) {
            return false;
        }
        Word initial = words.get(i + 1);
        Word last = words.get(i + 2);
        return initial.initial && onlySpaceOrDot(text, words.get(i).end, initial.start) && isNameWord(last)
                && !last.initial && onlySpaceOrDot(text, initial.end, last.start);
    }

    /**
     * "says Moreau", "calls me Ann", "Name: Ann Lee": a capitalised word after a speech verb or a form's
     * name field is a person.
     */
    private static boolean isSpeechCue(String text, List<Word> words, int i) {
        String w = words.get(i).folded;
        String p1 = i >= 1 ? words.get(i - 1).folded : "";
        boolean formField = (w.equals("name") || w.equals("nom")) && i + 1 < words.size()
                && text.substring(words.get(i).end, words.get(i + 1).start).trim().equals(":");
        return formField || (w.equals("says") || w.equals("said") || w.equals("asked") || w.equals("replied")
                || w.equals("dit") || w.equals("declare") || w.equals("explique")
                || (w.equals("me") && (p1.equals("calls") || p1.equals("call") || p1.equals("called"))))
                && !(i + 1 < words.size() && NOT_NAMES.contains(words.get(i + 1).folded));
    }

    /**
     * True when the capitalised run starting at {@code i} has two or three name words and its last is a
     * listed surname that is not also an everyday word ("Anna Lindqvist", not "Grand Hotel").
     */
    private static boolean endsInSurname(String text, List<Word> words, int i) {
        int last = i;
        while (last + 1 < words.size() && last - i < 2 && isNameWord(words.get(last + 1))
                && onlySpaceOrDot(text, words.get(last).end, words.get(last + 1).start)) {
            last++;
        }
        if (last == i) {
            return false;
        }
        Boolean ambiguous = SURNAME_LIST.get(words.get(last).folded);
        return ambiguous != null && !ambiguous;
    }

    /**
     * In "Moreau, Lindqvist and Okafor" one recognised name makes its list neighbours names too: single
     * capitalised words joined to it by a comma or a conjunction.
     */
    private static void addListNeighbours(String text, List<Word> words, boolean[] used, boolean[] street,
                                          List<Span> spans) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < words.size(); i++) {
                if (used[i]) {
                    continue;
                }
                Word w = words.get(i);
                if (!w.cap || NOT_NAMES.contains(w.folded) || TITLES.contains(w.folded) || PLACE_BEFORE.contains(w.folded)
                        || street[i] || looksLikePlace(text, words, i, i)) {
                    continue;
                }
                // the neighbouring words, past a conjunction ("Moreau and Okafor"): listGap reads the gap between
                int p = i > 0 && CONJUNCTIONS.contains(words.get(i - 1).folded) ? i - 2 : i - 1;
                int n = i + 1 < words.size() && CONJUNCTIONS.contains(words.get(i + 1).folded) ? i + 2 : i + 1;
                boolean left = p >= 0 && used[p] && listGap(text, words.get(p).end, w.start)
                        && (n >= words.size() || !words.get(n).cap || !listGap(text, w.end, words.get(n).start));
                boolean right = n < words.size() && used[n] && listGap(text, w.end, words.get(n).start)
                        && (p < 0 || !words.get(p).cap || used[p] || listGap(text, words.get(p).end, w.start));
                if (left || right) {
                    used[i] = true;
                    spans.add(new Span(w.start, w.end));
                    changed = true;
                }
            }
        }
        spans.sort((a, b) -> Integer.compare(a.start, b.start));
    }

    /** "12 Victor Hugo Street", "Martin Square", "Mason Group": an address or a company. */
    private static boolean looksLikePlace(String text, List<Word> words, int first, int last) {
        // on the same line: "Erik Baader\n\nCourt clerk" is a name above a heading
        if (last + 1 < words.size() && PLACE_AFTER.contains(words.get(last + 1).folded)
                && onlySpaceOrDot(text, words.get(last).end, words.get(last + 1).start)) {
            return true;
        }
        // "National Van Lines", "Davis Orchestra": a street or firm word inside the run (not "Fletcher Hill":
        // words that are also surnames count only after the run)
        for (int k = first + 1; k <= last; k++) {
            if (PLACE_AFTER.contains(words.get(k).folded) && !SURNAME_LIST.containsKey(words.get(k).folded)) {
                return true;
            }
        }
        // back to the start of the capitalised run: "Rua Joaquim Silva" is a street from "Joaquim" and from "Silva";
        // "1737 Cheriton Dr Alma" and "808 Kovacs Imre u. 12" are addresses from any of their words
        int f = first;
        while (f >= 1 && onlySpaceOrDot(text, words.get(f - 1).end, words.get(f).start)) {
            Word before = words.get(f - 1);
            if (before.cap && !PLACE_BEFORE.contains(before.folded) && !NOT_NAMES.contains(before.folded)) {
                f--;
            } else if (!before.cap && PARTICLES.contains(before.folded) && f >= 2 && words.get(f - 2).cap
                    && onlySpaceOrDot(text, words.get(f - 2).end, before.start)) {
                f--; // "Marta de Lucas": through a particle to the capitalised word before it
            } else {
                break;
            }
        }
        if (f >= 1 && PLACE_BEFORE.contains(words.get(f - 1).folded) && onlySpaceOrDot(text, words.get(f - 1).end,
                words.get(f).start)) {
            return true;
        }
        int end = words.get(last).end;
        String after = text.substring(end, Math.min(text.length(), end + 12));
        if (ABBREVIATION_AND_NUMBER.matcher(after).find() || POSTCODE.matcher(after).find()) {
            return true;
        }
        // "Joaquin Suarez 2906": a house number right after the run
        if (end + 1 < text.length() && text.charAt(end) == ' ' && Character.isDigit(text.charAt(end + 1))) {
            int d = end + 1;
            while (d < text.length() && Character.isDigit(text.charAt(d))) {
                d++;
            }
            if (d - end - 1 <= 4 && (d == text.length() || !Character.isLetterOrDigit(text.charAt(d)) || text.charAt(d) == ' ')
                    && !(d < text.length() && (text.charAt(d) == '-' || text.charAt(d) == '/'
                    || (text.charAt(d) == '.' && d + 1 < text.length() && Character.isDigit(text.charAt(d + 1)))))) {
                return true;
            }
        }
        int k = words.get(f).start - 1;
        while (k >= 0 && text.charAt(k) == ' ') {
            k--;
        }
        if (k >= 0 && Character.isDigit(text.charAt(k))) {
            return true;
        }
        // "Apt. 397, Springfield": a town after a house or flat number and a comma (not after a year)
        if (k >= 1 && text.charAt(k) == ',') {
            int d = k - 1;
            while (d >= 0 && text.charAt(d) == ' ') {
                d--;
            }
            int digitsEnd = d + 1;
            while (d >= 0 && Character.isDigit(text.charAt(d))) {
                d--;
            }
            String number = text.substring(d + 1, digitsEnd);
            if (!number.isEmpty() && !(number.length() == 4 && (number.startsWith("19") || number.startsWith("20")))
                    && (d < 0 || !Character.isLetter(text.charAt(d)))) {
                return true;
            }
        }
        return townLineOfAddress(text, words.get(f).start);
    }

    /**
     * True when the run starting at {@code start} opens a short line right after a street or flat line
     * ("Suite 100\nSpringfield\n"): the town of a postal address. The addressee's name comes before the
     * street line, so it is not affected.
     */
    private static boolean townLineOfAddress(String text, int start) {
        int lineStart = text.lastIndexOf('\n', start - 1) + 1;
        // only capitalised words before the run on its line ("Dusino San Michele, AT 31295")
        String before = text.substring(lineStart, start);
        if (lineStart == 0 || !CAPITALISED_WORDS.matcher(before).matches()) {
            return false;
        }
        int prevEnd = lineStart - 1;
        while (prevEnd > 0 && text.charAt(prevEnd - 1) == '\r') {
            prevEnd--;
        }
        int prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
        String prev = text.substring(prevStart, prevEnd);
        long digits = prev.chars().filter(Character::isDigit).count();
        // a house or flat number with a word, not a phone number or a date
        return digits >= 1 && digits <= 8 && STREET_LINE.matcher(prev).find();
    }

    private static final Pattern CAPITALISED_WORDS =
            Pattern.compile("[\\s>,]*(?:\\p{Lu}\\p{L}*\\.?[\\s,]+)*");
    /** A later line opening with a capitalised word and a colon: the text is a transcript. */
    private static final Pattern SPEAKER_LINE = Pattern.compile("\\n\\p{Lu}\\p{L}+:");
    private static final Pattern STREET_LINE =
            Pattern.compile("(?:^|\\s)\\d{1,6}[A-Za-z]?\\s+\\p{Lu}|\\p{Lu}\\p{L}*\\.?\\s+\\d{1,6}\\b");

    /**
     * "Anna and Rua Nova 46", "Kovacs utca 5 and Petra": a run joined by a conjunction to a street is a
     * street too (like is coordinated with like).
     */
    private static boolean coordinatedWithPlace(String text, List<Word> words, int first, int last) {
        // "Clark, Romero and Hall Orchestra": walk a list of single words to the item after its conjunction
        while (last + 2 < words.size() && words.get(last + 1).cap && !NOT_NAMES.contains(words.get(last + 1).folded)
                && text.substring(words.get(last).end, words.get(last + 1).start).trim().equals(",")
                && CONJUNCTIONS.contains(words.get(last + 2).folded)
                || last + 3 < words.size() && words.get(last + 1).cap && text.substring(words.get(last).end,
                words.get(last + 1).start).trim().equals(",") && text.substring(words.get(last + 1).end,
                words.get(last + 2).start).trim().equals(",")) {
            last++;
        }
        if (last + 2 < words.size() && CONJUNCTIONS.contains(words.get(last + 1).folded)
                && listGap(text, words.get(last).end, words.get(last + 2).start) && words.get(last + 2).cap) {
            int n = last + 2;
            if (PLACE_BEFORE.contains(words.get(n).folded)) {
                return true;
            }
            int runEnd = n;
            while (runEnd + 1 < words.size() && words.get(runEnd + 1).cap && runEnd - n < 3
                    && onlySpaceOrDot(text, words.get(runEnd).end, words.get(runEnd + 1).start)) {
                runEnd++;
            }
            if (looksLikePlace(text, words, n, runEnd)) {
                return true;
            }
        }
        if (first >= 2 && CONJUNCTIONS.contains(words.get(first - 1).folded)
                && listGap(text, words.get(first - 2).end, words.get(first).start)) {
            // "... Strasse 5 and Petra": a house number before the conjunction
            int k = words.get(first - 1).start - 1;
            while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '.' || text.charAt(k) == ',')) {
                k--;
            }
            return k >= 0 && Character.isDigit(text.charAt(k));
        }
        return false;
    }

    /** Marks the words after "corner of", "intersection of"... up to the clause's end: street names. */
    private static boolean[] streetZones(String text, List<Word> words) {
        boolean[] street = new boolean[words.size()];
        for (int i = 0; i + 1 < words.size(); i++) {
            if (!CROSSING.contains(words.get(i).folded) || !words.get(i + 1).folded.equals("of")) {
                continue;
            }
            for (int k = i + 2; k < words.size() && k < i + 14; k++) {
                String gap = text.substring(words.get(k - 1).end, words.get(k).start);
                if (k > i + 2 && (gap.indexOf('?') >= 0 || gap.indexOf('!') >= 0 || gap.indexOf('\n') >= 0
                        || gap.indexOf(';') >= 0 || (gap.indexOf('.') >= 0 && words.get(k).cap))) {
                    break;
                }
                street[k] = true;
            }
        }
        return street;
    }

    private static final Set<String> CONJUNCTIONS = Set.of("and", "et", "und", "or", "ou");

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
                && !TITLES.contains(w.folded) && !PLACE_BEFORE.contains(w.folded);
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

    /** Role and address words after which a capitalised word is a person: "my son Tom", "director Lee". */
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

    private static Map<String, Boolean> load(String resource) {
        return BundledResource.read(resource, NameFinder::parse);
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
