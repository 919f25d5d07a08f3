"""CPU time of the servers behind local ports, read from /proc (Linux), to split a reply's cost by process."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def listening_pid(port: int) -> int | None:
    """The process that owns the listening socket on ``port`` (the parent when a socket is shared)."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    owners = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in wanted for fd in (proc / "fd").iterdir()):
                owners.append(int(proc.name))
        except OSError:
            continue
    if not owners:
        return None
    parents = {pid: _stat(pid)[1] for pid in owners}
    return next((pid for pid in owners if parents[pid] not in owners), owners[0])


def _stat(pid: int) -> tuple[float, int]:
    """(CPU seconds of the process and of its reaped children, parent pid)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks / _TICKS, int(fields[1])


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                tree.setdefault(_stat(int(proc.name))[1], []).append(int(proc.name))
            except (OSError, IndexError, ValueError):
                continue
    return tree


def tree_cpu_s(pids: Iterable[int]) -> float:
    """CPU seconds used so far by these processes and all their live descendants."""
    tree, total, todo, seen = _children(), 0.0, list(pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            total += _stat(pid)[0]
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(tree.get(pid, []))
    return total


def snapshot(groups: Mapping[str, list[int]]) -> dict[str, float]:
    return {name: tree_cpu_s(pids) for name, pids in groups.items()}


def by_ports(groups: Mapping[str, Iterable[int]]) -> dict[str, list[int]]:
    """Component name → pids of the processes listening on its ports (unknown ports are left out)."""
    found: dict[str, list[int]] = {}
    for name, ports in groups.items():
        pids = [pid for pid in (listening_pid(port) for port in ports) if pid is not None]
        if pids:
            found[name] = pids
    return found
