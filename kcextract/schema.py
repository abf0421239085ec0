"""The record format of ``shared/spec/record-format.md`` (v1) as pydantic models.

Two families share one shape:

* the gold models (``Amount``, ``Organization``, ... ``Record``) are exactly the spec;
  hand-annotated files validate against them with no extra fields allowed;
* the output models (``AmountOut``, ... ``RecordOut``) add what the spec lets the
  pipeline add: ``spans`` on every grounded fact, and ``warnings`` on the record.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SPEC_VERSION = "record-format v1"

Qualifier = Literal["exact", "over", "under", "about"]
Level = Literal["total", "part", "project", "other"]
Status = Literal["planned", "achieved", "unknown"]
TargetStatus = Literal["planned", "achieved"]
Funding = Literal["national", "local", "other"]
OrgType = Literal["cooperative", "company", "household", "agency", "other"]
OrgRole = Literal["beneficiary", "implementer", "other"]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Date = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
YearOrMonth = int | Month | None
Span = tuple[int, int]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Amount(_Strict):
    text: str
    value_vnd: int
    max_vnd: int | None = None
    qualifier: Qualifier = "exact"
    per: str | None = None
    level: Level = "other"
    status: Status = "unknown"
    funding: Funding | None = None


class Organization(_Strict):
    name: str
    type: OrgType = "other"
    role: OrgRole = "other"


class Project(_Strict):
    title: str
    beneficiaries: list[str] = Field(default_factory=list)
    amount_vnd: int | None = None
    funding: Funding | None = None
    year: int | None = None
    status: Status = "unknown"


class Period(_Strict):
    text: str
    start: YearOrMonth = None
    end: YearOrMonth = None


class Target(_Strict):
    text: str
    quantity: int
    quantity_max: int | None = None
    qualifier: Qualifier = "exact"
    unit: str
    status: TargetStatus = "planned"


class Programme(_Strict):
    name: str
    province: str | None = None
    start: int | None = None
    end: int | None = None
    total_vnd: int | None = None
    local_vnd: int | None = None
    national_vnd: int | None = None


class Record(_Strict):
    doc_id: str
    title: str | None = None
    published: Date | None = None
    provinces: list[str] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    periods: list[Period] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    programmes: list[Programme] = Field(default_factory=list)


# --- output models: the same facts, grounded -------------------------------------------


class _Grounded(BaseModel):
    spans: list[Span] = Field(default_factory=list)


class AmountOut(Amount, _Grounded):
    pass


class OrganizationOut(Organization, _Grounded):
    pass


class ProjectOut(Project, _Grounded):
    pass


class PeriodOut(Period, _Grounded):
    pass


class TargetOut(Target, _Grounded):
    pass


class ProgrammeOut(Programme, _Grounded):
    # Programmes are not grounded by the spec; we still give the mention's spans when known.
    pass


class RecordOut(Record):
    """A pipeline record: the spec's record plus grounding and warnings."""

    amounts: list[AmountOut] = Field(default_factory=list)  # type: ignore[assignment]
    organizations: list[OrganizationOut] = Field(default_factory=list)  # type: ignore[assignment]
    projects: list[ProjectOut] = Field(default_factory=list)  # type: ignore[assignment]
    periods: list[PeriodOut] = Field(default_factory=list)  # type: ignore[assignment]
    targets: list[TargetOut] = Field(default_factory=list)  # type: ignore[assignment]
    programmes: list[ProgrammeOut] = Field(default_factory=list)  # type: ignore[assignment]
    source: str | None = None
    warnings: list[str] = Field(default_factory=list)
    # Probability that the article is programme news (the relevance model; null with
    # --no-models). A batch can flag or filter off-topic articles on it.
    relevance: float | None = None


FACT_FIELDS = ("amounts", "organizations", "projects", "periods", "targets", "programmes")
