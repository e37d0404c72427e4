"""Mine attribution cues from PolNeAR train: which lemmas are cues, and how often.

Parses every train article with the project's spaCy model, and for each gold
Cue records the head token's lemma and POS, the dependency label that links
the Content's head to the cue, and whether the cue has a Source. Every token
of the corpus is also counted by (lemma, POS), so that each lemma gets a cue
precision: how often an occurrence of it heads a gold cue.

Writes ``lib/claimscope/data/cues_en.tsv`` (committed; the parses are not
kept). Run from the repo root, in the background (a few minutes on one core):

    nice .venv/bin/python scripts/mine_polnear_cues.py ../shared/eval-data/polnear/data/train
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from spacy.tokens import Doc, Span

from claimscope import nlp as nlp_stage
from claimscope.polnear import load_split

OUT = Path(__file__).resolve().parent.parent / "lib" / "claimscope" / "data" / "cues_en.tsv"


def _head(doc: Doc, frags: tuple[tuple[int, int], ...]) -> tuple[object, Span | None]:
    """The syntactic head of a (possibly discontinuous) gold span, and its first fragment."""
    tokens = []
    for start, end in frags:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tokens.extend(span)
    if not tokens:
        return None, None
    inside = {t.i for t in tokens}
    for token in tokens:
        if token.head.i not in inside or token.head.i == token.i:
            return token, None
    return tokens[0], None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split_dir", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-support", type=int, default=3)
    args = parser.parse_args()

    articles = load_split(args.split_dir)
    nlp = nlp_stage.load()
    totals: Counter[tuple[str, str]] = Counter()
    cues: Counter[tuple[str, str]] = Counter()
    sourced: Counter[tuple[str, str]] = Counter()
    relations: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        for token in doc:
            if not token.is_space and not token.is_punct:
                totals[(token.lemma_.lower(), token.pos_)] += 1
        for attribution in article.attributions:
            if not attribution.cue:
                continue
            cue, _ = _head(doc, attribution.cue)
            content, _ = _head(doc, attribution.content)
            if cue is None:
                continue
            key = (cue.lemma_.lower(), cue.pos_)
            cues[key] += 1
            sourced[key] += bool(attribution.source)
            if content is None:
                relation = "none"
            elif content.head.i == cue.i:
                relation = content.dep_
            elif cue.head.i == content.i:
                relation = "inv:" + cue.dep_
            elif content.head.head.i == cue.i:
                relation = f"{content.head.dep_}>{content.dep_}"
            else:
                relation = "other"
            relations[key][relation] += 1

    rows = []
    for key, count in cues.items():
        if count < args.min_support:
            continue
        total = max(totals[key], count)
        top = ",".join(f"{rel}:{n}" for rel, n in relations[key].most_common(3))
        rows.append((key[0], key[1], count, total, count / total, sourced[key] / count, top))
    rows.sort(key=lambda r: (-r[2], r[0]))
    with args.out.open("w", encoding="utf-8") as handle:
        handle.write("# Cue lemmas mined from PolNeAR train by scripts/mine_polnear_cues.py\n")
        handle.write("lemma\tpos\tcue\ttotal\tprecision\tsourced\trelations\n")
        for lemma, pos, count, total, precision, share, top in rows:
            handle.write(f"{lemma}\t{pos}\t{count}\t{total}\t{precision:.3f}\t{share:.2f}\t{top}\n")
    print(f"{len(rows)} cue lemmas -> {args.out}")


if __name__ == "__main__":
    main()
