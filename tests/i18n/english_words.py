"""Finding English on a page meant to be in Spanish (SPEC §8b, issue 17): the visible text of
a page, less what is data (what the person typed, names of programs, numbers, addresses),
read word by word against a list of common English words that are not also Spanish words.
"""

import re
from html.parser import HTMLParser

# Common English words, and the words of this app's pages, that are not Spanish words too:
# "no", "me", "he", "ha", "has", "son", "once", "come", "plan", "crisis", "mental", "alcohol",
# "trauma", "idea", "error", "total", "final", "general", "normal", "hospital", "test",
# "simple", "favor", and verb forms such as "use", "note", "done", "late", "cause" are left
# out on purpose (each is a Spanish word as well).
_COMMON_ENGLISH = """
the and of to in is it you that was for on are with they be at one have this from or had by
but what some we can out other were all there when up your how said an each she which do
their time if will way about many then them would like so these her long make thing see him
two look more day could go been call who its now find down get made may part over new after
back little only round man year came show every good give our under name very through just
form great think say help low line turn much mean before move right old too same tell
does set three want well also play small end put home read hand large add even here must big
high such follow act why ask men change went light kind off need house try us again point
mother world near build self father any head stand own page should country found answer
school grow study still learn cover food four between state keep eye never last let thought
city hard start might story saw far draw left run don while press close night life few
open seem together next white children begin got walk example paper group always those both
mark often until feet care second book carry took eat room friend began stop hear cut sure
watch face main enough plain usual young ready above ever list though feel talk soon body
family direct leave door short question happen complete area half order south problem told
knew pass since top whole heard best hour better true during remember step early hold ground
interest reach fast six less morning several toward against slow person money serve appear
road rule pull cold notice voice town fine certain fall lead dark wait drive front
week gave quick warm free minute strong special mind behind clear fact street nothing course
stay full force object decide deep system busy record common possible dry ago check yes miss
bring fill among
am did doing don't didn't doesn't isn't aren't wasn't won't can't couldn't shouldn't
i'm you're we're they're it's that's there's what's let's i've you've we've i'll you'll
i'd you'd yourself myself ourselves themselves himself herself itself yours mine ours theirs
whom whose where whether because without within into onto below above upon
another either neither most least already yet than anything something nothing everything
someone anyone everyone nobody somebody anybody else almost quite rather perhaps maybe
please thank thanks welcome hello hi sorry okay ok
sign signed signing submit submitted save saved saving continue continued previous finish
finished later edit choose chosen select send sent create created account confirm confirmed
email e-mail mail address password forgot reset login logout log full phone number mobile
text message voicemail contact contacts language intake intakes questionnaire questions
answers answered review reviewed decided decision clinic clinics clinician clinicians program
programs level levels outpatient inpatient intensive standard residential session sessions
first booked appointment today tomorrow yesterday days weeks month months years hours working
mornings afternoon afternoons evening evenings weekend weekends emergency safety safe support
mood anxiety drink drinks drinking drugs pain eating weight height sex female male age born
none sometimes nearly sure know prefer wish thoughts feeling felt pleasure things hopeless
trouble sleep tired energy poor appetite bad people friends work job kill dead wake history
past current recent lifetime daily weekly monthly print printed shown seen opens closed
waiting missed referred service arrange latest updated optional required menu skip content
privacy terms wrong try other something anything step steps pages start started leave
guardian parent emergency pregnant pregnancy withdrawal seizures hallucinations paranoia
housing stable unstable treatment functioning availability available hours per concerns
worry panic swings highs lows chronic depression eating disorder disorders yes
"""
STOP_WORDS = frozenset(_COMMON_ENGLISH.split())

# Names that stay as they are in any language: services, instruments, the holders of an
# instrument's rights and the journals their credit lines cite, units. Read as whole phrases.
PROPER_NAMES = (
    "Crisis Text Line", "Suicide & Crisis Lifeline", "988 Lifeline",
    "Columbia-Suicide Severity Rating Scale", "Columbia Lighthouse Project",
    "The Research Foundation for Mental Hygiene, Inc.", "Pfizer Inc.",
    "Centre for Addiction and Mental Health", "National Center for PTSD",
    "American Journal of Psychiatry", "Journal of General Internal Medicine",
    "The University of Texas Medical Branch",
)
_UNITS = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:ft|in|lb|kg|cm|am|pm)\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+")
_INTAKE_NUMBER = re.compile(r"\bIN-\d+\b")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Elements whose text is not read as the page's words: code, and what the person typed.
_SKIPPED = {"script", "style", "textarea", "template"}
# Attributes a person reads or hears (a screen reader says aria-label and alt).
_READ_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")


class _VisibleText(HTMLParser):
    """The text a person reads on a page: text nodes, labels read aloud, button values;
    not scripts, not typed values, not parts marked as English (lang="en", e.g. the
    language picker's "English")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        void = tag in {"input", "img", "br", "hr", "meta", "link", "source"}
        if not void and (tag in _SKIPPED or (attributes.get("lang") or "").startswith("en")):
            self._skipping.append(tag)
            return
        if self._skipping:
            return
        self.parts.extend(attributes[name] or "" for name in _READ_ATTRIBUTES
                          if name in attributes)
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def english_words(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """The common English words in `text` (already visible text or a mail), once each in
    the order found, after taking out `data` (strings that are data: what was typed, a
    program's name), proper names, addresses, links, units and intake numbers."""
    for phrase in sorted((*data, *PROPER_NAMES), key=len, reverse=True):
        if phrase:
            text = text.replace(phrase, " ")
    for pattern in (_URL, _EMAIL, _UNITS, _INTAKE_NUMBER):
        text = pattern.sub(" ", text)
    found: list[str] = []
    for word in _WORD.findall(text):
        lower = word.lower()
        if len(lower) > 1 and lower in STOP_WORDS and lower not in found:
            found.append(lower)
    return found
