"""“Cite this”: a record as a formatted citation and as BibTeX, RIS and CSL-JSON downloads.

A citation says only what the atlas knows: the organisations the source names for a practice
(movements have none), the record's title, the source document and the place in it (the
locator), the atlas page and the date it was read. No personal authors, no invented years; the
source's year appears only where the source document gives one.
"""

import json
import re
from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

SITE_NAME = "Practice Atlas"
# Characters BibTeX treats specially, and what stands for each of them literally.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIAL = re.compile("|".join(re.escape(ch) for ch in BIBTEX_ESCAPES))
WHITESPACE = re.compile(r"\s+")


def one_line(text):
    """Text with every run of whitespace (newlines included) made a single space."""
    return WHITESPACE.sub(" ", str(text or "")).strip()


def bibtex_escape(text):
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_ESCAPES[match.group()], one_line(text))


def bibtex_url(url):
    """URLs go into BibTeX nearly verbatim (the url package reads them); only characters that
    would unbalance the field or start a comment are percent-encoded."""
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C").replace(" ", "%20")


def with_full_stop(text):
    return text if text[-1:] in ".?!" else text + "."


@dataclass(frozen=True)
class Citation:
    """What can be said about one atlas record, ready to format."""

    key: str
    title: str
    url: str
    accessed: date
    authors: tuple[str, ...] = ()
    source: str = ""
    source_year: int | None = None
    locator: str = ""
    kind: str = "practice"
    site: str = SITE_NAME

    @property
    def source_reference(self):
        """E.g. "CARE Promising Practices, Leadership & Collective Action › Consortia"."""
        name = f"{self.source} ({self.source_year})" if self.source_year else self.source
        return ", ".join(part for part in (name, self.locator) if part)

    @property
    def text(self):
        """The citation as a reader copies it, in the interface language."""
        parts = []
        if self.authors:
            parts.append(with_full_stop(", ".join(self.authors)))
        parts.append(f"“{with_full_stop(self.title)}”")
        if self.source:
            parts.append(with_full_stop(_("In %(source)s") % {"source": self.source_reference}))
        parts.append(f"{self.site}, {self.url}.")
        accessed = date_format(self.accessed, "DATE_FORMAT")
        parts.append(with_full_stop(_("Accessed %(date)s") % {"date": accessed}))
        return " ".join(parts)

    def bibtex(self):
        fields = []
        if self.authors:
            # Braces keep an organisation's name whole: BibTeX would read "Smith, J." in it.
            names = " and ".join("{" + bibtex_escape(name) + "}" for name in self.authors)
            fields.append(("author", names))
        fields.append(("title", "{" + bibtex_escape(self.title) + "}"))
        fields.append(("howpublished", bibtex_escape(self.site)))
        if self.source:
            fields.append(("note", bibtex_escape("In " + self.source_reference)))
        fields.append(("url", bibtex_url(self.url)))
        fields.append(("urldate", self.accessed.isoformat()))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def ris(self):
        lines = [("TY", "ELEC"), ("ID", self.key)]
        lines += [("AU", name) for name in self.authors]
        lines.append(("TI", self.title))
        if self.source:
            lines.append(("T2", self.source))
        if self.locator:
            lines.append(("SE", self.locator))
        lines += [
            ("PB", self.site),
            ("UR", self.url),
            ("Y2", self.accessed.strftime("%Y/%m/%d")),
        ]
        if self.source:
            lines.append(("N1", "In " + self.source_reference))
        # Each line is "XX  - value"; RIS readers expect CRLF line ends.
        return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines) + "ER  - \r\n"

    def csl(self):
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "URL": self.url,
            "publisher": self.site,
            "accessed": {
                "date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]
            },
        }
        if self.authors:
            item["author"] = [{"literal": name} for name in self.authors]
        if self.source:
            item["container-title"] = self.source
            item["note"] = "In " + self.source_reference
        if self.locator:
            item["section"] = self.locator
        return item

    def csl_json(self):
        return json.dumps([self.csl()], ensure_ascii=False, indent=2) + "\n"


def record_title(record):
    """A practice's or principle's title; a movement's name with its acronym."""
    if getattr(record, "title", ""):
        return record.title
    acronym = getattr(record, "acronym", "")
    return f"{record.name} ({acronym})" if acronym and acronym != record.name else record.name


def record_authors(record):
    """The organisations the source names for a practice; nothing for other records."""
    organisations = getattr(record, "organisations", None)
    return [organisation.name for organisation in organisations.all()] if organisations else []


def cite(record, request):
    """The Citation for a record with `slug`, `source`, `locator` and `get_absolute_url()`."""
    source = record.source if record.source_id else None
    kind = record._meta.model_name
    return Citation(
        key=f"atlas:{kind}:{record.slug}",
        title=one_line(record_title(record)),
        url=request.build_absolute_uri(record.get_absolute_url()),
        accessed=timezone.localdate(),
        authors=tuple(one_line(name) for name in record_authors(record)),
        source=source.short_title if source else "",
        source_year=source.year if source else None,
        locator=one_line(record.locator),
        kind=kind,
    )


# Download formats: (method of Citation, MIME type, file extension).
DOWNLOADS = {
    "bibtex": ("bibtex", "application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8", "ris"),
    "csl-json": ("csl_json", "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


DOWNLOAD_LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csl-json": "CSL-JSON"}


def download_links(record):
    """[(label, url)] for a record's downloads, named "<app>:<model>-cite-<style>"."""
    meta = record._meta
    return [
        (label, reverse(f"{meta.app_label}:{meta.model_name}-cite-{style}", args=[record.slug]))
        for style, label in DOWNLOAD_LABELS.items()
    ]


def citation_download(find_record):
    """A view serving a record's citation in the style its URL names; `find_record(request,
    slug)` gives the record or raises Http404."""

    def view(request, slug, style):
        record = find_record(request, slug)
        method, content_type, extension = DOWNLOADS[style]
        response = HttpResponse(getattr(cite(record, request), method)(), content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{record.slug}.{extension}"
        )
        return response

    return view
