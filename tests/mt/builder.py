"""A tiny but structurally real Argos Translate package, built from nothing in a second or two.

An `.argosmodel` is a zip of one folder holding `metadata.json`, a SentencePiece tokenizer
(`sentencepiece.model`), a CTranslate2 model (`model/`) and, for argostranslate 1.10+, a MiniSBD
sentence splitter (`minisbd/*.onnx`). Each part here is the real format, read by the real
libraries; only the weights are made up:

- the tokenizer is trained on a few hundred generated English and pseudo-language lines;
- the translation model is a 1+1-layer Transformer (d_model 32) written from a
  `ctranslate2.specs.TransformerSpec` with small random weights, plus a projection that makes
  it say a fixed few words and stop, so every output is short and known in advance;
- the sentence splitter is an ONNX graph with MiniSBD's inputs (`units`, `features`) and output
  (per-character class scores): it ends a sentence after `.`, `!` and `?`.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece as spm
from ctranslate2.specs import common_spec, transformer_spec

D_MODEL = 32
HEADS = 2
FFN = 64
POSITIONS = 1024  # decoder position table; outputs stop after a few tokens

_SUBJECTS = ["I", "You", "We", "They", "My friend", "The teacher", "Minji", "The student"]
_VERBS = ["read", "write", "learn", "see", "buy", "need", "like", "find"]
_OBJECTS = [
    "the letters",
    "a book",
    "the vowels",
    "the bus",
    "some water",
    "the hospital",
    "a ticket",
    "the sign",
]
_ENDINGS = [".", "!", "?", " every day.", " in Siheung.", " at school."]
_SYLLABLES = ["ka", "lu", "me", "sin", "ta", "ro", "pe", "ni", "ba", "sel", "mun", "di", "ko"]


def training_lines(count: int = 400, seed: int = 7) -> list[str]:
    """Simple English lines and pseudo-language lines made of a few syllables."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count // 2):
        lines.append(
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
            f"{rng.choice(_ENDINGS)}"
        )
        words = [
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(2, 7))
        ]
        lines.append(" ".join(words).capitalize() + rng.choice([".", "?", "!"]))
    return lines


def train_sentencepiece(path: Path, vocab_size: int = 300) -> spm.SentencePieceProcessor:
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_lines()),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
        num_threads=1,
    )
    path.write_bytes(model.getvalue())
    return spm.SentencePieceProcessor(model_file=str(path))


class TinyTransformer(ctranslate2.converters.Converter):
    """A converter whose 'source model' is a spec filled with small random weights."""

    def __init__(self, vocabulary: list[str], says: list[str], seed: int) -> None:
        self.vocabulary = vocabulary
        self.says = says  # the pieces every translation is made of, then </s>
        self.rng = np.random.default_rng(seed)

    def _random(self, *shape: int) -> np.ndarray:
        return (self.rng.standard_normal(shape) * 0.02).astype(np.float32)

    def _linear(self, spec: common_spec.LinearSpec, out: int, inp: int) -> None:
        spec.weight = self._random(out, inp)
        spec.bias = np.zeros(out, dtype=np.float32)

    @staticmethod
    def _norm(spec: common_spec.LayerNormSpec) -> None:
        spec.gamma = np.ones(D_MODEL, dtype=np.float32)
        spec.beta = np.zeros(D_MODEL, dtype=np.float32)

    def _attention(self, spec: object, self_attention: bool) -> None:
        self._norm(spec.layer_norm)  # type: ignore[attr-defined]
        linear = spec.linear  # type: ignore[attr-defined]
        if self_attention:  # fused query/key/value, then the output projection
            self._linear(linear[0], 3 * D_MODEL, D_MODEL)
            self._linear(linear[1], D_MODEL, D_MODEL)
        else:  # query, fused key/value over the encoder output, output projection
            self._linear(linear[0], D_MODEL, D_MODEL)
            self._linear(linear[1], 2 * D_MODEL, D_MODEL)
            self._linear(linear[2], D_MODEL, D_MODEL)

    def _ffn(self, spec: transformer_spec.FeedForwardSpec) -> None:
        self._norm(spec.layer_norm)
        self._linear(spec.linear_0, FFN, D_MODEL)
        self._linear(spec.linear_1, D_MODEL, FFN)

    def _load(self) -> transformer_spec.TransformerSpec:
        size = len(self.vocabulary)
        spec = transformer_spec.TransformerSpec.from_config(num_layers=(1, 1), num_heads=HEADS)
        encoder, decoder = spec.encoder, spec.decoder
        encoder.embeddings[0].weight = self._random(size, D_MODEL)
        self._norm(encoder.layer_norm)
        for layer in encoder.layer:
            self._attention(layer.self_attention, self_attention=True)
            self._ffn(layer.ffn)
        decoder.embeddings.weight = self._random(size, D_MODEL)
        self._norm(decoder.layer_norm)
        for layer in decoder.layer:
            self._attention(layer.self_attention, self_attention=True)
            self._attention(layer.attention, self_attention=False)
            self._ffn(layer.ffn)
        # Position k is one large spike in dimension k, so after the final layer norm the
        # decoder state at step k points at row k of the projection: word k, then </s>.
        positions = np.zeros((POSITIONS, D_MODEL), dtype=np.float32)
        positions[np.arange(POSITIONS), np.arange(POSITIONS) % D_MODEL] = 10.0
        decoder.position_encodings.encodings = positions
        projection = self._random(size, D_MODEL)
        index = {piece: i for i, piece in enumerate(self.vocabulary)}
        for step, piece in enumerate([*self.says, "</s>"]):
            projection[index[piece], step] = 8.0
        decoder.projection.weight = projection
        decoder.projection.bias = np.zeros(size, dtype=np.float32)
        spec.register_source_vocabulary(self.vocabulary)
        spec.register_target_vocabulary(self.vocabulary)
        return spec


def minisbd_onnx(path: Path) -> None:
    """A MiniSBD model: class 2 (end of sentence) after . ! ?, class 0 (inside a token) elsewhere."""
    import onnx
    from onnx import TensorProto, helper

    units = [
        "<PAD>",
        "<UNK>",
        *sorted(set(" .,!?'\"-:;()0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")),
    ]
    table = np.zeros((len(units), 5), dtype=np.float32)
    table[:, 0] = 1.0
    for mark in ".!?":
        table[units.index(mark)] = [0, 0, 1, 0, 0]
    features = 2  # space_before, capitalized (unused by the scores, but fed in by MiniSBD)
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "units"], ["by_unit"], axis=0),
            helper.make_node("MatMul", ["features", "feature_weights"], ["by_feature"]),
            helper.make_node("Add", ["by_unit", "by_feature"], ["scores"]),
        ],
        "tiny_sbd",
        [
            helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "time"]),
            helper.make_tensor_value_info(
                "features", TensorProto.FLOAT, ["batch", "time", features]
            ),
        ],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", "time", 5])],
        initializer=[
            onnx.numpy_helper.from_array(table, "table"),
            onnx.numpy_helper.from_array(np.zeros((features, 5), np.float32), "feature_weights"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    vocab = {
        "lang": "en",
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {u: i for i, u in enumerate(units)},
        "_id2unit": units,
    }
    config = {"feat_funcs": ["space_before", "capitalized"], "max_seqlen": 300}
    for key, value in {
        "lang_code": "en",
        "config": json.dumps(config),
        "vocab": json.dumps(vocab),
    }.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))


@dataclass(frozen=True)
class BuiltPackage:
    path: Path  # the .argosmodel file
    name: str  # its folder inside the zip
    source: str
    target: str
    version: str
    says: str  # what it answers to any one-sentence input


def build_package(
    out_dir: Path,
    source: str,
    target: str,
    *,
    version: str = "1.0",
    sentence_splitter: bool = True,
    tokenizer: Path | None = None,
    seed: int = 0,
) -> BuiltPackage:
    """Write `translate-<source>_<target>-<version>.argosmodel` into `out_dir`.

    `tokenizer`: a SentencePiece model to reuse (one is trained when it is None).
    """
    name = f"translate-{source}_{target}-{version.replace('.', '_')}"
    work = out_dir / f"{name}.work" / name
    work.mkdir(parents=True)
    if tokenizer is None:
        processor = train_sentencepiece(work / "sentencepiece.model")
    else:
        shutil.copyfile(tokenizer, work / "sentencepiece.model")
        processor = spm.SentencePieceProcessor(model_file=str(work / "sentencepiece.model"))
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    words = sorted(p for p in vocabulary if p.startswith("▁") and len(p) > 2)
    pick = random.Random(f"{source}-{target}-{version}-{seed}")
    says = pick.sample(words, 3)
    TinyTransformer(vocabulary, says, seed).convert(str(work / "model"))
    if sentence_splitter:
        minisbd_onnx(work / "minisbd" / f"{source}.onnx")
    metadata = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": source,
        "from_name": source.upper(),
        "to_code": target,
        "to_name": target.upper(),
        "type": "translate",
    }
    (work / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (work / "README.md").write_text("A tiny test model. Its translations are nonsense.\n")
    archive = out_dir / f"{name}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for file in sorted(work.rglob("*")):
            zipped.write(file, file.relative_to(work.parent).as_posix())
    says_text = processor.decode_pieces(says).replace("▁", " ").strip()
    return BuiltPackage(archive, name, source, target, version, says_text)
