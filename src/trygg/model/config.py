"""trygg.yaml: the municipality and the settings of every check."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from trygg.model.base import Model
from trygg.model.types import Text, optional_list


class Thresholds(Model):
    due_soon_days: int = Field(30, alias="snart_förfallen_dagar", ge=0)
    situation_report_max_months: int = Field(24, alias="lägesbild_max_ålder_månader", ge=1)
    follow_up_max_days: int = Field(365, alias="uppföljning_max_dagar", ge=1)
    late_share_owner: float = Field(0.5, alias="andel_försenade_per_ansvarig", gt=0, le=1)


class RuleSettings(Model):
    select: list[Text] = optional_list(alias="välj", description="Bara dessa regler (koder eller familjer).")
    ignore: list[Text] = optional_list(alias="ignorera")
    severity: dict[str, Text] = Field(default_factory=dict, alias="allvarlighet")
    per_file: dict[str, list[Text]] = Field(default_factory=dict, alias="ignorera_per_fil")
    fail_on: Text = Field("fel", alias="misslyckas_vid")


class Settings(Model):
    rules: RuleSettings = Field(default_factory=RuleSettings, alias="regler")
    thresholds: Thresholds = Field(default_factory=Thresholds, alias="gränser")
    seasons: dict[str, Text] = Field(default_factory=dict, alias="tidstolkning",
                                     description="När 'våren', 'sommaren', 'hösten', 'vintern' slutar (MM-DD).")


class ProjectConfig(Model):
    """The root file of a municipality repository."""

    municipality: Text = Field(alias="kommun")
    code: Text = Field(alias="kommunkod", description="SCB:s kommunkod, fyra siffror.")
    county: Optional[Text] = Field(None, alias="län")
    note: Optional[Text] = Field(None, alias="anteckning")
    settings: Settings = Field(default_factory=Settings, alias="inställningar")
