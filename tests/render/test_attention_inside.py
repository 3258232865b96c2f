"""`--expand` on MultiHeadAttention: each input arrives at its own projection (query, value, key), and the inside
runs projections -> scores -> mask -> softmax -> weighted sum -> output projection."""
from support import analyze_text
from graphspec.render.scene import build_scene

SPEC = """
graphspec: 1
name: mha
inputs:
  q: {shape: [5, 8]}
  v: {shape: [6, 8]}
  k: {shape: [6, 4]}
layers:
  - {type: MultiHeadAttention, name: cross, inputs: {query: q, value: v, key: k}, num_heads: 2, key_dim: 4}
  - {type: MultiHeadAttention, name: self, inputs: [cross, cross], num_heads: 2, key_dim: 4}
outputs: [self]
"""


def arrows_by_box(scene):
    boxes = {box.id: box.fields[0][0] for group in scene.groups for box in group.boxes}
    boxes |= {box.id: box.fields[0][0] for box in scene.boxes}
    return {(boxes.get(a.tail, a.tail), boxes.get(a.head, a.head)) for a in scene.arrows}, boxes


def test_each_input_feeds_its_own_projection():
    scene = build_scene(analyze_text(SPEC), expand={"cross", "self"})
    arrows, boxes = arrows_by_box(scene)
    heads = lambda tail: sorted(h for t, h in arrows if t == f"{tail}: Input")  # noqa: E731
    assert heads("q") == ["query heads = query @ query/kernel + bias"]
    assert heads("v") == ["value heads = value @ value/kernel + bias"]
    assert heads("k") == ["key heads = key @ key/kernel + bias"]
    into_self = sorted(h for t, h in arrows if t.startswith("cross:") and "heads" in h)
    assert len(into_self) == 3  # self-attention: the one tensor feeds all three projections
    for step, following in [("query heads", "scores"), ("key heads", "scores"), ("scores", "scores → −1e9"),
                            ("softmax", "weights @ value heads"), ("value heads", "weights @ value heads")]:
        assert any(t.startswith(step) and h.startswith(following) for t, h in arrows), (step, following)
