"""Reading the words around a matched name: is it a place here, or an ordinary word?"""

from __future__ import annotations

from .inflect import arabic_forms
from .matcher import Match, Token, Tokens
from .normalize import ARTICLES, fold_word


def _words(text: str) -> frozenset[str]:
    """A set of words folded as tokens are ("south" -> "suth", "county" -> "cunty")."""
    return frozenset(fold_word(w) for w in text.split())


# Words that are place names but far more often something else when capitalised at the
# start of a sentence, or as the first part of a person's or an organisation's name.
SAY_VERBS = _words(
    "said says say told tells added adds asked asks wrote writes scored scores argued "
    "argues claimed claims believes believed thinks thought insisted insists explained "
    "noted notes replied replies tweeted posted joined joins signed signs"
)
# Titles and first words that make the next capitalised word part of a person's name.
PERSON_BEFORE = _words(
    "mr mrs ms miss dr sir lord lady president senator sen rep gov governor minister "
    "king queen prince princess saint st pope coach judge justice general gen col captain "
    "capt sgt officer detective professor prof"
)
# Kinship words, which make the next capitalised word a person: "his brother Tyler".
KINSHIP = _words(
    "brother brothers sister sisters son sons daughter daughters wife husband father mother "
    "uncle aunt cousin nephew niece grandson granddaughter grandfather grandmother "
    "stepson stepdaughter stepfather stepmother widow widower fiance fiancee boyfriend "
    "girlfriend mom dad"
)
# Capitalised words that may stand before a place name without making it something else.
PLACE_BEFORE = _words(
    "north south east west northern southern eastern western central upper lower greater "
    "new old downtown metro metropolitan rural urban inner outer northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern mid "
    "and or of in the to from"
)
# Capitalised words that may follow a place name without making it a person or a brand.
PLACE_AFTER = _words(
    "province governorate region county city district state oblast krai republic "
    "municipality area valley river mountains mountain lake island islands coast bay "
    "airport airbase base border crossing countryside desert plain plains strip heights "
    "gulf sea ocean peninsula basin delta highway road street square bridge port "
    "harbour harbor camp refugee front frontline and or mayor gov governor sen senator rep "
    "police officials authorities attorney prosecutors lawmakers residents voters "
    "president prime minister foreign secretary ambassador embassy consulate army navy "
    "military troops forces government parliament congress senate ministry department "
    "coast guard border national high public court sheriff commissioner schools "
    "monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september "
    "october november december"
)


# Words before a name that make it the name of a storm, an operation, a vessel or a virus:
# "Hurricane Michael", "Typhoon Haiyan", "Operation Damascus"; in Arabic, which puts the
# noun first, "إعصار" (hurricane), "عاصفة" (storm), "عملية" (operation), "سفينة" (ship),
# "فيروس كورونا" (the Corona virus, not Corona, California).
THING_BEFORE = _words(
    "hurricane typhoon cyclone storm tornado operation ship vessel brand band "
    "إعصار عاصفة عملية سفينة فيروس"
)
# Capitalised words after a place name that make it a river's or a landform's name, which
# crosses or lies beside the place rather than being it: "the Mississippi River", "the
# Niger Delta", "Colorado Basin". (Valleys, coasts and islands mostly are the place.)
FEATURE_AFTER = _words("river delta creek canyon basin mountains")
# Demonyms after which another people's demonym names their descendants, not the place:
# "African American", "Irish-American", "Italian Canadians".
HYPHENATED_PEOPLES = _words("american americans canadian canadians")

# Words that end a newspaper's name after a place: "Jerusalem Post", "Boston Globe". Kept
# folded, as tokens are ("courier" -> "curier").
MASTHEADS = frozenset(
    fold_word(w)
    for w in "times post journal herald tribune globe gazette chronicle telegraph courier "
    "inquirer examiner enquirer dispatch star sun magazine review observer register "
    "independent express mirror guardian monitor reporter".split()
)
# Words that open a two-word masthead after a place ("Dallas Morning News", "Detroit Free
# Press", "Kuwait News Agency"), and the words that may close it besides MASTHEADS.
MASTHEAD_OPENERS = frozenset("morning evening daily sunday weekly free business news".split())
MASTHEAD_CLOSERS = MASTHEADS | {"news", "press", "agency"}


def in_outlet_name(tokens: Tokens, m: Match) -> bool:
    """Whether a name is part of a newspaper's or agency's name, not a mention of the place.

    "<place> Times" and the like ("New York Post", "Dallas Morning News") when the words
    after it are capitalised, and "Times of <place>" ("Times of Israel").
    """
    nxt = _joined_capitalised(tokens, m.last + 1)
    if nxt is not None:
        if nxt.folded in MASTHEADS:
            return True
        if nxt.folded in MASTHEAD_OPENERS:
            after = _joined_capitalised(tokens, m.last + 2)
            if after is not None and after.folded in MASTHEAD_CLOSERS:
                return True
    if m.first >= 2 and tokens[m.first].joined and tokens[m.first - 1].folded == "of":
        times = tokens[m.first - 2]
        return tokens[m.first - 1].joined and times.capitalised and times.folded == "times"
    return False


def _joined_capitalised(tokens: Tokens, i: int) -> Token | None:
    """Token i if it goes on the same name as the one before it and is capitalised."""
    if i >= len(tokens):
        return None
    tok = tokens[i]
    return tok if tok.joined and tok.capitalised else None


def looks_like_a_name(surface: str, key: str) -> bool:
    """A proper-noun spelling: capitalised in cased scripts; short keys only as acronyms."""
    first = next((ch for ch in surface if ch.isalpha()), "")
    if not first:
        return False
    if first.isupper() or not first.islower():
        # Upper case, or a script without case (Arabic).
        letters = [ch for ch in surface if ch.isalpha()]
        if len(key.replace(" ", "")) <= 3 and first.islower() is False and first.isupper():
            return all(ch.isupper() for ch in letters)  # US, UK, UAE; never "Us", "Uk"
        last_word = surface.replace("-", " ").split()[-1]
        last = next((ch for ch in last_word if ch.isalpha()), first)
        return not last.islower() or len(surface.split()) == 1
    return False


def short_capitals(text: str, m: Match) -> bool:
    """A name of three letters or fewer written in capitals in running text ("in WA",
    "EU citizens"), not among words in capitals ("ELY, MINN. —")."""
    surface = text[m.start : m.end]
    if sum(ch.isalpha() for ch in surface) > 3 or not surface.isupper():
        return False
    start = text.rfind("\n", max(0, m.start - 40), m.start) + 1 or max(0, m.start - 40)
    end = text.find("\n", m.end, m.end + 40)
    around = text[start : end if end >= 0 else m.end + 40]
    letters = [ch for ch in around if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) < 0.8 * len(letters)


PLAIN, ORDINARY, PART_OF_NAME = 0, 1, 2
NO_DOUBT = (PLAIN, PLAIN, PLAIN)
# Towns this well known (alternate names in GeoNames) are not taken for a person's name.
FAMOUS = 100


def doubt(
    tokens: Tokens,
    m: Match,
    flags: str,
    given_names: frozenset[str] = frozenset(),
    calendar: frozenset[str] = frozenset(),
) -> tuple[int, int, int]:
    """How doubtful it is that a name is a place here: (as a country or region, as a town,
    as a small town).

    PLAIN: nothing against it. ORDINARY: it may be an ordinary word ("Turn on", "Nice
    weather"); a place of the same country named elsewhere settles it. PART_OF_NAME: it
    reads as part of a person's or a thing's name ("Jordan said", "Vladimir Putin"); only
    the same place named plainly elsewhere settles it. `flags` come from the gazetteer:
    "w" the name is an everyday English word, "e" a name of several everyday words,
    "n" a common first name or surname;
    `given_names` are common first names (folded), which make the next word a surname;
    `calendar` month and weekday names, which are days, not towns, unless qualified.
    """
    country_doubt, town_doubt = _doubt(tokens, m, flags, given_names, calendar)
    small_town_doubt = town_doubt
    if "e" in flags:
        # A small town named by everyday words ("White House", Tennessee) needs support:
        # "a White House adviser" is the building's.
        small_town_doubt = max(small_town_doubt, ORDINARY)
    before = _word_before(tokens, m.first)
    if before is not None and before.folded == "the":
        after = tokens[m.last + 1] if m.last + 1 < len(tokens) else None
        if after is None or not after.joined or after.folded not in PLACE_AFTER:
            # "the White House said": a small town's name after "the" is a thing's name,
            # unless a place word follows ("the Suwayda and Daraa provinces").
            small_town_doubt = PART_OF_NAME
    return country_doubt, town_doubt, small_town_doubt


def _doubt(tokens, m, flags, given_names, calendar) -> tuple[int, int]:
    """(as a country or region, as a town): see doubt()."""
    first = tokens[m.first]
    before = _word_before(tokens, m.first)
    after = tokens[m.last + 1] if m.last + 1 < len(tokens) else None
    if after is not None and not after.joined:
        after = None
    single = m.first == m.last
    if single and first.folded in calendar:
        return PART_OF_NAME, PART_OF_NAME  # "in August", "on Sunday": only "August, Georgia"
    if before is not None and _thing_word(before.folded):
        return PART_OF_NAME, PART_OF_NAME  # "Hurricane Michael"
    if after is not None and after.capitalised and after.folded in FEATURE_AFTER:
        return PART_OF_NAME, PART_OF_NAME  # "the Mississippi River"
    if _after_preposition(before):
        if "n" in flags and single and _surname_after(tokens, after):
            return PART_OF_NAME, PART_OF_NAME  # "aim at Scott Pruitt", "to Elizabeth Sullivan"
        return PLAIN, PLAIN  # "in Washington said", "to Jordan"
    if single and after is not None and after.folded in SAY_VERBS:
        # "Jordan said": a person, unless the article names other places of the country.
        return ORDINARY, PART_OF_NAME
    if (
        before is not None
        and not first.sentence_initial
        and before.folded in PERSON_BEFORE | KINSHIP
    ):
        return PART_OF_NAME, PART_OF_NAME
    german = tokens.capitalises_nouns
    if after is not None and after.capitalised and not after.sentence_initial and not german:
        if after.folded not in PLACE_AFTER and not _all_capitals(tokens, m, after):
            # "Vladimir Putin", "Quds Force", "the New York Review of Books"
            return PART_OF_NAME, PART_OF_NAME
    if before is not None and before.capitalised and before.folded not in PLACE_BEFORE:
        if not (before.sentence_initial or german) or before.folded in given_names:
            return PART_OF_NAME, PART_OF_NAME  # "Michael Jordan"
    if not single:
        return PLAIN, PLAIN
    word = "w" in flags or first.folded in COMMON_WORDS
    if first.folded in COMMON_WORDS or (word and first.sentence_initial):
        return ORDINARY, ORDINARY  # "Turn on", "Nice weather", "Many said"
    if "n" in flags:
        # "Boston" is also a surname: the town counts when the article names its country
        # (the rules above have caught "Tom Boston", "Boston said", "Mr. Boston").
        return PLAIN, ORDINARY
    return PLAIN, ORDINARY if word else PLAIN


def _thing_word(word: str) -> bool:
    """A word of THING_BEFORE, in Arabic with its clitics too ("بفيروس", with the virus)."""
    if word in THING_BEFORE:
        return True
    return not word.isascii() and any(form in THING_BEFORE for form in arabic_forms(word))


def _surname_after(tokens: Tokens, after: Token | None) -> bool:
    """A capitalised word after a first name, inside the sentence, that reads as a surname."""
    return (
        after is not None
        and after.capitalised
        and not after.sentence_initial
        and after.folded not in PLACE_AFTER
        and not tokens.capitalises_nouns
    )


def in_person_name(tokens: Tokens, m: Match, given_names: frozenset[str]) -> bool:
    """Whether a one-word name is written here as a person's surname or name: after a
    title, a kinship word or a first name ("Mr. Bolton", "his brother Tyler", "Ashley
    Sutton"). A first name before a capitalised word ("Dallas Mavericks") is not enough."""
    if m.first != m.last or tokens[m.first].sentence_initial:
        return False
    before = _word_before(tokens, m.first)
    if before is None:
        return False
    if before.folded in KINSHIP:
        return True
    if not before.capitalised:
        return False  # "the general Boston area"
    return before.folded in given_names or (
        before.folded in PERSON_BEFORE and before.folded not in ("saint", "st")
    )


def _all_capitals(tokens: Tokens, m: Match, after: Token) -> bool:
    """A name and the next word both in capitals: a headline or a dateline ("SAN ANTONIO
    POLICE"), where capitals say nothing of a name."""
    text = tokens.text
    if not text[m.start : m.end].isupper():
        return False
    # "LONDON Pope Francis said": a capitalised heading at the start of a line.
    return text[after.start : after.end].isupper() or tokens[m.first].sentence_initial


def _word_before(tokens: Tokens, i: int) -> Token | None:
    """The word before token i on the same name, past an Arabic article ("Tahrir al-Sham")."""
    if i == 0 or not tokens[i].joined:
        return None
    before = tokens[i - 1]
    hyphen = "-" in tokens.text[before.end : tokens[i].start]
    if before.folded in ARTICLES and hyphen and not before.capitalised and i >= 2 and before.joined:
        earlier = tokens[i - 2]
        if earlier.capitalised:
            return earlier
    return before


def after_locative(tokens: Tokens, m: Match) -> bool:
    """Whether a name follows "in", "at", "to"...: read as the place."""
    return _after_preposition(_word_before(tokens, m.first))


def _after_preposition(before: Token | None) -> bool:
    return before is not None and before.folded in LOCATIVE


# "in Nice", "to Turkey": after these an ordinary word is read as the place.
LOCATIVE = _words("in at to from into near outside across via toward towards")

# Ordinary English words that are also names in the gazetteer (folded).
COMMON_WORDS = _words(
    """
    west east north south turn nice turkey chad reading bath mobile split hope mark police
    march may august jersey cork derby bury wells deal sale street rugby buffalo
    orange phoenix independence liberty victoria florence pleasant concord temple
    """
)


def everyday(key: str, flags: str) -> bool:
    """Whether a name is also an everyday English word ("Midland", "Reading")."""
    return "w" in flags or key in COMMON_WORDS
