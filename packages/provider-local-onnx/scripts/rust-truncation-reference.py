"""Writes test/fixtures/rust-truncation.json: how the Rust `tokenizers` crate (the Python
binding, e.g. tokenizers 0.23.2) cuts (query, document) pairs with `longest_first`, for the
committed BERT and XLM-R fixture tokenizers. The test `rust-truncation.test.ts` checks that the
package's pair encoder produces exactly these ids. Needs only the `tokenizers` Python package:

    python3 scripts/rust-truncation-reference.py
"""
import json
import random
import tokenizers
from pathlib import Path

root = Path(__file__).resolve().parent.parent
words = (
    "e-mail chuyển khoản savings 😀 debit account well-known U.S.A. ngân hàng refund vay 利率 "
    "customer lãi suất tiết kiệm loan café 🏦 the mortgage phí transfer thẻ tín dụng online rate "
    "card fee international COVID-19 銀行 don't naïve policy unbelievably antidisestablishment"
).split(" ")
random.seed(20261126)
cases = []
for model in ["bert-cross-encoder", "xlm-roberta-cross-encoder"]:
    tokenizer = tokenizers.Tokenizer.from_file(
        str(root / "test" / "fixtures" / "models" / model / "tokenizer.json")
    )
    for max_length in [17, 32, 33, 64, 128]:
        tokenizer.enable_truncation(max_length, strategy="longest_first")
        for _ in range(12):
            query = " ".join(random.choice(words) for _ in range(random.randint(10, 90)))
            document = " ".join(random.choice(words) for _ in range(random.randint(10, 200)))
            encoding = tokenizer.encode(query, document)
            cases.append(
                {"model": model, "maxLength": max_length, "query": query, "document": document,
                 "ids": encoding.ids, "typeIds": encoding.type_ids}
            )
output = root / "test" / "fixtures" / "rust-truncation.json"
output.write_text(json.dumps({"tokenizers": tokenizers.__version__, "cases": cases}, ensure_ascii=False))
print(f"wrote {len(cases)} cases to {output} (tokenizers {tokenizers.__version__})")
