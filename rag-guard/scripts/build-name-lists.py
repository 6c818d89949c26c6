#!/usr/bin/env python3
"""Builds rag-guard's bundled name lists (given-names.txt, surnames.txt) from general sources.

Maintainer tool, not part of the build: its output is committed. Run from the project root:

    mvn -q dependency:get -Dartifact=net.datafaker:datafaker:2.4.4 -Dtransitive=false
    apt-get install -y wamerican python3-yaml
    python3 rag-guard/scripts/build-name-lists.py ~/.m2/repository/net/datafaker/datafaker/2.4.4/datafaker-2.4.4.jar

Sources (no evaluation data is read):
- the first- and last-name lists of every Latin-script locale of Datafaker 2.4.4
  (net.datafaker:datafaker on Maven Central, Apache License 2.0; its locale files derive from the
  Ruby Faker project, MIT), which are lists of common names per country;
- which names are also everyday words: the lowercase entries of Debian's wamerican word list
  (SCOWL, permissive licence, /usr/share/dict/american-english) and the French words of
  rag-guard's own french-gloss.tsv. Such names are written with a leading '~' so that NameFinder
  wants more evidence for them (a surname after a given name, a title, a cue).
"""
import re
import sys
import unicodedata
import zipfile

import yaml

FIRST_KEYS = {"first_name", "male_first_name", "female_first_name", "man_first_name", "woman_first_name",
              "first_name_male", "first_name_female"}
LAST_KEYS = {"last_name", "male_last_name", "female_last_name", "man_last_name", "woman_last_name",
             "last_name_male", "last_name_female"}
# Letters of the Latin script (with accents), apostrophes and hyphens inside names.
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'\u2019-]+$")
GUARD = "rag-guard/src/main/resources/dev/ragkit/guard/"


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def walk(node, keys, out):
    """Collects the string lists under any of `keys` below a faker 'name' section."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys:
                flatten(v, out)
            else:
                walk(v, keys, out)


def flatten(v, out):
    if isinstance(v, str):
        if "#{" not in v:
            out.append(v)
    elif isinstance(v, list):
        for x in v:
            flatten(x, out)
    elif isinstance(v, dict):
        for x in v.values():
            flatten(x, out)


def names(jar, keys):
    found = set()
    with zipfile.ZipFile(jar) as z:
        for entry in sorted(z.namelist()):
            if not entry.endswith(".yml"):
                continue
            data = yaml.safe_load(z.read(entry).decode("utf-8"))
            for locale in (data or {}).values():
                section = ((locale or {}).get("faker") or {}).get("name") if isinstance(locale, dict) else None
                if section:
                    out = []
                    walk(section, keys, out)
                    for value in out:
                        for token in value.split():
                            token = token.strip(".,")
                            if len(token) >= 2 and LATIN.match(token) and token[0].isupper():
                                found.add(token)
    return found


def everyday_words():
    words = set()
    with open("/usr/share/dict/american-english", encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and w[0].islower() and "'" not in w:
                words.add(fold(w))
    with open(GUARD + "french-gloss.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            for w in re.split(r"[\t ]+", line.split("\t")[0].strip()):
                if w:
                    words.add(fold(w))
    return words


def write(path, title, found, common):
    by_fold = {}
    for n in sorted(found):
        by_fold.setdefault(fold(n), n)
    lines = []
    for key in sorted(by_fold):
        n = by_fold[key]
        lines.append(("~" if key in common else "") + n)
    with open(path, "w", encoding="utf-8") as f:
        f.write("# " + title + " (dev.ragkit.guard.internal.NameFinder), built by rag-guard/scripts/build-name-lists.py\n")
        f.write("# from the name lists of Datafaker 2.4.4 (Apache License 2.0; data from Ruby Faker, MIT), every\n")
        f.write("# Latin-script locale. '~': also an everyday English or French word (SCOWL via Debian's\n")
        f.write("# wamerican; rag-guard's french-gloss.tsv), a name only with more evidence. One name a line.\n")
        f.write("\n".join(lines) + "\n")
    print(path, len(lines), "names,", sum(1 for l in lines if l.startswith("~")), "ambiguous")


def main():
    jar = sys.argv[1]
    common = everyday_words()
    write(GUARD + "given-names.txt", "Given names", names(jar, FIRST_KEYS), common)
    write(GUARD + "surnames.txt", "Surnames", names(jar, LAST_KEYS), common)


if __name__ == "__main__":
    main()
