"""What can go wrong building the embedding model, each with a message that says what to do."""

from __future__ import annotations

from index.model_files import ModelSourcesMissing


class ModelBuildError(RuntimeError):
    """The model could not be built or did not verify."""


class OnnxExportError(RuntimeError):
    """The ONNX encoder could not be exported or quantised."""


__all__ = ["ModelBuildError", "ModelSourcesMissing", "OnnxExportError"]
