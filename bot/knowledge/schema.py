"""The shape of the knowledge base: what each YAML file in ``knowledge/`` may hold.

These models are the contract between the people who edit ``knowledge/*.yaml`` and the code
that reads it. Pydantic checks types, required fields and unknown keys; ``base.py`` adds
the checks that span files (ids, aliases, sources, career moves).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeGuard, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

__all__ = [
    "FACET_IDS",
    "AmbiguousName",
    "Aspect",
    "CareerFile",
    "CareerMove",
    "CareerStep",
    "Comparison",
    "ComparisonsFile",
    "Degree",
    "Degrees",
    "Disagreement",
    "Dislikes",
    "FacetDef",
    "FacetId",
    "FacetsFile",
    "Fact",
    "Gap",
    "GapsFile",
    "Goal",
    "KeyAccountCriterion",
    "KeyAccountGroup",
    "KeyAccountNote",
    "KeyAccountsFile",
    "Newcomer",
    "Note",
    "OtherSense",
    "Person",
    "RecommendFile",
    "Role",
    "RoleLines",
    "Source",
    "SourceRef",
    "SourcesFile",
    "Topic",
    "TopicsFile",
    "UncoveredRole",
    "Vocabulary",
    "is_facet",
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
FACET_IDS: tuple[str, ...] = get_args(FacetId)


def is_facet(name: str | None) -> TypeGuard[FacetId]:
    """Whether ``name`` is a facet id, so it can index ``Role.facets``."""
    return name in FACET_IDS


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceRef(_Model):
    """Where a statement rests: a seed article (an id from sources.yaml) and its line numbers."""

    id: Id
    lines: tuple[Annotated[int, Field(ge=1)], ...] = Field(min_length=1)


def _listed(value: Any) -> Any:
    """``source: {id: x, lines: [3]}`` is shorthand for a list of one."""
    return [value] if isinstance(value, dict) else value


# One or more places a statement rests on; more than one for a synthesis across articles.
Citations = Annotated[tuple[SourceRef, ...], BeforeValidator(_listed), Field(min_length=1)]


class Fact(_Model):
    """One statement, in our own words, and the article lines it rests on.

    ``inferred`` marks our reading of the lines (a synthesis across articles, an inference)
    rather than something the article says; answers say so.
    """

    text: Text
    source: Citations
    inferred: bool = False

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ref.id for ref in self.source))


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
    # Facets a role's answer on this one gives as well, after it.
    also: tuple[FacetId, ...] = ()


class FacetsFile(_Model):
    facets: list[FacetDef] = Field(min_length=1)


class Disagreement(_Model):
    """Where the articles disagree about a role: each view with its own source."""

    about: Text
    # The facets whose answers show the disagreement.
    facets: list[FacetId] = Field(default_factory=list)
    views: list[Fact] = Field(min_length=2)
    # Duties, of any role, whose "who does X?" answer shows it too ("who takes over the
    # client from the AE?"): each one's text, as a role's ``duties`` give it. A disagreement
    # shown nowhere else (no facets) is about the answer to "who does X?" alone.
    duties: list[Text] = Field(default_factory=list)
    # What the articles themselves say of why they differ, shown after the views.
    why: Fact | None = None

    @model_validator(mode="after")
    def _shown_somewhere(self) -> Disagreement:
        if not (self.facets or self.duties):
            raise ValueError("a disagreement needs facets or duties to be shown on")
        return self


class Role(_Model):
    """One file in ``knowledge/roles/``."""

    id: Id
    name: Text
    short: Text
    aliases: list[Text] = Field(default_factory=list)
    # What an article calls the role ("the hunters"): read like an alias, cited like a fact.
    nicknames: list[Fact] = Field(default_factory=list)
    # Aliases no article uses ("BDR"): read as the role, and the answer says it is our reading.
    unused_by_articles: list[Text] = Field(default_factory=list)
    summary: Fact
    # Short phrases of work or traits the seeds give this role ("cold calling", "renewals"),
    # used to answer "who does X?"; each cites the lines that give it to the role, and one of
    # the role's facts must rest on one of those lines (it is what the answer shows).
    duties: list[Fact] = Field(default_factory=list)
    facets: dict[FacetId, list[Fact]] = Field(default_factory=dict)
    disagreements: list[Disagreement] = Field(default_factory=list)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a question may use for the role: name, short name, aliases, nicknames."""
        return (self.name, self.short, *self.aliases, *(n.text for n in self.nicknames))


class Aspect(_Model):
    label: Text
    facet: FacetId | None = None
    # Words that name the row as its label does ("funnel": "where do AEs sit in the funnel?"
    # asks for "Stage in the sales funnel" first).
    keywords: list[Text] = Field(default_factory=list)
    values: dict[Id, Fact] = Field(min_length=2)


class Note(Fact):
    """A comparison's note: shown at the end of the whole comparison, and in the comparison
    of each of its ``facets`` (a note on career paths belongs with "AE vs AM career path")."""

    facets: tuple[FacetId, ...] = ()


class Comparison(_Model):
    """A comparison the seeds make explicitly between two or more roles."""

    id: Id
    roles: list[Id] = Field(min_length=2)
    title: Text
    summary: list[Fact] = Field(default_factory=list)
    aspects: list[Aspect] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class ComparisonsFile(_Model):
    comparisons: list[Comparison]


class Topic(_Model):
    id: Id
    name: Text
    aliases: list[Text] = Field(min_length=1)
    # Names that ask about the topic only when no facet of a role is asked beside them: "do
    # full-time account managers work remote?" asks about the AM's workplace.
    weak_aliases: list[Text] = Field(default_factory=list)
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
    source: Citations
    note: Text | None = None


class CareerFile(_Model):
    steps: list[CareerStep] = Field(default_factory=list)
    moves: list[CareerMove] = Field(min_length=1)


class Gap(_Model):
    """Something people ask that the articles never cover (team sizes, quota amounts, tools).

    A question naming it is answered "the articles don't cover that", with the facts of the
    nearest facet they do cover, instead of being declined or guessed at.
    """

    id: Id
    # How the answer names it: "team sizes", "quota amounts".
    label: Text
    # Words and phrases that signal it in a question.
    keywords: list[Text] = Field(min_length=1)
    # The facet whose facts come nearest.
    facet: FacetId
    # What the articles do say nearest it, for any role, when that is a line or two rather
    # than a whole facet: shown with the "not covered" line even when no role is named.
    said: list[Fact] = Field(default_factory=list)
    # Roles the articles do answer it for ("how long does an AM promotion take?"): asked of
    # one of them, the facet answers it, with no "not covered" line.
    answered_for: list[Id] = Field(default_factory=list)
    # The ``said`` lines come as near as the articles do, and the facet's facts would only
    # pad the answer ("which CRM should an AE learn?" is not answered by all of the AE's
    # skills): the facet is offered as the first next step instead of listed.
    said_is_enough: bool = False


class GapsFile(_Model):
    gaps: list[Gap] = Field(default_factory=list)


class Person(_Model):
    """Someone an article quotes: a question about them alone ("Amanda Sides' advice?") is
    read as a question about the role they speak of, and the facet where their words are; a
    question naming nothing else ("who is John Golden?") is answered with ``about``."""

    name: Text
    aliases: list[Text] = Field(default_factory=list)
    role: Id
    facet: FacetId
    # Who they are, cited: the lines that tell of them.
    about: Fact


class RoleLines(_Model):
    """A role's facts on ``facet`` resting on these lines (its other facts on the same lines
    say something else): a check an article offers for the role ("five or more of these
    apply to you"), or an opening it names for newcomers."""

    role: Id
    facet: FacetId
    source: Citations


class Newcomer(_Model):
    """Where the articles point someone new to sales, and the words that say one is new;
    ``also``, other roles with openings the articles say take newcomers, named after it."""

    role: Id
    source: Citations
    cues: list[Text] = Field(min_length=1)
    also: list[RoleLines] = Field(default_factory=list)


class FitQuestion(_Model):
    """Words that ask which role fits, in any order of its own: a word of ``which``, then
    (within two words) one of ``jobs``, later one of ``fits``, and one of ``asker`` anywhere
    ("I love closing deals: which sales job should I go for?"). The question may also end at
    its job word ("... what role?") or with one of ``bare`` ("... what should I do?"), when
    the asker says something of themself that names a role's work."""

    which: list[Text] = Field(min_length=1)
    jobs: list[Text] = Field(min_length=1)
    fits: list[Text] = Field(min_length=1)
    asker: list[Text] = Field(min_length=1)
    bare: list[Text] = Field(default_factory=list)
    # Beside two roles or more offered as a choice, these ask which of them fits ("AE or AM
    # for me?", "SDR vs AE for someone who loves the phone?").
    choice: list[Text] = Field(default_factory=list)


class Degree(_Model):
    """Degrees an article names for a role ("journalism" for account management): someone who
    says they studied one is pointed to the role, with its education facts on these lines."""

    role: Id
    names: list[Text] = Field(min_length=1)
    source: Citations


class Degrees(_Model):
    """The degrees the articles name for roles, and the words that say one studied something
    ("degree", "studied", "graduate"): a degree counts only with one of them."""

    study: list[Text] = Field(min_length=1)
    roles: list[Degree] = Field(min_length=1)


class FitCheck(_Model):
    """Words that ask whether the asker fits one role they name: ``before`` ends right before
    the role's name ("am I cut out to be an AM?"), ``after`` comes soon after it ("is the AE
    role right for me?")."""

    before: list[Text] = Field(default_factory=list)
    after: list[Text] = Field(default_factory=list)


class Dislikes(_Model):
    """What the asker would rather not do ("I hate cold calling"): from a phrase of ``cues`` to
    the end of its clause or a phrase of ``likes`` ("... but I love ..."), what they say is
    not what they enjoy. A phrase of ``avoid`` with nothing it is about after it ("which role
    should I avoid?"), or any phrase of ``worst`` ("which job is worst for introverts?"), asks
    which role to avoid."""

    cues: list[Text] = Field(min_length=1)
    likes: list[Text] = Field(default_factory=list)
    avoid: list[Text] = Field(default_factory=list)
    worst: list[Text] = Field(default_factory=list)


class Goal(_Model):
    """A role someone means to reach later ("I want to manage a team eventually"), or one an
    article links to what someone says they are like ("I'm competitive"): the role, the lines
    that say so, and the words that say it of the asker."""

    role: Id
    source: Citations
    cues: list[Text] = Field(min_length=1)


class RecommendFile(_Model):
    """``knowledge/recommend.yaml``: how "which role fits me?" is asked and answered."""

    cues: list[Text] = Field(min_length=1)
    fit_question: FitQuestion | None = None
    fit_check: FitCheck | None = None
    newcomer: Newcomer
    checks: list[RoleLines] = Field(default_factory=list)
    degrees: Degrees | None = None
    dislikes: Dislikes | None = None
    goals: list[Goal] = Field(default_factory=list)
    traits: list[Goal] = Field(default_factory=list)


class AmbiguousName(_Model):
    """A name people use for any of several roles ("account rep"): asked with it and no role
    of its own, the bot asks which of ``roles`` was meant, in this order."""

    names: list[Text] = Field(min_length=1)
    roles: list[Id] = Field(min_length=2)


class UncoveredRole(_Model):
    """A sales role no article describes ("sales engineer"): asked about with no role the
    articles cover, the bot says so and lists those they do."""

    name: Text
    aliases: list[Text] = Field(default_factory=list)


class OtherSense(_Model):
    """Short names that mean something else too: with one of ``words`` and no sales word, a
    question naming them is about that other thing ("my RAM usage is at 95%")."""

    names: list[Text] = Field(min_length=1)
    words: list[Text] = Field(min_length=1)


class Vocabulary(_Model):
    """Cue phrases the understanding uses besides role, facet and topic names."""

    compare_markers: list[Text]
    which_role_cues: list[Text]
    list_roles_cues: list[Text]
    help_cues: list[Text]
    # Thanks and goodbyes ("thx!", "cheers, that's all"): a message of only these gets a short
    # reply, not the help.
    thanks: list[Text] = Field(default_factory=list)
    # Phrases that make a question ours even without a role ("sales role", "quota").
    domain_words: list[Text]
    # Questions near the domain that we do not answer ("delete my account", "template").
    decline_cues: list[Text]
    # Words that carry no meaning of their own here ("the", "what", "please"); a question is
    # read as being about sales roles only when most of its other words are known.
    filler_words: list[Text]
    # Verbs that ask the bot to do a piece of work ("summarise this call", "remind me to ...",
    # "order lunch"): a question opening with one, after words that only lead in ("can you",
    # "pls"), is declined.
    request_verbs: list[Text] = Field(default_factory=list)
    # Common English words ("the", "what", "is"): a declined question of three words or more
    # with none of them, most of them unknown, is taken as written in another language, and
    # the answer asks for it in English.
    english_words: list[Text] = Field(default_factory=list)
    # People the articles quote, by the role they speak of.
    people: list[Person] = Field(default_factory=list)
    # Phrases asking who they are, naming none ("which people are quoted in the articles?").
    people_cues: list[Text] = Field(default_factory=list)
    # Questions on where the articles disagree ("do the articles contradict each other?").
    dispute_cues: list[Text] = Field(default_factory=list)
    # Asking for the roles in a line ("AE vs AM in one sentence"): the answer is the summary.
    brief_cues: list[Text] = Field(default_factory=list)
    ambiguous_names: list[AmbiguousName] = Field(default_factory=list)
    uncovered_roles: list[UncoveredRole] = Field(default_factory=list)
    other_senses: list[OtherSense] = Field(default_factory=list)
    # Everyday words for the work the roles' duties name: a question's word is also looked up
    # as these ("who rings up strangers?" as calling cold).
    duty_words: dict[Text, list[Text]] = Field(default_factory=dict)
    # Whole phrases of other languages people mix in, read as the English they mean
    # ("wat doet een accountmanager?"); the English may be empty (a word to drop).
    translations: dict[Text, str] = Field(default_factory=dict)
    # How letters are said, as speech-to-text writes them down: a role's short name spelt
    # out ("ess dee are", "cee ess em") is read as the short name.
    spoken_letters: dict[Text, list[Text]] = Field(default_factory=dict)


class KeyAccountNote(_Model):
    """How the key-account method works, in our words, and the article lines it rests on."""

    text: Text
    source: Citations


class KeyAccountGroup(_Model):
    """One of the article's groups of criteria (growth, harmony, value creation)."""

    id: Id
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    source: Citations


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
