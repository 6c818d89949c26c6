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
    public static final List<Rule> RULES = List.of(
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
}
