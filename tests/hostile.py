"""The hostile batch of issue 8: twenty broken or hostile files beside good ones.

``make_hostile_batch(folder)`` writes the files and returns what a correct
ingest must do with them: the good articles it must store (by path as the CLI
names them) and every bad path it must name with its reason. Everything is
generated on the spot; the zip bomb streams compressed zeros, so it is a few
hundred kilobytes on disk and takes a second or two to build.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

BOMB_BYTES = 400 * 1024 * 1024
HUGE_LINE_BYTES = 20 * 1024 * 1024
# Larger than the default per-file limit: a sparse file, so it costs no disk.
OVERSIZED_FILE_BYTES = 150 * 1000 * 1000

GOOD_WIRE = (
    "Brazil and Argentina agree on lithium research\n\n"
    "BRASILIA, March 3, 2025 (Reuters) - Brazil and Argentina will fund a joint lithium "
    'research centre, officials said on Monday. "This is a turning point for the region," '
    "said Professor Ana Souza, an economist at the University of Brasilia.\n\n"
    "The centre will open next year in Salta."
)
GOOD_LATIN1 = (
    "PARIS, 4 mars 2025 (AFP) - Le ministre français a déclaré à Paris que l'économie "
    "était à un tournant. « Nous devons agir », a dit Hélène Moreau, économiste."
)
GOOD_UTF16 = (
    "TOKYO, April 2, 2025 (Kyodo) - Japan and South Korea held talks on fisheries, "
    "officials said. Analyst Kenji Sato said that the talks were “cordial”."
)
GOOD_ZIP_MEMBER = (
    "NAIROBI, May 5, 2025 (Xinhua) - Kenya will extend its railway to Uganda, "
    "the transport minister said on Monday. Economist Grace Wanjiru said that the line "
    "would cut freight costs."
)
GOOD_JSONL = (
    "Chile and Peru signed a copper accord on Tuesday, officials said. "
    "Analyst Pedro Rojas said the accord would lift exports.",
    "India and Bangladesh opened a new border crossing, the ministry said. "
    "Expert Meera Nair said that trade would grow quickly.",
)
XSS_HTML = """<!doctype html><html><head><title>Ministers meet in Madrid | Wire</title>
<script>window.__xss = 1; alert("xss")</script></head>
<body><article><h1>Ministers meet in Madrid</h1>
<p>MADRID, June 3, 2025 (EFE) - Spanish and Portuguese ministers met in Madrid on Tuesday
to discuss water sharing along the Tagus river, officials said.</p>
<img src="x" onerror="window.__xss = 2; alert('onerror')">
<p>"We share one river and one future," said Portuguese minister Rui Costa, adding that
both countries would publish a joint plan before the summer.</p>
<script>document.body.innerHTML = "owned"</script>
</article></body></html>"""


@dataclass
class HostileBatch:
    """The files written, and what an ingest of them must report."""

    paths: list[Path] = field(default_factory=list)
    good: set[str] = field(default_factory=set)  # article paths that must be stored
    bad: dict[str, str] = field(default_factory=dict)  # path -> a word its reason must hold


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_zip_bomb(path: Path, size: int = BOMB_BYTES) -> None:
    """One member of ``size`` zero bytes, streamed through the compressor."""
    chunk = bytes(4 * 1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("zeros.txt", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)


def make_hostile_batch(folder: Path) -> HostileBatch:
    folder.mkdir(parents=True, exist_ok=True)
    batch = HostileBatch()

    def add(name: str, data: bytes, *, bad: str | None = None) -> Path:
        path = folder / name
        path.write_bytes(data)
        batch.paths.append(path)
        if bad is not None:
            batch.bad[str(path)] = bad
        return path

    # -- good articles (7) -----------------------------------------------------
    batch.good.add(str(add("good-wire.txt", GOOD_WIRE.encode("utf-8"))))
    batch.good.add(str(add("good-latin1.txt", GOOD_LATIN1.encode("latin-1"))))
    batch.good.add(str(add("good-utf16.txt", GOOD_UTF16.encode("utf-16"))))
    batch.good.add(str(add("xss-page.html", XSS_HTML.encode("utf-8"))))

    # -- twenty bad files ------------------------------------------------------
    add("empty.txt", b"", bad="empty")  # 1
    add("blank.md", b" \n\t\n  ", bad="empty")  # 2
    add("binary.txt", bytes(range(256)) * 64 + os.urandom(4096), bad="encoding")  # 3
    add("nul-bytes.txt", bytes(1024 * 1024), bad="binary")  # 4
    add("fake.pdf", b"This is not a PDF, only text with a .pdf name.\n" * 20, bad="PDF")  # 5
    add("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R", bad="PDF")  # 6
    add("fake.docx", b"Plain text saved with a .docx name.\n" * 20, bad="DOCX")  # 7
    add("hollow.docx", _zip({"readme.txt": b"no word/document.xml here"}), bad="DOCX")  # 8
    add("bad.json", b'[{"text": "An article that never ends', bad="JSON")  # 9
    add("deep.json", b"[" * 100_000 + b"]" * 100_000, bad="nested")  # 10
    add("no-text-column.csv", b"headline,body\nA,B\n", bad="'text'")  # 11
    add("photo.jpg", b"\xff\xd8\xff\xe0" + os.urandom(2048), bad="unsupported")  # 12
    add("notes", b"A file with no extension at all.", bad="unsupported")  # 13
    add("broken.zip", b"PK\x03\x04 this is not really a zip archive", bad="zip")  # 14
    huge = folder / "huge-line.txt"  # 15: a 20 MB single line
    huge.write_bytes(b"word " * (HUGE_LINE_BYTES // 5))
    batch.paths.append(huge)
    batch.bad[str(huge)] = "too long"
    oversized = folder / "oversized.txt"  # 16: larger than the per-file limit
    with oversized.open("wb") as handle:
        handle.truncate(OVERSIZED_FILE_BYTES)
    batch.paths.append(oversized)
    batch.bad[str(oversized)] = "too large"
    bomb = folder / "bomb.zip"  # 17: 400 MB of zeros
    write_zip_bomb(bomb)
    batch.paths.append(bomb)
    batch.bad[f"{bomb}!zeros.txt"] = "too large"
    traversal = add(  # 18: members through ../ and an absolute path, beside a good one
        "traversal.zip",
        _zip(
            {
                "../../evil.txt": GOOD_WIRE.encode("utf-8") + b" (escaped)",
                "/etc/cron.d/evil.txt": b"absolute path member with enough words in it",
                "good/article.txt": GOOD_ZIP_MEMBER.encode("utf-8"),
            }
        ),
    )
    batch.bad[f"{traversal}!../../evil.txt"] = "unsafe"
    batch.bad[f"{traversal}!/etc/cron.d/evil.txt"] = "unsafe"
    batch.good.add(f"{traversal}!good/article.txt")
    nested = _zip({"story.txt": GOOD_WIRE.encode("utf-8") + b" nested"})
    for _ in range(4):
        nested = _zip({"inner.zip": nested})
    add("nested-deep.zip", nested, bad="nested")  # 19
    lines = [
        json.dumps({"text": GOOD_JSONL[0], "source": "EFE"}),
        '{"text": "broken json line',
        json.dumps({"text": GOOD_JSONL[1], "source": "AP"}),
        json.dumps(["not", "an", "object"]),
    ]
    mixed = add("mixed.jsonl", "\n".join(lines).encode("utf-8"))  # 20: good and bad lines
    batch.good.update({f"{mixed}#1", f"{mixed}#3"})
    batch.bad.update({f"{mixed}#2": "JSON", f"{mixed}#4": "object"})
    return batch
