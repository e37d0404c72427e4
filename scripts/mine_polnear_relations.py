"""Mine which (lemma, POS, relation) pairs are attribution cues on PolNeAR train.

For every article, runs the quote rules as they stand, then asks
:func:`claimscope.quotes.relation_candidates` for every candidate a cue's
dependent would give under any relation ("backs X", "support for X", "a plan
to X"), outside what the rules already found. Each candidate is scored on its
own against the gold attributions the rules missed (coverage > 0.3, the
protocol's lenient match) and its speaker. A relation's precision is the share
of its candidates that matched.

Writes ``lib/claimscope/data/quote_relations.tsv`` (committed; the parses are
not kept). Run from the repo root, in the background (a few minutes):

    nice .venv/bin/python scripts/mine_polnear_relations.py ../shared/eval-data/polnear/data/train

``--docbin`` reads (or, when absent, writes) the parsed articles, for reruns.
``--records`` writes one JSON line per candidate, for error analysis.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from spacy.tokens import DocBin

from claimscope import entities, polnear, quotes, speakers
from claimscope import nlp as nlp_stage

OUT = Path(__file__).resolve().parent.parent / "lib" / "claimscope" / "data" / "quote_relations.tsv"
# Rows written: enough candidates and a precision worth keeping in the table.
MIN_CANDIDATES = 4
MIN_PRECISION = 0.3


def _parsed(articles, nlp, docbin: Path | None):
    if docbin is not None and docbin.exists():
        return list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    docs = list(nlp_stage.parse_many(nlp, (a.text for a in articles)))
    if docbin is not None:
        store = DocBin()
        for doc in docs:
            store.add(doc)
        store.to_disk(docbin)
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split_dir", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--docbin", type=Path)
    parser.add_argument("--records", type=Path)
    args = parser.parse_args()

    articles = polnear.load_split(args.split_dir)
    # The baseline is every rule but the mined relations themselves.
    quotes.relation_cues = dict
    nlp = nlp_stage.load()
    docs = _parsed(articles, nlp, args.docbin)
    counts: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    records = []
    for number, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        view = entities.build_view(doc)
        kept = quotes.find_candidates(view)
        found = [
            speakers.Found(c.start, c.end, c.kind, c.cue, c.subject, c.mention, c.sourceless)
            for c in kept
        ]
        matched = {
            j
            for _, j in polnear.match(
                speakers.attribute(view, found), article.attributions, polnear.LENIENT
            )
        }
        missed = [a for j, a in enumerate(article.attributions) if j not in matched]
        ctx = quotes.context(view)
        new = list(quotes.relation_candidates(ctx, kept, lambda key: True))
        attributed = speakers.attribute(
            view,
            [
                speakers.Found(c.start, c.end, c.kind, c.cue, c.subject, c.mention, c.sourceless)
                for c in new
            ],
        )
        for cand, quote in zip(new, attributed, strict=True):
            best = max(missed, key=lambda a: polnear.coverage(quote, a), default=None)
            value = polnear.coverage(quote, best) if best is not None else 0.0
            hit = value > polnear.LENIENT
            outcome = {
                "candidates": 1,
                "matched": hit,
                "strict": value > polnear.STRICT,
                "speaker_right": hit and polnear.speaker_right(quote, best),
            }
            key = tuple(cand.key.split("|")[:3])
            counts[key].update(outcome)
            if args.records is not None:
                records.append(
                    {
                        "article": number,
                        "key": cand.key,
                        **outcome,
                        "content": quote.text,
                        "speaker": quote.speaker_mention.text if quote.speaker_mention else None,
                        "gold": best.content_text if hit else None,
                        "gold_source": best.source_text if hit else None,
                        "cue": quote.cue.text if quote.cue else None,
                    }
                )
    rows = []
    for key, count in counts.items():
        precision = count["matched"] / count["candidates"]
        if count["candidates"] >= MIN_CANDIDATES and precision >= MIN_PRECISION:
            rows.append(
                (
                    *key,
                    count["candidates"],
                    count["matched"],
                    count["strict"],
                    count["speaker_right"],
                    precision,
                )
            )
    rows.sort(key=lambda r: (-r[-1], -r[3]))
    with args.out.open("w", encoding="utf-8") as handle:
        handle.write("# (lemma, POS, relation) cue precision mined from PolNeAR train")
        handle.write(" by scripts/mine_polnear_relations.py\n")
        handle.write(
            "lemma\tpos\trelation\tcandidates\tmatched\tstrict\tspeaker_right\tprecision\n"
        )
        for *key, total, hit, strict, right, precision in rows:
            handle.write(
                "\t".join([*key, str(total), str(hit), str(strict), str(right), f"{precision:.3f}"])
                + "\n"
            )
    if args.records is not None:
        with args.records.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r) + "\n" for r in records)
    print(f"{len(rows)} relations -> {args.out}")


if __name__ == "__main__":
    main()
