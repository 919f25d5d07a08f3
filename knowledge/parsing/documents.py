"""The "Thành phần hồ sơ" table: documents to submit, grouped by case.

Flattened, a group reads "<case title>Tên giấy tờMẫu đơn, tờ khaiSố lượng" followed by rows
"<document name><form file name(s)><n> bản chính[,<m> bản sao]" with nothing in between. A case
title of "--" means the group applies to every case.
"""

from __future__ import annotations

import re

from knowledge.parsing.cells import tidy
from knowledge.schema import Document, DocumentGroup
from vitext.normalize import fold, normalize

_HEADER = re.compile(r"Tên giấy tờ\s*Mẫu đơn,? tờ khai\s*Số lượng")
# The portal prints counts without leading zeros ("1 bản chính"), while document names that
# quote counts usually write "01 bản chính"; a count cell also runs straight into the next row.
_COUNT = re.compile(r"(?<![\d/])(0|[1-9]\d*) bản chính(?:\s?,\s?(0|[1-9]\d*) bản sao)?(?=\S|$)")
_FORM_FILE = re.compile(r"\.(?:docx?|pdf|xlsx?|odt|rtf|zip|rar)", re.IGNORECASE)
_NO_CASE = re.compile(r"^[-–\s]*$")


def parse_documents(text: str) -> list[DocumentGroup]:
    """Document groups of a flattened "Thành phần hồ sơ" table; [] when it has no table."""
    text = normalize(text)
    if not _HEADER.search(text):
        return []
    groups: list[DocumentGroup] = []
    pending_start = 0
    tokens = sorted([*_HEADER.finditer(text), *_COUNT.finditer(text)], key=lambda match: match.start())
    for token in tokens:
        if token.start() < pending_start:
            continue  # a count cell inside a header cannot happen, but overlaps must not double-count
        pending = text[pending_start : token.start()]
        pending_start = token.end()
        if _HEADER.fullmatch(token.group(0)):
            case = tidy(pending)
            groups.append(DocumentGroup(case=None if _NO_CASE.match(case) else case))
            continue
        if not groups:
            groups.append(DocumentGroup())
        document = _document(pending, token)
        if document is not None:
            groups[-1].documents.append(document)
    trailing = tidy(text[pending_start:])
    if groups and any(char.isalnum() for char in trailing):
        name, form = split_form(trailing)
        groups[-1].documents.append(Document(name=name, form=form))
    return [group for group in groups if group.documents]


def _document(cell: str, count: re.Match[str]) -> Document | None:
    originals = count.group(1)
    # "Luật Kế toán 20151 bản chính": a year ran into the count; counts have one or two digits.
    if len(originals) > 2:
        cell, originals = cell + originals[:-1], originals[-1]
    name, form = split_form(tidy(cell))
    if not any(char.isalnum() for char in name):
        return None
    copies = count.group(2)
    return Document(name=name, originals=int(originals), copies=int(copies) if copies is not None else None, form=form)


def split_form(cell: str) -> tuple[str, str | None]:
    """Cut form file names ("…ký tên.m01a.pdf", "…Mau38.docxMau40.docx") off a document cell.

    Several files are joined with "; ". Where no boundary can be seen, the file name stands in
    for the document name too rather than leaving the name empty.
    """
    cell = cell.strip()
    files = list(_FORM_FILE.finditer(cell))
    if not files or files[-1].end() != len(cell):
        return cell, None
    first_file = files[0]
    head = cell[: first_file.start()]
    start = _form_start(head)
    name = normalize(cell[:start]).rstrip(" .;:,")
    forms_text = cell[start:]
    names: list[str] = []
    previous = 0
    for match in _FORM_FILE.finditer(forms_text):
        names.append(normalize(forms_text[previous : match.end()]))
        previous = match.end()
    form = "; ".join(part for part in names if part)
    if not name:
        name = normalize(_FORM_FILE.sub("", names[0])) if names else cell
    return name, form or None


def _form_start(head: str) -> int:
    """Where a form file name glued to the document name starts (0 when no boundary shows).

    The last sentence end or closing bracket with no space after it wins ("…ký tên.m01a"), but
    not a dot between digits, which belongs to the file name ("TK01.tt73.2021"); failing that,
    the last place where a word starts with no space ("…thuộc BộMau02", "…TTHCMau 1a").
    """
    for index in range(len(head) - 1, 0, -1):
        before, after = head[index - 1], head[index]
        if after.isspace():
            continue
        if before in ")]" and after.isalnum():
            return index
        if before in ".;:" and index >= 2 and not head[index - 2].isdigit() and not head[index - 2].isspace():
            return index
    for index in range(len(head) - 1, 0, -1):
        before, after = head[index - 1], head[index]
        word_starts = before.isupper() and head[index + 1 : index + 2].islower()
        if after.isupper() and (before.islower() or word_starts):
            return index
    return 0


# Table cells that count copies in their own column ("Bản chính: 1\nBản sao: 0").
_ORIGINALS = re.compile(r"ban chinh\s*:?\s*(\d+)")
_COPIES = re.compile(r"ban sao\s*:?\s*(\d+)")


def document_counts(originals: int | None, copies: int | None) -> tuple[int | None, int | None]:
    """Portals write 0 and 0 when they do not say how many; that is unknown, not "none"."""
    if not originals and not copies:
        return None, None
    return originals, copies


def parse_copy_counts(text: str) -> tuple[int | None, int | None]:
    """ "Bản chính: 1\\nBản sao: 0" → (1, 0)."""
    folded = fold(text)
    originals = _ORIGINALS.search(folded)
    copies = _COPIES.search(folded)
    return document_counts(int(originals[1]) if originals else None, int(copies[1]) if copies else None)
