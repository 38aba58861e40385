"""Technology demands (技术需求) as a firm posts and corrects them: the request bodies."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.texthygiene import clean_text

#: The cooperation modes of match.demands.MODES (tests/match/test_api.py keeps them equal).
Mode = Literal["技术转让", "委托开发", "合作开发", "技术咨询"]


class DemandCreate(BaseModel):
    """A technology demand as a firm states it; only the title is required."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(
        min_length=1, max_length=200, description="short statement, e.g. 大功率LED散热技术需求"
    )
    description: str = Field("", max_length=5000, description="free text: problem, constraints, goals")
    poster: str | None = Field(None, max_length=200, description="id of the posting organisation or person")
    keywords: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    ipcCodes: list[Annotated[str, Field(max_length=30)]] = Field(
        default_factory=list, max_length=50, description="e.g. F21V29/00"
    )
    industryCodes: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list, max_length=20)
    budget: float | None = Field(None, ge=0, le=1e12, strict=True, description="yuan")
    mode: Mode | None = Field(None, description="技术转让 / 委托开发 / 合作开发 / 技术咨询")

    @field_validator("mode", mode="before")
    @classmethod
    def _blank_mode(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("title")
    @classmethod
    def _strip_title(cls, value: str) -> str:
        value = clean_text(value).strip()
        if not value:
            raise ValueError("the title is blank")
        return value

    @field_validator("description")
    @classmethod
    def _clean_description(cls, value: str) -> str:
        return clean_text(value, multiline=True)

    @field_validator("keywords")
    @classmethod
    def _clean_keywords(cls, value: list[str]) -> list[str]:
        return [k for k in (clean_text(v).strip() for v in value) if k]


class DemandUpdate(BaseModel):
    """A change to one's own demand: close or reopen it, or correct what it asks for."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["open", "closed"] | None = None
    keywords: list[Annotated[str, Field(max_length=100)]] | None = Field(None, max_length=50)
    budget: float | None = Field(None, ge=0, le=1e12, strict=True, description="yuan")
    mode: Mode | None = None

    @field_validator("keywords")
    @classmethod
    def _clean_keywords(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [k for k in (clean_text(v).strip() for v in value) if k]
