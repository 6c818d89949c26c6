package dev.ragkit.guard.internal;

import dev.ragkit.guard.internal.TextClassifier.Rule;
import java.util.List;

/**
 * The rules of {@code InjectionDetector} over the canonical text (lowercase, accents removed): here, not on the
 * detector, so that training ({@code TrainGuards}) and the detector read one list without it being
 * public API.
 */
public final class InjectionRules {
    private InjectionRules() {
    }

    /**
     * Whether the injection models read German sentences through {@link GermanGloss}: the bundled
     * models and {@code TrainGuards} follow this one switch. Off: measured on 2026-12-06 (twin-grouped
     * 5-fold out-of-fold, see rag-guard/README.md), the gloss moved deepset F1 from 0.847 to 0.858 at
     * the cross-validated threshold (0.849 at the old one), jackhhao from 0.971 to 0.968 and the
     * leave-one-source-out jackhhao figure from 0.821 to 0.797, and put one hand-written ordinary
     * French request over the threshold: no gain that holds.
     */
    public static final boolean GERMAN_GLOSS = false;

    private static final String INSTR = "(instructions?|prompts?|rules?|directions?|guidelines?|commands?|context|"
            + "messages?|constraints?|restrictions?|programming|orders?|tasks?|consignes?|regles?|directives?|"
            + "anweisungen|anweisung|instruktionen|regeln|befehle|vorgaben|auftrage?)";
    /** The override rules (some with floors) and weak word rules, as bundled before the structural features. */
    public static final List<Rule> BASE_RULES = List.of(
            Rule.strong("ignore-previous", "\\b(ignore|disregard|forget|skip|override|bypass|drop)\\b[^.!?\\n]{0,40}"
                    + "\\b(previous|prior|above|earlier|preceding|all|any|your|these|those|original|initial|system)\\b"
                    + "[^.!?\\n]{0,30}\\b" + INSTR, 0.95,
                    "ignor", "disregard", "forget", "skip", "overrid", "bypass", "drop"),
            Rule.strong("ignore-previous-fr", "\\b(ignore[sz]?|ignorer|oublie[sz]?|oublier|neglige[sz]?|laisse[sz]? tomber)"
                    + "\\b[^.!?\\n]{0,40}\\b(precedent(e|s|es)?|ci-dessus|tout(es)?|tes|vos|les|anterieur(e|s|es)?)"
                    + "\\b[^.!?\\n]{0,30}\\b" + INSTR, 0.95,
                    "ignor", "oubli", "neglige", "laisse"),
            Rule.strong("ignore-previous-de", "\\b(ignoriere|ignorieren|ignoriert|vergiss|vergessen|vergesst|vergesse|"
                    + "missachte|missachten)\\b[^.!?\\n]{0,40}\\b(vorherige[nrs]?|bisherige[nrs]?|obige[nrs]?|alle[nrs]?|"
                    + "deine|ihre|die)\\b[^.!?\\n]{0,30}\\b" + INSTR, 0.95,
                    "ignorier", "vergiss", "vergess", "missacht"),
            Rule.strong("forget-everything", "\\b(forget|ignore|disregard) (about )?(everything|all( of)? (that|this|the above)"
                    + "|what (i|you) (said|told|were told))\\b|\\b(oublie[sz]?|ignore[sz]?) tout\\b|"
                    + "\\b(vergiss|vergesst|vergessen sie|ignoriere) (alles|das alles|alle)\\b", 0.95,
                    "forget", "ignor", "disregard", "oubli", "vergiss", "vergess"),
            Rule.strong("reveal-prompt", "\\b(reveal|show|print|repeat|output|display|tell me|leak|give me|write down|"
                    + "spell out|what (is|are|was|were))\\b[^.!?\\n]{0,30}\\b(system prompt|initial prompt|hidden prompt|"
                    + "original prompt|your (instructions|prompt|rules|guidelines|system message)|the prompt above|"
                    + "text above|instructions above)|\\b(revele[sz]?|affiche[sz]?|montre[sz]?|repete[sz]?|donne[sz]?-moi|"
                    + "donne[sz]? moi)\\b[^.!?\\n]{0,30}\\b(ton|votre|le|tes|vos) (prompt|instructions|consignes)|\\b(zeige?|"
                    + "gib|verrate|wiederhole|nenne)\\b[^.!?\\n]{0,30}\\b(deinen? |den |die )?(system ?prompt|prompt|"
                    + "anweisungen)", 0.95,
                    "prompt", "instruction", "rules", "guidelines", "system message", "text above", "consignes", "anweisungen"),
            // "developer mode" alone is also a phone setting: only with a model named or as a state.
            Rule.strong("jailbreak-mode", "\\b(chatgpt|gpt|ai|assistant|model|bot)\\b[^.!?\\n]{0,40}\\b(developer|dev) "
                    + "mode\\b|\\b(developer|dev) mode (enabled|activated|output|responses?)\\b|\\byou are (now )?in "
                    + "(developer|dev) mode\\b|\\b(do anything now|jailbreak(ed)?|dan mode|"
                    + "unfiltered and unrestricted|no (ethical|moral) (guidelines|restrictions))\\b|\\bdan\\b[^\\n]{0,60}"
                    + "\\b(anything|restrictions|rules)\\b", 0.95,
                    "mode", "anything", "jailbreak", "unfiltered", "ethical", "moral", "dan"),
            Rule.strong("ignore-above-reversed", "\\b(obige[nrs]?|vorherige[nrs]?|bisherige[nrs]?|vorangegangene[nrs]?)"
                    + "\\b[^.!?\\n]{0,30}\\b(ausfuhrungen|anweisungen|instruktionen|texte?|informationen|regeln|befehle)"
                    + "\\b[^.!?\\n]{0,30}\\b(ignorieren|vergessen|missachten|ignoriere|vergiss)\\b|\\b(previous|above|prior)"
                    + " (instructions|prompts?|rules|text)\\b[^.!?\\n]{0,20}\\b(are|is) (void|cancell?ed|obsolete|no longer)",
                    0.95,
                    "obig", "vorherig", "bisherig", "vorangegangen", "previous", "above", "prior"),
            // Role-play as an unrestricted AI: the classic jailbreak opening, written from the general
            // pattern (no development row is quoted here; phrases taken from single rows were removed).
            Rule.strong("override-phrases", "\\b(pretend (you are|to be)|play the role of|act as|roleplay as|you are now|"
                    + "become) (an? |the )?(ai |assistant |chatbot |model |bot )?"
                    + "(evil|malicious|unrestricted|unfiltered|uncensored|rogue|amoral)\\b|"
                    + "\\b(fais semblant d'etre|joue le role d'une?|tu es maintenant une?) (ia |assistant |modele )?"
                    + "(malveillante?|sans (restrictions?|filtres?|censure)|non censuree?)\\b|"
                    + "\\b(spiele die rolle einer?|du bist (jetzt|nun) eine?) (ki |assistent )?"
                    + "(bose|boshafte|unzensierte|uneingeschrankte)\\b", 0.9,
                    "pretend", "role", "act as", "you are now", "become", "fais semblant", "joue le", "tu es maintenant",
                    "spiele die", "du bist"),
            Rule.weak("disregarding", "\\b(disregarding|ignoring|regardless of|forgetting) "
                    + "(the |all |any |your |these |those )?(above|previous|prior|instructions?|context|rules|system prompt)\\b|"
                    + "\\b(en ignorant|sans tenir compte) (des|les|de vos|de tes) (instructions|consignes|regles)\\b|"
                    + "\\b(ungeachtet|ohne rucksicht auf) (der|die|alle) (anweisungen|regeln|vorgaben)\\b",
                    "disregarding", "ignoring", "regardless", "forgetting", "en ignorant", "sans tenir", "ungeachtet", "rucksicht"),
            Rule.weak("instruction-label", "(^|\\n|\\\\n|\\. )\\s*(instructions?|anweisungs?|anweisungen|consignes?|"
                    + "new task|neue aufgabe|nouvelle tache|system)\\s*:",
                    "instruction", "anweisung", "consigne", "task", "aufgabe", "tache", "system"),
            Rule.weak("make-it-say", "\\b(repeat after me|say that|state that|write that|claim that|"
                    + "sag(e|t)? dass|schreib(e|t)? dass|behaupte|dis que|ecris que|affirme que|repete apres moi|"
                    + "wiederhole nach mir)\\b",
                    "repeat after", "say that", "state that", "write that", "claim that", "dass", "behaupte", "dis que",
                    "ecris que", "affirme que", "repete apres", "wiederhole"),
            Rule.weak("role-switch", "\\b(you are now|from now on|act as|pretend (to be|you are|that you)|roleplay as|"
                    + "tu es maintenant|tu es desormais|vous etes maintenant|a partir de maintenant|fais comme si|"
                    + "du bist (jetzt|nun|ab sofort)|ab (jetzt|sofort)|tu so,? als|stell dir vor,? du bist|"
                    + "imagine (que )?tu es|imagine you are|nun bist du|jetzt bist du|now you are|"
                    + "let'?s play a game|you are (an? )?(evil|unrestricted|unfiltered|rogue))\\b",
                    "you are", "from now on", "act as", "pretend", "roleplay", "tu es", "vous etes", "a partir de", "fais comme", "du bist", "ab jetzt", "ab sofort", "tu so", "stell dir", "imagine", "bist du", "play a game"),
            Rule.weak("new-instructions", "\\b(new|real|actual|updated|following|important|another) (instructions?|task|rules|challenge)\\b|"
                    + "\\b(nouvelles? (instructions?|consignes?|taches?))\\b|\\b(neue[nr]? (anweisungen|aufgabe|regeln))\\b",
                    "instruction", "task", "rules", "consigne", "tache", "anweisung", "aufgabe", "regeln"),
            Rule.weak("no-restrictions", "\\b(without|no|any) (restrictions|limitations|filters?|censorship|rules|ethics)"
                    + "\\b|\\bsans (restrictions?|limites?|filtres?|censure)\\b|\\bohne (einschrankungen|regeln|filter|"
                    + "zensur)\\b|\\buncensored\\b|\\bunrestricted\\b",
                    "restriction", "limitation", "filter", "censor", "rules", "ethics", "sans ", "ohne ", "unrestricted"),
            Rule.weak("say-exactly", "\\b(say|write|answer|respond|reply|output|print) (only |just )?(with )?"
                    + "[\"'“]|\\b(sag|schreib|antworte)e? (nur|einfach)\\b|\\b(dis|ecris|reponds) (seulement|juste|"
                    + "uniquement)\\b",
                    "say", "write", "answer", "respond", "reply", "output", "print", "sag", "schreib", "antwort", "dis ", "ecris", "repond"),
            Rule.weak("stop-now", "\\b(stop|halt|stopp|arrete[sz]?)\\b[^.!?\\n]{0,20}\\b(now|here|jetzt|hier|maintenant|ici)"
                    + "\\b|\\bnow (you|act|answer|write|say)\\b|\\bjetzt (bist|schreib|antworte|sag)\\b|"
                    + "\\bmaintenant,? (tu|reponds|ecris|dis)\\b",
                    "stop", "halt", "arrete", "now ", "jetzt", "maintenant"));

    /** Where a sentence starts: the text's start, after '.', '!', '?' or ':' and a space, or a line break. */
    private static final String START = "(?:^|[.!?:]\\s+|\\n\\s*|\\\\n\\s*)";
    /** Imperative verbs that tell the assistant what to do or output (EN, DE, FR). */
    private static final String ORDER = "(?:ignore|forget|disregard|say|write|tell|give|print|output|answer|respond|reply|"
            + "repeat|pretend|act|imagine|make|generate|create|stop|invent|claim|state|use|don'?t|do not|never|always|"
            + "only|be|become|formulate|compose|insult|translate|sag|sage|schreib|schreibe|gib|antworte|vergiss|ignoriere|"
            + "nenne|erzahl|erzahle|zeig|zeige|mach|mache|stell|sei|werde|formuliere|erfinde|behaupte|beantworte|"
            + "vergesst|dis|ecris|donne|reponds|oublie|fais|invente|affirme|sois|deviens|agis|joue|raconte|traduis|"
            + "utilise|n'utilise|ne)";

    /**
     * Structural features (weak: no floor, the linear model learns their weights), written from the
     * general shapes of an injection rather than from any row: an instruction appended after a
     * question, a second-person role assignment, a request to output a fixed string, a reference
     * to the prompt or context, an ignore-the-context request, a request for made-up content, and
     * a text of several sentences whose last one addresses the assistant. In English, German and
     * French, over the canonical text.
     */
    public static final List<Rule> STRUCTURE_RULES = List.of(
            Rule.weak("struct-question-then-order", "\\?\\s*(?:\\\\n\\s*)?(?:(?:now|and|but|also|then|please|instead|"
                    + "jetzt|und|aber|bitte|dann|stattdessen|maintenant|et|mais|puis|alors|plutot),?\\s+)?" + ORDER + "\\b",
                    "?"),
            Rule.weak("struct-sentence-then-override", "[.!?:]\\s+(?:now,? |jetzt,? |maintenant,? )?(?:ignore|forget|"
                    + "disregard|say|print|output|repeat|pretend|instead|from now on|vergiss|ignoriere|sag|sage|gib aus|"
                    + "stattdessen|ab jetzt|oublie|ignore|dis|affiche|repete|desormais|a partir de maintenant)\\b",
                    "ignor", "forget", "disregard", "say", "print", "output", "repeat", "pretend", "instead", "now",
                    "vergiss", "sag", "gib aus", "stattdessen", "jetzt", "oubli", "dis ", "affiche", "repete", "desormais",
                    "maintenant"),
            Rule.weak("struct-role-assign", START + "(?:(?:now|from now on|jetzt|ab jetzt|nun|maintenant|desormais|"
                    + "a partir de maintenant),?\\s+)?(?:you are|you're|you will be|you act as|act as|acting as|pretend to be|"
                    + "pretend you are|be an?|du bist|sie sind|sei (?:ein|eine)|tu es|vous etes|tu seras|agis comme|"
                    + "sois une?|soyez une?|handle als|spiel(?:e)? (?:den|die|das|einen|eine)|joue (?:le|la|un|une))\\b",
                    "you", "act", "pretend", "be a", "du bist", "sie sind", "sei ", "tu es", "vous etes", "tu seras",
                    "agis", "sois", "soyez", "handle", "spiel", "joue"),
            Rule.weak("struct-role-then-task", START + "(?:you are|you're|du bist|tu es|vous etes|sie sind)"
                    + "(?: now| jetzt| nun| maintenant| desormais)?\\s+(?:[^\\s.!?:]+\\s+){0,4}[^\\s.!?:]+\\s*[.!:]\\s*\\S",
                    "you", "du bist", "tu es", "vous etes", "sie sind"),
            Rule.weak("struct-output-literal", "\\b(?:say|print|output|write|type|return|respond with|reply with|answer with|"
                    + "sag|sage|schreib|schreibe|gib aus|antworte mit|dis|ecris|affiche|reponds par|reponds avec)\\b\\s*:?"
                    + "\\s*(?:only |just |exactly |nur |genau |seulement |uniquement |juste )?[\"'\u201c\u201d\u00ab\u00bb\u201e]|"
                    + START + "(?:(?:just|only|simply|now|please|einfach|nur|bitte|jetzt|seulement|juste|maintenant)\\s+)?"
                    + "(?:say|print|output|sag|sage|dis|affiche)\\s+(?:[^\\s.!?]+\\s*){1,6}[.!]?\\s*$",
                    "say", "print", "output", "write", "type", "return", "respond", "reply", "answer", "sag", "schreib",
                    "gib aus", "antwort", "dis", "ecris", "affiche", "repond"),
            Rule.weak("struct-refers-prompt", "\\b(?:the|your|this|these|my|above|previous|prior|preceding|earlier|"
                    + "following|given|provided|system|original|initial|hidden)\\s+(?:prompt|prompts|context|"
                    + "instructions?|conversation)\\b|\\b(?:above|previous|preceding|earlier) (?:text|message|answer|"
                    + "conversation)s?\\b|\\b(?:den|dem|der|die|deine[nm]?|obigen?|vorherigen?|vorigen?|bisherigen?|"
                    + "gegebenen?)\\s+(?:prompt|kontext|anweisungen?|konversation|gesprach)\\b|\\b(?:le|ton|votre|ce|les|"
                    + "tes|vos|du|au)\\s+(?:prompt|contexte|instructions?|consignes?|conversation)\\b",
                    "prompt", "context", "instruction", "conversation", "text", "message", "answer", "kontext",
                    "anweisung", "gesprach", "contexte", "consigne"),
            Rule.weak("struct-no-context", "\\b(?:without|don'?t|do not|never|no longer|stop|instead of)\\s+(?:\\w+\\s+){0,2}"
                    + "(?:using|use|looking at|look at|considering|consider|relying on|rely on|referring to|refer to|"
                    + "reading|read)\\b[^.!?\\n]{0,25}\\b(?:context|text|articles?|documents?|sources?|information|data|"
                    + "search results?)\\b|\\b(?:your own|general) knowledge\\b|\\bohne\\b[^.!?\\n]{0,25}\\b(?:kontext|"
                    + "text|artikel|quellen|dokumente|informationen)\\b|\\b(?:nicht|keine)\\b[^.!?\\n]{0,15}\\b(?:kontext|"
                    + "artikel|quellen|dokumente)\\b|\\beigenen? wissen\\b|\\b(?:sans|ne pas)\\s+(?:\\w+\\s+){0,2}"
                    + "(?:utiliser|tenir compte|regarder|consulter|lire|te baser|vous baser)\\b[^.!?\\n]{0,25}\\b(?:contexte|"
                    + "texte|articles?|documents?|sources?)\\b|\\b(?:tes|vos) propres connaissances\\b",
                    "without", "don", "do not", "never", "no longer", "stop", "instead", "knowledge", "ohne", "nicht",
                    "keine", "wissen", "sans", "ne pas", "connaissances"),
            Rule.weak("struct-made-up", "\\b(?:write|create|generate|make|compose|formulate|produce|give me|tell me|"
                    + "schreib|schreibe|erstelle|formuliere|erzahl|erzahle|gib mir|ecris|redige|cree|formule|donne-moi|"
                    + "raconte)\\b[^.!?\\n]{0,40}\\b(?:fake|false|untrue|lies?|hoax|conspiracy|propaganda|"
                    + "misinformation|disinformation|falsche?[nrs]?|unwahre?[nrs]?|luge[n]?|verschworung\\w*|faux|fausses?|"
                    + "mensonges?|complot\\w*)\\b|\\b(?:make (?:something|it|stuff|things) up|made-up|invent|fabricate|"
                    + "erfinde|erfinden|ausgedacht|invente[rz]?|imagine[rz]? (?:une|un|des) (?:fausse|faux))\\b",
                    "fake", "false", "untrue", "lie", "hoax", "conspiracy", "propaganda", "information", "falsch",
                    "unwahr", "luge", "verschworung", "faux", "fausse", "mensonge", "complot", "make", "made-up",
                    "invent", "fabricate", "erfind", "ausgedacht"),
            Rule.weak("struct-last-addresses-you", "[.!?\\n]\\s*+[^.!?\\n]*?\\b(?:you|your|yourself|du|dich|dir|dein\\w*|"
                    + "tu|toi|te|ton|ta|tes|vous|votre|vos)\\b[^.!?\\n]*+[.!?]?\\s*$",
                    "you", "du", "dich", "dir", "dein", "tu", "toi", "te", "ton", "ta", "tes", "vous", "votre", "vos"));

    /**
     * Whether the injection models read {@link #STRUCTURE_RULES} as features (the bundled models
     * and {@code TrainGuards} follow this switch). On since 2026-12-06 (second round), with the
     * synthetic template rows in training: alone they measured no gain (twin-grouped out-of-fold
     * deepset F1 0.847 to 0.844); with the templates (weight 0.3) jackhhao was 0.970 without them and
     * 0.974 with them, deepset 0.880 and 0.871 (see rag-guard/README.md).
     */
    public static final boolean STRUCTURE = true;

    /** The rules the detector and training apply: {@link #BASE_RULES}, plus the structural ones when {@link #STRUCTURE}. */
    public static final List<Rule> RULES = rules(STRUCTURE);

    /** The base rules, with the structural features when {@code structure}. */
    public static List<Rule> rules(boolean structure) {
        return rules(structure, false);
    }

    /**
     * The base rules, with the structural features when {@code structure}, and with {@code shortCopies}
     * also a copy of each that fires only on texts under {@link #SHORT} characters ({@link #shortCopy}).
     */
    public static List<Rule> rules(boolean structure, boolean shortCopies) {
        if (!structure) {
            return BASE_RULES;
        }
        List<Rule> all = new java.util.ArrayList<>(BASE_RULES);
        all.addAll(STRUCTURE_RULES);
        if (shortCopies) {
            for (Rule r : STRUCTURE_RULES) {
                all.add(shortCopy(r));
            }
        }
        return List.copyOf(all);
    }

    /** The length under which a text counts as short for {@link #shortCopy}. */
    static final int SHORT = 250;

    /**
     * A weak copy of {@code rule} named {@code <name>@short} that fires only on texts under
     * {@link #SHORT} characters: a role assignment or an appended order in a short request is not the
     * same evidence as in a long role-play system prompt, and with its own feature the model can weigh
     * the two apart. The whole-text length is checked at the start only, so a long text costs one step.
     */
    static Rule shortCopy(Rule rule) {
        return Rule.weak(rule.name() + "@short", "\\A(?=[\\s\\S]{0," + (SHORT - 1) + "}\\z)[\\s\\S]*?(?:"
                + rule.pattern().pattern() + ")", rule.triggers().toArray(String[]::new));
    }
}
