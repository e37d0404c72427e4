"""Regenerate the binary sample articles: one .docx and one .pdf in sample_articles/.

The two articles are original fiction written for Claimscope (see
sample_articles/README.md); their text lives here so that the binaries can be
rebuilt from source. The PDF's lines are hard-wrapped, as real PDFs arrive, so
that the reader's unwrapping is exercised.

Needs python-docx (a project dependency) and fpdf2, which is NOT a project
dependency; run it from a throwaway environment:

    python -m venv /tmp/gen && /tmp/gen/bin/pip install fpdf2 python-docx
    /tmp/gen/bin/python scripts/make_sample_binaries.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from fpdf import FPDF

OUT = Path(__file__).resolve().parent.parent / "sample_articles"
# A Unicode font when the system has one; the PDF core fonts are Latin-1 only.
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

DOCX_NAME = "afp-svalbard-arctic-research.docx"
DOCX_TITLE = "Arctic science cooperation frays as Svalbard research station cuts Russian projects"
DOCX_CREATED = dt.datetime(2025, 1, 21, 11, 40, tzinfo=dt.UTC)
DOCX_PARAGRAPHS = (
    DOCX_TITLE,
    "LONGYEARBYEN, Norway, Jan 21, 2025 (AFP) - The largest international research station on "
    "Norway's Svalbard archipelago will close three joint projects with Russian institutes this "
    "year, its director said on Tuesday, warning that the Arctic was losing data that scientists "
    "on both sides had collected together for decades.",
    '"We are losing long time series on sea ice, permafrost and seabirds that nobody can rebuild '
    'later. A gap of five years in the Arctic record is a gap forever," station director Ingrid '
    "Solheim Berg told AFP.",
    "Solheim Berg said the projects could not be funded any more because Norwegian and European "
    "research councils had frozen cooperation with Russian state institutions. She added that "
    "personal contacts between researchers had survived, but that exchanging samples and "
    "instruments had become almost impossible.",
    "Russia keeps a coal mining settlement at Barentsburg, a short boat ride from Longyearbyen, "
    "under the 1920 treaty that gives Norway sovereignty over the islands while allowing other "
    "signatories to carry out economic activities there.",
    "Russian Deputy Minister for the Development of the Far East and the Arctic Sergey Vasnetsov "
    "said last week that Moscow would open its own science centre in Barentsburg and invite "
    'researchers from China, India and Brazil. "The Arctic is not a Western club," he told '
    "Russian media.",
    "According to Lars Henrik Aasland, a polar law expert at the Fram Centre for Arctic Policy in "
    "Tromso, Oslo must avoid any impression that it is pushing Russians off the archipelago.",
    '"The treaty is the foundation of peace on Svalbard. Norway has every right to set research '
    "rules, but it has an interest in keeping Russian scientists visible and welcome as "
    'individuals," he said.',
    'Aasland noted that Beijing has run a research station in Ny-Alesund since 2004 and that "any '
    'empty space left by European-Russian projects will be filled by somebody else."',
    "Solheim Berg said she hoped cooperation could resume one day. Until then, the station would "
    "publish all its past joint data openly, so that Russian, Norwegian and other scientists "
    "could keep using it.",
    '"Data from the Arctic belongs to everyone who will live with the consequences of its '
    'melting, which means all of us," the director said.',
)

PDF_NAME = "ap-mongolia-copper-corridor.pdf"
PDF_TITLE = "Mongolia courts new partners as copper exports grow, minister says"
PDF_PARAGRAPHS = (
    PDF_TITLE,
    "ULAANBAATAR, Mongolia, July 9, 2025 (AP) \u2014 Mongolia wants to send more of its copper "
    "and coal through ports in South Korea and Japan rather than depend on its two giant "
    "neighbors alone, the country's deputy minister of mining said Wednesday.",
    "\u201cGeography gave us two neighbors, Russia and China, and we respect both. But a country "
    "that sells everything through one border is not fully independent,\u201d Deputy Minister of "
    "Mining and Heavy Industry Oyunchimeg Batbayar told The Associated Press.",
    "Batbayar said that a new rail link to the Chinese border would be finished next year and "
    "that Ulaanbaatar was also negotiating transit rights through Russian Far East ports. She "
    "added that trial shipments of copper concentrate had already reached the South Korean port "
    "of Busan by sea from the Chinese coast.",
    "More than four fifths of Mongolia's exports go to China, according to customs data, and "
    "Beijing's steel mills buy almost all of its coal.",
    "Independent economists say the plan makes sense but will take years. \u201cMongolians have "
    "heard about a third neighbor policy for thirty years. What is new is that Tokyo and Seoul "
    "now need critical minerals badly enough to pay for the logistics,\u201d said Tuvshinjargal "
    "Ganbold, an economist at the Steppe Institute for Economic Policy in Ulaanbaatar.",
    "According to Ganbold, Moscow has little to offer besides transit, while Washington's "
    "interest in Mongolian rare earths has so far produced studies rather than investment.",
    "The deputy minister rejected suggestions that the policy was aimed at China. Chinese "
    "companies remained welcome partners, she said, and Beijing had been informed of every "
    "step.",
    "\u201cWe are a small country with large deposits. Our task is to make sure the next "
    "generation inherits more than empty pits,\u201d Batbayar said.",
)


def make_docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = DOCX_TITLE
    document.core_properties.author = "Claimscope sample articles"
    document.core_properties.created = DOCX_CREATED
    document.add_heading(DOCX_PARAGRAPHS[0], level=1)
    for paragraph in DOCX_PARAGRAPHS[1:]:
        document.add_paragraph(paragraph)
    document.save(path)


def make_pdf(path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_title(PDF_TITLE)
    pdf.set_creation_date(dt.datetime(2025, 7, 9, 8, 0, tzinfo=dt.UTC))
    pdf.set_auto_page_break(auto=True, margin=20)
    if UNICODE_FONT.exists():
        pdf.add_font("body", fname=str(UNICODE_FONT))
        font, paragraphs = "body", PDF_PARAGRAPHS
    else:
        font, paragraphs = "helvetica", tuple(_latin1(p) for p in PDF_PARAGRAPHS)
    pdf.add_page()
    pdf.set_font(font, size=16)
    pdf.multi_cell(0, 8, paragraphs[0])
    pdf.ln(4)
    pdf.set_font(font, size=11)
    for paragraph in paragraphs[1:]:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(3)
    pdf.output(str(path))


def _latin1(text: str) -> str:
    return (
        (text.replace("\u2014", "-").replace("\u201c", '"').replace("\u201d", '"'))
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def main() -> None:
    make_docx(OUT / DOCX_NAME)
    make_pdf(OUT / PDF_NAME)
    print(f"wrote {OUT / DOCX_NAME} and {OUT / PDF_NAME}")


if __name__ == "__main__":
    main()
