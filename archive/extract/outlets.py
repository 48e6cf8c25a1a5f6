"""One table of news outlets, so that `FT`, `ft.com` and `Financial Times` are one source,
and the judgement of which outlet a web page belongs to."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

# Canonical name -> other names and domains it appears under. Modest on purpose: wire services
# and widely read outlets, with an eye to the Middle East coverage the archive's users follow.
# A domain here is trusted over what a page says about itself (see `outlet_from_url`).
OUTLETS: dict[str, tuple[str, ...]] = {
    # wire services and news agencies
    "Associated Press": ("AP", "The Associated Press", "apnews.com", "ap.org"),
    "Reuters": ("Thomson Reuters", "reuters.com"),
    "Agence France-Presse": ("AFP", "Agence France Presse", "afp.com"),
    "Deutsche Presse-Agentur": ("dpa", "dpa.com"),
    "ANSA": ("ansa.it",),
    "EFE": ("Agencia EFE", "efe.com"),
    "Xinhua": ("Xinhua News Agency", "xinhuanet.com", "news.cn"),
    "TASS": ("tass.com", "tass.ru"),
    "RIA Novosti": ("ria.ru",),
    "Interfax": ("interfax.ru", "interfax.com"),
    "Kyodo News": ("Kyodo", "kyodonews.net"),
    "Yonhap": ("Yonhap News Agency", "yna.co.kr"),
    "Anadolu Agency": ("Anadolu", "aa.com.tr"),
    "United Press International": ("UPI", "upi.com"),
    "Press Trust of India": ("PTI", "ptinews.com"),
    "The Canadian Press": ("Canadian Press", "thecanadianpress.com"),
    "Australian Associated Press": ("AAP", "aap.com.au"),
    "SANA": ("Syrian Arab News Agency", "sana.sy"),
    "IRNA": ("Islamic Republic News Agency", "irna.ir"),
    "Bloomberg": ("Bloomberg News", "bloomberg.com"),
    # United Kingdom and Ireland
    "BBC News": ("BBC", "BBC World Service", "bbc.co.uk", "bbc.com"),
    "The Guardian": ("Guardian", "theguardian.com", "guardian.co.uk"),
    "Financial Times": ("FT", "The Financial Times", "ft.com"),
    "The Times": ("thetimes.co.uk",),
    "The Telegraph": ("The Daily Telegraph", "Daily Telegraph", "telegraph.co.uk"),
    "The Independent": ("independent.co.uk",),
    "The Economist": ("Economist", "economist.com"),
    "Sky News": ("news.sky.com",),
    "Daily Mail": ("Mail Online", "MailOnline", "dailymail.co.uk"),
    "The Irish Times": ("irishtimes.com",),
    # United States and Canada
    "The New York Times": ("New York Times", "NYT", "NYTimes", "nytimes.com"),
    "The Washington Post": ("Washington Post", "washingtonpost.com"),
    "The Wall Street Journal": ("Wall Street Journal", "WSJ", "wsj.com"),
    "Los Angeles Times": ("LA Times", "latimes.com"),
    "USA Today": ("usatoday.com",),
    "Chicago Tribune": ("chicagotribune.com",),
    "The Boston Globe": ("Boston Globe", "bostonglobe.com"),
    "CNN": ("CNN International", "cnn.com"),
    "CNBC": ("cnbc.com",),
    "Fox News": ("Fox News Channel", "foxnews.com"),
    "NBC News": ("nbcnews.com",),
    "CBS News": ("cbsnews.com",),
    "ABC News": ("abcnews.go.com", "abcnews.com"),
    "NPR": ("National Public Radio", "npr.org"),
    "Politico": ("politico.com", "politico.eu"),
    "Axios": ("axios.com",),
    "The Hill": ("thehill.com",),
    "Time": ("time.com",),
    "Newsweek": ("newsweek.com",),
    "The Atlantic": ("theatlantic.com",),
    "The New Yorker": ("newyorker.com",),
    "Business Insider": ("businessinsider.com",),
    "HuffPost": ("Huffington Post", "The Huffington Post", "huffpost.com", "huffingtonpost.com"),
    "Forbes": ("forbes.com",),
    "Voice of America": ("VOA", "VOA News", "voanews.com"),
    "Radio Free Europe/Radio Liberty": ("RFE/RL", "rferl.org"),
    "The Christian Science Monitor": ("Christian Science Monitor", "csmonitor.com"),
    "ProPublica": ("propublica.org",),
    "CBC News": ("CBC", "cbc.ca"),
    "The Globe and Mail": ("Globe and Mail", "theglobeandmail.com"),
    # Middle East and North Africa
    "Al Jazeera": ("Al Jazeera English", "Aljazeera", "aljazeera.com", "aljazeera.net"),
    "Al Arabiya": ("Al Arabiya English", "alarabiya.net"),
    "Asharq Al-Awsat": ("Asharq Al Awsat", "aawsat.com"),
    "The National": ("thenationalnews.com", "thenational.ae"),
    "Arab News": ("arabnews.com",),
    "Al-Monitor": ("Al Monitor", "al-monitor.com"),
    "Middle East Eye": ("middleeasteye.net",),
    "The New Arab": ("newarab.com", "alaraby.co.uk"),
    "Haaretz": ("haaretz.com", "haaretz.co.il"),
    "The Times of Israel": ("Times of Israel", "timesofisrael.com"),
    "The Jerusalem Post": ("Jerusalem Post", "JPost", "jpost.com"),
    "L'Orient-Le Jour": ("lorientlejour.com",),
    "L'Orient Today": ("lorientoday.com",),
    "Enab Baladi": ("enabbaladi.net",),
    "Syrian Observatory for Human Rights": ("SOHR", "syriahr.com"),
    "North Press Agency": ("North Press", "npasyria.com"),
    "Rudaw": ("rudaw.net",),
    "Kurdistan 24": ("Kurdistan24", "kurdistan24.net"),
    "Daily Sabah": ("dailysabah.com",),
    "Hürriyet Daily News": ("Hurriyet Daily News", "hurriyetdailynews.com"),
    "TRT World": ("trtworld.com",),
    "Ahram Online": ("Al-Ahram", "ahram.org.eg"),
    "Mada Masr": ("madamasr.com",),
    "Barran Press": ("barranpress.net",),
    # Europe
    "France 24": ("France24", "france24.com"),
    "RFI": ("Radio France Internationale", "rfi.fr"),
    "Le Monde": ("lemonde.fr",),
    "Le Figaro": ("lefigaro.fr",),
    "Deutsche Welle": ("DW", "dw.com"),
    "Der Spiegel": ("Spiegel", "Spiegel Online", "spiegel.de"),
    "Frankfurter Allgemeine Zeitung": ("FAZ", "faz.net"),
    "Süddeutsche Zeitung": ("Sueddeutsche Zeitung", "sueddeutsche.de"),
    "Die Zeit": ("Zeit Online", "zeit.de"),
    "El País": ("El Pais", "elpais.com"),
    "El Mundo": ("elmundo.es",),
    "Corriere della Sera": ("corriere.it",),
    "la Repubblica": ("repubblica.it",),
    "Euronews": ("euronews.com",),
    "RT": ("Russia Today", "rt.com"),
    "Sputnik": ("Sputnik International", "sputniknews.com"),
    "Meduza": ("meduza.io",),
    "The Moscow Times": ("Moscow Times", "themoscowtimes.com"),
    "The Kyiv Independent": ("Kyiv Independent", "kyivindependent.com"),
    "Ukrainska Pravda": ("pravda.com.ua",),
    "UNIAN": ("unian.net", "unian.info"),
    # Asia and Oceania
    "NHK": ("NHK World", "nhk.or.jp"),
    "The Japan Times": ("Japan Times", "japantimes.co.jp"),
    "South China Morning Post": ("SCMP", "scmp.com"),
    "China Daily": ("chinadaily.com.cn",),
    "Global Times": ("globaltimes.cn",),
    "The Times of India": ("Times of India", "timesofindia.indiatimes.com"),
    "Hindustan Times": ("hindustantimes.com",),
    "The Hindu": ("thehindu.com",),
    "Dawn": ("dawn.com",),
    "ABC News (Australia)": ("abc.net.au",),
    "The Sydney Morning Herald": ("Sydney Morning Herald", "smh.com.au"),
}

# Agencies whose copy other outlets run: a page on someone else's domain that names one of
# these as its publisher is syndicated copy, and the outlet is the site that ran it.
WIRE_SERVICES = frozenset(
    {
        "Associated Press", "Reuters", "Agence France-Presse", "Deutsche Presse-Agentur", "ANSA",
        "EFE", "Xinhua", "TASS", "RIA Novosti", "Interfax", "Kyodo News", "Yonhap",
        "Anadolu Agency", "United Press International", "Press Trust of India",
        "The Canadian Press", "Australian Associated Press", "SANA", "IRNA", "Bloomberg",
    }
)  # fmt: skip


def _key(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.casefold()).strip()


_ALIASES: dict[str, str] = {}
for _canonical, _names in OUTLETS.items():
    for _name in (_canonical, *_names):
        _ALIASES[_key(_name)] = _canonical


def normalise_outlet(name: str) -> str:
    """The canonical name of an outlet, or the name tidied if the outlet is not in the table."""
    name = " ".join(name.split())
    return _ALIASES.get(_key(name), name)


def known_outlet(name: str) -> str | None:
    """The canonical name if `name` is a known outlet name or domain, else None."""
    return _ALIASES.get(_key(" ".join(name.split())))


def outlet_from_url(url: str) -> str | None:
    """The outlet a URL's domain belongs to, if it is a well-known one."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed URL names no outlet
        return None
    parts = host.casefold().split(".")
    registry = _registry()
    for i in range(len(parts) - 1):
        found = _ALIASES.get(_key(".".join(parts[i:]))) or registry.get(".".join(parts[i:]))
        if found:
            return found
    return None


@functools.lru_cache(maxsize=1)
def _registry() -> dict[str, str]:
    """The shipped registry of domains and their outlets (scripts/build_outlets.py)."""
    path = Path(__file__).parent / "data" / "outlets.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a damaged install still runs, on the table alone
        return {}


def is_wire_service(name: str) -> bool:
    """Whether `name` is a news agency whose copy other outlets publish (AP, Reuters, AFP...)."""
    return normalise_outlet(name) in WIRE_SERVICES


# --- which outlet a page belongs to ------------------------------------------------------------

# between a headline and a site name: "Headline | Site", "Site - Headline", "Headline – site.com"
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|«|~)\s+|\s*[|｜]\s*")
_DOMAIN_LIKE = re.compile(r"(?:[\w-]+\.)+[a-z]{2,12}", re.I)
_NOT_A_SITE = re.compile(r"copyright|all rights reserved|powered by", re.I)
# a word written in lower case in a name that also has capitals: "Expert how-to for Riders"
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]{3,}")
_CAPITAL_WORD = re.compile(r"(?<![\w'’-])[A-Z]")
_LATIN = re.compile(r"[A-Za-z]")
_IP = re.compile(r"[\d.]+|\[?[0-9a-f:]+\]?")
_NICKNAME = re.compile(r"[a-z][a-z0-9]*")  # "detroitnews", "mirror", "nj": a handle, not a name


def segments(title: str) -> list[str]:
    """A title cut at its separators: "Headline | Section | Site" -> three parts."""
    return _SEPARATOR.split(title)


def looks_like_domain(text: str) -> bool:
    """Whether a title segment or a name is a domain ("JPost.com", "ledger.example")."""
    return bool(_DOMAIN_LIKE.fullmatch(text.strip()))


def host_of(url: str | None) -> str:
    """The host of a URL without "www.", or "" for none or a malformed one."""
    try:
        return (urlsplit(url).hostname or "").casefold().removeprefix("www.") if url else ""
    except ValueError:
        return ""


@functools.lru_cache(maxsize=4096)
def site_domain(host: str) -> str | None:
    """The registered domain of a host by the Public Suffix List: bbc.co.uk for
    www.bbc.co.uk, goo.ne.jp for blog.goo.ne.jp, a blog host's subdomain whole
    (name.blogspot.com); None for an IP address or a bare name."""
    if not host or "." not in host or _IP.fullmatch(host):
        return None
    from tld import get_fld

    return get_fld(host, fix_protocol=True, fail_silently=True) or None


def domain_label(host: str) -> str:
    """The name-like label of a host: "entermedia" for www.entermedia.co.kr."""
    return (site_domain(host) or host).split(".")[0]


def squeezed(name: str) -> str:
    """A name reduced to its letters and digits, case and accents folded: the key under
    which "Detroit News", "detroitnews" and "The Detroit News" meet."""
    name = unicodedata.normalize("NFKD", name.casefold())
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = re.sub(r"\W+", "", name)
    return name.removeprefix("the") if len(name) > 6 else name


def resembles(name: str, host: str) -> bool:
    """Whether a name and a host plausibly belong together ("CBS Sports", cbssports.com)."""
    name_key, label = squeezed(name), squeezed(domain_label(host))
    if name_key == label:  # also a short one: "iG" on ig.com.br
        return bool(label)
    if min(len(name_key), len(label)) < 3:
        return False
    # a name inside the address must be most of it: "News" is not hutchnews.com's name
    return label in name_key or (name_key in label and 2 * len(name_key) >= len(label))


def is_tagline(name: str, host: str = "") -> bool:
    """Whether a claimed site name reads as a tagline or a sentence, not a name: capitals
    mixed with long lower-case words ("Expert how-to for English Riders"), or a sentence's
    end. Names keep few words in lower case ("The Times of India", "Corriere della Sera"):
    one such word is allowed in a name that matches the site's address, or when there is none.
    """
    words = name.split()
    if len(words) >= 3 and name.rstrip()[-1:] in ".?":
        return True
    if not _CAPITAL_WORD.search(name):
        return False
    lower = len(_LOWER_WORD.findall(name))
    return lower >= 2 or (lower == 1 and bool(host) and not resembles(name, host))


def _title_key(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _site_name(claim: str, host: str, titles: frozenset[str] = frozenset()) -> str | None:
    """A site-name claim without its tagline ("LinkNaija | Nigeria's news"), URL or stray
    marks; None when it is no name: a title of the page, a tagline, a copyright line."""
    if re.match(r"https?://", claim):
        return host_of(claim) or None
    if _is_title(claim, titles):
        return None
    parts = [p.strip(" _-–—|:·•@©®™") for p in segments(claim)]
    parts = [p for p in parts if p and not is_tagline(p, host)]
    if not parts:
        return None
    name = parts[0]
    if len(parts) > 1:
        # the part that matches the site's address, else the shortest (a name, not a slogan)
        name = next((p for p in parts if host and resembles(p, host)), min(parts, key=len))
    if looks_like_domain(name) and name.casefold().startswith("www."):
        name = name[4:]
    if looks_like_domain(name) and name.islower():  # "trojmiasto.wyborcza.pl": the site's
        name = site_domain(name) or name
    if len(name) > 60 or len(name.split()) > 8 or _NOT_A_SITE.search(name):
        return None
    return name


def _is_title(claim: str, titles: frozenset[str]) -> bool:
    """Whether a claim is the page's own title or headline, or a cut-off copy of one."""
    key = _title_key(claim)
    if len(key) < 4:
        return False
    return any(key == t or (len(key) >= 16 and t.startswith(key)) for t in titles)


def outlet_of_page(
    claims: list[tuple[str | None, str]],
    url: str | None,
    *,
    inferred: list[tuple[str | None, str]] = (),
    titles: list[str | None] = (),
    own_host: str = "",
    affirmed: list[str] = (),
) -> tuple[str | None, str]:
    """The outlet of a page that ran at `url`, and how it was found.

    `claims` are the names the page declares for itself, best first (og:site_name, JSON-LD
    publisher), each with its basis; `inferred` are names read off the page (a title affix,
    the masthead, the copyright line). A well-known domain wins (basis "url"): pages name
    sections ("U.S." on reuters.com), section brands and wire services as their site. A
    claim is refused when it is the page's title, a tagline, or a wire service on another
    outlet's site (syndicated copy). A declared name that is a handle ("detroitnews") or
    does not match the address, where a name read off the page does, gives way to it.
    Else the first inferred name that matches the address, else the host, else unknown.
    `own_host` is the site's host as its links show it, when `url` is not known;
    `affirmed` names the page itself confirms (a title affix beside the headline), taken
    before the bare address. The address stands for its registered domain (mk.ru for
    oren.mk.ru; a blog host's own subdomain stays whole), never an IP address.
    """
    from_domain = outlet_from_url(url) if url else None
    if from_domain:
        return from_domain, "url"
    real_host = host_of(url)
    host = real_host or own_host
    title_keys = frozenset(_title_key(t) for t in titles if t)
    read = [(n, how) for c, how in inferred if c and (n := _site_name(c, host, title_keys))]
    matching = [(n, how) for n, how in read if host and resembles(n, host)]
    valid = [(n, how) for c, how in claims if c and (n := _site_name(c, host, title_keys))]
    checkable = [(n, how) for n, how in valid if _LATIN.search(n) and not looks_like_domain(n)]
    if host and checkable and not resembles(checkable[0][0], host) and valid[0] == checkable[0]:
        # a section ("Economia") or the owner where another declared name matches the address
        better = [(n, how) for n, how in checkable if resembles(n, host)]
        if better:
            return normalise_outlet(better[0][0]), better[0][1]
    for claim, how in claims:
        name = _site_name(claim, host, title_keys) if claim else None
        if not name or (host and is_wire_service(name)):
            continue
        if _NICKNAME.fullmatch(name):
            fuller = [(n, h) for n, h in read if squeezed(name) in squeezed(n) and n != name]
            if fuller:
                return normalise_outlet(fuller[0][0]), fuller[0][1]
        if host and matching and _LATIN.search(name) and not resembles(name, host):
            # a section ("Diversao") where the page's title names the site; only a name in
            # the address's alphabet can be checked against it
            better = [(n, h) for n, h in matching if h == "html:title"]
            if better:
                return normalise_outlet(better[0][0]), better[0][1]
        if host and looks_like_domain(name) and name.islower():
            # a bare address ("listindiario.com") where the page writes the name out
            spelled = [(n, h) for n, h in matching if not looks_like_domain(n)]
            if spelled:
                return normalise_outlet(spelled[0][0]), spelled[0][1]
        return normalise_outlet(name), how
    if matching:
        return normalise_outlet(matching[0][0]), matching[0][1]
    if not real_host and read:
        # no address to check names against: a name the title also shows is the likelier
        shown = squeezed(" ".join(t for t in titles if t))
        read.sort(key=lambda item: squeezed(item[0]) not in shown)
        return normalise_outlet(read[0][0]), read[0][1]
    for affix in affirmed:
        if name := _site_name(affix, host, title_keys):
            return normalise_outlet(name), "html:title"
    if not real_host or _IP.fullmatch(real_host):
        return None, "url"
    return site_domain(real_host) or real_host, "url"
