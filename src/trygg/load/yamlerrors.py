"""libyaml's syntax-error texts in the user's words.

libyaml says "mapping values are not allowed here"; an official needs "a colon where none
may stand – put the text in quotes". Known problems get a Swedish and an English sentence;
anything else keeps libyaml's own text after a translated lead-in.
"""

from __future__ import annotations

# libyaml problem (prefix) → (Swedish, English)
_KNOWN: list[tuple[str, tuple[str, str]]] = [
    ("mapping values are not allowed",
     ("ett kolon följt av mellanslag där inget sådant får stå – sätt texten inom citattecken eller rätta indraget",
      "a colon followed by a space where none may stand – quote the text or fix the indentation")),
    ("could not find expected ':'",
     ("en nyckel saknar sitt kolon (eller så tog ett citerat värde aldrig slut)",
      "a key lacks its colon (or a quoted value never ended)")),
    ("did not find expected key",
     ("raden passar inte in i strukturen ovanför – fel indrag, eller text efter ett citerat värde?",
      "the line does not fit the structure above – wrong indentation, or text after a quoted value?")),
    ("did not find expected '-' indicator",
     ("oväntat indrag i en lista: varje element ska börja med '-' på samma nivå",
      "unexpected indentation in a list: every item starts with '-' at the same level")),
    ("did not find expected ',' or ']'",
     ("en lista inom hakparenteser saknar ',' eller avslutande ']'",
      "a bracketed list lacks ',' or its closing ']'")),
    ("did not find expected ',' or '}'",
     ("en mappning inom klamrar saknar ',' eller avslutande '}'",
      "a braced mapping lacks ',' or its closing '}'")),
    ("found unexpected end of stream",
     ("filen tog slut mitt i ett värde – saknas ett avslutande citattecken eller en parentes?",
      "the file ended inside a value – is a closing quote or bracket missing?")),
    ("found undefined alias",
     ("ett alias (*namn) som inget ankare (&namn) definierar",
      "an alias (*name) that no anchor (&name) defines")),
    ("did not find expected alphabetic or numeric character",
     ("ett ankar- eller aliasnamn får bara innehålla a–z, 0–9, '-' och '_' (inte å, ä, ö)",
      "an anchor or alias name may only contain a–z, 0–9, '-' and '_'")),
    ("found unknown escape character",
     ("okänd escape-sekvens i text inom dubbla citattecken – använd enkla citattecken eller skriv \\\\",
      "unknown escape sequence in double-quoted text – use single quotes or write \\\\")),
    ("found character that cannot start any token",
     ("ett tecken som inte kan inleda ett värde (t.ex. '@', '`' eller '%') – sätt värdet inom citattecken",
      "a character that cannot start a value (e.g. '@', '`' or '%') – put the value in quotes")),
    ("expected <block end>, but found",
     ("oväntat indrag: strukturen tar slut här men raden fortsätter den",
      "unexpected indentation: the structure ends here but the line continues it")),
    ("found unexpected ':'",
     ("ett kolon på oväntat ställe – sätt texten inom citattecken", "a colon in an unexpected place – quote the text")),
    ("found a tab character",
     ("ett tabbtecken bryter indraget; använd mellanslag", "a tab character breaks the indentation; use spaces")),
    ("expected a comment or a line break",
     ("text efter ett avslutat värde på samma rad – citattecknen slutar för tidigt?",
      "text after a finished value on the same line – do the quotes end too early?")),
]


def translate(problem: str, context: str = "") -> tuple[str, str]:
    """The problem in Swedish and English; unknown problems keep libyaml's text."""
    text = problem.strip()
    for prefix, pair in _KNOWN:
        if text.startswith(prefix):
            return pair
    if "quoted scalar" in context:
        return ("citerad text som aldrig avslutas", "quoted text that never ends")
    return (f"{text} (libyaml)", text)
