"""The one masking of personal data, for logs, the staff console's pages and its exports.

Citizens type their CCCD (12 digits), old CMND (9 digits), passport number (a letter and 7 digits),
phone numbers, bank account numbers and e-mail addresses into the chat, often stuck to a word
("cccd001203004567", "sdt0912345678") or in groups ("0912 345 678"). Rasa, sanic, uvicorn and our own
code log message text (Rasa's ``--debug`` logs every user message), and the console shows what
citizens typed. ``mask_pii`` replaces each with a label; ``install_log_masking()`` masks every log
record of the process, whoever created the logger or handler and whenever. Standard library only:
both the API (3.11) and Rasa (3.10) environments import this module.

What is not personal data stays readable: procedure codes (1.001193), dates, money amounts
(10.000 đ, 500000000 đồng) and the public 1800/1900 hotlines.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

ID_MASK = "[ID-NUMBER]"
PHONE_MASK = "[PHONE]"
EMAIL_MASK = "[EMAIL]"
PASSPORT_MASK = "[PASSPORT]"
ACCOUNT_MASK = "[ACCOUNT]"

_EMAIL = re.compile(r"\w[\w.+-]*@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A digit run that is part of a larger number ("1.001193", "1.500.000") is never personal data; one stuck
# to letters ("cccd001203004567", "sdt0912345678x") is.
_NOT_AFTER_NUMBER = r"(?<!\d)(?<!\d[.,])"
_NOT_BEFORE_NUMBER = r"(?!\d)(?![.,]\d)"
_MONEY_AFTER = r"(?!\s*(?:đ|đồng|vnđ|vnd|usd|\$))"
# Vietnamese numbers: 0 / 84 / +84 / (+84), then 9 digits (mobile: 3, 5, 7, 8, 9…) or 10 (landline 2…),
# optionally grouped by spaces, dots or dashes, or by "+", a space in a logged query string (?q=0912+345+678).
_PHONE = re.compile(
    _NOT_AFTER_NUMBER
    + r"(?:\(\+?84\)\s?|\+84[ .+-]?|84[ .+-]?|0)(?:[35789](?:[ .+-]?\d){8}|2(?:[ .+-]?\d){9})"
    + _NOT_BEFORE_NUMBER
    + _MONEY_AFTER,
    re.IGNORECASE,
)
# CCCD / new CMND: 12 digits; old CMND: 9 digits; written in one run. 10 and 11 digits: a phone number
# without its prefix, or a mistyped ID; masked all the same.
_ID_NUMBER = re.compile(_NOT_AFTER_NUMBER + r"\d{9,12}" + _NOT_BEFORE_NUMBER + _MONEY_AFTER, re.IGNORECASE)
# Part of a number, grouped ("912 345 678" after a "+84 " the model cut off, as an entity value):
# 9 to 12 digits in groups of 2 to 4. Procedure codes have a group of 6 and dates have 8 digits.
_GROUPED_DIGITS = re.compile(
    _NOT_AFTER_NUMBER + r"\d{2,4}(?:[ .+-]\d{2,4}){2,6}" + _NOT_BEFORE_NUMBER + _MONEY_AFTER, re.IGNORECASE
)


def _mask_grouped(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group())
    if 9 <= digits <= 12:
        return PHONE_MASK
    return ACCOUNT_MASK if 13 <= digits <= 19 else match.group()


# Bank accounts and cards: 13 to 19 digits in one run; after a word that says so, any run of 6 or more.
_LONG_ACCOUNT = re.compile(_NOT_AFTER_NUMBER + r"\d{13,19}" + _NOT_BEFORE_NUMBER + _MONEY_AFTER, re.IGNORECASE)
_NAMED_ACCOUNT = re.compile(
    r"(?P<label>\b(?:stk|số\s+tk|so\s+tk|số\s+tài\s+khoản|so\s+tai\s+khoan|tài\s+khoản|tai\s+khoan|"
    r"account|acc)\s*(?:số|so|no\.?)?\s*[:.#]?\s*)"
    r"\d(?:[ .-]?\d){5,18}" + _NOT_BEFORE_NUMBER,
    re.IGNORECASE,
)
# Vietnamese passports: one letter and seven digits (C1234567), also stuck to a word ("hochieuC1234567").
_PASSPORT = re.compile(r"(?<!\d)[a-z]\d{7}" + _NOT_BEFORE_NUMBER, re.IGNORECASE)


# A leading "(+84)" is matched from its parenthesis, which \w-lookbehinds cannot see past.
_PAREN_PHONE = re.compile(r"\(\+?84\)\s?(?:[35789](?:[ .+-]?\d){8}|2(?:[ .+-]?\d){9})" + _NOT_BEFORE_NUMBER)


def phone_number(text: str) -> str | None:
    """The first Vietnamese phone number in ``text`` as digits in the national form (0912345678), or None:
    a citizen's call-back number, written however they write it ("+84 912 345 678", "0912.345.678")."""
    match = _PAREN_PHONE.search(text) or _PHONE.search(text)
    if match is None:
        return None
    digits = "".join(ch for ch in match.group() if ch.isdigit())
    return "0" + digits[2:] if digits.startswith("84") else digits


def mask_pii(text: str) -> str:
    """``text`` with every e-mail address, Vietnamese phone number, ID card, passport and bank account number
    replaced by a label."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _NAMED_ACCOUNT.sub(lambda m: m.group("label") + ACCOUNT_MASK, text)
    text = _PAREN_PHONE.sub(PHONE_MASK, text)
    text = _PHONE.sub(PHONE_MASK, text)
    text = _ID_NUMBER.sub(ID_MASK, text)
    text = _LONG_ACCOUNT.sub(ACCOUNT_MASK, text)
    text = _PASSPORT.sub(PASSPORT_MASK, text)
    return _GROUPED_DIGITS.sub(_mask_grouped, text)


def _mask_value(value: Any) -> Any:
    """Strings are masked; numbers keep their type (a ``%d`` must still format); other objects become
    their masked ``str`` only when that hides something, so their formatting is otherwise unchanged."""
    if isinstance(value, str):
        return mask_pii(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    try:
        rendered = str(value)
    except Exception:  # a broken __str__ must not break logging; leave it to the formatter's own error
        return value
    masked = mask_pii(rendered)
    return value if masked == rendered else masked


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask a record in place: message, arguments, exception text and string extras. Idempotent."""
    if not getattr(record, "_pii_masked", False):
        _mask_message(record)
    # Extras are set after the record factory ran: the handlers' filter masks them on a second pass.
    for key, value in list(vars(record).items()):
        if key not in _STANDARD_ATTRIBUTES and isinstance(value, str):
            setattr(record, key, mask_pii(value))
    return record


def _mask_message(record: logging.LogRecord) -> None:
    if isinstance(record.msg, str):
        record.msg = mask_pii(record.msg)
    else:
        record.msg = _mask_value(record.msg)
    if isinstance(record.args, Mapping):
        record.args = {key: _mask_value(value) for key, value in record.args.items()}
    elif isinstance(record.args, tuple):
        record.args = tuple(_mask_value(value) for value in record.args)
    if record.exc_info and not record.exc_text:
        # Formatters reuse exc_text when it is set, so the traceback is masked once, here.
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_pii(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_pii(record.stack_info)
    record._pii_masked = True


_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "_pii_masked",
}


class PiiMaskingFilter(logging.Filter):
    """Masks each record that passes through it (extras included, which a record factory cannot see)."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_FILTER = PiiMaskingFilter()


def install_log_masking() -> None:
    """Mask every log record this process emits, from now on. Safe to call more than once.

    A record factory masks each record when it is created, whichever logger or handler (uvicorn's,
    sanic's, Rasa's, configured before or after this call) later writes it; the filter on the handlers
    that exist now also masks the ``extra`` fields set after creation.
    """
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_masks_pii", False):
        logging.setLogRecordFactory(_masking_factory(factory))
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)


def _masking_factory(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def create(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(factory(*args, **kwargs))

    create._masks_pii = True  # type: ignore[attr-defined]
    return create
