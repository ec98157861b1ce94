"""Loads an annalist model folder with Hugging Face `transformers` as a token
classifier and tags the words of a CoNLL file (one sentence at a time), giving each
word piece its word's case class as token type when config.json says the model reads
case. Prints the share of words whose tag (argmax, IOB2 repaired) equals the predicted
column of the same file tagged by `annalist ner --conll ... --scope sentence`.

usage: python check_hf_load.py MODEL_DIR PREDICTED_CONLL [--limit N]
"""
import json
import sys

import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer


def case_class(word):
    """annalist's token types for letter case (src/model/encode.rs)."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return 1
    first, rest = letters[0], letters[1:]
    upper = sum(c.isupper() for c in rest)
    lower = sum(c.islower() for c in rest)
    if not first.isupper() and upper == 0:
        return 2
    if first.isupper() and upper == 0:
        return 3
    if first.isupper() and lower == 0 and upper + 1 == len(letters):
        return 4
    return 5


def sentences(path, limit):
    out, cur = [], []
    for line in open(path, encoding="utf-8"):
        cols = line.split()
        if not cols or cols[0] == "-DOCSTART-":
            if cur:
                out.append(cur)
                cur = []
            continue
        cur.append((cols[0], cols[-1]))
    if cur:
        out.append(cur)
    return out[:limit]


def main():
    model_dir, predicted = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 10**9
    config = json.load(open(f"{model_dir}/config.json"))
    reads_case = config.get("annalist", {}).get("case_types", False)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForTokenClassification.from_pretrained(model_dir).eval()
    labels = model.config.id2label
    same = total = 0
    for sent in sentences(predicted, limit):
        ids, types, first = [tok.cls_token_id], [0], []
        for word, _ in sent:
            pieces = tok(word, add_special_tokens=False)["input_ids"][:16] or [tok.unk_token_id]
            first.append(len(ids))
            ids += pieces
            types += [case_class(word) if reads_case else 0] * len(pieces)
        ids.append(tok.sep_token_id)
        types.append(0)
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([ids]), token_type_ids=torch.tensor([types])).logits[0]
        prev = "O"
        for (word, theirs), pos in zip(sent, first):
            tag = labels[int(logits[pos].argmax())]
            if tag.startswith("I-") and prev[2:] != tag[2:]:
                tag = "B-" + tag[2:]
            prev = tag
            same += tag == theirs
            total += 1
    print(f"transformers loaded {model_dir} ({type(model).__name__}, reads case: {reads_case}); "
          f"{same} of {total} words ({100 * same / max(total, 1):.2f}%) get annalist's tag")


if __name__ == "__main__":
    main()
