"""The governing documents, one model per ``typ``.

All share the metadata of the seeds' header tables (:class:`Document`). Plans add
focus areas and measures; the lägesbild adds problems and causes; the
samverkansöverenskommelse adds parties, signatories and medborgarlöften.
"""

from typing import Literal, Optional

from pydantic import Field

from trygg.model.base import Decision, Model, Period
from trygg.model.measure import Measure
from trygg.model.types import Datum, Id, IdList, Revision, Text, Trend, optional_list


class Role(Model):
    """What one actor is responsible for, in the document's words."""

    organisation: Id = Field(alias="organisation")
    responsibilities: list[Text] = optional_list(alias="ansvar")
    validity: Optional[Period] = Field(None, alias="giltighet",
                                       description="När rollen gäller, om inte hela dokumentets giltighetstid.")


class Heading(Model):
    """A titled item: a focus area, a direction, a priority."""

    id: Id
    title: Text = Field(alias="titel")
    description: Optional[Text] = Field(None, alias="beskrivning")
    focus_area: Optional[Id] = Field(None, alias="fokusområde",
                                     description="För en inriktning: fokusområdet den hör till.")


class Cadence(Model):
    """A recurring follow-up or reporting duty, e.g. the lägesbild to KLG every quarter."""

    activity: Text = Field(alias="aktivitet")
    interval: Text = Field(alias="intervall", description="T.ex. 'varje vecka', 'månadsvis', 'kvartalsvis', 'varannan månad', 'årligen'.")
    days: Optional[int] = Field(None, alias="dagar", ge=1, description="Intervallet i dagar, för kontroller.")
    forum: Optional[Id] = Field(None, alias="forum", description="Var det redovisas (id).")
    responsible: Optional[Id] = Field(None, alias="ansvarig")


class Document(Model):
    """Metadata every governing document carries."""

    id: Id
    title: Text = Field(alias="titel")
    decision: Optional[Decision] = Field(None, alias="beslut")
    validity: Optional[Period] = Field(None, alias="giltighet")
    revision: Optional[Datum | Revision] = Field(None, alias="revision",
                                                 description="Revisionsdatum eller 'ny mandatperiod'.")
    document_owner: Optional[Id] = Field(None, alias="dokumentansvarig")
    required_by_law: Optional[bool] = Field(None, alias="antagen_till_följd_av_lag")
    replaces: IdList = optional_list(alias="ersätter", description="Dokument (id) som detta ersätter.")
    replaces_text: Optional[Text] = Field(None, alias="ersätter_text")
    applies_to: IdList = optional_list(alias="omfattar", description="Aktörer (id) som dokumentet säger ska delta.")
    coordination: IdList = optional_list(alias="samordning",
                                         description="Samordningsfunktion: strategiskt råd, styrgrupp eller samordnare (id).")
    summary: Optional[Text] = Field(None, alias="sammanfattning")
    purpose: list[Text] = optional_list(alias="syfte")
    roles: list[Role] = optional_list(alias="roller")
    follow_up_text: Optional[Text] = Field(None, alias="uppföljning_text")
    cadence: list[Cadence] = optional_list(alias="rytm", description="Återkommande uppföljning och rapportering.")
    note: Optional[Text] = Field(None, alias="anteckning", description="Fri anteckning om dokumentet.")
    illustrative: Optional[Text] = Field(None, alias="illustrativ",
                                         description="Sätts när dokumentet är ett påhittat exempel, med skälet.")
    source: Optional[Text] = Field(None, alias="källa", description="Var originalet finns.")

    @property
    def kind(self) -> str:
        return str(self.model_fields["type"].default) if "type" in self.model_fields else ""


class Plan(Document):
    """Documents that hold focus areas and measures."""

    focus_areas: list[Heading] = optional_list(alias="fokusområden")
    directions: list[Heading] = optional_list(alias="inriktningar")
    measures: list[Measure] = optional_list(alias="åtgärder")


class Policy(Plan):
    type: Literal["policy"] = Field(alias="typ")
    priorities: list[Heading] = optional_list(alias="prioriteringar")


class Strategy(Plan):
    type: Literal["strategi"] = Field(alias="typ")


class Guidelines(Plan):
    type: Literal["riktlinjer"] = Field(alias="typ")
    working_model: Optional[Text] = Field(None, alias="arbetsmodell")


class Programme(Plan):
    type: Literal["program"] = Field(alias="typ")


class ActionPlan(Plan):
    type: Literal["åtgärdsplan"] = Field(alias="typ")
    based_on: IdList = optional_list(alias="baserad_på", description="Lägesbilden/-bilderna (id) planen bygger på.")
    implements: IdList = optional_list(alias="konkretiserar", description="Strategi eller överenskommelse (id) som planen konkretiserar.")


class Cause(Model):
    id: Id
    description: Text = Field(alias="beskrivning")


class Problem(Model):
    """A problem in a lägesbild or in a cooperation agreement's focus."""

    id: Id
    title: Text = Field(alias="titel")
    description: Optional[Text] = Field(None, alias="beskrivning")
    place: Optional[Text] = Field(None, alias="plats")
    extent: Optional[Text] = Field(None, alias="omfattning")
    trend: Optional[Trend] = Field(None, alias="trend")
    prioritised: bool = Field(False, alias="prioriterad")
    causes: list[Cause] = optional_list(alias="orsaker")
    sources: list[Text] = optional_list(alias="källor")


class Source(Model):
    name: Text = Field(alias="namn")
    kolada: Optional[Text] = Field(None, alias="kolada", pattern=r"^[NU]\d{5}$")
    note: Optional[Text] = Field(None, alias="anteckning")


class SituationReport(Document):
    """``typ: lägesbild`` – the mapping and analysis 4 § of lag (2023:196) requires."""

    type: Literal["lägesbild"] = Field(alias="typ")
    prepared: Datum = Field(alias="upprättad", description="När lägesbilden upprättades.")
    period: Optional[Period] = Field(None, alias="period", description="Perioden lägesbilden beskriver.")
    sources: list[Source] = optional_list(alias="källor")
    problems: list[Problem] = optional_list(alias="problem")
    analysis: Optional[Text] = Field(None, alias="analys")


class Signatory(Model):
    role: Text = Field(alias="roll", description="T.ex. 'kommunstyrelsens ordförande'.")
    organisation: Id = Field(alias="organisation")
    date: Optional[Datum] = Field(None, alias="datum")


class Agreement(Document):
    """``typ: samverkansöverenskommelse`` between the municipality and its lokalpolisområde."""

    type: Literal["samverkansöverenskommelse"] = Field(alias="typ")
    parties: IdList = Field(alias="parter")
    signatories: list[Signatory] = optional_list(alias="undertecknare")
    focus_problems: list[Problem] = optional_list(alias="fokusproblem")
    promises: list[Measure] = optional_list(alias="medborgarlöften")
    measures: list[Measure] = optional_list(alias="åtgärder")


DOCUMENT_TYPES: dict[str, type[Document]] = {
    "policy": Policy,
    "strategi": Strategy,
    "riktlinjer": Guidelines,
    "program": Programme,
    "samverkansöverenskommelse": Agreement,
    "lägesbild": SituationReport,
    "åtgärdsplan": ActionPlan,
}
