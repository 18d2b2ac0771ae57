"""Product identity: vendor, product name and version.

Identity is stated once, near the start, in one of a few ways, from most to least specific:

- labelled values: "Product Name: X", "Manufacturer | X" rows of a "Field | Value" table,
  "Company Name | Product Name | Version" header tables, RST/Markdown front matter
  (":Company Name: X"), list items ("- Version: 1.0"), in English, German, French,
  Spanish, Portuguese and Italian;
- a sentence: "This document is the DICOM Conformance Statement for the X (XYZ).";
- the title: "DICOM Conformance Statement — X", "X 1.5 CONFORMANCE STATEMENT", a bare
  "DICOM Conformance Statement" heading next to the product's own heading, "Vendor / Product";
- PDF running headers and footers (``Document.furniture``), copyright lines and company
  names ("Acme Medical Inc.") for the vendor.

A Line can still hold several labelled values (a PDF line, a paragraph of "Label: value"
runs), so a line is cut into segments at every "Label:" position before any value is read,
whether the label is a known one or not ("Versão de referência:", "Build identifier:").
A name is then made plain or full by the other statements of it ("the X application" where a
heading says "X"; a title's "XPE" that a sentence states as "XPE Image Processing Engine").

Every candidate passes one gate (:func:`_clean`): placeholders (RST substitutions that
survive as the bare word "product", "TBD", "YYYYMMDD", "<product name>"), values that only
repeat their label, and sentences are refused; when unsure the field stays empty rather than
hold garbage.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from conformance.document import Line, Table
from conformance.extract.state import ReadingState
from conformance.model import Fact, Provenance

LOGGER = logging.getLogger(__name__)

VENDOR, NAME, VERSION = "vendor", "name", "version"

# -- labels ---------------------------------------------------------------------------------
# (pattern, field or None for a label that is not identity, rank: lower is more specific)
_LABELS: tuple[tuple[str, str | None, int], ...] = (
    # not identity, listed so that they end the value before them and are never read as one
    (
        r"(?:document|doc\.?|dokument|documento|dicom|protocol|protokoll|implementation|tls|java|python"
        r"|schema|template|standard|specification|spec|ihe|api|os|database|db)[ -]?"
        r"(?:version|revision|release|rev\.?)(?:[ -]name)?",
        None,
        0,
    ),
    (
        r"internal document (?:number|no\.?)|document(?: (?:number|no\.?|nr\.?|id|title))?"
        r"|doc\.? ?(?:no|nr)\.?",
        None,
        0,
    ),
    (r"implementation (?:class )?uid|implementation version name|manufacturer'?s model name", None, 0),
    (
        r"revision|rev\.?|revisão|revisión|edition|ausgabe|édition|edición|edição|issue|issued|status|state",
        None,
        0,
    ),
    (r"date|datum|fecha|data|stand|last updated|updated|published|valid from|g[üu]ltig ab", None, 0),
    (
        r"author|authors|autor|autores|auteur|prepared by|approved by|reviewed by|owner|contact|kontakt",
        None,
        0,
    ),
    (r"contato|contacto|language|sprache|langue|idioma|title|titel|titre|t[íi]tulo|subject|betreff", None, 0),
    (
        r"library|bibliothek|biblioth[èe]que|biblioteca|toolkit|framework|license|licence|lizenz|licen[çc]a",
        None,
        0,
    ),
    (r"licencia|copyright|operating system|betriebssystem|platform|plattform|hardware|repository", None, 0),
    (
        r"source repository|issue tracker(?: / contact)?|website|web site|url|e-?mail|phone|telefon|address",
        None,
        0,
    ),
    (r"adresse|standard|norm|dicom standard|modality|modalit[äa]t|purpose|scope|audience|zweck", None, 0),
    # identity
    (
        r"product[ -]?name|produktname|produkt-name|nom du produit|nombre del producto|nome do produto"
        r"|nome del prodotto|productnaam",
        NAME,
        0,
    ),
    (r"product|produkt|produit|producto|produto|prodotto", NAME, 0),
    (r"product(?: name)? (?:and|&) (?:software )?version|produkt(?:name)? und version", NAME, 0),
    (
        r"(?:software|application|system|device|model|equipment)(?: name)?|softwarename|gerätename"
        r"|gerät|ger[äa]t|anwendung|logiciel|appareil|mod[èe]le|sistema|aplicaci[óo]n|aplica[çc][ãa]o"
        r"|aplicativo|equipo|equipamento|dispositivo|modelo|applicazione",
        NAME,
        2,
    ),
    (
        r"(?:dicom )?conformance statement (?:for|of)|konformitätserklärung für"
        r"|d[ée]claration de conformit[ée](?: dicom)? pour|declaraci[óo]n de conformidad(?: dicom)? para"
        r"|declara[çc][ãa]o de conformidade(?: dicom)? para",
        NAME,
        3,
    ),
    (
        r"manufacturer|vendor|hersteller|fabricante|fabricant|produttore|fabbricante|fabrikant|supplier"
        r"|lieferant|fournisseur|proveedor|fornecedor",
        VENDOR,
        0,
    ),
    (
        r"company(?: name)?|firmenname|firma|unternehmen|soci[ée]t[ée]|entreprise|empresa|nome da empresa"
        r"|nombre de la empresa|raison sociale|organi[sz]ation|developer|entwickler|d[ée]veloppeur"
        r"|desarrollador|desenvolvedor",
        VENDOR,
        1,
    ),
    (
        r"(?:software|product|produkt|sw|application|firmware|system|programm|applikations)[ -]?"
        r"(?:version|release|revision)|softwareversion|versão do (?:software|produto)"
        r"|versi[óo]n del (?:software|producto)|version du (?:logiciel|produit)|versione del software"
        r"|(?:software|product|produkt)?[ -]?(?:versions?|releases?)[ -]covered"
        r"|(?:software|product)[ -]?(?:version|release)?[ -]?baseline|release baseline",
        VERSION,
        0,
    ),
    (
        r"(?:version|versão|versi[óo]n|versione) (?:de|of) refer[êe]ncia|reference version"
        r"|versão de referencia|referenzversion|version de r[ée]f[ée]rence",
        VERSION,
        1,
    ),
    (r"version|versão|versi[óo]n|versione|versie|release|ver\.", VERSION, 1),
)
_LABEL_RES = tuple((re.compile(rf"(?:{pat})", re.I), fld, rank) for pat, fld, rank in _LABELS)
_ANY_LABEL = "|".join(pat for pat, _f, _r in sorted(_LABELS, key=lambda x: -len(x[0])))
# the longest known label that ends where a colon follows (the label before "Label: value")
_LABEL_AT_END = re.compile(rf"(?:^|(?<=[\s|·;,(*_:•\-]))(?:{_ANY_LABEL})\s*[*_]*\s*$", re.I)
# a label the list does not know, in any language: a capitalised word and up to three lower-case words
# ("Build identifier", "Versão de referência"), so that the value before it ends there
_CAP_WORD_AT_END = re.compile(
    r"(?:^|(?<=[\s|·;,(*_:•\-]))[A-ZÀ-Ý][\w\-]*(?:\s+[a-zß-ÿ][\w\-]*){0,3}\s*[*_]*\s*$"
)
_COLON = re.compile(r"[:：](?=\s|$)")
_SEPARATOR = re.compile(r"\s+[·|•]\s+|\s+\|\s*|;\s+")


def _label_kind(label: str) -> tuple[str | None, int] | None:
    """(field, rank) of a label text; None when the text is no known label."""
    text = " ".join(re.sub(r"[*_`:•]+", " ", label).split()).strip(" -")
    for pattern, fld, rank in _LABEL_RES:
        if pattern.fullmatch(text):
            return fld, rank
    return None


# -- the value gate -------------------------------------------------------------------------
_PLACEHOLDER = re.compile(
    r"^(?:product|products?name|name|version|release|today|date|vendor|company|manufacturer|software"
    r"|model|device|system|application|tbd|tba|tbc|n/?a|none|unknown|todo|xxx+|x+(?:\.x+)+|\?+|-+|—|–"
    r"|yyyy-?mm-?dd|yyyymmdd|dd\.mm\.yyyy|mm/dd/yyyy|\d{4}-\d{2}-\d{2}|sample|example|placeholder"
    r"|configurable|siehe.*|see .*|voir .*|ver .*|vide .*)$",
    re.I,
)
# "<product name>", "[Version]", "{{ product }}", an RST substitution "|product|", "4226-xxx-yyy"
_PLACEHOLDER_PART = re.compile(
    r"<\s*[\w\s\-]*(?:name|product|version|vendor|company|manufacturer|number)[\w\s\-]*>"
    r"|\[\s*[\w\s\-]*(?:name|product|version|vendor|company|manufacturer)[\w\s\-]*\]"
    r"|\{\{|\}\}|\|\w+\||\bx{3,}\b|\bTBD\b",
    re.I,
)
_ARTICLE = re.compile(
    r"^(?:the|a|an|der|die|das|ein|eine|le|la|les|un|une|el|los|las|o|os|as|um|uma|il|lo)\s+(\S)", re.I
)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&+\-]{1,11}")
_SUFFIX_ALT = (
    r"Inc|Incorporated|Ltd|Limited|GmbH|AG|KG|Corp|Corporation|S\.A\.?S?|SA|S\.L|B\.V|BV|N\.V|NV|LLC"
    r"|L\.L\.C|Co|Company|SE|S\.p\.A|SpA|S\.r\.l|SAS|Oy|AB|A/S|K\.K|Pty(?: Ltd)?|PLC|plc|e\.V|Ltda"
    r"|Medical Systems|Healthcare|Health Care|Medical Solutions"
)
_COMPANY_SUFFIX = rf"(?:{_SUFFIX_ALT})\.?"
_COMPANY = re.compile(
    rf"((?:[A-Z][\w&'’\-]*\.?\s+|(?:of|and|&|de|für)\s+){{0,5}}[A-Z][\w&'’\-]*,?\s+{_COMPANY_SUFFIX})(?!\w)"
)
_VERB_FIRST = re.compile(
    r"^(?:is|are|was|were|has|have|had|will|would|can|could|may|must|shall|should|does|do|provides|supports"
    r"|allows|implements|ist|sind|wird|est|sont|es|son|é|são)\b"
)
_SENTENCE_WORDS = re.compile(
    r"\b(?:is|are|was|this document|describes|specifies|contains|provides|supports|ist|sind|est|es|é)\b"
    r"|\b(?:the|an?|of|for|to|in|and|der|die|das|le|la|el)$",
    re.I,
)


def _clean(fld: str, raw: str) -> str | None:
    """The value as it should be kept, or None when it is a placeholder, a remark or a sentence."""
    text = " ".join(re.sub(r"[™®]", "", raw.replace("\u00a0", " ")).split())  # "Acme™ CT" is "Acme CT"
    text = text.strip(" \t*_`:;|·•")
    if len(text) > 1 and text[0] in "\"'“‘" and text[-1] in "\"'”’":
        text = text[1:-1].strip()  # a quoted value
    if not text or raw.rstrip().endswith(","):
        return None  # a line broken mid-sentence
    if fld != VERSION:
        # "mwl-broker (remark), Version siehe ...": a name ends at its first comma ("Acme, Inc." aside)
        text = re.split(rf",\s+(?!{_COMPANY_SUFFIX}(?!\w))", text, maxsplit=1)[0]
    text = re.sub(r"\s*\([^()]*$", "", text)  # a remark cut short by a separator: "0.6.x (pilot builds"
    # "mwl-broker (dieser Repository-Stand)": a remark goes, an acronym "(AEGIS)" stays
    while (m := re.search(r"\s*\(([^()]*)\)$", text)) and not _ACRONYM.fullmatch(m.group(1).strip()):
        text = text[: m.start()].rstrip()
    if fld != VERSION:
        text = re.sub(r"\s*[.,;]$", "", text) if not re.search(rf"\b{_COMPANY_SUFFIX}$", text) else text
    if _PLACEHOLDER.match(text) or _PLACEHOLDER_PART.search(text):
        return None
    if re.search(r"https?://|www\.|@|\(\s*[0-9A-F]{4}\s*,\s*[0-9A-F]{4}\s*\)|[│┌└├─]|\|", text):
        return None
    words = text.split()
    if len(words) > 10 and fld != VERSION:
        # a paragraph the text reader joined: "Evil CT 1 Introduction This document describes ..."
        text = re.split(r"\s+\d{1,2}(?:\.\d+)*\.?\s+(?=[A-Z][a-z])|\.\s+(?=[A-Z])", text, maxsplit=1)[0]
        words = text.split()
    if len(words) > 10 or (fld != VERSION and re.search(r"[.!?]\s+[A-Za-z]", text)):
        return None  # a sentence, not a name
    article = _ARTICLE.match(text)
    if (article and article.group(1).islower()) or _VERB_FIRST.match(text):
        return None  # "the software produced by X including Y", "is an archive"
    if fld == VERSION:
        return _clean_version(text)
    if fld == NAME and article:
        text = text[article.end() - 1 :]  # "the Web DICOM Viewer" is the "Web DICOM Viewer"
    if re.fullmatch(r"[\d\s./\-]+", text) or not re.search(r"[A-Za-z]", text):
        return None  # a date or a number is no name
    if fld == NAME and (
        _PLATFORM.match(text)
        or re.search(r"\b(?:dicom standard|ps\s?3(?:\.\d+)?|part \d+|nema)\b", text, re.I)
        or _NOT_A_TITLE.match(text)
        or _STATEMENT_KIND.fullmatch(text)
    ):
        return None
    return text


# words that say what kind of statement a document is ("Normative Conformance Statement for ..."),
# never a product's name
_STATEMENT_KIND = re.compile(
    r"(?:(?:normative|informative|technical|full|complete|official|detailed|formal|preliminary|draft"
    r"|revised|abridged|summary|general|public)\s*)+",
    re.I,
)
# what may follow a version number and still belong to it ("3.2.1 SP2", "2.0 Build 117", "1.0-rev. A.1",
# "3.0 Rev B")
_QUALIFIER = re.compile(r"sp|service|pack|build|rev\.?|revision|patch|update|hotfix|fix|issue", re.I)
_VERSION_WORD = re.compile(rf"(?:(?:{_QUALIFIER.pattern}|beta|alpha|rc|lts|final)\d*|\S*\d\S*)", re.I)


def _clean_version(text: str) -> str | None:
    """'1.0-rev. A.1' as written; 'v1.0' as '1.0'; nothing without a digit ('siehe pyproject.toml')."""
    text = re.sub(r"^(?:version|versão|versión|release|rel\.?|ver\.?)\s*:?\s*", "", text, flags=re.I)
    text = re.sub(r"^[vV]\.?\s?(?=\d)", "", text)
    if not re.search(r"\d", text.split()[0] if text.split() else "") or len(text.split()) > 4:
        return None  # a version starts with its number ("2.1", "VA20A", "R5.6"), not "ACME CT V2.0"
    words = text.split()
    keep = 1
    while keep < len(words) and (
        _VERSION_WORD.fullmatch(words[keep])
        or (_QUALIFIER.fullmatch(words[keep - 1]) and re.fullmatch(r"\w{1,3}", words[keep]))  # "Rev B"
    ):
        keep += 1
    text = " ".join(words[:keep])  # "0.3.4 Document Release" (the next label run in) is "0.3.4"
    if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{2}[./-]\d{2}|(?:19|20)\d{2}", text):
        return None  # a date, not a version
    return text


_VERSION_TAIL = re.compile(
    r"^(?P<name>.*?\S)[\s,]+(?:(?:software\s+)?(?:version|versão|versión|release|rel\.)\s*|[vV]\.?\s?)?"
    r"(?P<version>R?\d+(?:\.\d+)+[A-Za-z]?\w*(?:[-.]\w+)*)$|"
    r"^(?P<name2>.*?\S)[\s,]+(?:(?:software\s+)?(?:version|versão|versión|release)\s+|[vV]\.?\s?)"
    r"(?P<version2>\d+\w*)$",
    re.I,
)


def _split_version(text: str) -> tuple[str, str | None]:
    """'SautiRIS v1.0' -> ('SautiRIS', '1.0'); 'Aurora CT 128' stays whole (no dot, no 'v')."""
    m = _VERSION_TAIL.match(text.strip())
    if not m:
        return text.strip(), None
    if m.group("name"):
        return m.group("name").strip(" -–,"), m.group("version")
    return m.group("name2").strip(" -–,"), m.group("version2")


# -- candidates -----------------------------------------------------------------------------
@dataclass
class _Cand:
    field: str
    value: str
    rank: int
    order: int  # reading order: the first statement of equal rank wins
    prov: Provenance


class _Reader:
    """Candidates for the three fields, from every place a statement states identity."""

    # ranks for what is not a label
    SENTENCE, FURNITURE, TITLE, PAIR, COPYRIGHT, COMPANY = 3, 4, 5, 2, 4, 4
    CAPABILITY = 6  # "describes the capabilities of X": a name when nothing else names the product
    TITLE_COMPANY = 3  # a title page's company line ("GE Healthcare") over a copyright's legal entity

    def __init__(self, state: ReadingState) -> None:
        self.state = state
        self.cands: list[_Cand] = []
        self.order = 0
        self.pairs: list[tuple[str, str, Line]] = []  # (other part, product part, line) of 'A - B' titles

    def add(
        self, fld: str, raw: str, rank: int, page: int | None, line: int | None, quote: str
    ) -> str | None:
        value = _clean(fld, raw)
        if value is None and fld == VERSION:
            # "Software Release Baseline: Acme Core v1.0.0-RC1": the product, then its version
            named = _clean(NAME, raw)
            name, version = _split_version(named) if named else ("", None)
            if version is None or _clean(NAME, name) is None:
                return None
            self.add(NAME, name, max(rank, self.PAIR), page, line, quote)
            value = version
        if value is None:
            return None
        if fld == NAME:
            value, version = _split_version(value)
            if version:  # as specific as a 'Version 2.1' line under the title, whatever gave the name
                self.add(VERSION, version, 2, page, line, quote)
            if _clean(NAME, value) is None:
                return None
        self.order += 1
        self.cands.append(_Cand(fld, value, rank, self.order, self.state.prov(page, line, "", quote)))
        return value

    def best(self, fld: str) -> _Cand | None:
        cands = [c for c in self.cands if c.field == fld]
        return min(cands, key=lambda c: (c.rank, c.order)) if cands else None

    # -- labelled values -------------------------------------------------------------------
    def labelled_line(self, ln: Line, front_matter: bool) -> None:
        """'Product Name: X Version: 2.0 Date: ...' (one Line or several joined): each label's value.

        General labels ('Version', 'Software', 'System', 'Device') count in the front matter only:
        further on they label other things ("System: Windows Server 2019")."""
        for label, value in _segments(ln.text):
            kind = _label_kind(label)
            if kind is not None and kind[0] is not None and (front_matter or kind[1] == 0):
                self.add(kind[0], value, kind[1], ln.page, ln.line, ln.text)

    def table(self, table: Table, front_matter: bool) -> None:
        """Rows 'Manufacturer | X' ('Field | Value' tables), header tables 'Company | Product | Version'."""
        rows = [[c.strip() for c in row] for row in table.rows]
        for r, row in enumerate(rows):
            cells = [c for c in row if c]
            kinds = [_label_kind(c) if len(c) < 40 else None for c in row]
            idents = [k for k in kinds if k is not None and k[0] is not None]
            page, line = table.location(r)
            if len(idents) >= 2 and r + 1 < len(rows) and not any(_label_kind(c) for c in rows[r + 1] if c):
                below = rows[r + 1]  # "Company Name | Product Name | Version" over one row of values
                bpage, bline = table.location(r + 1)
                quote = " | ".join(f"{h}: {v}" for h, v in zip(row, below, strict=False) if h and v)
                for kind, value in zip(kinds, below, strict=False):
                    if kind is not None and kind[0] is not None and value and (front_matter or kind[1] == 0):
                        self.add(kind[0], value, kind[1], bpage, bline, quote)
                return
            kind = kinds[row.index(cells[0])] if len(set(cells)) == 2 else None
            if kind is not None and kind[0] is not None and (front_matter or kind[1] == 0):
                self.add(kind[0], cells[1], kind[1], page, line, " | ".join(cells))

    # -- titles ----------------------------------------------------------------------------
    def title_lines(self, lines: list[Line], rank: int) -> None:
        """Title-area lines: 'DICOM Conformance Statement — X', 'X 1.5 CONFORMANCE STATEMENT', a bare
        'Conformance Statement' beside the product's heading, 'Version 2.1'."""
        for k, ln in enumerate(lines):
            text = ln.text.strip()
            if _COLON.search(text) and _label_kind(text.split(":")[0]) is not None:
                continue  # labelled: read as such
            if _BARE_CS.match(text):
                self._beside_bare_title(lines, k, rank)
                continue
            m = _CS_THEN_NAME.match(text)
            if m:
                self.add(NAME, _cut_sentence(m.group("name")), rank, ln.page, ln.line, text)
                continue
            m = _NAME_THEN_CS.match(text)
            if m:
                # "AcuCalyx Core DICOM PS 3.2": the standard and its part are no part of the name
                name = re.sub(
                    r"(?:[\s\-–—:|,]*\b(?:dicom(?:\s+3(?:\.0)?)?|(?:nema\s+)?ps\s?3(?:\.2)?|part\s+2))+$",
                    "",
                    re.sub(r"[™®]", "", m.group("name")),
                    flags=re.I,
                )
                if name and not _SENTENCE_WORDS.search(name):
                    self._name_and_vendor(name, m.group("rest"), rank, ln)
                continue
            m = _VERSION_LINE.match(text)
            if m:
                self.add(VERSION, m.group("version"), 1 if m.group("which") else 2, ln.page, ln.line, text)

    def _name_and_vendor(self, name: str, rest: str, rank: int, ln: Line) -> None:
        """'Meridian Imaging - Aurora CT 128' before 'DICOM Conformance Statement'; a company after it,
        or a company before it and the product after it (a title page joined into one line)."""
        after = rest.strip(" -–—:|")
        lead = _COMPANY.match(name.strip())
        if (
            lead
            and lead.end() < len(name.strip())
            and not re.match(r"\s*[-–—/|]", name.strip()[lead.end() :])
        ):
            # "GE Healthcare Vivid E95 DICOM Conformance Statement": the company, then the product
            self.add(VENDOR, lead.group(1), self.COMPANY, ln.page, ln.line, ln.text)
            name = name.strip()[lead.end() :]
        elif _COMPANY.fullmatch(name.strip()) and after and _title_like(after):
            self.add(VENDOR, name, self.TITLE_COMPANY, ln.page, ln.line, ln.text)
            self.add(NAME, after, rank, ln.page, ln.line, ln.text)
            return
        parts = [p.strip() for p in re.split(r"\s+[-–—/|]\s+", name.strip(" -–—|:")) if p.strip()]
        if len(parts) == 2:
            # the product is the part with a version (or the company is the other); else the last part,
            # and the other is the vendor only if the product is named so elsewhere (settled at the end)
            with_digit = [p for p in parts if re.search(r"\d", p)]
            product = with_digit[0] if len(with_digit) == 1 else parts[1]
            if _COMPANY.fullmatch(parts[1]) and not _COMPANY.fullmatch(parts[0]):
                product = parts[0]
            other = parts[0] if product is parts[1] else parts[1]
            if _COMPANY.fullmatch(other):
                self.add(VENDOR, other, self.COMPANY, ln.page, ln.line, ln.text)
            else:
                self.pairs.append((other, product, ln))
            name = product
        self.add(NAME, name, rank, ln.page, ln.line, ln.text)
        company = _COMPANY.search(rest or "")
        if company:
            self.add(VENDOR, company.group(1), self.COMPANY, ln.page, ln.line, ln.text)

    def _beside_bare_title(self, lines: list[Line], k: int, rank: int) -> None:
        """A bare 'DICOM Conformance Statement' heading: the product heading after it, else before it."""
        after = [
            ln
            for ln in lines[k + 1 : k + 4]
            if not _VERSION_LINE.match(ln.text)
            and not _DATE_LINE.match(ln.text)
            and not re.fullmatch(r"\s*(?:for|of|für|pour|para|de)\s*", ln.text, re.I)
        ]
        for ln in after[:1] + lines[max(0, k - 1) : k]:
            if _title_like(ln.text):
                self.add(NAME, ln.text, rank, ln.page, ln.line, ln.text)
                return
        byline = _BYLINE.match(after[0].text) if after and not after[0].heading else None
        if byline and not _NOT_A_BYLINE.search(
            byline.group("name")
        ):  # "Marmot DICOM Viewer 3.4.1 for iOS. Last updated ..." under the title
            self.add(NAME, byline.group("name"), rank, after[0].page, after[0].line, after[0].text)
            self.add(VERSION, byline.group("version"), 2, after[0].page, after[0].line, after[0].text)

    def vendor_beside(self, lines: list[Line], name: str) -> None:
        """'Zargantana / Web DICOM Viewer' (or a header 'Vendor - Product - ...'): the part beside the
        product the statement names is its vendor."""
        for ln in lines:
            parts = [p.strip() for p in re.split(r"\s+[/|–—-]\s+", ln.text) if p.strip()]
            if len(parts) == 2 and not _COLON.search(ln.text) and not re.search(_CS, ln.text, re.I):
                for mine, other in ((parts[1], parts[0]), (parts[0], parts[1])):
                    if _norm(_split_version(mine)[0]) == _norm(name):
                        self.add(VENDOR, other, self.PAIR, ln.page, ln.line, ln.text)
        for other, product, ln in self.pairs:
            if _norm(_split_version(product)[0]) == _norm(name):
                self.add(VENDOR, other, self.PAIR, ln.page, ln.line, ln.text)

    # -- sentences, copyright, companies ---------------------------------------------------
    def sentence(self, ln: Line) -> None:
        """'This document is the DICOM Conformance Statement for the X (XYZ). X is ...'."""
        m = _CS_FOR_SENTENCE.search(ln.text)
        if m and not _CS_THEN_NAME.match(ln.text.strip()):
            name = _cut_sentence(m.group("name"))
            if name and (name[0].isupper() or name[0].isdigit()):
                self.add(NAME, name, self.SENTENCE, ln.page, ln.line, ln.text)
        m = _CAPABILITIES_OF.search(ln.text)
        run = _NAME_RUN.match(m.group("name")) if m else None
        if run and not _NOT_A_PRODUCT_END.search(run.group(0).rstrip(".,")):
            # "describes the connectivity capabilities of Osprey Imaging SDK out of the box"
            self.add(NAME, run.group(0).rstrip(".,"), self.CAPABILITY, ln.page, ln.line, ln.text)

    def settle_name(self, best: _Cand) -> _Cand:
        """The name a title or sentence states, made plain or full by another statement of it.

        'the PACS System application' where the heading says 'PACS System': the generic word is no
        part of the name. A title's short name 'XPE' that a sentence states in full ('capabilities of
        the XPE Image Processing Engine'): the full name."""
        words = _norm(best.value).split()
        names = [c for c in self.cands if c.field == NAME and c is not best]
        for c in names:
            if words[-1:] and words[-1] in _GENERIC_WORDS and _norm(c.value).split() == words[:-1]:
                return c
        if best.rank >= self.FURNITURE:
            for c in sorted(names, key=lambda c: c.order):
                longer = _norm(c.value).split()
                if (
                    c.rank in (self.SENTENCE, self.CAPABILITY)
                    and len(longer) > len(words) > 0
                    and longer[: len(words)] == words
                    and longer[-1] not in _GENERIC_WORDS
                    and _NAME_RUN.fullmatch(c.value)
                    and not _COMPANY.fullmatch(c.value)
                ):
                    return c
        return best

    def copyright(self, ln: Line) -> None:
        m = _COPYRIGHT.search(ln.text)
        if m:
            holder = m.group("holder").strip()
            tail = ln.text[m.end("holder") : m.end("holder") + 1]
            if re.search(rf"\b{_COMPANY_SUFFIX}$", holder) and tail == ".":
                holder += "."
            if not _STANDARDS_BODY.match(holder):  # "© NEMA" on text quoted from the standard
                self.add(VENDOR, holder, self.COPYRIGHT, ln.page, ln.line, ln.text)

    def company_line(self, ln: Line, rank: int) -> None:
        """A title-page or footer line that is a company, alone or set off by a separator:
        'Acme Medical Systems Inc.', 'Acme Medical Inc. – Confidential', 'Page 3 | Acme Medical Inc.'."""
        text = ln.text.strip()
        m = _COMPANY.fullmatch(text) or _COMPANY.fullmatch(text.strip(" .,"))
        if m is None:
            for part in re.split(r"\s+[-–—|·]\s+", text):
                m = _COMPANY.fullmatch(part.strip()) or _COMPANY.fullmatch(part.strip(" .,"))
                if m:
                    break
        if m and len(m.group(1).split()) <= 7:
            self.add(VENDOR, m.group(1), rank, ln.page, ln.line, ln.text)


def _segments(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs of a line: a value ends where the next 'Label:' or a separator begins."""
    starts: list[tuple[int, int, str]] = []  # (label start, value start, label)
    for colon in _COLON.finditer(text):
        before = text[: colon.start()]
        m = _LABEL_AT_END.search(before) or _CAP_WORD_AT_END.search(before)
        if m is None:
            if starts:
                continue
            # the line's first colon after at most four words: an unknown label ("Internal document number")
            if len(before.split()) > 4:
                continue
            m = re.search(r"\S.*$", before)
            if m is None:
                continue
        if starts and m.start() < starts[-1][1]:
            continue  # inside the previous label ("Conformance Statement for: ...")
        starts.append((m.start(), colon.end(), m.group(0)))
    out = []
    for k, (_start, vstart, label) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        value = text[vstart:end]
        sep = _SEPARATOR.search(value)
        if sep:
            value = value[: sep.start()]
        out.append((label, value.strip()))
    return out


_CS = (
    r"(?:dicom(?:[\s-]+(?:v?3(?:\.0)?))?[\s-]+)?(?:conformance\s+statement|conformance\s+claim"
    r"|konformit[äa]tserkl[äa]rung|d[ée]claration\s+de\s+conformit[ée]|declaraci[óo]n\s+de\s+conformidad"
    r"|declara[çc][ãa]o\s+de\s+conformidade|dichiarazione\s+di\s+conformit[àa])(?:[\s-]+dicom(?:\s+3(?:\.0)?)?)?"
)
_FOR = r"(?:for|of|für|pour|para|de|do|da|del|per)"
_CS_THEN_NAME = re.compile(
    rf"^\s*(?:the\s+)?{_CS}\s*(?:[—–:|]\s*|-\s+|\s+{_FOR}\s+(?:the\s+)?|\s+(?=[A-Z0-9]))(?P<name>\S.*)$", re.I
)
_NAME_THEN_CS = re.compile(rf"^\s*(?P<name>.*?\S)\s*[—–:|,-]?\s+{_CS}\b(?P<rest>.*)$", re.I)
_BARE_CS = re.compile(rf"^\s*(?:(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+)?{_CS}\s*$", re.I)
# "This document is the DICOM Conformance Statement for X": the document's own product, not a
# statement it refers to ("see the DICOM Conformance Statement of the archive")
_CS_FOR_SENTENCE = re.compile(
    rf"\b(?:this|document|dokument|documento|ce|cette|este|esta|presente|dieses?)\b[^.]{{0,60}}?"
    rf"(?:{_CS}\s+{_FOR}|\b(?:dicom\s+)?(?:conformance|compliance|conformity|konformität|conformit[ée]"
    rf"|conformidade|conformidad)\s+(?:of|des|der|de|du|do|da|del))\s+(?:the\s+)?(?P<name>.+)$",
    re.I,
)
_VERSION_LINE = re.compile(
    r"^\s*(?P<which>(?:software|product|produkt)[ -]?)?(?:version|versão|versión|versione)\s+"
    r"(?P<version>v?\d[\w.\-]*(?:\s+(?:rev\.?|sp|build|patch)\s*[\w.\-]+)?)\s*$",
    re.I,
)
_DATE_LINE = re.compile(
    r"^\s*(?:\d{1,2}[./\s]+)?(?:[A-Za-zäéû]+\.?\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d{2}\s*$|^\s*\d{4}-\d{2}-\d{2}\s*$"
)
_COPYRIGHT = re.compile(
    r"(?:(?i:copyright)\s*(?:©|\([cC]\))?|©|\([cC]\)(?=\s*(?:19|20)\d{2}))\s*"
    r"(?:(?:19|20)\d{2}(?:\s*[-–,]\s*(?:(?:19|20)\d{2}|\d{2}))*\s*,?\s*)?(?:(?i:by)\s+)?"
    rf"(?P<holder>[A-Z][^.,;©()]*?(?:,?\s+(?:{_SUFFIX_ALT}))?)"
    r"(?=\s*(?:[.,;(]|(?i:all rights|alle rechte|tous droits|todos los derechos|todos os direitos)|$))"
)
_STANDARDS_BODY = re.compile(
    r"^(?:the\s+)?(?:nema|national electrical manufacturers|dicom|ihe|hl7|iso|iec|acr"
    r"|medical imaging & technology)",
    re.I,
)
_NOT_A_TITLE = re.compile(
    r"^(?:table of contents?|contents|inhalt|inhaltsverzeichnis|sommaire|índice|indice|introduction"
    r"|einleitung|overview|cover page|disclaimer|revision history|document history|abstract|summary"
    r"|preface|foreword|notice|notes?|legal notice|trademarks?|copyright|confidential)\b",
    re.I,
)


_ABOUT = re.compile(
    r"identif|document information|implementation information|product|cover|title|revision|"
    r"dokumentinformation|produkt|informa[çc][ãa]o do documento|informaci[óo]n del documento|produit",
    re.I,
)
# platforms and runtimes are labelled "System:" or "Software:" in requirement lists, never products
_PLATFORM = re.compile(
    r"^(?:microsoft\s+)?(?:windows|linux|ubuntu|debian|red hat|rhel|centos|macos|mac os|unix|solaris|aix"
    r"|java|jre|jdk|\.net|python|docker|vmware|android|ios)\b",
    re.I,
)


def _title_like(text: str) -> bool:
    """A short heading-like line that can be a product name (not a date, number, section title,
    document revision, company, or a connecting word like "for")."""
    t = text.strip()
    return (
        0 < len(t.split()) <= 8
        and bool(re.search(r"[A-Z0-9]", t))
        and not re.match(
            r"^(?:for|of|für|pour|para|de|the|and|rev(?:ision)?|document|doc\.|issue|edition|page)\b", t, re.I
        )
        and not _COMPANY.fullmatch(t)
        and not _COLON.search(t)
        and not _NOT_A_TITLE.match(t)
        and not _DATE_LINE.match(t)
        and not re.match(r"^\d+(?:\.\d+)*\.?\s", t)  # a numbered section heading
        and not re.fullmatch(r"[\w\-/.]*\d[\w\-/.]*(?:\s+rev\.?\s*\w+)?", t, re.I)  # a document number
        and not t.endswith((".", ","))
    )


def _cut_sentence(text: str) -> str:
    """The name at the start of a clause: up to ' . ', a comma, 'which', 'is' ..."""
    text = re.split(
        r"\s+\.(?:\s|$)|\.\s+(?=[A-Z])|[,;]\s|\s[—–-]\s|\s+(?:which|that|and|with|from|by|in|to|is|are|mit|avec|con|com"
        r"|describes|specifies|der|die|das|welche|qui|que)\s",
        text.strip(),
        maxsplit=1,
    )[0]
    return text.strip(" .:")


# "$ python -m pkg storescp ...", "user@host: storescp 11112", or a usage line "storescp [options] port"
_CLI_CALL = re.compile(
    r"^\s*(?:[$>%]\s*|[\w.\-]+@[\w.\-]+\s*[:$#]+\s*[$#]?\s*)(?:python3?\s+-m\s+(?P<pkg>[\w.\-]+)\s+)?"
    r"(?P<cmd>[\w.\-]+)\b|^\s*(?P<usage>[\w.\-]+)\s+(?=[\[<]|--?\w)"
)


def _tool_page_name(state: ReadingState) -> tuple[str, Line] | None:
    """A tool's manual page titled by its command ('storescp'): 'pkg storescp' when it is run as
    'python -m pkg storescp', else the command."""
    heading = next((b for b in state.doc.blocks[:3] if isinstance(b, Line) and b.heading), None)
    if heading is None or not re.fullmatch(r"[a-z][\w\-]{1,30}", heading.text.strip()):
        return None
    word = heading.text.strip()
    for ln in state.doc.lines[:40]:
        m = _CLI_CALL.match(ln.text)
        if m and word in (m.group("cmd"), m.group("usage")):
            return (f"{m.group('pkg')} {word}" if m.group("pkg") else word), heading
    return None


def _front(state: ReadingState) -> list[Line | Table]:
    """The first part of a document, where identity is stated: the first pages of a PDF, the first
    150 blocks of a text statement (a table of contents is skipped)."""
    out: list[Line | Table] = []
    for block in state.doc.blocks:
        if block.page is not None and block.page > 12:
            break
        if len(out) >= 150:
            break
        if isinstance(block, Line) and re.search(
            r"\.{4,}\s*\d+\s*$|^\d+(?:\.\d+)*\.?\s.*\s\d{1,3}$", block.text
        ):
            continue  # a table-of-contents entry
        out.append(block)
    return out


def _title_area(front: list[Line | Table]) -> list[Line]:
    """The lines a title page holds: a PDF's first page with text, else the lines before the first
    numbered heading or table (at most twelve). A title set over two lines ("DICOM Conformance" /
    "Statement") is one line here."""
    lines: list[Line] = []
    for block in front:
        if isinstance(block, Table):
            if lines:
                break
            continue
        if block.page is not None:
            if lines and block.page != lines[0].page:
                break
        elif len(lines) >= 12 or (lines and block.heading and re.match(r"^\d+(?:\.\d+)*\.?\s", block.text)):
            break
        if (
            lines
            and re.search(r"\bconformance$", lines[-1].text, re.I)
            and re.match(r"statement\b", block.text, re.I)
        ):
            lines[-1] = Line(
                f"{lines[-1].text} {block.text}", lines[-1].page, lines[-1].line, lines[-1].heading
            )
            continue
        lines.append(block)
    return lines


def product_identity(state: ReadingState) -> None:
    """Pass: vendor, product and version, each the most specific statement of it near the start."""
    st = state.statement
    reader = _Reader(state)
    front = _front(state)
    title = _title_area(front)
    front_matter = True
    for block in front:
        if isinstance(block, Line) and block.heading:
            # the front matter ends at the first numbered section that is not about the document
            # or product itself ("1 Introduction" does, "2.1 Manufacturer Identification" does not)
            front_matter = not re.match(r"^\s*\d+(?:\.\d+)*\.?\s", block.text) or bool(
                _ABOUT.search(block.text)
            )
        if isinstance(block, Table):
            reader.table(block, front_matter)
            continue
        reader.labelled_line(block, front_matter)
        reader.sentence(block)
        reader.copyright(block)
    reader.title_lines(title, reader.TITLE)
    for ln in title:
        reader.company_line(ln, reader.TITLE_COMPANY)
    tool = _tool_page_name(state)
    if tool is not None:
        command, heading = tool
        reader.add(NAME, command, reader.TITLE, heading.page, heading.line, heading.text)
    reader.title_lines(state.doc.furniture, reader.FURNITURE)
    for ln in state.doc.furniture:
        reader.company_line(ln, reader.COMPANY)
        reader.copyright(ln)
    for ln in state.doc.lines[-15:]:
        reader.copyright(ln)  # "© 2024 Acme Medical Inc." at the end of a text statement
    name = reader.best(NAME)
    if name is not None:
        name = reader.settle_name(name)
        reader.vendor_beside(title + state.doc.furniture, name.value)
    version = reader.best(VERSION)
    vendor = reader.best(VENDOR)
    if name is not None:
        value = name.value
        if version is not None and value.lower().endswith(" " + version.value.lower()):
            value = value[: -len(version.value)].rstrip(" ,-v")  # "ACME CT 2.0" with version 2.0
        st.product = Fact(value, name.prov)
    if version is not None:
        st.version = Fact(version.value, version.prov)
    if vendor is not None and (name is None or _norm(vendor.value) != _norm(name.value)):
        st.vendor = Fact(vendor.value, vendor.prov)
    LOGGER.debug("%s: identity %s / %s / %s", st.source, st.vendor, st.product, st.version)


# a byline under a bare title: "Marmot DICOM Viewer 3.4.1 for iOS. Last updated 2 May 2026."
_BYLINE = re.compile(
    r"^(?P<name>(?:[A-Z][\w+\-]*\s+){0,5}[A-Z][\w+\-]*)\s+v?(?P<version>\d+(?:\.\d+)+[\w\-]*)"
    r"(?=$|[\s,;:(]|\.(?:\s|$))"
)
# "Revision 2.3", "Table 1.2 lists ...": a reference or the document's revision, not a product
_NOT_A_BYLINE = re.compile(
    r"\b(?:table|tabelle|tableau|tabla|tabela|section|chapter|figure|annex|appendix|part|page|ps|version"
    r"|release|revision|rev|edition|issue|dicom)$",
    re.I,
)
_CAPABILITIES_OF = re.compile(
    r"\b(?:describes|documents|specifies|states|details|summari[sz]es|covers|lists|beschreibt|décrit"
    r"|describe|descreve)\b[^.]{0,60}?\bcapabilit(?:y|ies)\s+of\s+(?:the\s+)?(?P<name>\S.*)$",
    re.I,
)
# a name as sentences write it: capitalised words, acronyms, words with a capital inside ("iPad")
_NAME_WORD = r"(?:[A-Z0-9][\w.+&\-]*|[a-z]+[A-Z][\w.+\-]*)"
_NAME_RUN = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*")
# "the capabilities of the Storage SCP AE" is about a part of the product, not the product
_NOT_A_PRODUCT_END = re.compile(
    r"(?:\b(?:AEs?|SCP|SCU|Services?|Class(?:es)?|Entit(?:y|ies)|Section|Standard|DICOM)|^[A-Z0-9])$"
)
# a word that says what kind of thing a product is, not which one ("the PACS System application")
_GENERIC_WORDS = frozenset(
    {"application", "app", "software", "product", "program", "programme", "tool", "solution", "package"}
)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
