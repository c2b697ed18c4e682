#!/usr/bin/env bash
# The README's main job, through the real `twostage` commands (run by `pnpm main-job`, which
# builds the CLI first):
#   1. index the bank-policy corpus (English and Vietnamese passages),
#   2. answer the sample questions of questions.txt: stage-1 rank → re-ranked rank, both scores,
#   3. evaluate both orders on the labelled queries (precision, recall, nDCG, MRR at 5).
# The reranker is TWOSTAGE_RERANKER when set, else the CLI's default multilingual cross-encoder,
# downloaded once into the model cache by the first question. Without network and without a
# cached copy, the questions are answered by stage 1 alone, marked "not re-ranked", after a
# one-line notice saying how to fix it; the job still ends with exit code 0.
#
# TWOSTAGE_MAIN_JOB_INDEX=<dir> keeps the index there (default: a temporary folder, removed at
# the end), so you can go on asking: twostage query "..." --index <dir>.
set -euo pipefail

# Paths are shown and passed relative to the repository's root, as a person would type them.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here="examples/bank-policies"
bin="$PWD/packages/cli/dist/bin.js"
if [[ ! -f "$bin" ]]; then
  echo "main-job: $bin is missing; build the CLI first: pnpm --filter '@twostage/cli...' run build" >&2
  exit 1
fi

if [[ -n "${TWOSTAGE_MAIN_JOB_INDEX:-}" ]]; then
  index="$TWOSTAGE_MAIN_JOB_INDEX"
else
  index="$(mktemp -d "${TMPDIR:-/tmp}/twostage-main-job.XXXXXX")"
  trap 'rm -rf "$index"' EXIT
fi

# Shows the command as a person would type it, then runs the built binary.
step() {
  local line='$ twostage' arg
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@-]+$ ]]; then
      line+=" $arg"
    else
      arg="${arg//\\/\\\\}"
      arg="${arg//\"/\\\"}"
      arg="${arg//\$/\\\$}"
      line+=" \"$arg\""
    fi
  done
  printf '\n%s\n' "$line"
}

# Runs a command whose stderr may repeat the default-reranker notice already shown: the notice
# (two lines: what happened, how to fix it) is printed once per job, anything else always.
notice_shown=0
run_once_noticed() {
  local out err status=0
  out="$(mktemp)"
  err="$(mktemp)"
  node "$bin" "$@" >"$out" 2>"$err" || status=$?
  # The notice goes above the table it explains.
  if [[ $notice_shown -eq 1 ]]; then
    grep -v -e '^twostage: not re-ranked: ' -e "^  → run 'twostage models pull " "$err" >&2 || true
  else
    cat "$err" >&2
    if grep -q '^twostage: not re-ranked: ' "$err"; then notice_shown=1; fi
  fi
  cat "$out"
  rm -f "$out" "$err"
  return "$status"
}

echo "== 1/3  Index the bank-policy corpus"
step index "$here/corpus.jsonl" --out "$index"
node "$bin" index "$here/corpus.jsonl" --out "$index"

echo
echo "== 2/3  The sample questions: stage 1 finds candidates, the reranker orders them"
default_model="cross-encoder/mmarco-mMiniLMv2-L12-H384-v1"
cached="$(node "$bin" models list --json)"
if [[ -z "${TWOSTAGE_RERANKER:-}" && "$cached" != *"\"id\": \"$default_model\""* ]]; then
  echo "(the first question downloads the default reranker $default_model once, about 136 MB, when the hub can be reached)"
fi
while IFS= read -r question || [[ -n "$question" ]]; do
  [[ -z "${question// /}" || "$question" == \#* ]] && continue
  step query "$question" --index "$index" --top-n 3
  run_once_noticed query "$question" --index "$index" --top-n 3
done <"$here/questions.txt"

echo
echo "== 3/3  Evaluation on the labelled queries: stage-1 order vs re-ranked order"
step eval --index "$index" --queries "$here/queries.jsonl" --qrels "$here/qrels.tsv" --k 5
run_once_noticed eval --index "$index" --queries "$here/queries.jsonl" --qrels "$here/qrels.tsv" --k 5
