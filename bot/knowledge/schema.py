"""The shape of the knowledge base: what each YAML file in ``knowledge/`` may hold.

These models are the contract between the people who edit ``knowledge/*.yaml`` and the code
that reads it. Pydantic checks types, required fields and unknown keys; ``base.py`` adds
the checks that span files (ids, aliases, sources, career moves).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "FACET_IDS",
    "Aspect",
    "CareerFile",
    "CareerMove",
    "CareerStep",
    "Comparison",
    "ComparisonsFile",
    "FacetDef",
    "FacetId",
    "FacetsFile",
    "Fact",
    "KeyAccountCriterion",
    "KeyAccountGroup",
    "KeyAccountNote",
    "KeyAccountsFile",
    "Role",
    "Source",
    "SourceRef",
    "SourcesFile",
    "Topic",
    "TopicsFile",
    "Vocabulary",
]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]

FacetId = Literal[
    "overview",
    "responsibilities",
    "skills",
    "metrics",
    "career_path",
    "compensation",
    "experience",
    "education",
    "work_environment",
    "stakeholders",
]
FACET_IDS: tuple[str, ...] = FacetId.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Fact(_Model):
    """One statement, in our own words, and the seed article it comes from."""

    text: Text
    source: Id


class Source(_Model):
    id: Id
    file: Text
    title: Text


class SourcesFile(_Model):
    sources: list[Source] = Field(min_length=1)


class FacetDef(_Model):
    id: FacetId
    label: Text
    # Words and phrases that signal the facet in a question ("salary", "how much do").
    keywords: list[Text] = Field(min_length=1)
    # Words that signal it only when nothing stronger does ("do", "make", "become").
    weak_keywords: list[Text] = Field(default_factory=list)


class FacetsFile(_Model):
    facets: list[FacetDef] = Field(min_length=1)


class Role(_Model):
    """One file in ``knowledge/roles/``."""

    id: Id
    name: Text
    short: Text
    aliases: list[Text] = Field(default_factory=list)
    summary: Fact
    # Short phrases of work or traits the seeds give this role ("cold calling", "renewals"),
    # used to answer "who does X?".
    duties: list[Text] = Field(default_factory=list)
    facets: dict[FacetId, list[Fact]] = Field(default_factory=dict)


class Aspect(_Model):
    label: Text
    facet: FacetId | None = None
    values: dict[Id, Fact] = Field(min_length=2)


class Comparison(_Model):
    """A comparison the seeds make explicitly between two or more roles."""

    id: Id
    roles: list[Id] = Field(min_length=2)
    title: Text
    summary: list[Fact] = Field(default_factory=list)
    aspects: list[Aspect] = Field(default_factory=list)
    notes: list[Fact] = Field(default_factory=list)


class ComparisonsFile(_Model):
    comparisons: list[Comparison]


class Topic(_Model):
    id: Id
    name: Text
    aliases: list[Text] = Field(min_length=1)
    summary: Fact
    facts: list[Fact] = Field(min_length=1)
    related_roles: list[Id] = Field(default_factory=list)


class TopicsFile(_Model):
    topics: list[Topic]


class CareerStep(_Model):
    """A rung of a career ladder that is not a full role of its own (senior AE, sales director)."""

    id: Id
    name: Text
    aliases: list[Text] = Field(default_factory=list)


class CareerMove(_Model):
    """One move the seeds name: ``from`` can lead to ``to``. Either end is a role or a step."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    from_: Id = Field(alias="from")
    to: Id
    source: Id
    note: Text | None = None


class CareerFile(_Model):
    steps: list[CareerStep] = Field(default_factory=list)
    moves: list[CareerMove] = Field(min_length=1)


class Vocabulary(_Model):
    """Cue phrases the understanding uses besides role, facet and topic names."""

    compare_markers: list[Text]
    which_role_cues: list[Text]
    list_roles_cues: list[Text]
    help_cues: list[Text]
    # Phrases that make a question ours even without a role ("sales role", "quota").
    domain_words: list[Text]
    # Questions near the domain that we do not answer ("delete my account", "template").
    decline_cues: list[Text]
    # Words that carry no meaning of their own here ("the", "what", "please"); a question is
    # read as being about sales roles only when most of its other words are known.
    filler_words: list[Text]


class SourceRef(_Model):
    """Where a statement rests: a seed article (an id from sources.yaml) and its line numbers."""

    id: Id
    lines: tuple[Annotated[int, Field(ge=1)], ...] = Field(min_length=1)


class KeyAccountNote(_Model):
    """How the key-account method works, in our words, and the article lines it rests on."""

    text: Text
    source: SourceRef


class KeyAccountGroup(_Model):
    """One of the article's groups of criteria (growth, harmony, value creation)."""

    id: Id
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    source: SourceRef


class KeyAccountCriterion(_Model):
    """One criterion a client is scored on, 1 to 10; its score counts ``weight`` times."""

    id: Id
    # Shown as a modal input's label and a table heading: short.
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    group: Id
    weight: float = Field(gt=0, le=100, allow_inf_nan=False)


class KeyAccountsFile(_Model):
    """``knowledge/key_accounts.yaml``: the scorecard (optional; without it, no scoring)."""

    method: list[KeyAccountNote] = Field(min_length=1)
    # Says the criteria are the team's, not the article's (which does not list its 15); shown
    # with the criteria everywhere, in a Slack context block among others (3000 characters).
    defaults_note: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)
    ]
    key_account_count: int = Field(ge=1, le=100)
    groups: list[KeyAccountGroup] = Field(min_length=1, max_length=10)
    # A Slack modal holds at most 100 blocks: one per criterion, one per group, and three more.
    criteria: list[KeyAccountCriterion] = Field(min_length=1, max_length=50)
