"""Personuppgifter: governing documents are public records – keep personal data out of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from trygg.findings import Finding, Severity
from trygg.rules.base import Context, TextTest, compiled_when_used, rule, written_plainly

_PNR = compiled_when_used(r"(?<!\d)(?:19|20)?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})(?!\d)")
_EMAIL = compiled_when_used(
    r"[\w.+-]+@(gmail|hotmail|outlook|live|yahoo|icloud|me|msn|telia|protonmail|proton)\.[a-z.]+", re.IGNORECASE)
_MOBILE = compiled_when_used(r"(?<![\d+])(?:\+46\s?|0046\s?|0)7[02369](?:[\s-]?\d){7}(?!\d)")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _personnummer(text: str) -> str | None:
    for m in _PNR().finditer(text):
        yy, mm, dd, tail = m.groups()
        if not (1 <= int(mm) <= 12 and 1 <= int(dd) <= 91):  # samordningsnummer add 60 to the day
            continue
        if _luhn_ok(yy + mm + dd + tail):
            return m.group(0)
    return None


# What each rule needs in a value before it looks closer: a run of digits, or an '@'.
_DIGITS = re.compile(r"\d[\d\s-]{6,}\d")
_AT = re.compile("@")

# What a file's text needs before its values are walked at all (see written_plainly): a
# personnummer is six digits in a row in the value, so in the text; an e-mail address an '@'; a
# mobile number '7', one of 02369 and seven digits, each after at most one '-' or whitespace
# character in the value, which may be a longer run of whitespace in the text.
_MOBILE_IN_TEXT = re.compile(r"7[02369](?:[\s-]*\d){7}")
# The first byte of the UTF-8 form of every decimal digit outside 0-9 (U+0660 and up: Arabic-Indic,
# Devanagari, fullwidth …), all of which \d matches too; tests/test_rules.py checks the list
# against the running Python's Unicode data. Swedish letters (C3), '§' (C2) and – … ” € (E2)
# start with none of them.
_OTHER_DIGIT_LEADS = b"\xd9\xdb\xdf\xe0\xe1\xea\xef\xf0"
_MARK_DIGITS = bytes.maketrans(b"123456789" + _OTHER_DIGIT_LEADS,
                               b"000000000" + b"\xff" * len(_OTHER_DIGIT_LEADS))


def _digits_in_a_row(text: str, n: int) -> bool:
    """Whether ``text`` may hold ``n`` decimal digits in a row: true when it does, and when it
    holds a character that may be another script's digit.

    A tenth of the cost of searching for ``\\d{n}``, which tries a match at every character
    (the files are full of dates): one pass each to encode, to turn every digit 0-9 into '0'
    and those lead bytes into 0xFF (no byte of UTF-8), and to look for the zeros or a 0xFF.
    """
    marked = text.encode("utf-8", "surrogatepass").translate(_MARK_DIGITS)
    return b"0" * n in marked or b"\xff" in marked


def _may_hold_personnummer(text: str) -> bool:
    return not written_plainly(text) or _digits_in_a_row(text, 6)


def _may_hold_email(text: str) -> bool:
    return not written_plainly(text) or "@" in text


def _may_hold_mobile(text: str) -> bool:
    return not written_plainly(text) or _MOBILE_IN_TEXT.search(text) is not None


def _scan(ctx: Context, code: str, candidate: re.Pattern[str], in_text: TextTest,
          find: Callable[[str], str | None]) -> Iterator[Finding]:
    """``code`` at every value in which ``find`` finds something, walking only the values of
    the files whose text ``in_text`` accepts and looking closer only at ``candidate``'s."""
    for file, path, text in ctx.texts_matching(candidate, in_text):
        hit = find(text)
        if hit:
            masked = hit[:2] + "…" if len(hit) > 4 else "…"
            yield ctx.finding(code, file.loaded.location(path), found=masked)


def _email(text: str) -> str | None:
    m = _EMAIL().search(text)
    return m.group(0) if m else None


def _mobile(text: str) -> str | None:
    m = _MOBILE().search(text)
    return m.group(0) if m else None


@rule("P101", Severity.WARNING)
def personal_identity_number(ctx: Context) -> Iterator[Finding]:
    """Ett personnummer (eller samordningsnummer) står i ett dokument.

    Styrdokument är allmänna handlingar. Ta bort personnumret; ange en funktion eller roll i
    stället för en person.

    Fel: `kontakt: Anna Andersson 811218-9876`.

    Rätt: `kontakt: säkerhetssamordnaren`.
    """
    yield from _scan(ctx, "P101", _DIGITS, _may_hold_personnummer, _personnummer)


@rule("P102", Severity.WARNING)
def private_email(ctx: Context) -> Iterator[Finding]:
    """En privat e-postadress står i ett dokument.

    Använd kommunens funktionsadress (t.ex. `trygghet@kommun.se`), inte en privat adress.

    Fel: `kontakt: anna.andersson@gmail.com`.

    Rätt: `kontakt: sakerhet@solna.se`.
    """
    yield from _scan(ctx, "P102", _AT, _may_hold_email, _email)


@rule("P103", Severity.WARNING)
def mobile_number(ctx: Context) -> Iterator[Finding]:
    """Ett mobilnummer står i ett dokument.

    Ange växelnummer eller en funktion, inte ett personligt mobilnummer.

    Fel: `kontakt: 070-123 45 67`.

    Rätt: `kontakt: växeln 08-746 10 00, fråga efter säkerhetssamordnaren`.
    """
    yield from _scan(ctx, "P103", _DIGITS, _may_hold_mobile, _mobile)


RULES = [personal_identity_number, private_email, mobile_number]
