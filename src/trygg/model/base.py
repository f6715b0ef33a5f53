"""What every model shares: forbid unknown keys, Swedish keys as aliases of English names."""

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from trygg.model.types import Datum, Id, Text, UntilFurtherNotice


class Model(BaseModel):
    """Base of every trygg model: unknown keys are errors, keys are Swedish aliases."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, validate_default=False,
                              use_enum_values=False, json_schema_mode_override="validation",
                              defer_build=True)


class Period(Model):
    """A validity period: from a date, to a date or 'tills vidare'."""

    start: Optional[Datum] = Field(None, alias="från", description="Första giltighetsdag.")
    end: Optional[Datum | UntilFurtherNotice] = Field(
        None, alias="till", description="Sista giltighetsdag, eller 'tills vidare'.")


class Decision(Model):
    """Who decided a document and when: the seeds' header table."""

    body: Id = Field(alias="organ", description="Beslutande organ (id i organisationsregistret).")
    date: Datum = Field(alias="datum", description="Beslutsdatum.")
    paragraph: Optional[Text] = Field(None, alias="paragraf", description="Paragraf, t.ex. '§ 169'.")
    registration: Optional[Text] = Field(None, alias="diarienummer", description="Diarienummer (Dnr).")
