"""Compares the package's pair encodings (and CPU logits) with the real Hugging Face stack.

    python3 compare_tokens.py <tokens.json from check-tokens.js> <detail-out.json>

For each model and truncation setting, the reference ids come from:
  * transformers (AutoTokenizer, else PreTrainedTokenizerFast(tokenizer_file=...)):
      longest_first: tok(q, d, truncation='longest_first', max_length=L)
      only_second:   FlagEmbedding >= 1.3: q = tok(q, no specials, truncation, max_length=cap),
                     d = tok(d, no specials, truncation, max_length=L),
                     tok.prepare_for_model(q, d, truncation='only_second', max_length=L)
  * the Rust `tokenizers` Tokenizer.from_file directly (same recipes, via post_process).
Then onnxruntime (Python) scores the transformers ids one pair at a time and the logits are
compared with the package's node CPU logits. Prints PASS/FAIL lines; exit 0 only when all pass.
"""
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

try:
    import transformers
    from transformers import AutoTokenizer, PreTrainedTokenizerFast
except Exception as error:  # noqa: BLE001
    print(f"SKIPPED: no transformers ({type(error).__name__}: {error})")
    sys.exit(3)

import numpy as np

try:
    import tokenizers
except Exception:  # noqa: BLE001
    tokenizers = None
try:
    import onnxruntime
except Exception:  # noqa: BLE001
    onnxruntime = None

transformers.logging.set_verbosity_error()
print(
    f"python {sys.version.split()[0]} transformers {transformers.__version__} "
    f"tokenizers {getattr(tokenizers, '__version__', None)} "
    f"onnxruntime {getattr(onnxruntime, '__version__', None)} numpy {np.__version__}"
)


def load_transformers_tokenizers(directory):
    """PreTrainedTokenizerFast(tokenizer_file=...) (the reference) and AutoTokenizer (informative:
    transformers 5 rebuilds some classes' normalizer/pre-tokenizer from its own defaults)."""
    result = []
    config = json.load(open(os.path.join(directory, "tokenizer_config.json")))
    specials = {k: v for k, v in config.items() if k.endswith("_token") and isinstance(v, str)}
    try:
        tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(directory, "tokenizer.json"), **specials)
        result.append(("PreTrainedTokenizerFast(tokenizer_file)", tok))
    except Exception as error:  # noqa: BLE001
        print(f"  PreTrainedTokenizerFast failed: {type(error).__name__}: {error}")
    try:
        tok = AutoTokenizer.from_pretrained(directory)
        result.append((f"AutoTokenizer->{type(tok).__name__}", tok))
    except Exception as error:  # noqa: BLE001
        print(f"  AutoTokenizer failed: {type(error).__name__}: {error}")
    return result


def hf_encode(tok, query, document, strategy, max_length, query_cap):
    if strategy == "longest_first":
        enc = tok(query, document, truncation="longest_first", max_length=max_length, return_token_type_ids=True)
        return list(enc["input_ids"]), enc.get("token_type_ids"), "tok(q, d, truncation='longest_first')"
    q = tok(query, add_special_tokens=False, truncation=True, max_length=query_cap)["input_ids"]
    d = tok(document, add_special_tokens=False, truncation=True, max_length=max_length)["input_ids"]
    if hasattr(tok, "prepare_for_model"):
        item = tok.prepare_for_model(
            q, d, truncation="only_second", max_length=max_length, padding=False
        )
        return list(item["input_ids"]), item.get("token_type_ids"), "prepare_for_model(only_second)"
    # transformers 5 tokenizers have no prepare_for_model: the same steps by hand, with the
    # backend's real post-processor adding the special tokens.
    backend = tok.backend_tokenizer
    room = max_length - tok.num_special_tokens_to_add(pair=True) - len(q)
    d = d[: max(room, 0)]
    backend.no_truncation()
    q_enc = backend.encode(query, add_special_tokens=False)
    q_enc.truncate(len(q))
    d_enc = backend.encode(document, add_special_tokens=False)
    d_enc.truncate(len(d))
    if q_enc.ids != q or d_enc.ids != d:
        raise RuntimeError("backend ids differ from transformers ids")
    enc = backend.post_process(q_enc, d_enc, True)
    return list(enc.ids), list(enc.type_ids), "no prepare_for_model: cut d to L - specials - len(q), backend post_process"


def rust_encode(tk, query, document, strategy, max_length, query_cap):
    if strategy == "longest_first":
        tk.enable_truncation(max_length, strategy="longest_first")
        enc = tk.encode(query, document)
        return enc.ids, enc.type_ids
    tk.no_truncation()
    q = tk.encode(query, add_special_tokens=False)
    q.truncate(query_cap)
    d = tk.encode(document, add_special_tokens=False)
    d.truncate(max_length)
    tk.enable_truncation(max_length, strategy="only_second")
    enc = tk.post_process(q, d, True)
    return enc.ids, enc.type_ids


def main():
    source, detail_path = sys.argv[1], sys.argv[2]
    data = json.load(open(source))
    queries, documents = data["queries"], data["documents"]
    detail = {"models": []}
    all_pass = True
    for model in data["models"]:
        directory = model["directory"]
        name = model["name"]
        started = time.time()
        loaded = load_transformers_tokenizers(directory)
        if not loaded:
            print(f"FAIL: tokens {name}: no transformers tokenizer could be built")
            all_pass = False
            continue
        tk = tokenizers.Tokenizer.from_file(os.path.join(directory, "tokenizer.json")) if tokenizers else None
        model_type = json.load(open(os.path.join(directory, "config.json"))).get("model_type", "")
        bert = model_type == "bert"
        session = None
        input_names = []
        if onnxruntime is not None:
            session = onnxruntime.InferenceSession(
                os.path.join(directory, "onnx", "model.onnx"), providers=["CPUExecutionProvider"]
            )
            input_names = [i.name for i in session.get_inputs()]
        reference_name, reference = loaded[0]
        print(f"[{name}] references: {[n for n, _ in loaded]} + raw tokenizers; verdict uses {reference_name}; model inputs: {input_names}")
        model_detail = {"name": name, "reference": reference_name, "settings": []}
        for setting in model["settings"]:
            strategy, max_length, cap = setting["strategy"], setting["maxLength"], setting["queryMaxTokens"]
            compared = rust_identical = 0
            identical = {n: 0 for n, _ in loaded}
            types_identical = 0
            mismatches = []
            max_diff = 0.0
            max_diff_same_ids = 0.0
            method = ""
            logits = setting.get("logits") or []
            for index, pair in enumerate(setting["pairs"]):
                q, d = queries[pair["query"]], documents[pair["document"]]
                compared += 1
                ref_ids = ref_types = None
                for tok_name, tok in loaded:
                    try:
                        ids, types, method = hf_encode(tok, q, d, strategy, max_length, cap)
                    except Exception as error:  # noqa: BLE001
                        ids, types, method = None, None, f"error {type(error).__name__}: {error}"
                    if ref_ids is None and tok_name == reference_name:
                        ref_ids, ref_types = ids, types
                    identical[tok_name] += ids == pair["ids"]
                    if ids != pair["ids"] and len(mismatches) < 6:
                        mismatches.append(
                            {
                                "reference": tok_name,
                                "query": q,
                                "document": d,
                                "ours": pair["ids"],
                                "theirs": ids,
                                "oursTokens": tok.convert_ids_to_tokens(pair["ids"]),
                                "theirsTokens": tok.convert_ids_to_tokens(ids) if ids else None,
                            }
                        )
                same = ref_ids == pair["ids"]
                same_types = True
                if bert and ref_types is not None:
                    same_types = list(ref_types) == pair["typeIds"]
                types_identical += same_types
                if tk is not None:
                    rust_ids, rust_types = rust_encode(tk, q, d, strategy, max_length, cap)
                    rust_identical += rust_ids == pair["ids"] and (not bert or rust_types == pair["typeIds"])
                if session is not None and ref_ids and index < len(logits) and logits[index] is not None:
                    feeds = {}
                    n = len(ref_ids)
                    for input_name in input_names:
                        if input_name == "input_ids":
                            feeds[input_name] = np.array([ref_ids], dtype=np.int64)
                        elif input_name == "attention_mask":
                            feeds[input_name] = np.ones((1, n), dtype=np.int64)
                        elif input_name == "token_type_ids":
                            feeds[input_name] = np.array([list(ref_types) if ref_types is not None else [0] * n], dtype=np.int64)
                        elif input_name == "position_ids":
                            feeds[input_name] = np.arange(n, dtype=np.int64)[None, :]
                    output = session.run(None, feeds)[0]
                    diff = abs(float(output.reshape(-1)[0]) - float(logits[index]))
                    max_diff = max(max_diff, diff)
                    if same:
                        max_diff_same_ids = max(max_diff_same_ids, diff)
            ok = (
                identical[reference_name] == compared
                and types_identical == compared
                and (tk is None or rust_identical == compared)
                and (session is None or max_diff_same_ids < 1e-4)
                and not setting.get("apiError")
            )
            all_pass = all_pass and ok
            counts = ", ".join(f"{n} {c}/{compared}" for n, c in identical.items())
            line = (
                f"{'PASS' if ok else 'FAIL'}: tokens {name} {strategy} L={max_length} queryCap={cap}: "
                f"{compared} pairs; identical ids: {counts}, raw tokenizers {rust_identical}/{compared}"
                f"{f'; type ids {types_identical}/{compared}' if bert else ''} [{method}]"
            )
            if session is not None:
                line += f"; logits python-ORT(reference ids) vs node-CPU: max abs diff {max_diff:.3e} (over pairs with identical ids: {max_diff_same_ids:.3e})"
            if setting.get("apiError"):
                line += f"; node API error: {setting['apiError']}"
            print(line)
            for mismatch in mismatches[:2]:
                print("  MISMATCH " + json.dumps(mismatch, ensure_ascii=False))
            model_detail["settings"].append(
                {
                    "strategy": strategy,
                    "maxLength": max_length,
                    "queryMaxTokens": cap,
                    "compared": compared,
                    "identical": identical,
                    "typeIdsIdentical": types_identical,
                    "rawTokenizersIdentical": rust_identical,
                    "method": method,
                    "maxAbsLogitDiff": max_diff,
                    "maxAbsLogitDiffIdenticalIds": max_diff_same_ids,
                    "pass": ok,
                    "mismatches": mismatches,
                }
            )
        print(f"[{name}] done in {time.time() - started:.1f}s")
        detail["models"].append(model_detail)
    detail["pass"] = all_pass
    json.dump(detail, open(detail_path, "w"), ensure_ascii=False, indent=1)
    sys.exit(0 if all_pass else 1)


main()
