"""Every importer, in the order the build reads them (richest detail first, then lists)."""

from __future__ import annotations

from types import ModuleType

from knowledge.importers import chatbot_tthc, dvc_lamdong, dvc_langson, nhdandz, opengov, sevensins

IMPORTERS: tuple[ModuleType, ...] = (chatbot_tthc, opengov, nhdandz, dvc_lamdong, dvc_langson, sevensins)
