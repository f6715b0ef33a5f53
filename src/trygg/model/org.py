"""The organisation register: every actor that can be responsible for something or a partner."""

from typing import Literal, Optional

from pydantic import Field

from trygg.model.base import Model, Period
from trygg.model.types import Id, IdList, OrgKind, Sector, Text, optional_list

MUNICIPAL_KINDS = {OrgKind.COUNCIL, OrgKind.BOARD, OrgKind.COMMITTEE, OrgKind.ADMINISTRATION,
                   OrgKind.DEPARTMENT, OrgKind.UNIT, OrgKind.ROLE, OrgKind.COMPANY,
                   OrgKind.FOUNDATION, OrgKind.MUNICIPALITY, OrgKind.ADVISORY, OrgKind.GROUP}


class Organisation(Model):
    """One actor: a nämnd, förvaltning, bolag, group, role or external organisation."""

    id: Id = Field(description="Stabilt id som dokumenten refererar till.")
    name: Text = Field(alias="namn")
    short_name: Optional[Text] = Field(None, alias="kortnamn")
    aliases: list[Text] = optional_list(alias="alias", description="Andra namn som används för aktören.")
    kind: OrgKind = Field(alias="slag")
    sector: Optional[Sector] = Field(None, alias="sektor",
                                     description="Vilken sida aktören hör till; kommunala slag är 'kommun' om inget anges.")
    serves: Optional[Id] = Field(None, alias="nämnd", description="För en förvaltning: nämnden den tjänar.")
    part_of: Optional[Id] = Field(None, alias="del_av", description="För en enhet eller roll: organisationen den hör till.")
    members: IdList = optional_list(alias="medlemmar", description="För råd och grupper: medlemmarna (id).")
    members_note: Optional[Text] = Field(None, alias="medlemmar_beskrivning",
                                         description="Medlemmar som inte finns i registret, i fritext.")
    validity: Optional[Period] = Field(None, alias="giltighet", description="När aktören fanns.")
    note: Optional[Text] = Field(None, alias="anteckning")

    @property
    def effective_sector(self) -> Sector:
        if self.sector is not None:
            return self.sector
        return Sector.MUNICIPAL if self.kind in MUNICIPAL_KINDS else Sector.OTHER


class OrganisationRegister(Model):
    """The register document: ``typ: organisationer``."""

    type: Literal["organisationer"] = Field(alias="typ")
    note: Optional[Text] = Field(None, alias="anteckning")
    organisations: list[Organisation] = Field(alias="organisationer")
