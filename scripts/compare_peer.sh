#!/usr/bin/env bash
# Side by side, in one run: whereto's classifier and the scikit-learn peer
# (scripts/peer_sklearn.py), trained on the same English examples (every
# triage/training/en*.txt), scored
# on the same labelled files. Prints totals only, never a message, so it can
# be run on a blind set. Not run in CI.
#
#   apt-get install -y python3-sklearn
#   scripts/compare_peer.sh triage/testdata/eval.tsv
#
# whereto's danger has two tiers: "now" (Call 999 now) and "check" (the
# bot asks whether it is happening now). The peer has one: it predicts
# emergency or not. Emergency recall counts now and check for whereto and
# emergency for the peer; "999 now on others" is now for whereto and
# emergency for the peer.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: $0 FILE.tsv [FILE.tsv...]" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/whereto" ./cmd/whereto
for f in "$@"; do
  echo "== $f"
  echo "-- whereto"
  "$tmp/whereto" route -db "$tmp/none.db" --eval "$f" | sed -n '1,6p'
  echo "-- scikit-learn peer"
  /usr/bin/python3 scripts/peer_sklearn.py "$f" |
    /usr/bin/python3 -c 'import json,sys
for l in sys.stdin:
    r=json.loads(l)
    print("examples %d  accuracy %.1f%%  emergency recall %.1f%%  999 now on others %.1f%%  predict %.0f us/message" % (r["n"], 100*r["accuracy"], 100*r["emergency_recall"], 100*r["call999_rate_non_emergency"], r["predict_microseconds_per_message"]))'
done
