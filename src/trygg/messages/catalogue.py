"""Message catalogue: code → {lang: (title, message, hint, fallback hint …)}.

Codes are stable: Y = reading YAML, S = schema, R = references between documents.
The rule catalogue adds its own families (A, T, K, L, P, N).
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, tuple[str, ...]]] = {
    # ---- Y: reading the file -------------------------------------------------------------
    "Y101": {
        "sv": ("yaml-syntax", "YAML-syntaxfel: {problem}",
               "Kontrollera indrag (mellanslag, inte tabbar), kolon efter nycklar och citattecken runt text som innehåller ': ' eller börjar med ett specialtecken."),
        "en": ("yaml-syntax", "YAML syntax error: {problem}",
               "Check the indentation (spaces, not tabs), colons after keys, and quotes around text containing ': ' or starting with a special character."),
    },
    "Y102": {
        "sv": ("tabb-i-indrag", "Tabbtecken i indraget; YAML tillåter bara mellanslag",
               "Ersätt tabben med mellanslag (två per nivå). Många redigerare kan visa och ersätta tabbar."),
        "en": ("tab-indentation", "Tab character in indentation; YAML allows only spaces",
               "Replace the tab with spaces (two per level)."),
    },
    "Y103": {
        "sv": ("dubblett-nyckel", "Nyckeln '{key}' förekommer två gånger i samma avsnitt (första gången på rad {first_line})",
               "Ta bort eller slå ihop den ena; annars skulle den ena tyst skriva över den andra."),
        "en": ("duplicate-key", "The key '{key}' occurs twice in the same mapping (first on line {first_line})",
               "Remove or merge one of them; otherwise one silently overwrites the other."),
    },
    "Y104": {
        "sv": ("inte-utf8", "Filen är inte UTF-8: byten {byte} kan inte läsas (troligen '{guess}' sparat som Latin-1/Windows-1252)",
               "Spara filen som UTF-8 i din redigerare (t.ex. 'Spara med kodning' → UTF-8)."),
        "en": ("not-utf8", "The file is not UTF-8: byte {byte} cannot be read (probably '{guess}' saved as Latin-1/Windows-1252)",
               "Save the file as UTF-8 in your editor."),
    },
    "Y105": {
        "sv": ("tom-fil", "Filen är tom",
               "Fyll i dokumentet (börja med 'typ:') eller ta bort filen."),
        "en": ("empty-file", "The file is empty", "Fill in the document (start with 'typ:') or delete the file."),
    },
    "Y106": {
        "sv": ("inte-mappning", "Filens översta nivå måste vara nycklar med värden (en mappning), men är {found}",
               "Börja filen med t.ex. 'typ: åtgärdsplan' på första raden, utan inledande '-'."),
        "en": ("not-a-mapping", "The top level of the file must be keys with values (a mapping), but is {found}",
               "Start the file with e.g. 'typ: åtgärdsplan' on the first line, without a leading '-'."),
    },
    "Y107": {
        "sv": ("otillåten-tagg", "YAML-taggen '{tag}' tillåts inte",
               "Ta bort taggen; trygg läser bara vanlig text, tal, listor och mappningar."),
        "en": ("forbidden-tag", "The YAML tag '{tag}' is not allowed",
               "Remove the tag; trygg reads only plain text, numbers, lists and mappings."),
    },
    "Y108": {
        "sv": ("sammanfogningsnyckel", "Sammanfogningsnyckeln '<<' stöds inte",
               "Skriv ut nycklarna i stället; det gör dokumentet lättare att läsa och granska."),
        "en": ("merge-key", "The merge key '<<' is not supported",
               "Write the keys out instead; it makes the document easier to read and review."),
    },
    "Y109": {
        "sv": ("för-djup-nästling", "Dokumentet är nästlat djupare än {limit} nivåer eller refererar till sig självt",
               "Platta till strukturen; inget styrdokument behöver så djup nästling."),
        "en": ("too-deep", "The document is nested deeper than {limit} levels or refers to itself",
               "Flatten the structure; no governing document needs such nesting."),
    },
    "Y110": {
        "sv": ("alias-bomb", "Ankare och alias skulle blåsa upp dokumentet till {size} noder (gräns {budget})",
               "Skriv ut innehållet i stället för att upprepa alias."),
        "en": ("alias-bomb", "Anchors and aliases would blow the document up to {size} nodes (limit {budget})",
               "Write the content out instead of repeating aliases."),
    },
    "Y111": {
        "sv": ("konfliktmarkering", "Olöst sammanslagningskonflikt (git-konfliktmarkering)",
               "Lös konflikten: välj rätt version mellan '<<<<<<<' och '>>>>>>>' och ta bort markeringarna."),
        "en": ("conflict-marker", "Unresolved merge conflict (git conflict marker)",
               "Resolve the conflict: keep the right version between '<<<<<<<' and '>>>>>>>' and remove the markers."),
    },
    "Y112": {
        "sv": ("flera-dokument", "Filen innehåller mer än ett YAML-dokument ('---')",
               "Lägg varje styrdokument i en egen fil."),
        "en": ("multiple-documents", "The file holds more than one YAML document ('---')",
               "Put each governing document in a file of its own."),
    },
    "Y113": {
        "sv": ("ogiltig-nyckel", "En nyckel måste vara en enkel text, inte en lista eller mappning",
               "Skriv nyckeln som vanlig text följd av kolon."),
        "en": ("invalid-key", "A key must be plain text, not a list or mapping", "Write the key as plain text followed by a colon."),
    },
    "Y114": {
        "sv": ("oläsbar-fil", "Filen kan inte läsas: {reason}", "Kontrollera filens behörigheter."),
        "en": ("unreadable-file", "The file cannot be read: {reason}", "Check the file's permissions."),
    },
    "Y115": {
        "sv": ("fel-för-taggen", "Värdet '{value}' är inte vad taggen '{tag}' kräver",
               "Ta bort taggen; trygg läser tal, true/false och tomma värden utan taggar."),
        "en": ("tag-mismatch", "The value '{value}' is not what the tag '{tag}' requires",
               "Remove the tag; trygg reads numbers, true/false and empty values without tags."),
    },
    "Y116": {
        "sv": ("för-stor-fil", "Filen är större än {limit} MB och läses inte",
               "Dela upp dokumentet i flera filer; inget styrdokument behöver vara så stort."),
        "en": ("file-too-large", "The file is larger than {limit} MB and is not read",
               "Split the document into several files; no governing document needs to be that large."),
    },
    "Y117": {
        "sv": ("oläsbar-katalog", "Katalogen kan inte läsas: {reason}",
               "Kontrollera katalogens behörigheter; dokumenten i den kontrolleras inte."),
        "en": ("unreadable-directory", "The directory cannot be read: {reason}",
               "Check the directory's permissions; the documents in it are not checked."),
    },
    # ---- S: the document does not fit the schema --------------------------------------------
    "S101": {
        "sv": ("okänd-typ", "Okänd dokumenttyp '{value}'",
               "Menade du '{suggestion}'? Tillåtna typer: {allowed}.", "Tillåtna typer: {allowed}."),
        "en": ("unknown-type", "Unknown document type '{value}'",
               "Did you mean '{suggestion}'? Allowed types: {allowed}.", "Allowed types: {allowed}."),
    },
    "S102": {
        "sv": ("okänd-nyckel", "Okänd nyckel '{key}'",
               "Menade du '{suggestion}'?", "Giltiga nycklar här: {allowed}."),
        "en": ("unknown-key", "Unknown key '{key}'",
               "Did you mean '{suggestion}'?", "Valid keys here: {allowed}."),
    },
    "S103": {
        "sv": ("saknat-fält", "Obligatoriskt fält '{key}' saknas",
               "Lägg till '{key}:' här."),
        "en": ("missing-field", "Required field '{key}' is missing", "Add '{key}:' here."),
    },
    "S104": {
        "sv": ("fel-värde", "Ogiltigt värde för '{key}': {problem}",
               "Menade du '{suggestion}'?", "{expected}"),
        "en": ("invalid-value", "Invalid value for '{key}': {problem}",
               "Did you mean '{suggestion}'?", "{expected}"),
    },
    "S105": {
        "sv": ("ogiltigt-datum", "Ogiltigt datum '{value}' i '{key}'",
               "Skriv datum som ÅÅÅÅ-MM-DD, t.ex. {example}.", "Skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2025-12-31."),
        "en": ("invalid-date", "Invalid date '{value}' in '{key}'",
               "Write dates as YYYY-MM-DD, e.g. {example}.", "Write dates as YYYY-MM-DD, e.g. 2025-12-31."),
    },
    "S106": {
        "sv": ("saknad-typ", "Fältet 'typ' saknas, så trygg vet inte vilket slags dokument detta är",
               "Lägg till t.ex. 'typ: åtgärdsplan' först i filen. Tillåtna typer: {allowed}."),
        "en": ("missing-type", "The field 'typ' is missing, so trygg does not know what kind of document this is",
               "Add e.g. 'typ: åtgärdsplan' at the top of the file. Allowed types: {allowed}."),
    },
    "S107": {
        "sv": ("ogiltig-tidpunkt", "Tidpunkten '{value}' i '{key}' går inte att tolka",
               "Skriv ett datum (2025-06-30), ett år (2025), en del av ett år ('våren 2025', 'Q2 2025', 'tertial 1 2025', '2025-06'), 'planperiodens slut' eller 'löpande'."),
        "en": ("invalid-time", "The time '{value}' in '{key}' cannot be interpreted",
               "Write a date (2025-06-30), a year (2025), part of a year ('våren 2025', 'Q2 2025', 'tertial 1 2025', '2025-06'), 'planperiodens slut' or 'löpande'."),
    },
    "S108": {
        "sv": ("trygg-yaml", "trygg.yaml: {problem}", "Se README för hur trygg.yaml skrivs."),
        "en": ("trygg-yaml", "trygg.yaml: {problem}", "See the README for how trygg.yaml is written."),
    },
    # ---- R: references and identities across the repository -------------------------------
    "R101": {
        "sv": ("dubblett-id", "{kind} med id '{id}' finns redan ({first})",
               "Ge den ena ett annat id; id:n måste vara unika i hela arkivet."),
        "en": ("duplicate-id", "{kind} with id '{id}' already exists ({first})",
               "Give one of them another id; ids must be unique in the whole repository."),
    },
    "R102": {
        "sv": ("okänd-referens", "'{id}' i '{key}' finns inte bland {kind}",
               "Menade du '{suggestion}'?", "Lägg till den i {where}, eller rätta stavningen."),
        "en": ("unknown-reference", "'{id}' in '{key}' is not among the {kind}",
               "Did you mean '{suggestion}'?", "Add it to {where}, or correct the spelling."),
    },
    "R103": {
        "sv": ("inget-arkiv", "Ingen trygg.yaml hittades i {path} eller någon katalog ovanför",
               "Kör 'trygg check' i en kommuns arkiv, eller skapa trygg.yaml med 'kommun:' och 'kommunkod:'."),
        "en": ("no-repository", "No trygg.yaml found in {path} or any directory above it",
               "Run 'trygg check' in a municipality repository, or create trygg.yaml with 'kommun:' and 'kommunkod:'."),
    },
}

# Singular and plural of the words in counts: word → lang → (one, many)
PLURALS: dict[str, dict[str, tuple[str, str]]] = {
    "finding": {"sv": ("anmärkning", "anmärkningar"), "en": ("finding", "findings")},
    "file": {"sv": ("fil", "filer"), "en": ("file", "files")},
    "error": {"sv": ("fel", "fel"), "en": ("error", "errors")},
    "warning": {"sv": ("varning", "varningar"), "en": ("warning", "warnings")},
}

UI: dict[str, dict[str, str]] = {
    "summary.clean": {"sv": "Inga anmärkningar i {files} filer.", "en": "No findings in {files} files."},
    "summary": {"sv": "{total} {w_finding} i {files} {w_file}: {errors} fel, {warnings} {w_warning}, {infos} info.",
                "en": "{total} {w_finding} in {files} {w_file}: {errors} {w_error}, {warnings} {w_warning}, {infos} info."},
    "hint": {"sv": "tips", "en": "hint"},
    "internal": {"sv": "Internt fel i trygg (en bugg, inte ditt fel): {error}. Rapportera gärna med kommandot du körde.",
                 "en": "Internal error in trygg (a bug, not your fault): {error}. Please report it with the command you ran."},
    "severity.fel": {"sv": "fel", "en": "error"},
    "severity.varning": {"sv": "varning", "en": "warning"},
    "severity.info": {"sv": "info", "en": "info"},
    # ---- GitHub Actions job summary (reporters/github.py) ---------------------------------
    "github.heading": {"sv": "trygg check", "en": "trygg check"},
    "github.column.where": {"sv": "Var", "en": "Where"},
    "github.column.code": {"sv": "Kod", "en": "Code"},
    "github.column.severity": {"sv": "Allvarlighet", "en": "Severity"},
    "github.column.message": {"sv": "Meddelande", "en": "Message"},
    "github.more": {"sv": "… och {count} anmärkningar till; se loggen eller kör 'trygg check' lokalt.",
                    "en": "… and {count} more findings; see the log or run 'trygg check' locally."},
    "github.summary_failed": {"sv": "Kunde inte skriva jobbsammanfattningen till {path}: {error}",
                              "en": "Could not write the job summary to {path}: {error}"},
}

# ---- report, diff and history (trygg report / diff / history) --------------------------------
UI.update({
    # what changed in a measure (trygg.changes.describe)
    "change.none": {"sv": "ingen", "en": "none"},
    "change.added": {"sv": "tillkom i {path} ({document})", "en": "added in {path} ({document})"},
    "change.removed": {"sv": "togs bort ur {path} ({document})", "en": "removed from {path} ({document})"},
    "change.moved": {"sv": "flyttades från {old} till {new}", "en": "moved from {old} to {new}"},
    "change.readded": {"sv": "återinfördes i {new} (fanns senast i {old})",
                       "en": "restored in {new} (last seen in {old})"},
    "change.title": {"sv": "titel: {old} → {new}", "en": "title: {old} → {new}"},
    "change.owner": {"sv": "ansvarig: {old} → {new}", "en": "owner: {old} → {new}"},
    "change.partners": {"sv": "samverkan: {old} → {new}", "en": "partners: {old} → {new}"},
    "change.focus": {"sv": "fokusområde: {old} → {new}", "en": "focus area: {old} → {new}"},
    "change.due": {"sv": "klart senast: {old} → {new}", "en": "due: {old} → {new}"},
    "change.due.later": {"sv": "klart senast: {old} → {new} (uppskjuten {days} dagar)",
                         "en": "due: {old} → {new} (postponed {days} days)"},
    "change.due.earlier": {"sv": "klart senast: {old} → {new} (tidigarelagd {days} dagar)",
                           "en": "due: {old} → {new} (brought forward {days} days)"},
    "change.status": {"sv": "status: {old} → {new}", "en": "status: {old} → {new}"},
    "change.indicator_added": {"sv": "ny indikator: {name}", "en": "new indicator: {name}"},
    "change.indicator_removed": {"sv": "indikatorn {name} togs bort", "en": "indicator {name} removed"},
    "change.baseline": {"sv": "{name}: utgångsvärde {old} → {new}", "en": "{name}: baseline {old} → {new}"},
    "change.target": {"sv": "{name}: mål {old} → {new}", "en": "{name}: target {old} → {new}"},
    "change.outcome": {"sv": "{name}: utfall {year} {old} → {new}", "en": "{name}: outcome {year} {old} → {new}"},
    "change.follow_up": {"sv": "ny uppföljning {date}{extra}", "en": "new follow-up {date}{extra}"},
    "change.field": {"sv": "'{field}' ändrades", "en": "'{field}' changed"},
    # domain words shown in English reports (trygg.templating.label)
    "ord.ej påbörjad": {"sv": "ej påbörjad", "en": "not started"},
    "ord.pågår": {"sv": "pågår", "en": "ongoing"},
    "ord.genomförd": {"sv": "genomförd", "en": "completed"},
    "ord.avbruten": {"sv": "avbruten", "en": "cancelled"},
    "ord.löpande": {"sv": "löpande", "en": "continuous"},
    "ord.försenad": {"sv": "försenad", "en": "late"},
    "ord.grön": {"sv": "grön", "en": "green"},
    "ord.gul": {"sv": "gul", "en": "yellow"},
    "ord.röd": {"sv": "röd", "en": "red"},
    "ord.policy": {"sv": "policy", "en": "policy"},
    "ord.strategi": {"sv": "strategi", "en": "strategy"},
    "ord.riktlinjer": {"sv": "riktlinjer", "en": "guidelines"},
    "ord.program": {"sv": "program", "en": "programme"},
    "ord.samverkansöverenskommelse": {"sv": "samverkansöverenskommelse", "en": "cooperation agreement"},
    "ord.lägesbild": {"sv": "lägesbild", "en": "situation report"},
    "ord.åtgärdsplan": {"sv": "åtgärdsplan", "en": "action plan"},
    # why history is missing or incomplete (trygg.report, trygg diff, trygg history)
    "git.disabled": {"sv": "historiken användes inte (--no-git)", "en": "history was not used (--no-git)"},
    "git.no-git": {"sv": "git finns inte installerat på den här datorn",
                   "en": "git is not installed on this computer"},
    "git.not-a-repository": {"sv": "katalogen ligger inte i ett git-arkiv",
                             "en": "the directory is not in a git repository"},
    "git.not-tracked": {"sv": "ingen incheckning i git-arkivet {detail} rör katalogen",
                        "en": "no commit in the git repository {detail} touches the directory"},
    "git.git-error": {"sv": "git kunde inte läsa arkivet: {detail}", "en": "git could not read the repository: {detail}"},
    "git.before-history": {"sv": "historiken börjar {first}, efter periodens slut",
                           "en": "the history begins {first}, after the period"},
    "git.began-in-period": {"sv": "Historiken börjar {first}, under perioden: det som fanns vid första incheckningen räknas som tillkommet under perioden.",
                            "en": "The history begins {first}, within the period: what the first commit held counts as added during the period."},
    "git.shallow": {"sv": "Arkivet är en grund klon (shallow clone) och historiken börjar {first}, så det som hände tidigare saknas. Hämta hela historiken med 'git fetch --unshallow', eller sätt 'fetch-depth: 0' för actions/checkout i GitHub Actions (GIT_DEPTH: 0 i GitLab CI).",
                    "en": "The repository is a shallow clone and its history begins {first}, so earlier changes are missing. Fetch the whole history with 'git fetch --unshallow', or set 'fetch-depth: 0' for actions/checkout in GitHub Actions (GIT_DEPTH: 0 in GitLab CI)."},
    "git.dirty": {"sv": "{count} filer har ändringar som inte är incheckade och ingår inte: {files}",
                  "en": "{count} files have uncommitted changes that are not included: {files}"},
    # command errors (exit code 2)
    "error.period": {"sv": "'{value}' är ingen period; skriv ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD, t.ex. 2025-01-01..2025-08-31",
                     "en": "'{value}' is not a period; write YYYY-MM-DD..YYYY-MM-DD, e.g. 2025-01-01..2025-08-31"},
    "error.period-order": {"sv": "perioden '{value}' slutar innan den börjar", "en": "the period '{value}' ends before it begins"},
    "error.year-and-period": {"sv": "ange antingen --year eller --period, inte båda",
                              "en": "give either --year or --period, not both"},
    "error.unknown-owner": {"sv": "'{id}' finns inte i organisationsregistret{suggestion}",
                            "en": "'{id}' is not in the organisation register{suggestion}"},
    "error.did-you-mean": {"sv": "; menade du '{suggestion}'?", "en": "; did you mean '{suggestion}'?"},
    "error.unknown-revision": {"sv": "revisionen '{revision}' finns inte i git-arkivet",
                               "en": "the revision '{revision}' does not exist in the git repository"},
    "error.no-history": {"sv": "historiken går inte att läsa: {reason}", "en": "the history cannot be read: {reason}"},
    "error.unknown-measure": {"sv": "ingen åtgärd med id '{id}' finns i historiken{suggestion}",
                              "en": "no measure with id '{id}' exists in the history{suggestion}"},
    "error.template.not-found": {"sv": "mallen {where} finns inte", "en": "the template {where} does not exist"},
    "error.template.syntax": {"sv": "{where}: fel i mallen: {detail}", "en": "{where}: error in the template: {detail}"},
    "error.template.render": {"sv": "{where}: mallen kunde inte fyllas i: {detail}",
                              "en": "{where}: the template could not be filled in: {detail}"},
    "error.output": {"sv": "kunde inte skriva {path}: {detail}", "en": "could not write {path}: {detail}"},
    "diff.worktree": {"sv": "arbetskatalogen", "en": "the working tree"},
    # documents in trygg diff (trygg.plandiff)
    "diff.doc.added": {"sv": "nytt dokument", "en": "new document"},
    "diff.doc.removed": {"sv": "borttaget", "en": "removed"},
    "diff.doc.replaced": {"sv": "ersätts av {by}", "en": "replaced by {by}"},
    "diff.doc.expired": {"sv": "giltigheten gick ut {end}", "en": "expired {end}"},
    "diff.doc.validity": {"sv": "giltig till: {old} → {new}", "en": "valid until: {old} → {new}"},
    "diff.doc.title": {"sv": "titel: {old} → {new}", "en": "title: {old} → {new}"},
    "diff.until-further-notice": {"sv": "tills vidare", "en": "until further notice"},
})
