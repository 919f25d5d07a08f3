"""Staff accounts from the command line, without a browser: the first administrator, a list, a new password.

    python -m api.staff.accounts create --username lan --name "Nguyễn Thị Lan" --role "quản trị"
    python -m api.staff.accounts list
    python -m api.staff.accounts password --username lan

The password is read from standard input when it is not a terminal (``printf '%s\\n' "$PW" | …``), else
asked twice without echo; never from the command line, where other users of the machine could read it
(``ps``) and the shell keeps it in its history. The database is STAFF_DATABASE_URL's (api/settings.py).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from api.settings import Settings
from api.staff import audit, users
from api.staff.db import StaffDatabase


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise users.AccountError("Hai lần nhập mật khẩu không giống nhau.")
    return first


def _actor() -> str:
    try:
        return f"dòng lệnh ({getpass.getuser()})"[:64]
    except (KeyError, OSError):
        return "dòng lệnh"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.staff.accounts", description="Tài khoản cán bộ")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="tạo tài khoản (mật khẩu đọc từ stdin hoặc hỏi)")
    create.add_argument("--username", required=True)
    create.add_argument("--name", default="", help="họ tên hiển thị")
    create.add_argument("--role", required=True, choices=users.ROLES)
    commands.add_parser("list", help="liệt kê tài khoản")
    password = commands.add_parser("password", help="đặt mật khẩu mới (đọc từ stdin hoặc hỏi)")
    password.add_argument("--username", required=True)
    args = parser.parse_args(argv)

    db = StaffDatabase.open(Settings().staff_database_url)
    try:
        if args.command == "list":
            for user in users.all_users(db):
                state = "" if user.active else " (đã khoá)"
                print(f"{user.username}\t{user.role}\t{user.name}{state}")
            return 0
        if args.command == "create":
            user = users.create(db, args.username, args.name, _read_password(), args.role, _actor())
            audit.record(db, _actor(), "tạo tài khoản", user.username, {"vai trò": user.role, "họ tên": user.name})
            print(f"Đã tạo tài khoản «{user.username}» (vai trò «{user.role}»).")
            return 0
        found = next((u for u in users.all_users(db) if u.username == args.username.strip().lower()), None)
        if found is None or found.id is None:
            raise users.AccountError(f"Không có tài khoản «{args.username}».")
        users.set_password(db, found.id, _read_password())
        audit.record(db, _actor(), "đặt mật khẩu mới", found.username)
        print(f"Đã đặt mật khẩu mới cho «{found.username}».")
        return 0
    except users.AccountError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
