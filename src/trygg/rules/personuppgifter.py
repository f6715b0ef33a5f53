"""Personuppgifter: governing documents are public records – keep personal data out of them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from trygg.findings import Finding, Severity
from trygg.rules.base import Context, rule

_PNR = re.compile(r"(?<!\d)(?:19|20)?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@(gmail|hotmail|outlook|live|yahoo|icloud|me|msn|telia|protonmail|proton)\.[a-z.]+",
                    re.IGNORECASE)
_MOBILE = re.compile(r"(?<![\d+])(?:\+46\s?|0046\s?|0)7[02369](?:[\s-]?\d){7}(?!\d)")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _personnummer(text: str) -> str | None:
    for m in _PNR.finditer(text):
        yy, mm, dd, tail = m.groups()
        if not (1 <= int(mm) <= 12 and 1 <= int(dd) <= 91):  # samordningsnummer add 60 to the day
            continue
        if _luhn_ok(yy + mm + dd + tail):
            return m.group(0)
    return None


_DIGITS = re.compile(r"\d[\d\s-]{6,}\d")
# What any of the three rules needs in a text before it looks closer: an '@' or a run of digits.
_CANDIDATE = re.compile(r"@|\d[\d\s-]{6,}\d")


def _scan(ctx: Context, code: str, find, prefilter) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
    for file, path, text in ctx.texts_matching(_CANDIDATE):
        if not prefilter(text):
            continue
        hit = find(text)
        if hit:
            masked = hit[:2] + "…" if len(hit) > 4 else "…"
            yield ctx.finding(code, file.loaded.location(path), found=masked)


def _has_number(text: str) -> bool:
    return _DIGITS.search(text) is not None


@rule("P101", Severity.WARNING)
def personal_identity_number(ctx: Context) -> Iterator[Finding]:
    """Ett personnummer (eller samordningsnummer) står i ett dokument.

    Styrdokument är allmänna handlingar. Ta bort personnumret; ange en funktion eller roll i
    stället för en person.

    Fel: `kontakt: Anna Andersson 811218-9876`.

    Rätt: `kontakt: säkerhetssamordnaren`.
    """
    yield from _scan(ctx, "P101", _personnummer, _has_number)


@rule("P102", Severity.WARNING)
def private_email(ctx: Context) -> Iterator[Finding]:
    """En privat e-postadress står i ett dokument.

    Använd kommunens funktionsadress (t.ex. `trygghet@kommun.se`), inte en privat adress.

    Fel: `kontakt: anna.andersson@gmail.com`.

    Rätt: `kontakt: sakerhet@solna.se`.
    """
    yield from _scan(ctx, "P102", lambda t: (m.group(0) if (m := _EMAIL.search(t)) else None),
                     lambda t: "@" in t)


@rule("P103", Severity.WARNING)
def mobile_number(ctx: Context) -> Iterator[Finding]:
    """Ett mobilnummer står i ett dokument.

    Ange växelnummer eller en funktion, inte ett personligt mobilnummer.

    Fel: `kontakt: 070-123 45 67`.

    Rätt: `kontakt: växeln 08-746 10 00, fråga efter säkerhetssamordnaren`.
    """
    yield from _scan(ctx, "P103", lambda t: (m.group(0) if (m := _MOBILE.search(t)) else None),
                     _has_number)


RULES = [personal_identity_number, private_email, mobile_number]
