"""Hand-kept tables merged into the gazetteer when it is built (scripts/build_gazetteer.py).

Two are also read at run time: ALIASES, which tell a town's own spellings from GeoNames'
alternate names (prominence.spelled_as_its_own), and OUTLETS, added to the matcher.

GeoNames knows most spellings, but news writes some places its own way, names countries
by their people (Syrian, Turkish), and talks about regions GeoNames files under other kinds.
Keys are GeoNames ids (as strings) or ISO 3166 country codes.
"""

from __future__ import annotations

# The English name a reader expects, where GeoNames' main name is a transliteration.
ENGLISH_NAMES: dict[str, str] = {
    "163808": "Palmyra",  # GeoNames: Tadmur
    "170905": "Daraa",  # Dar‘ā
    "163345": "Tartus",  # Ţarţūs
    "170017": "Hama",  # Ḩamāh
    "172955": "Raqqa",  # Ar Raqqah
    "173334": "Quneitra",  # Al Qunayţirah
    "174448": "Abu Kamal",  # Ālbū Kamāl
    "170592": "Douma",  # Dūmā
    "5332921": "California",  # an alias of the right shape, "Golden State", would win
}

# Spellings seen in the press that GeoNames lacks, by GeoNames id.
ALIASES: dict[str, list[str]] = {
    "170905": ["Deraa", "Dar'a", "Daraa", "Dera'a"],
    "172408": ["Sweida", "Suweida", "Suwayda", "Sweyda", "Soueida", "Swaida"],
    "170794": ["Deir ez-Zor", "Deir Ezzor", "Deir al-Zor", "Deir el-Zour", "Deir Ez Zor"],
    "163345": ["Tartous", "Tartus", "Tartoos"],
    "163808": ["Palmyra", "Tadmur", "Tadmor"],
    "174448": ["Abu Kamal", "Al-Bukamal", "Albu Kamal", "al-Bu Kamal", "Boukamal"],
    "703448": ["Kyiv", "Kiev", "Київ", "Киев"],
    "281133": ["Gaza City", "Gaza", "غزة"],
    # English news names that GeoNames files among its many alternate names. A town named
    # by an alternate name alone needs another place of its country in the article (so
    # that "Sanmin" does not become Sanming, China); these spellings stand on their own.
    "706483": ["Kharkov"],
    # "New York" in news is the city first ("NEW YORK (AP) —"); the state is written out.
    "5128581": ["New York", "New York City"],
    "698740": ["Odessa"],
    "687700": ["Zaporizhzhia", "Zaporozhye"],
    "702658": ["Lugansk"],
    "713122": ["Avdiivka"],
    "1275339": ["Bombay"],
    "1275004": ["Calcutta"],
    "1264527": ["Madras"],
    "1277333": ["Bangalore"],
    "1816670": ["Peking"],
    "1566083": ["Saigon"],
    "1298824": ["Rangoon"],
    "2214846": ["Misrata", "Misurata"],
    "87205": ["Derna"],
    "172256": ["Kobani", "Kobane"],
    "169304": ["Jableh"],
    "95446": ["Irbil"],
    "99532": ["Basra"],
    "79415": ["Hodeidah"],
    "71334": ["Saada"],
    "281124": ["Khan Younis"],
    "281129": ["Jabalia"],
    "418863": ["Esfahan"],
    "498817": ["St Petersburg"],
    "2886242": ["Cologne"],
    "2800931": ["Bruges"],
    "2797656": ["Ghent"],
    "105343": ["Jiddah"],
    "104515": ["Mecca"],
    "109223": ["Medina"],
    "2542997": ["Marrakech"],
    "1133616": ["Mazar-i-Sharif"],
}

# What a country's people or things are called: a mention of the country by demonym.
DEMONYMS: dict[str, list[str]] = {
    "AF": ["Afghan", "Afghans"],
    "AL": ["Albanian", "Albanians"],
    "DZ": ["Algerian", "Algerians"],
    "AO": ["Angolan", "Angolans"],
    "AR": ["Argentine", "Argentinian", "Argentinians", "Argentines"],
    "AM": ["Armenian", "Armenians"],
    "AU": ["Australian", "Australians"],
    "AT": ["Austrian", "Austrians"],
    "AZ": ["Azerbaijani", "Azerbaijanis", "Azeri", "Azeris"],
    "BH": ["Bahraini", "Bahrainis"],
    "BD": ["Bangladeshi", "Bangladeshis"],
    "BY": ["Belarusian", "Belarusians"],
    "BE": ["Belgian", "Belgians"],
    "BO": ["Bolivian", "Bolivians"],
    "BA": ["Bosnian", "Bosnians"],
    "BR": ["Brazilian", "Brazilians"],
    "BG": ["Bulgarian", "Bulgarians"],
    "KH": ["Cambodian", "Cambodians"],
    "CM": ["Cameroonian", "Cameroonians"],
    "CA": ["Canadian", "Canadians"],
    "CL": ["Chilean", "Chileans"],
    "CN": ["Chinese"],
    "CO": ["Colombian", "Colombians"],
    "HR": ["Croatian", "Croatians", "Croat", "Croats"],
    "CU": ["Cuban", "Cubans"],
    "CY": ["Cypriot", "Cypriots"],
    "CZ": ["Czech", "Czechs"],
    "DK": ["Danish", "Dane", "Danes"],
    "EC": ["Ecuadorian", "Ecuadorians"],
    "EG": ["Egyptian", "Egyptians"],
    "EE": ["Estonian", "Estonians"],
    "ET": ["Ethiopian", "Ethiopians"],
    "FI": ["Finnish", "Finn", "Finns"],
    "FR": ["French"],
    "GE": ["Georgian", "Georgians"],
    "DE": ["German", "Germans"],
    "GH": ["Ghanaian", "Ghanaians"],
    "GR": ["Greek", "Greeks"],
    "GT": ["Guatemalan", "Guatemalans"],
    "HT": ["Haitian", "Haitians"],
    "HN": ["Honduran", "Hondurans"],
    "HU": ["Hungarian", "Hungarians"],
    "IS": ["Icelandic", "Icelander", "Icelanders"],
    "IN": ["Indian", "Indians"],
    "ID": ["Indonesian", "Indonesians"],
    "IR": ["Iranian", "Iranians", "Persian"],
    "IQ": ["Iraqi", "Iraqis"],
    "IE": ["Irish"],
    "IL": ["Israeli", "Israelis"],
    "IT": ["Italian", "Italians"],
    "JM": ["Jamaican", "Jamaicans"],
    "JP": ["Japanese"],
    "JO": ["Jordanian", "Jordanians"],
    "KZ": ["Kazakh", "Kazakhs", "Kazakhstani"],
    "KE": ["Kenyan", "Kenyans"],
    "KW": ["Kuwaiti", "Kuwaitis"],
    "KG": ["Kyrgyz"],
    "LV": ["Latvian", "Latvians"],
    "LB": ["Lebanese"],
    "LY": ["Libyan", "Libyans"],
    "LT": ["Lithuanian", "Lithuanians"],
    "MY": ["Malaysian", "Malaysians"],
    "ML": ["Malian", "Malians"],
    "MT": ["Maltese"],
    "MX": ["Mexican", "Mexicans"],
    "MD": ["Moldovan", "Moldovans"],
    "MN": ["Mongolian", "Mongolians"],
    "MA": ["Moroccan", "Moroccans"],
    "MM": ["Burmese", "Myanmar's"],
    "NP": ["Nepali", "Nepalese"],
    "NL": ["Dutch"],
    "NZ": ["New Zealander", "New Zealanders"],
    "NI": ["Nicaraguan", "Nicaraguans"],
    "NG": ["Nigerian", "Nigerians"],
    "KP": ["North Korean", "North Koreans"],
    "NO": ["Norwegian", "Norwegians"],
    "OM": ["Omani", "Omanis"],
    "PK": ["Pakistani", "Pakistanis"],
    "PS": ["Palestinian", "Palestinians"],
    "PA": ["Panamanian", "Panamanians"],
    "PY": ["Paraguayan", "Paraguayans"],
    "PE": ["Peruvian", "Peruvians"],
    "PH": ["Filipino", "Filipinos", "Philippine"],
    "PL": ["Polish", "Pole", "Poles"],
    "PT": ["Portuguese"],
    "QA": ["Qatari", "Qataris"],
    "RO": ["Romanian", "Romanians"],
    "RU": ["Russian", "Russians"],
    "RW": ["Rwandan", "Rwandans"],
    "SA": ["Saudi", "Saudis", "Saudi Arabian"],
    "SN": ["Senegalese"],
    "RS": ["Serbian", "Serbians", "Serb", "Serbs"],
    "SG": ["Singaporean", "Singaporeans"],
    "SK": ["Slovak", "Slovaks", "Slovakian"],
    "SI": ["Slovenian", "Slovenians", "Slovene"],
    "SO": ["Somali", "Somalis"],
    "ZA": ["South African", "South Africans"],
    "KR": ["South Korean", "South Koreans"],
    "SS": ["South Sudanese"],
    "ES": ["Spanish", "Spaniard", "Spaniards"],
    "LK": ["Sri Lankan", "Sri Lankans"],
    "SD": ["Sudanese"],
    "SE": ["Swedish", "Swede", "Swedes"],
    "CH": ["Swiss"],
    "SY": ["Syrian", "Syrians"],
    "TW": ["Taiwanese"],
    "TJ": ["Tajik", "Tajiks"],
    "TZ": ["Tanzanian", "Tanzanians"],
    "TH": ["Thai"],
    "TN": ["Tunisian", "Tunisians"],
    "TR": ["Turkish", "Turk", "Turks"],
    "TM": ["Turkmen"],
    "UG": ["Ugandan", "Ugandans"],
    "UA": ["Ukrainian", "Ukrainians"],
    "AE": ["Emirati", "Emiratis"],
    "GB": ["British", "Briton", "Britons"],
    "US": ["American", "Americans"],
    "UY": ["Uruguayan", "Uruguayans"],
    "UZ": ["Uzbek", "Uzbeks"],
    "VE": ["Venezuelan", "Venezuelans"],
    "VN": ["Vietnamese"],
    "YE": ["Yemeni", "Yemenis"],
    "ZM": ["Zambian", "Zambians"],
    "ZW": ["Zimbabwean", "Zimbabweans"],
}

# Other names of countries (GeoNames' country table carries only one).
COUNTRY_ALIASES: dict[str, list[str]] = {
    "SY": ["Syrian Arab Republic", "سوريا", "سورية", "Сирия", "Сирія"],
    "TR": ["Türkiye", "Turkiye", "Turquie", "Türkei", "تركيا", "Турция", "Туреччина"],
    "US": ["United States of America", "USA", "U.S.", "U.S.A.", "America", "US"],
    "GB": ["Britain", "Great Britain", "UK", "U.K."],
    "RU": ["Russian Federation", "Россия", "روسيا"],
    "UA": ["Ukraine", "Україна", "Украина"],
    "IR": ["Islamic Republic of Iran", "إيران", "Иран"],
    "IQ": ["العراق", "Ирак"],
    "LB": ["لبنان", "Ливан"],
    "JO": ["Jordan", "الأردن", "Иордания"],
    "IL": ["إسرائيل", "Израиль"],
    "PS": ["Palestine", "Palestinian Territories", "State of Palestine", "فلسطين"],
    "EG": ["مصر", "Египет"],
    "SA": ["السعودية", "Саудовская Аравия"],
    "AE": ["UAE", "U.A.E.", "Emirates", "الإمارات"],
    "KR": ["South Korea", "Republic of Korea"],
    "KP": ["North Korea", "DPRK"],
    "CD": ["DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Republic of the Congo"],
    "CZ": ["Czech Republic", "Czechia"],
    "MK": ["Macedonia", "North Macedonia"],
    "MM": ["Burma", "Myanmar"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "VA": ["Holy See", "Vatican"],
    "NL": ["Holland", "The Netherlands"],
    "TW": ["Taiwan"],
    "VN": ["Viet Nam"],
    "LA": ["Laos"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "SZ": ["Swaziland", "Eswatini"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "TL": ["East Timor", "Timor-Leste"],
}

# Countries whose towns are kept down to 1,000 people (elsewhere 5,000): the conflicts the
# archive's readers follow, where news names villages.
DETAILED = frozenset("SY IQ LB JO IL PS YE LY UA".split())

# Countries whose place names carry the Arabic article (al-, as-, ad-...) in transliteration.
ARABIC_COUNTRIES = frozenset(
    "SY IQ JO LB PS IL EG LY TN DZ MA EH MR SD SA YE OM AE QA BH KW".split()
)

# Seas, oceans and regions that news names but that are nobody's administrative unit:
# (id, English name, country or "", lat, lon, other names). Ids are GeoNames ids where the
# GeoNames record is known; regions without one get a stable "x-" id of our own.
AREAS: list[tuple[str, str, str, float, float, list[str]]] = [
    ("363196", "Mediterranean Sea", "", 35.0, 18.0, ["Mediterranean", "البحر المتوسط"]),
    ("630673", "Black Sea", "", 43.0, 34.0, ["Черное море", "Чорне море"]),
    ("350155", "Red Sea", "", 20.0, 38.5, ["البحر الأحمر"]),
    ("1545739", "Indian Ocean", "", -10.0, 75.0, []),
    ("3411923", "Atlantic Ocean", "", 10.0, -30.0, ["Atlantic"]),
    ("2960860", "Arctic Ocean", "", 85.0, 0.0, ["Arctic"]),
    ("3523271", "Gulf of Mexico", "", 25.0, -90.0, []),
    ("x-pacific-ocean", "Pacific Ocean", "", 0.0, -160.0, ["Pacific"]),
    ("x-persian-gulf", "Persian Gulf", "", 26.5, 52.0, ["Arabian Gulf", "الخليج العربي"]),
    ("x-caspian-sea", "Caspian Sea", "", 42.0, 50.5, ["Caspian", "Каспийское море"]),
    ("x-baltic-sea", "Baltic Sea", "", 58.0, 20.0, ["Baltic"]),
    ("x-north-sea", "North Sea", "", 56.0, 3.0, []),
    ("x-aegean-sea", "Aegean Sea", "", 39.0, 25.0, ["Aegean"]),
    ("x-caribbean", "Caribbean", "", 15.0, -75.0, ["Caribbean Sea"]),
    ("x-south-china-sea", "South China Sea", "", 12.0, 113.0, []),
    ("6269133", "Middle East", "", 29.0, 41.0, ["Mideast", "الشرق الأوسط", "Ближний Восток"]),
    ("x-levant", "Levant", "", 33.5, 36.0, ["the Levant", "بلاد الشام"]),
    ("x-golan-heights", "Golan Heights", "", 33.0, 35.75, ["Golan", "الجولان", "Голанские высоты"]),
    ("x-kurdistan", "Kurdistan", "", 36.5, 44.0, ["كردستان"]),
    ("x-balkans", "Balkans", "", 43.0, 21.0, ["Balkan Peninsula"]),
    ("x-caucasus", "Caucasus", "", 42.5, 44.0, ["Кавказ"]),
    ("x-scandinavia", "Scandinavia", "", 62.0, 14.0, []),
    ("x-korean-peninsula", "Korean Peninsula", "", 37.5, 127.5, []),
    ("x-arabian-peninsula", "Arabian Peninsula", "", 23.0, 46.0, ["Arabia"]),
    ("x-sinai", "Sinai Peninsula", "EG", 29.5, 33.8, ["Sinai", "سيناء"]),
    ("x-horn-of-africa", "Horn of Africa", "", 8.0, 45.0, []),
    ("x-sahel", "Sahel", "", 15.0, 5.0, []),
    ("x-north-africa", "North Africa", "", 27.0, 14.0, ["Northern Africa"]),
    ("x-west-africa", "West Africa", "", 12.0, -3.0, ["Western Africa"]),
    ("x-east-africa", "East Africa", "", 0.0, 37.0, ["Eastern Africa"]),
    ("x-southern-africa", "Southern Africa", "", -25.0, 25.0, []),
    ("x-sub-saharan-africa", "Sub-Saharan Africa", "", 0.0, 20.0, []),
    ("x-central-asia", "Central Asia", "", 43.0, 65.0, []),
    ("x-south-asia", "South Asia", "", 22.0, 78.0, []),
    ("x-southeast-asia", "Southeast Asia", "", 5.0, 110.0, ["South-East Asia", "South East Asia"]),
    ("x-east-asia", "East Asia", "", 35.0, 115.0, []),
    ("x-latin-america", "Latin America", "", -10.0, -65.0, []),
    ("x-central-america", "Central America", "", 14.0, -87.0, []),
    ("x-eastern-europe", "Eastern Europe", "", 52.0, 28.0, []),
    ("x-western-europe", "Western Europe", "", 48.0, 5.0, []),
    ("x-siberia", "Siberia", "RU", 60.0, 100.0, ["Сибирь"]),
    ("x-donbas", "Donbas", "UA", 48.0, 38.0, ["Donbass", "Донбасс", "Донбас"]),
    ("x-west-coast", "West Coast", "US", 40.0, -122.0, []),
    ("x-east-coast", "East Coast", "US", 38.0, -76.0, []),
    ("x-midwest", "Midwest", "US", 42.0, -90.0, []),
    ("x-new-england", "New England", "US", 43.5, -71.5, []),
]

# Adjectives for areas: a mention of the area by the name of its people or things.
AREA_DEMONYMS: dict[str, list[str]] = {
    "6255148": ["European", "Europeans"],
    "6255146": ["African", "Africans"],
    "6255147": ["Asian", "Asians"],
    "6269133": ["Middle Eastern"],
    "x-latin-america": ["Latin American", "Latin Americans"],
    "x-balkans": ["Balkan"],
    "x-scandinavia": ["Scandinavian", "Scandinavians"],
    "x-kurdistan": ["Kurdish", "Kurds"],
    "x-caribbean": ["Caribbean"],
}

# Words for peoples and faiths that GeoNames also lists as towns (Arab, Alabama), and the
# bare directions that regions go by in some countries ("Western" province): in news they
# are practically never those places.
NOT_PLACES = frozenset(
    """
    Arab Arabs Christian Christians Muslim Muslims Jewish Jew Jews Sunni Shia Shiite Druze
    Alawite Alawites Catholic Protestant Orthodox Latino Hispanic Islamic Islam Kurd Kurds
    Bedouin Berber Baptist Methodist Mormon Amish Quaker
    Western Eastern Northern Southern Central Federal Centre Center Upper Lower Greater
    """.split()
)

# Newspapers, broadcasters and institutions whose names hold a place name. Matched as one
# longer name, they swallow the place: "the New York Times reported" names no place. Names
# built like "<place> Times", "<place> Morning Post" or "Times of <place>" are caught by
# the masthead rule in context.py; this list is for the rest, and for the best known,
# whatever the rule. An outlet is never a mention of its home: the Times of Israel and the
# Kyiv Independent report from Israel and Kyiv, but their names say nothing of where a story
# happened, and an article about those places names them elsewhere.
OUTLETS = frozenset(
    name.strip()
    for line in """
    New York Times|New York Post|New York Daily News|Washington Post|Washington Times
    Los Angeles Times|Wall Street Journal|Financial Times|Boston Globe|Chicago Tribune
    Chicago Sun-Times|Dallas Morning News|Houston Chronicle|San Francisco Chronicle
    Miami Herald|Seattle Times|Denver Post|Philadelphia Inquirer|Baltimore Sun
    Atlanta Journal-Constitution|Detroit Free Press|Tampa Bay Times|Minneapolis Star Tribune
    Jerusalem Post|Times of Israel|Jordan Times|Tehran Times|Gulf News|Gulf Times|Arab News
    Kyiv Independent|Kyiv Post|Kiev Post|Moscow Times|South China Morning Post|China Daily
    Japan Times|Korea Herald|Korea Times|Times of India|Hindustan Times|Irish Times
    Irish Independent|Sydney Morning Herald|Toronto Star|Sky News Arabia|Voice of America
    Radio Free Europe|Radio Free Asia|New York Stock Exchange|London Stock Exchange
    Hong Kong Stock Exchange|New York University|Bank of America
    """.strip().splitlines()
    for name in line.split("|")
)
