#!/usr/bin/python3
"""A plain scikit-learn peer for whereto's router, for comparison only.

It trains a standard text classifier on whereto's English training files and scores
it on evaluation sets, so whereto's own numbers can be read against a
reasonable off-the-shelf baseline. It is not run in CI and nothing in the Go
build depends on it.

Run from the repository root with Debian's scikit-learn
(apt-get install -y python3-sklearn; the pyenv python3 on PATH may not see
it, so call /usr/bin/python3 explicitly):

    /usr/bin/python3 scripts/peer_sklearn.py triage/testdata/eval.tsv

More than one evaluation file may be given. For each one it prints one JSON
line with:

    file, n, accuracy,
    emergency_recall            fraction of emergency-labelled lines predicted emergency
    call999_rate_non_emergency  fraction of non-emergency lines predicted emergency
    recall                      per-label recall, {label: fraction}
    train_seconds               wall time of fitting the pipeline
    predict_microseconds_per_message
                                median over single-message predict calls,
                                timed with time.perf_counter over at least
                                200 calls (the file's messages, cycled if it
                                has fewer than 200)

--predictions OUT.tsv writes "predicted<TAB>label" for every evaluated line,
in file order, with no message text, so totals can be compared without
reading messages. With several evaluation files each file's block starts
with a "# file: PATH" comment line.

Input formats (the same as the Go code reads):

  training file   "## route-id" section headers (an optional "route:"
                  prefix after "## " is dropped), then "- message" lines;
                  lines starting with '#' are comments; blank lines skipped.
  evaluation TSV  "LABEL<TAB>MESSAGE" per line; blank lines and lines
                  starting with '#' skipped.

Model (fixed, chosen as a plain peer; not tuned on any evaluation data):

  FeatureUnion of
    TfidfVectorizer(analyzer='word', ngram_range=(1, 2), sublinear_tf=True,
                    lowercase=True)      word unigrams and bigrams
    TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), sublinear_tf=True)
                                         character 2-5-grams within word
                                         boundaries (misspellings, text-speak)
  then LogisticRegression(max_iter=2000, C=10)   multinomial (lbfgs), weak
                                         regularisation since the training
                                         set is small and hand-written.

Errors name file and line number only; message text is never printed.
"""

import argparse
import glob
import json
import statistics
import sys
import time

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer

EMERGENCY = "emergency"
MIN_TIMED_CALLS = 200


def read_training(path):
    """Return (texts, labels) from a whereto training file."""
    texts, labels = [], []
    label = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("## "):
                label = line[3:].strip()
                if label.startswith("route:"):
                    label = label[len("route:"):].strip()
                if not label:
                    sys.exit(f"{path}:{n}: empty section label")
            elif line.startswith("#"):
                continue
            elif line.startswith("- "):
                if label is None:
                    sys.exit(f"{path}:{n}: example before any section")
                texts.append(line[2:])
                labels.append(label)
            else:
                sys.exit(f'{path}:{n}: want "## label" or "- example"')
    if not texts:
        sys.exit(f"{path}: no training examples")
    return texts, labels


def read_eval(path):
    """Return (texts, labels) from a LABEL<TAB>MESSAGE file."""
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            label, sep, text = line.partition("\t")
            if not sep:
                sys.exit(f"{path}:{n}: want LABEL<TAB>MESSAGE")
            texts.append(text)
            labels.append(label.strip())
    return texts, labels


def build_pipeline():
    return Pipeline([
        ("features", FeatureUnion([
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2),
                                     sublinear_tf=True, lowercase=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                     sublinear_tf=True)),
        ])),
        ("clf", LogisticRegression(max_iter=2000, C=10)),
    ])


def time_single_predictions(model, texts):
    """Median microseconds per single-message predict call."""
    if not texts:
        return None
    calls = max(MIN_TIMED_CALLS, len(texts))
    model.predict([texts[0]])  # warm-up, not timed
    samples = []
    for i in range(calls):
        msg = [texts[i % len(texts)]]
        t0 = time.perf_counter()
        model.predict(msg)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6


def score(path, texts, labels, predicted):
    n = len(labels)
    correct = sum(p == l for p, l in zip(predicted, labels))
    emerg = [p for p, l in zip(predicted, labels) if l == EMERGENCY]
    other = [p for p, l in zip(predicted, labels) if l != EMERGENCY]
    recall = {}
    for label in sorted(set(labels)):
        got = [p for p, l in zip(predicted, labels) if l == label]
        recall[label] = round(sum(p == label for p in got) / len(got), 4)
    return {
        "file": path,
        "n": n,
        "accuracy": round(correct / n, 4) if n else None,
        "emergency_recall": round(sum(p == EMERGENCY for p in emerg) / len(emerg), 4) if emerg else None,
        "call999_rate_non_emergency": round(sum(p == EMERGENCY for p in other) / len(other), 4) if other else None,
        "recall": recall,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", action="append",
                    help="training file in whereto's format; give it more than once for "
                         "several (default: every triage/training/en*.txt, "
                         "the English examples whereto learns from)")
    ap.add_argument("--predictions", metavar="OUT.tsv",
                    help="write predicted<TAB>label per evaluated line (no text)")
    ap.add_argument("eval", nargs="+", help="evaluation TSV file(s)")
    args = ap.parse_args()

    train_texts, train_labels = [], []
    for path in args.train or sorted(glob.glob("triage/training/en*.txt")):
        texts, labels = read_training(path)
        train_texts += texts
        train_labels += labels
    model = build_pipeline()
    t0 = time.perf_counter()
    model.fit(train_texts, train_labels)
    train_seconds = time.perf_counter() - t0

    out = open(args.predictions, "w", encoding="utf-8") if args.predictions else None
    try:
        for path in args.eval:
            texts, labels = read_eval(path)
            predicted = list(model.predict(texts)) if texts else []
            result = score(path, texts, labels, predicted)
            result["n_train"] = len(train_texts)
            result["train_seconds"] = round(train_seconds, 3)
            us = time_single_predictions(model, texts)
            result["predict_microseconds_per_message"] = round(us, 1) if us is not None else None
            print(json.dumps(result, ensure_ascii=False), flush=True)
            if out:
                if len(args.eval) > 1:
                    out.write(f"# file: {path}\n")
                for p, l in zip(predicted, labels):
                    out.write(f"{p}\t{l}\n")
    finally:
        if out:
            out.close()


if __name__ == "__main__":
    main()
