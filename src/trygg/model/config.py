"""trygg.yaml: the municipality and the settings of every check."""

from typing import Annotated, Any, Optional

from pydantic import Field

from trygg.model.base import Model
from trygg.model.types import Lenient, Text, optional_list


def _municipality_code(value: Any) -> Any:
    # An unquoted 0184 is the integer 184 in YAML; the code is still unambiguous.
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000:
        return f"{value:04d}"
    return value


MUNICIPALITY_CODE_SCHEMA = {"anyOf": [{"type": "string", "pattern": r"^\d{4}$"},
                                     {"type": "integer", "minimum": 1, "maximum": 9999}]}
MunicipalityCode = Annotated[str, Lenient(_municipality_code, MUNICIPALITY_CODE_SCHEMA),
                             Field(pattern=r"^\d{4}$")]


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


# Missing settings are filled in by model_construct, not by calling the class: Settings() would
# validate its own defaults and so build the validators of Settings, RuleSettings and Thresholds,
# which validating trygg.yaml never needs. The defaults are valid as written. A cold check of a
# trygg.yaml without inställningar: 211 M -> 204 M instructions.
class Settings(Model):
    rules: RuleSettings = Field(default_factory=RuleSettings.model_construct, alias="regler")
    thresholds: Thresholds = Field(default_factory=Thresholds.model_construct, alias="gränser")
    seasons: dict[str, Text] = Field(default_factory=dict, alias="tidstolkning",
                                     description="När 'våren', 'sommaren', 'hösten', 'vintern' slutar (MM-DD).")


class ProjectConfig(Model):
    """The root file of a municipality repository."""

    municipality: Text = Field(alias="kommun")
    code: MunicipalityCode = Field(alias="kommunkod", description="SCB:s kommunkod, fyra siffror.")
    county: Optional[Text] = Field(None, alias="län")
    note: Optional[Text] = Field(None, alias="anteckning")
    settings: Settings = Field(default_factory=Settings.model_construct, alias="inställningar")
