"""Swedish stop words for duplicate detection (`similarity.py`), curated for proposals.

The list starts from the usual Swedish function words (pronouns, articles, prepositions,
conjunctions, auxiliary and modal verbs, question words), the same ground as the Snowball and
NLTK Swedish lists, with a few additions that carry no meaning in a proposal ("gör", "finns",
"behövs", "borde", "t.ex.", the colloquial "dom", "mej", "dej").

KEPT on purpose (they are NOT stop words here, although generic lists drop several of them):
in a proposal these words are often the whole point, and they are what tells two proposals on
the same subject apart. "Fler bussar till universitetet" and "Billigare bussar till
universitetet" differ in one word; "Inte fler parkeringsplatser" is the opposite of "Fler
parkeringsplatser"; "bussar utan avgift" is not "bussar". Dropping them would make such pairs
look identical. See KEPT below (checked in the tests never to overlap STOP_WORDS).
"""

# Words that generic Swedish stop-word lists often drop but that carry meaning in a proposal:
# quantity and comparison (fler, mer, mindre, färre, bättre, sämre, mycket, alla, få "few"),
# negation and absence (inte, ej, icke, ingen, inget, inga, aldrig, utan) and opposition (mot).
# One group of words per comment, not one word per line:
# fmt: off
KEPT = frozenset(
    [
        # quantity and comparison
        "fler", "flera", "mer", "mera", "mest", "mindre", "minst", "färre", "få", "bättre", "bäst",
        "sämre", "sämst", "mycket", "lite", "alla",
        # negation, absence, opposition
        "inte", "ej", "icke", "ingen", "inget", "inga", "ingenting", "aldrig", "utan", "mot",
    ]
)

STOP_WORDS = frozenset(
    [
        # conjunctions and subjunctions
        "och", "eller", "men", "samt", "så", "som", "att", "än", "då", "när", "där", "här", "om",
        "ty", "fast", "medan", "eftersom", "innan", "tills", "både", "varken", "sedan", "sen",
        # prepositions and particles
        "i", "på", "för", "med", "till", "av", "från", "vid", "åt", "över", "under", "efter",
        "före", "inom", "mellan", "genom", "hos", "kring", "bland", "utom", "via", "per", "in",
        "ut", "upp", "ner", "ned",
        # articles, pronouns, determiners
        "en", "ett", "den", "det", "de", "dem", "dom", "denna", "detta", "dessa", "jag", "du",
        "han", "hon", "hen", "vi", "ni", "man", "mig", "mej", "dig", "dej", "sig", "sej", "oss",
        "er", "honom", "henne", "hans", "hennes", "hens", "dess", "deras", "min", "mitt", "mina",
        "din", "ditt", "dina", "sin", "sitt", "sina", "vår", "vårt", "våra", "ert", "era", "själv",
        "själva", "samma", "sådan", "sådant", "sådana", "annan", "annat", "andra", "någon",
        "något", "några", "varje", "allt", "all",
        # auxiliary, modal and empty verbs
        "är", "var", "vara", "varit", "blir", "bli", "blev", "blivit", "har", "hade", "ha", "haft",
        "ska", "skall", "skulle", "kan", "kunde", "kunna", "kunnat", "vill", "ville", "velat",
        "bör", "borde", "måste", "får", "fick", "fått", "gör", "göra", "gjorde", "gjort", "finns",
        "fanns", "finnas", "behöver", "behövs", "behövde",
        # question words
        "vad", "vem", "vilken", "vilket", "vilka", "vars", "hur", "varför", "vart",
        # adverbs, fillers, abbreviations (t.ex. -> t ex, bl.a. -> bl a, o = och, s = sidan)
        "nu", "ju", "väl", "också", "även", "bara", "redan", "ändå", "alltså", "dock", "nog",
        "kanske", "ännu", "typ", "osv", "etc", "tex", "t", "ex", "bl", "a", "o", "s",
        # "i stället för", "istället": instead, never a subject (it topped the demo's themes)
        "stället", "istället",
    ]
)
# fmt: on

# Words that are never a theme (proposals/themes.py), although they stay meaningful for telling
# duplicates apart (KEPT above): "fler cykelbanor" and "fler bussar" share "fler", not a
# subject. Quantity and comparison, negation, and the filler of "en gång till", "ett bra sätt".
# fmt: off
THEME_FILLER = frozenset(
    [
        # quantity and comparison (KEPT's, and a few more)
        "fler", "flera", "mer", "mera", "mest", "mindre", "minst", "färre", "bättre", "bäst",
        "sämre", "sämst", "mycket", "lite", "många", "alla", "större", "störst", "extra",
        # negation, absence, opposition
        "inte", "ej", "icke", "ingen", "inget", "inga", "ingenting", "aldrig", "utan", "mot",
        # filler
        "gång", "gånger", "gången", "bra", "sätt", "sättet", "väldigt", "ofta", "alltid",
        "gärna", "helst", "exempel", "sak", "saker", "ny", "nya", "nytt", "idag", "går",
    ]
)
# fmt: on
