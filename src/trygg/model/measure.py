"""A measure (åtgärd / insats) and what hangs on it: indicators and the follow-up log."""

from typing import Optional

from pydantic import Field

from trygg.model.base import Model
from trygg.model.types import (Assessment, Datum, Horizon, Id, IdList, MeasureKind, Prevention,
                               Status, Text, Tidpunkt, optional_list)


class Value(Model):
    """A measured value at a point in time (baseline or target)."""

    year: int = Field(alias="år")
    value: float = Field(alias="värde")
    note: Optional[Text] = Field(None, alias="anteckning")


class Indicator(Model):
    """How a measure's effect is followed: optional Kolada KPI, baseline, target, outcomes."""

    name: Text = Field(alias="namn")
    kolada: Optional[Text] = Field(None, alias="kolada", pattern=r"^[NU]\d{5}$",
                                   description="Kolada-nyckeltal, t.ex. N07403.")
    unit: Optional[Text] = Field(None, alias="enhet")
    source: Optional[Text] = Field(None, alias="källa")
    baseline: Optional[Value] = Field(None, alias="utgångsvärde")
    target: Optional[Value] = Field(None, alias="mål")
    outcomes: dict[int, float] = Field(default_factory=dict, alias="utfall",
                                       description="Utfall per år, t.ex. {2024: 11.2}.")


class FollowUp(Model):
    """One dated entry in a measure's follow-up log."""

    date: Datum = Field(alias="datum")
    status: Optional[Status] = Field(None, alias="status")
    assessment: Optional[Assessment] = Field(None, alias="bedömning", description="grön, gul eller röd.")
    comment: Optional[Text] = Field(None, alias="kommentar")
    reported_by: Optional[Id] = Field(None, alias="rapporterad_av")


class Measure(Model):
    """One measure with exactly one responsible actor (the rules explain why when there are more)."""

    id: Id
    title: Text = Field(alias="titel")
    description: Optional[Text] = Field(None, alias="beskrivning")
    problems: IdList = optional_list(alias="problem", description="Lägesbildsproblem (id) som åtgärden riktar sig mot.")
    causes: IdList = optional_list(alias="orsak", description="Orsaker (id) som åtgärden riktar sig mot.")
    focus_areas: IdList = optional_list(alias="fokusområde", description="Fokusområde(n) (id) som åtgärden tjänar.")
    directions: IdList = optional_list(alias="inriktning", description="Inriktning(ar) (id) i strategin.")
    goal: Optional[Text] = Field(None, alias="operativt_mål")
    owner: IdList = optional_list(alias="ansvarig", description="Ansvarig aktör (id). En ansvarig är regeln.")
    owner_text: Optional[Text] = Field(None, alias="ansvarig_text",
                                       description="Ansvaret med dokumentets egna ord.")
    partners: IdList = optional_list(alias="samverkan", description="Samverkansparter (id).")
    contact: Optional[Text] = Field(None, alias="kontakt")
    start: Optional[Datum] = Field(None, alias="start")
    due: Optional[Tidpunkt] = Field(None, alias="klart_senast",
                                    description="Datum, år, del av år ('våren 2025', 'Q2 2025'), 'planperiodens slut' eller 'löpande'.")
    recurrence: Optional[Text] = Field(None, alias="återkommande", description="T.ex. 'årligen', 'varje vecka'.")
    kind: Optional[MeasureKind] = Field(None, alias="insatstyp")
    prevention: Optional[Prevention] = Field(None, alias="preventionstyp")
    horizon: Optional[Horizon] = Field(None, alias="tidshorisont")
    status: Optional[Status] = Field(None, alias="status", description="Nuvarande status.")
    indicators: list[Indicator] = optional_list(alias="indikatorer")
    follow_up: list[FollowUp] = optional_list(alias="uppföljning")
    source: Optional[Text] = Field(None, alias="källa", description="Var i källdokumentet åtgärden står.")

    @property
    def current_status(self) -> Status:
        """The status the rules use: the measure's own, else the newest logged one."""
        if self.status is not None:
            return self.status
        dated = [f for f in self.follow_up if f.status is not None]
        if dated:
            return max(dated, key=lambda f: f.date).status  # type: ignore[return-value]
        return Status.NOT_STARTED
