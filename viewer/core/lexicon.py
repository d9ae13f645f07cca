"""Word lists the extractor reads English reports with. General language data only:
no names of the people in any particular document."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that report speech or a speaker's act in a discussion ("X noted", "he added").
SPEECH_VERBS = _words(
    """
    said says say saying added adds noted notes noting remarked remarks commented comments stated states
    stressed stresses argued argues warned warns highlighted highlights underlined underlines pointed points
    emphasised emphasized emphasises emphasizes mentioned mentions raised raises recalled recalls opined opines
    called calls shared shares reiterated reiterates expressed expresses asked asks answered answers replied
    replies responded responds told tells urged urges insisted insists suggested suggests observed observes
    concluded concludes opened opens closed closes introduced introduces presented presents described
    describes spoke speaks welcomed welcomes thanked thanks brought brings focused focussed focuses criticised
    criticized criticises criticizes claimed claims declared declares admitted admits acknowledged acknowledges
    announced announces agreed agrees disagreed disagrees proposed proposes recommended recommends outlined
    outlines discussed discusses reported reports wrote writes continued continues gave gives delivered
    delivers illustrated illustrates cited cites quoted quotes addressed addresses questioned questions
    asserted asserts contended contends echoed echoes underscored underscores elaborated elaborates
    summarised summarized summarises summarizes reminded reminds informed informs detailed details testified
    testifies complained complains lamented laments praised praises condemned condemns denounced denounces
    demanded demands appealed appeals invited invites encouraged encourages drew draws talked talks began
    begins voiced voices affirmed affirms confirmed confirms clarified clarifies countered counters objected
    objects revealed reveals explained explains moderated moderates chaired chairs interrupted interjected
    exclaimed whispered shouted wondered predicted promised vowed pledged conceded acknowledged
    """
) | _words(
    # Russian: past tense (he/she/they) and present, the forms reports use
    """
    сказал сказала сказали заявил заявила заявили отметил отметила отметили добавил добавила добавили
    подчеркнул подчеркнула подчеркнули рассказал рассказала рассказали напомнил напомнила напомнили
    ответил ответила ответили спросил спросила спросили призвал призвала призвали пояснил пояснила
    пояснили объяснил объяснила объяснили сообщил сообщила сообщили заметил заметила заметили
    признал признала признали написал написала написали выступил выступила выступили говорит говорил
    говорила говорили считает утверждает утверждал утверждала предупредил предупредила вспомнил вспомнила
    """
)

# Verbs that take a quote right after them with a colon or comma ("She explained: “...”").
IRREGULAR_VERBS = _words(
    """
    is was are were has had have did does do will would can could should shall may might must
    went goes made makes took takes saw sees met meets held holds led leads sent sends left leaves
    thought thinks knew knows found finds felt feels kept keeps put puts set sets ran runs came comes
    became becomes got gets won wins lost loses built builds sought seeks fought fights wrote read
    spoke gave told brought drew began
    """
)

ADVERBS = _words(
    """
    also then further later again first briefly subsequently finally instead too additionally moreover
    however still once already afterwards afterward later similarly likewise repeatedly strongly clearly
    openly explicitly specifically notably particularly previously recently eventually immediately
    often usually always never frequently sometimes regularly now just even
    """
)
# Words in -ly that are not adverbs ("reply", "rally"), for the rule that a word in -ly is one.
NOT_ADVERBS = _words(
    "reply apply supply family rally only early likely daily holy ugly silly belly jelly ally fly july"
)


def is_adverb(word: str) -> bool:
    """ "also", "then", "later", and words in -ly ("regularly", "pointedly")."""
    w = word.lower()
    return w in ADVERBS or (len(w) > 4 and w.endswith("ly") and w not in NOT_ADVERBS and w.isalpha())


PREPOSITIONS = _words(
    """
    of to by with for from at on about against under after following like than between among including
    into onto upon towards toward within without during via per across behind beyond beside besides
    regarding concerning despite over through throughout around near
    """
)

SUBORDINATORS = _words("as while when after before although though since because if whereas unless until once")

DETERMINERS = _words("the a an this that these those his her their its our my your one some any each every")

FIRST_PERSON = _words("i we me us my our")

# Pronouns that can be a speaker in the narrator's voice.
PRONOUN_GENDER = {
    "he": "m",
    "she": "f",
    "him": "m",
    "his": "m",
    "her": "f",
    "hers": "f",
    "himself": "m",
    "herself": "f",
    "он": "m",
    "она": "f",
    "его": "m",
    "её": "f",
    "ее": "f",
    "ему": "m",
    "ей": "f",
}
SUBJECT_PRONOUNS = {"he": "m", "she": "f", "он": "m", "она": "f"}
# Russian possessives in "по его словам" ("according to him") -> the subject pronoun.
POSSESSIVE_PRONOUN = {"его": "он", "её": "она", "ее": "она"}

# Nouns that describe a person; "the activist" refers back to a speaker, "prisoner Iskander ..."
# marks a name as a person's.
PERSON_NOUNS = _words(
    """
    activist activists defender defenders lawyer lawyers journalist journalists ambassador ambassadors
    speaker speakers moderator chair chairman chairwoman chairperson president minister professor lecturer
    researcher academic academics scholar expert experts analyst analysts director head deputy member members
    politician oppositionist dissident dissidents blogger poet writer author editor reporter correspondent
    founder cofounder co-founder leader official officials judge prosecutor diplomat diplomats representative
    mep mp senator commissioner rapporteur spokesperson spokesman spokeswoman victim widow widower prisoner
    prisoners sister brother wife husband son daughter mother father colleague friend student teacher
    doctor economist historian lecturer panelist panellist participant guest host co-host organiser organizer
    businessman businesswoman banker entrepreneur campaigner advocate organiser coordinator manager secretary
    officer investigator inspector agent soldier commander guard policeman policewoman detective interrogator
    mayor governor deputy MP councillor neighbour lecturer chairwoman witness interviewer translator
    columnist commentator pundit strategist pollster consultant aide adviser staffer candidate nominee
    congressman congresswoman lawmaker legislator attorney scientist supporter critic voter resident owner
    executive producer anchor sheriff chief veteran worker organizer campaigner director spokesman
    person woman man source insider ally donor operative democrat republican conservative liberal
    """
) | _words(
    # Russian
    """
    журналист журналистка адвокат юрист правозащитник правозащитница активист активистка блогер
    блогерша депутат директор председатель эксперт исследователь политолог редактор корреспондент
    брат сестра мать отец сын дочь жена муж вдова
    """
)

HONORIFICS = {
    "mep": "MEP",
    "mp": "MP",
    "ambassador": "Ambassador",
    "amb": "Ambassador",
    "dr": "Dr",
    "prof": "Prof",
    "professor": "Professor",
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "sir": "Sir",
    "dame": "Dame",
    "lord": "Lord",
    "lady": "Lady",
    "judge": "Judge",
    "senator": "Senator",
    "minister": "Minister",
    "president": "President",
    "chairman": "Chairman",
    "chairwoman": "Chairwoman",
    "commissioner": "Commissioner",
    "general": "General",
    "colonel": "Colonel",
    "captain": "Captain",
    "rev": "Rev",
    "rabbi": "Rabbi",
    "imam": "Imam",
    "deputy": "Deputy",
    "attorney": "Attorney",
    "mayor": "Mayor",
    "governor": "Governor",
    "prince": "Prince",
    "princess": "Princess",
    "king": "King",
    "queen": "Queen",
    "pope": "Pope",
    "father": "Father",
    "sister": "Sister",
    "advocate": "Advocate",
    "sen": "Senator",
    "rep": "Representative",
    "gov": "Governor",
    "lt": "Lieutenant",
    "col": "Colonel",
    "gen": "General",
    "sgt": "Sergeant",
    "adm": "Admiral",
    "atty": "Attorney",
    "capt": "Captain",
    "cmdr": "Commander",
    "maj": "Major",
    "fr": "Father",
    "pres": "President",
    "sec": "Secretary",
    "congressman": "Congressman",
    "congresswoman": "Congresswoman",
    "sheriff": "Sheriff",
    "chancellor": "Chancellor",
    "secretary": "Secretary",
    "councillor": "Councillor",
    "councilman": "Councilman",
    "councilwoman": "Councilwoman",
    "madam": "Madam",
    "mme": "Mme",
    "monsignor": "Monsignor",
    "bishop": "Bishop",
    "archbishop": "Archbishop",
    "cardinal": "Cardinal",
    "sheikh": "Sheikh",
    "emir": "Emir",
    "господин": "господин",
    "госпожа": "госпожа",
    "депутат": "депутат",
}
# Titles written after a name ("Marcin Swiecicki MP", "John Smith Jr.").
POST_TITLES = frozenset(
    {
        "MP",
        "MEP",
        "MPs",
        "QC",
        "KC",
        "PhD",
        "Jr",
        "Jr.",
        "Sr",
        "Sr.",
        "II",
        "III",
        "IV",
        "Esq",
        "Esq.",
        "OBE",
        "MBE",
        "CBE",
    }
)
# What an honorific says of a person's gender.
HONORIFIC_GENDER = {
    "Mr": "m",
    "Sir": "m",
    "Lord": "m",
    "Father": "m",
    "Congressman": "m",
    "Councilman": "m",
    "Prince": "m",
    "King": "m",
    "Chairman": "m",
    "Monsignor": "m",
    "Sheikh": "m",
    "Emir": "m",
    "господин": "m",
    "Mrs": "f",
    "Ms": "f",
    "Miss": "f",
    "Lady": "f",
    "Dame": "f",
    "Madam": "f",
    "Mme": "f",
    "Sister": "f",
    "Princess": "f",
    "Queen": "f",
    "Congresswoman": "f",
    "Chairwoman": "f",
    "Councilwoman": "f",
    "госпожа": "f",
}
# Honorifics that are also a role worth printing when the text gives no other ("MEP", "Ambassador").
ROLE_HONORIFICS = frozenset(
    {
        "MEP",
        "MP",
        "Ambassador",
        "Senator",
        "Minister",
        "President",
        "Commissioner",
        "Representative",
        "Governor",
        "Secretary",
        "Congressman",
        "Congresswoman",
        "Judge",
        "Mayor",
        "Governor",
        "Professor",
        "Prof",
        "Deputy",
        "Chairman",
        "Chairwoman",
    }
)

NAME_PARTICLES = _words("de van von der den da di du del della bin ibn al el le la dos das ter ten zu")

# Capitalised words that open sentences or headings and are never names.
COMMON_CAPITALISED = _words(
    """
    The A An In On At As After Before Following During While When However Instead Hence Among Besides Since
    This That These Those It He She They We I His Her Their Our Its My Your You Talking Commenting Speaking
    Read Get Final Finally First Second Third Next Last Also And But Or Nor So Yet For Of To By With From
    Thus Therefore Meanwhile Moreover Furthermore Nevertheless Nonetheless Although Though If Whereas Unless
    Until Once Because Why What Who Whom Whose Which Where How Here There Today Yesterday Tomorrow Now Then
    Please Thank Thanks Yes No Not Mr Mrs Ms Dr Q A Question Answer Speaker Speakers Chair Moderator
    Introduction Conclusion Summary Background Note Notes Source Sources Date Title Subject Location Venue
    Organiser Organizer Organised Organized Published Updated Transcript Report Minutes Agenda Panel
    Panelists Participants Audience Asked Answering Responding Opening Closing Remarks Watch Video Photo
    Image Share Home Menu Contact About Search Privacy Cookies News Events Event Discussion Conference
    Meeting Session Part Chapter Section Page Item Items Points Point Key Main Other Others Many Some Most
    All Both Each Every Several Few One Two Three Four Five Six Seven Eight Nine Ten Human Rights Member
    States State Special Representative Representatives Senior Lecturer Director President Chairman Head
    Minister Ministry Western Eastern Northern Southern Global International National Public Political
    Democratic Free Freedom Urgent Supplementary Dimension Enhanced Partnership Cooperation Agreement Regime
    Sanctions Law Rule Justice Security Information Development Council Expert
    Committee
    """
)

MONTHS_SEASONS = _words(
    """
    January February March April May June July August September October November December Jan Feb Mar Apr
    Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Spring Summer
    Autumn Fall Winter Christmas Easter Ramadan Nauryz
    """
)

# Words that make a capitalised run an organisation (or an institution, law or programme).
ORG_WORDS = _words(
    """
    Foundation Party Bank Union Council Committee Ministry Parliament University Bureau Commission Court
    Office Service Services Movement Institute Association Network Centre Center Group Agency Government
    Assembly Society Alliance Front Federation Organisation Organization Department School College Academy
    Fund Trust League Coalition Initiative Forum Platform Media News Times Post Radio Television TV Press
    Corporation Company Inc Ltd Secretariat Mission Embassy Senate Congress Duma Mazhilis Cabinet Police
    Army Tribunal Watch International Republic Kingdom Nations Board Chamber Institution Authority
    Prosecutor Procuracy Observatory Union Helsinki Amnesty Freedom House Facebook Twitter YouTube
    Telegram Instagram Guardian Reuters BBC Club Journal Review Herald Tribune Gazette Chronicle Magazine
    Examiner Inquirer Dispatch Digest Weekly Newsweek Command Caucus Administration Corps Museum Hospital Nation
    """
)
# Instruments rather than organisations: agreements, laws, resolutions, programmes, regimes.
INSTRUMENT_WORDS = _words(
    """
    Agreement Law Act Resolution Regime Convention Treaty Declaration Charter Programme Program Strategy
    Meeting Dimension Plan Code Constitution Directive Regulation Protocol Pact Accord Statute Bill
    """
)

COUNTRIES = {
    name: name
    for name in """
    Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan Bahamas Bahrain
    Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Botswana Brazil Brunei Bulgaria Burundi
    Cambodia Cameroon Canada Chad Chile China Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark
    Djibouti Dominica Ecuador Egypt Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia
    Georgia Germany Ghana Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India
    Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kiribati Kosovo Kuwait
    Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania Luxembourg Madagascar
    Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco Mongolia
    Montenegro Morocco Mozambique Myanmar Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria Norway
    Oman Pakistan Palau Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia
    Rwanda Samoa Senegal Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden
    Switzerland Syria Taiwan Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Turkmenistan Tuvalu
    Uganda Ukraine Uruguay Uzbekistan Vanuatu Venezuela Vietnam Yemen Zambia Zimbabwe
    """.split()
}
COUNTRIES.update(
    {
        "United Kingdom": "United Kingdom",
        "United States": "United States",
        "Czech Republic": "Czechia",
        "South Africa": "South Africa",
        "South Korea": "South Korea",
        "North Korea": "North Korea",
        "New Zealand": "New Zealand",
        "Saudi Arabia": "Saudi Arabia",
        "Sri Lanka": "Sri Lanka",
        "North Macedonia": "North Macedonia",
        "Bosnia and Herzegovina": "Bosnia and Herzegovina",
        "United Arab Emirates": "United Arab Emirates",
        "Costa Rica": "Costa Rica",
        "El Salvador": "El Salvador",
        "Sierra Leone": "Sierra Leone",
        "Ivory Coast": "Ivory Coast",
        "UK": "United Kingdom",
        "USA": "United States",
        "U.S.": "United States",
        "US": "United States",
        "Britain": "United Kingdom",
        "Great Britain": "United Kingdom",
        "England": "United Kingdom",
        "Scotland": "United Kingdom",
        "Қазақстан": "Kazakhstan",
        "Казахстан": "Kazakhstan",
        "Россия": "Russia",
        "Беларусь": "Belarus",
        "Украина": "Ukraine",
        "Кыргызстан": "Kyrgyzstan",
        "Узбекистан": "Uzbekistan",
    }
)

DEMONYMS = {
    "kazakh": "Kazakhstan",
    "kazakhstani": "Kazakhstan",
    "russian": "Russia",
    "belarusian": "Belarus",
    "ukrainian": "Ukraine",
    "lithuanian": "Lithuania",
    "latvian": "Latvia",
    "estonian": "Estonia",
    "polish": "Poland",
    "german": "Germany",
    "french": "France",
    "italian": "Italy",
    "spanish": "Spain",
    "british": "United Kingdom",
    "english": "United Kingdom",
    "american": "United States",
    "australian": "Australia",
    "canadian": "Canada",
    "chinese": "China",
    "uzbek": "Uzbekistan",
    "kyrgyz": "Kyrgyzstan",
    "tajik": "Tajikistan",
    "turkmen": "Turkmenistan",
    "georgian": "Georgia",
    "armenian": "Armenia",
    "azerbaijani": "Azerbaijan",
    "turkish": "Turkey",
    "dutch": "Netherlands",
    "belgian": "Belgium",
    "swedish": "Sweden",
    "norwegian": "Norway",
    "danish": "Denmark",
    "finnish": "Finland",
    "czech": "Czechia",
    "slovak": "Slovakia",
    "hungarian": "Hungary",
    "romanian": "Romania",
    "bulgarian": "Bulgaria",
    "greek": "Greece",
    "irish": "Ireland",
    "swiss": "Switzerland",
    "austrian": "Austria",
    "portuguese": "Portugal",
    "moldovan": "Moldova",
    "mongolian": "Mongolia",
    "indian": "India",
    "iranian": "Iran",
    "afghan": "Afghanistan",
    "pakistani": "Pakistan",
    "japanese": "Japan",
    "korean": "South Korea",
}

PLACES = frozenset(
    set(COUNTRIES)
    | _words(
        """
        Europe Asia Africa America Americas Caucasus Balkans Scandinavia Siberia Eurasia Arctic Baltic
        Brussels Strasbourg Luxembourg Geneva Vienna Warsaw London Paris Berlin Rome Madrid Lisbon Prague
        Vilnius Riga Tallinn Kyiv Kiev Minsk Moscow Almaty Astana Nur-Sultan Shymkent Karaganda Aktobe
        Zhanaozen Atyrau Bishkek Tashkent Dushanbe Ashgabat Baku Tbilisi Yerevan Beijing Washington
        Ankara Istanbul Oslo Stockholm Copenhagen Helsinki Amsterdam Hague Budapest Bucharest Sofia Athens
        Dublin Edinburgh Glasgow Oxford Cambridge Milan Naples Venice Florence Munich Hamburg Frankfurt
        Kazakhstani European Asian Western Eastern Soviet
        Алматы Астана Москва Минск Бишкек Ташкент
        """
    )
    | {
        # the states of the United States, which news from there names as often as countries
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "New York",
        "North Carolina",
        "North Dakota",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "West Virginia",
        "Wisconsin",
        "Wyoming",
        "Puerto Rico",
    }
    | {
        "Central Asia",
        "Middle East",
        "Latin America",
        "North America",
        "South America",
        "New York",
        "Eastern Europe",
        "Western Europe",
        "Central Europe",
        "East Asia",
        "South Asia",
        "Southeast Asia",
        "Nur-Sultan",
        "The Hague",
    }
)

# Well-known acronyms, used when a text does not define them itself.
KNOWN_ACRONYMS = {
    "EU": "European Union",
    "EP": "European Parliament",
    "UN": "United Nations",
    "OSCE": "Organization for Security and Co-operation in Europe",
    "ODIHR": "OSCE Office for Democratic Institutions and Human Rights",
    "NATO": "NATO",
    "PACE": "Parliamentary Assembly of the Council of Europe",
    "ECHR": "European Court of Human Rights",
    "UNHRC": "UN Human Rights Council",
    "EEAS": "European External Action Service",
    "HRW": "Human Rights Watch",
    "ICC": "International Criminal Court",
    "IMF": "International Monetary Fund",
    "KNB": "National Security Committee",
    "OHCHR": "Office of the UN High Commissioner for Human Rights",
}
# Acronyms that are not organisations.
NON_ENTITY_ACRONYMS = _words(
    "NGO NGOs COVID COVID-19 TV PDF ISO URL CEO MEP MEPs MP MPs GDP UK US USA U.S. I II III IV Q A OK AM PM"
)

# Nouns heading a quoted title ("the discussion “...”", "the report “...”").
TITLE_NOUNS = _words(
    """
    discussion debate event conference seminar webinar panel roundtable round-table hearing report book
    article film documentary campaign resolution publication paper study series programme program project
    newsletter podcast exhibition song poem play novel essay speech lecture statement petition letter
    appeal bulletin issue edition brochure review survey video titled entitled headlined
    """
)
# Words just before a quote that make it a name or a term, not speech ("so-called “resignation”").
TERM_CUES = _words("so-called called named dubbed labelled labeled termed known branded titled nicknamed")
# Verbs whose object is the source of the words that follow ("quoting a letter from ...: “...”").
SOURCE_VERBS = _words("quoting citing")

# Plural nouns that name a group which can say something (“they said: ‘...’”).
GROUP_NOUNS = _words(
    """
    women men people protesters protestors demonstrators activists students workers residents citizens
    journalists officials members farmers mothers relatives families prisoners voters villagers parents
    victims survivors witnesses lawyers defenders authorities police officers organisers organizers
    participants speakers panelists panellists experts critics supporters opponents campaigners children
    employees miners teachers doctors nurses pensioners youth bloggers readers listeners viewers donors
    """
)
