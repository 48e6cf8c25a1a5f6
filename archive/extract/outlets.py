"""One table of news outlets, so that `FT`, `ft.com` and `Financial Times` are one source,
and the judgement of which outlet a web page belongs to."""

from __future__ import annotations

import re
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
    for i in range(len(parts) - 1):
        found = _ALIASES.get(_key(".".join(parts[i:])))
        if found:
            return found
    return None


def is_wire_service(name: str) -> bool:
    """Whether `name` is a news agency whose copy other outlets publish (AP, Reuters, AFP...)."""
    return normalise_outlet(name) in WIRE_SERVICES


# --- which outlet a page belongs to ------------------------------------------------------------

# between a headline and a site name: "Headline | Site", "Site - Headline", "Headline – site.com"
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|«)\s+|\s*\|\s*")
_DOMAIN_LIKE = re.compile(r"(?:[\w-]+\.)+[a-z]{2,12}", re.I)
_NOT_A_SITE = re.compile(r"copyright|©|all rights reserved|powered by", re.I)


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


def domain_label(host: str) -> str:
    """The name-like label of a host: "entermedia" for www.entermedia.co.kr."""
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and len(parts[-2]) <= 3:
        return parts[-3]  # example.co.uk, example.com.br
    return parts[-2] if len(parts) >= 2 else host


def _squeezed(name: str) -> str:
    return re.sub(r"\W+", "", name.casefold())


def _resembles(name: str, host: str) -> bool:
    """Whether a name and a host plausibly belong together ("CBS Sports", cbssports.com)."""
    name_key, label = _squeezed(name), domain_label(host)
    return min(len(name_key), len(label)) >= 3 and (label in name_key or name_key in label)


def _site_name(claim: str, host: str) -> str | None:
    """A site-name claim without its tagline ("LinkNaija | Nigeria's news"), URL or stray marks."""
    if re.match(r"https?://", claim):
        return host_of(claim) or None
    parts = [p for p in segments(claim) if p.strip()]
    name = parts[0] if parts else ""
    if len(parts) > 1:
        name = next((p for p in parts if host and _resembles(p, host)), name)
    name = name.strip(" _-–—|:·•@")
    if not name or len(name) > 60 or len(name.split()) > 6 or _NOT_A_SITE.search(name):
        return None
    return name


def outlet_of_page(claims: list[tuple[str | None, str]], url: str | None) -> tuple[str | None, str]:
    """The outlet of a page that ran at `url`, and how it was found.

    `claims` are the names the page gives itself, best first, each with its basis. A
    well-known domain wins (basis "url"): pages name sections ("U.S." on reuters.com), section
    brands ("CNNPolitics") and wire services as their site. A wire service claimed on another
    outlet's site is syndicated copy: the outlet is that site. Else the first plausible claim,
    else the host name, else unknown.
    """
    from_domain = outlet_from_url(url) if url else None
    if from_domain:
        return from_domain, "url"
    host = host_of(url)
    for claim, how in claims:
        name = _site_name(claim, host) if claim else None
        if name and not (host and is_wire_service(name)):
            return normalise_outlet(name), how
    return (host or None), "url"
