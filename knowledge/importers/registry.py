"""Every importer, in the order the build reads them (richest detail first, then lists)."""

from __future__ import annotations

from knowledge.importers import chatbot_tthc, dvc_lamdong, dvc_langson, nhdandz, opengov, sevensins
from knowledge.importers.base import Importer

IMPORTERS: tuple[Importer, ...] = (chatbot_tthc, opengov, nhdandz, dvc_lamdong, dvc_langson, sevensins)
