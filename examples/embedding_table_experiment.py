"""Does fine-tuning an Embedding distort the pretrained space for words training never sees? Measured.

A synthetic task built from a pretrained-style table: 2,000 words in 5 topics, each word's vector its topic's
direction plus noise (so similar words have similar vectors). A sentence is 20 words, most from one topic (its
label). Half the words are *seen* (training sentences use only them); validation sentences use only the other,
*unseen* half. The same classifier (Embedding -> mean -> Dense softmax, Adam) is trained three ways:

  frozen      the pretrained table with trainable: false
  fine-tuned  the same table trainable
  two tables  the frozen table beside a small trainable one for the 200 most frequent (seen) words, other ids
              mapped to its row 0 by oov_index (specs/fasttext_two_tables.yaml's design, with a mean in place of
              its LSTM)

and reports validation accuracy on unseen words, how far seen and unseen vectors moved, and each word's mean
cosine similarity to its 10 nearest pretrained neighbours, before and after.

    .venv/bin/python examples/embedding_table_experiment.py
"""
from __future__ import annotations

import json

import numpy as np

import graphspec

WORDS, TOPICS, DIM, LENGTH, NEIGHBOURS = 2000, 5, 32, 20, 10
ON_TOPIC = 0.35  # the share of a sentence's words from its label's topic
FREQUENT = 200  # the small table of the two-table design: the most frequent seen words


def pretrained_table(rng):
    topic_of = rng.integers(0, TOPICS, WORDS)
    directions = rng.standard_normal((TOPICS, DIM))
    table = directions[topic_of] * 0.35 + rng.standard_normal((WORDS, DIM))
    return (table / np.linalg.norm(table, axis=1, keepdims=True)).astype("float32"), topic_of


def sentences(rng, words, topic_of, count):
    """`count` sentences of LENGTH words from `words`: ON_TOPIC of them from the label's topic, the rest from any topic."""
    by_topic = [words[topic_of[words] == t] for t in range(TOPICS)]
    labels = rng.integers(0, TOPICS, count)
    on_topic = rng.random((count, LENGTH)) < ON_TOPIC
    ids = np.where(on_topic, np.stack([rng.choice(by_topic[t], LENGTH) for t in labels]),
                   rng.choice(words, (count, LENGTH)))
    return ids.astype("int32"), labels


def spec(design: str) -> str:
    head = f"graphspec: 1\nname: {design}\ninputs: {{ids: {{shape: [{LENGTH}], dtype: int32}}}}\nlayers:\n"
    trainable = "true" if design == "fine-tuned" else "false"
    table = f"  - {{type: Embedding, name: table, input_dim: {WORDS}, output_dim: {DIM}, trainable: {trainable}}}\n"
    if design != "two tables":
        return head + table + "  - {type: GlobalAveragePooling1D}\n  - {type: Dense, units: 5, activation: softmax}\n"
    return head + table.replace("}\n", ", inputs: ids}\n") + (
        f"  - {{type: Embedding, name: popular, input_dim: {FREQUENT}, output_dim: 8, oov_index: 0, inputs: ids}}\n"
        "  - {type: Concatenate, inputs: [table, popular]}\n  - {type: GlobalAveragePooling1D}\n"
        "  - {type: Dense, units: 5, activation: softmax}\n")


def neighbour_similarity(table, pretrained, words):
    """Mean cosine similarity of each word to its NEIGHBOURS nearest words in the pretrained space."""
    unit = table / np.linalg.norm(table, axis=1, keepdims=True)
    nearest = np.argsort(-(pretrained[words] @ pretrained.T), axis=1)[:, 1:NEIGHBOURS + 1]
    return float(np.mean(np.einsum("wd,wkd->wk", unit[words], unit[nearest])))


def run(design, pretrained, data, seen, unseen):
    (x, y), (x_val, y_val) = data
    model = graphspec.compile(graphspec.check(graphspec.loads(spec(design))), seed=0)
    weights = model.get_weights()
    weights["table"]["embeddings"] = pretrained.copy()
    model.set_weights(weights)
    model.compile_training(loss="sparse_categorical_crossentropy", optimizer={"type": "adam", "learning_rate": 0.01},
                           metrics=["accuracy"], seed=0)
    model.fit(x, y, epochs=8, batch_size=64, progress=False)
    table = model.get_weights()["table"]["embeddings"]
    moved = np.linalg.norm(table - pretrained, axis=1)
    return {"val accuracy (unseen words)": round(model.evaluate(x_val, y_val)["accuracy"], 3),
            "seen moved": round(float(moved[seen].mean()), 4), "unseen moved": round(float(moved[unseen].mean()), 4),
            "seen neighbour sim": round(neighbour_similarity(table, pretrained, seen), 3),
            "unseen neighbour sim": round(neighbour_similarity(table, pretrained, unseen), 3)}


def main() -> None:
    rng = np.random.default_rng(0)
    pretrained, topic_of = pretrained_table(rng)
    order = rng.permutation(WORDS)
    seen, unseen = np.sort(order[: WORDS // 2]), np.sort(order[WORDS // 2:])
    # the frequent words get the small table's ids 1..FREQUENT-1: renumber so that they come first
    renumber = np.empty(WORDS, int)
    renumber[np.concatenate([seen, unseen])] = np.arange(WORDS)
    pretrained, topic_of = pretrained[np.argsort(renumber)], topic_of[np.argsort(renumber)]
    seen, unseen = np.arange(WORDS // 2), np.arange(WORDS // 2, WORDS)
    data = (sentences(rng, seen, topic_of, 3000), sentences(rng, unseen, topic_of, 1000))
    print(f"before training: neighbour similarity {neighbour_similarity(pretrained, pretrained, seen):.3f} (seen), "
          f"{neighbour_similarity(pretrained, pretrained, unseen):.3f} (unseen)")
    for design in ("frozen", "fine-tuned", "two tables"):
        print(f"{design:>10}: {json.dumps(run(design, pretrained, data, seen, unseen))}")


if __name__ == "__main__":
    main()
