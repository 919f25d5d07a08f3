"""Load everything a search needs: the embedder, the index (built when missing), the names."""

from __future__ import annotations

import logging
from pathlib import Path
from zipfile import BadZipFile

from index.build import Wordings, embedder_key, ensure_index, index_dir
from index.decision_store import built_with_decision
from index.embedder import load_embedder
from index.search_index import IndexMissingError, SearchIndex
from index.searcher import Searcher, Weights
from knowledge.aliases import load_aliases
from knowledge.catalog_file import CATALOG_NAME, DEFAULT_DIR, iter_records
from knowledge.citizen_wording import accented_examples, wording_key
from knowledge.schema import Procedure
from vitext.restore import DiacriticRestorer

RESTORER_PREFIX = "restore"
LEGACY_SOURCES = frozenset({"baobuiquang__DVC_SearchAssistant_V2"})
LEGACY_PRIOR = 0.85
NAME_ONLY_PRIOR = 0.95

log = logging.getLogger(__name__)


def load_searcher(
    catalog_dir: Path = DEFAULT_DIR,
    model: str | None = None,
    build_missing: bool = False,
    weights: Weights | None = None,
    wordings: Wordings = (),
    only_if_built: bool = False,
) -> Searcher:
    """The searcher over the index of this catalog and model; with ``wordings`` (staff corrections), the index
    that holds them (`make index` builds it), or with ``only_if_built`` the plain one while it is not built
    with its decision model (the API then serves the corrections from its overlay alone)."""
    embedder = load_embedder(model)
    if wordings and only_if_built and not built_with_decision(index_dir(embedder_key(embedder, catalog_dir, wordings))):
        wordings = ()
    if build_missing:
        folder = ensure_index(embedder, catalog_dir, wordings=wordings)
    else:
        folder = index_dir(embedder_key(embedder, catalog_dir, wordings))
        if SearchIndex.read_meta(folder) is None:
            raise IndexMissingError(
                f"no search index for this catalog and model in {folder}: run `make index` to build it."
            )
    try:
        index = load_index(folder)
    except IndexMissingError as error:
        if not build_missing:
            raise
        log.warning("%s Rebuilding it now.", error)
        folder = ensure_index(embedder, catalog_dir, force=True, wordings=wordings)
        index = load_index(folder)
    records = list(iter_records(catalog_dir / CATALOG_NAME))
    names = {r.code: r.name for r in records}
    priors = {r.code: prior(r) for r in records}
    support = {r.code: len({s.source for s in r.sources}) for r in records}
    restorer = load_restorer(index, folder)
    searcher = Searcher(
        index, embedder, names, load_aliases(), weights, restorer=restorer, priors=priors, support=support
    )
    searcher.index_folder = folder
    return searcher


def load_index(folder: Path) -> SearchIndex:
    """The index in ``folder``, whose metadata says it is complete and current.

    A crash or a full disk can leave a folder whose metadata looks right and whose data is not; then
    `make index` alone would keep it (it trusts the metadata), so the message says to delete it first.
    Whatever a truncated or garbled file raises (faiss: RuntimeError; numpy: BadZipFile, EOFError; a
    passage with other fields: TypeError) means the same thing to the operator.
    """
    try:
        return SearchIndex.load(folder)
    except (IndexMissingError, OSError, ValueError, RuntimeError, TypeError, KeyError, EOFError, BadZipFile) as error:
        cause = error.__cause__ or error
        raise IndexMissingError(
            f"the search index in {folder} is unreadable or inconsistent ({type(cause).__name__}: {cause}): "
            "delete that folder and run `make index` to rebuild it."
        ) from error


def prior(record: Procedure) -> float:
    """Procedures known only from the pre-2025 provincial lists, or by name alone, are less likely
    to be what a citizen needs today than those the national portal describes in full."""
    if {s.source for s in record.sources} <= LEGACY_SOURCES:
        return LEGACY_PRIOR
    return 1.0 if record.channels or record.documents else NAME_ONLY_PRIOR


def load_restorer(index: SearchIndex, folder: Path) -> DiacriticRestorer:
    """The restorer's tables, built from the indexed passages and citizens' wording, cached beside the
    index under a name that changes with that wording."""
    path = folder / f"{RESTORER_PREFIX}-{wording_key()}.json"
    try:
        return DiacriticRestorer.load(path)
    except (OSError, ValueError):
        texts = [p.text for p in index.passages]
        restorer = DiacriticRestorer.from_texts([*texts, *accented_examples()])
        restorer.save(path)
        return restorer
