"""The knowledge base: loading, cross-file checks, and look-ups. Knows nothing of Slack."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from pydantic import BaseModel

from bot.knowledge.loader import Document, Problem, load_document
from bot.knowledge.schema import (
    FACET_IDS,
    CareerFile,
    CareerMove,
    Comparison,
    ComparisonsFile,
    FacetDef,
    FacetsFile,
    Gap,
    GapsFile,
    KeyAccountsFile,
    RecommendFile,
    Role,
    Source,
    SourceRef,
    SourcesFile,
    Topic,
    TopicsFile,
    Vocabulary,
)
from bot.paths import KNOWLEDGE_DIR

__all__ = [
    "DEFAULT_KNOWLEDGE_DIR",
    "Knowledge",
    "KnowledgeError",
    "alias_key",
    "load_knowledge",
    "read_knowledge",
]

M = TypeVar("M", bound=BaseModel)

DEFAULT_KNOWLEDGE_DIR = KNOWLEDGE_DIR


class KnowledgeError(Exception):
    """The knowledge base has problems; each is ``file:line: message``."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything the seeds say, validated, with the look-ups the answers need."""

    root: Path
    sources: Mapping[str, Source]
    facets: Mapping[str, FacetDef]
    roles: Mapping[str, Role]
    comparisons: tuple[Comparison, ...]
    topics: Mapping[str, Topic]
    career: CareerFile
    vocabulary: Vocabulary
    gaps: Mapping[str, Gap]
    recommend: RecommendFile
    # The key-account scorecard (knowledge/key_accounts.yaml), when the directory has one.
    key_accounts: KeyAccountsFile | None = None

    def name_of(self, node: str) -> str:
        """Display name of a role, a career step or a topic."""
        if node in self.roles:
            return self.roles[node].name
        for step in self.career.steps:
            if step.id == node:
                return step.name
        if node in self.topics:
            return self.topics[node].name
        return node.replace("_", " ").title()

    def aliases_of(self, node: str) -> tuple[str, ...]:
        """Other names of a role or a career step: short name and aliases."""
        if node in self.roles:
            return self.roles[node].names[1:]
        step = next((s for s in self.career.steps if s.id == node), None)
        return tuple(step.aliases) if step else ()

    def unused_name(self, node: str, text: str) -> str | None:
        """The name as the file spells it, when ``text`` ("bdrs") is one of a role's aliases
        that no article uses."""
        key = alias_key(text)
        owner = self.roles.get(node)
        names = owner.unused_by_articles if owner is not None else []
        return next((n for n in names if alias_key(n) == key), None)

    def comparison(self, roles: Iterable[str]) -> Comparison | None:
        """The comparison the seeds make between exactly these roles, if any."""
        wanted = frozenset(roles)
        return next((c for c in self.comparisons if frozenset(c.roles) == wanted), None)

    def moves_from(self, node: str) -> tuple[CareerMove, ...]:
        return tuple(m for m in self.career.moves if m.from_ == node)

    def moves_to(self, node: str) -> tuple[CareerMove, ...]:
        return tuple(m for m in self.career.moves if m.to == node)


def alias_key(text: str) -> str:
    """How the reader tells aliases apart: case, spacing and plural -s do not count."""
    words = text.casefold().replace("'", "").split()
    return " ".join(w[:-1] if len(w) > 2 and w.endswith("s") else w for w in words)


class _Reader:
    """Parses every file of one knowledge directory and checks what spans files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs: list[Document] = []

    def parse(self, path: Path, model: type[M]) -> tuple[Document, M | None]:
        doc = load_document(path)
        self.docs.append(doc)
        return doc, doc.parse(model)

    def problems(self) -> list[Problem]:
        return sorted(p for doc in self.docs for p in doc.problems)

    def _check_gaps(
        self, doc: Document, gaps: GapsFile, role_ids: set[str], source_ids: set[str]
    ) -> None:
        gap_ids = [g.id for g in gaps.gaps]
        self._unique(doc, [("gaps", i, "id") for i in range(len(gap_ids))], gap_ids, "gap id")
        for i, gap in enumerate(gaps.gaps):
            for j, fact in enumerate(gap.said):
                self._source(doc, ("gaps", i, "said", j), fact.source, source_ids)
            for j, role in enumerate(gap.answered_for):
                if role not in role_ids:
                    doc.problem(("gaps", i, "answered_for", j), f"unknown role '{role}'")

    def read(self) -> Knowledge | None:
        root = self.root
        if not root.is_dir():
            self.docs.append(Document(root, problems=[Problem(str(root), 1, "no such directory")]))
            return None
        sources_doc, sources = self.parse(root / "sources.yaml", SourcesFile)
        facets_doc, facets = self.parse(root / "facets.yaml", FacetsFile)
        comparisons_doc, comparisons = self.parse(root / "comparisons.yaml", ComparisonsFile)
        topics_doc, topics = self.parse(root / "topics.yaml", TopicsFile)
        career_doc, career = self.parse(root / "career.yaml", CareerFile)
        vocabulary_doc, vocabulary = self.parse(root / "vocabulary.yaml", Vocabulary)
        gaps_doc, gaps = self.parse(root / "gaps.yaml", GapsFile)
        recommend_doc, recommend = self.parse(root / "recommend.yaml", RecommendFile)
        roles = self._read_roles(root / "roles")
        key_accounts = self._read_key_accounts(root / "key_accounts.yaml")

        source_ids = {s.id for s in sources.sources} if sources else set()
        if sources:
            self._unique(
                sources_doc,
                [("sources", i, "id") for i in range(len(sources.sources))],
                [s.id for s in sources.sources],
                "source id",
            )
        if facets:
            ids = [f.id for f in facets.facets]
            self._unique(
                facets_doc, [("facets", i, "id") for i in range(len(ids))], ids, "facet id"
            )
            for missing in sorted(set(FACET_IDS) - set(ids)):
                facets_doc.problem(("facets",), f"facet '{missing}' is not defined")
        role_ids = set(roles)
        self._check_roles(roles, source_ids)
        if comparisons:
            self._check_comparisons(comparisons_doc, comparisons, role_ids, source_ids)
        if topics:
            self._check_topics(topics_doc, topics, role_ids, source_ids)
        if career:
            self._check_career(career_doc, career, role_ids, source_ids)
        if vocabulary:
            self._check_vocabulary(vocabulary_doc, vocabulary, role_ids, source_ids)
        if gaps:
            self._check_gaps(gaps_doc, gaps, role_ids, source_ids)
        if recommend:
            self._check_recommend(recommend_doc, recommend, role_ids, source_ids)
        if key_accounts:
            self._check_key_accounts(key_accounts, source_ids)
        if self.problems() or not (
            sources and facets and comparisons and topics and career and vocabulary and gaps
        ) or not recommend:
            return None
        return Knowledge(
            root=root,
            sources=MappingProxyType({s.id: s for s in sources.sources}),
            facets=MappingProxyType({f.id: f for f in facets.facets}),
            roles=MappingProxyType({rid: role for rid, (_, role) in roles.items()}),
            comparisons=tuple(comparisons.comparisons),
            topics=MappingProxyType({t.id: t for t in topics.topics}),
            career=career,
            vocabulary=vocabulary,
            gaps=MappingProxyType({g.id: g for g in gaps.gaps}),
            recommend=recommend,
            key_accounts=key_accounts[1] if key_accounts else None,
        )

    def _read_roles(self, folder: Path) -> dict[str, tuple[Document, Role]]:
        role_paths = sorted(folder.glob("*.yaml"))
        if not role_paths:
            self.docs.append(Document(folder, problems=[Problem(str(folder), 1, "no role files")]))
        roles: dict[str, tuple[Document, Role]] = {}
        for path in role_paths:
            doc, role = self.parse(path, Role)
            if role is None:
                continue
            if role.id in roles:
                doc.problem(
                    ("id",), f"duplicate role id '{role.id}' (also in {roles[role.id][0].name})"
                )
            elif role.id != path.stem:
                doc.problem(
                    ("id",), f"role id '{role.id}' must match the file name '{path.stem}.yaml'"
                )
            roles[role.id] = (doc, role)
        return roles

    def _read_key_accounts(self, path: Path) -> tuple[Document, KeyAccountsFile] | None:
        """The optional scorecard: absent is fine, broken is a problem like any other file's."""
        if not path.exists():
            return None
        doc, data = self.parse(path, KeyAccountsFile)
        return (doc, data) if data else None

    @staticmethod
    def _unique(
        doc: Document, locs: list[tuple[str | int, ...]], values: Sequence[str], what: str
    ) -> None:
        seen: set[str] = set()
        for loc, value in zip(locs, values, strict=True):
            if value in seen:
                doc.problem(loc, f"duplicate {what} '{value}'")
            seen.add(value)

    @staticmethod
    def _source(
        doc: Document, loc: tuple[str | int, ...], refs: tuple[SourceRef, ...], known: set[str]
    ) -> None:
        for i, ref in enumerate(refs):
            if ref.id not in known:
                where = (*loc, "source", i, "id") if len(refs) > 1 else (*loc, "source", "id")
                doc.problem(where, f"unknown source '{ref.id}' (see sources.yaml)")

    def _check_roles(self, roles: dict[str, tuple[Document, Role]], sources: set[str]) -> None:
        claimed: dict[str, str] = {}
        duties = {d.text for _, role in roles.values() for d in role.duties}
        for rid, (doc, role) in roles.items():
            self._source(doc, ("summary",), role.summary.source, sources)
            self._check_duties(doc, role, sources)
            for i, disagreement in enumerate(role.disagreements):
                for j, view in enumerate(disagreement.views):
                    self._source(doc, ("disagreements", i, "views", j), view.source, sources)
                if disagreement.why is not None:
                    self._source(doc, ("disagreements", i, "why"), disagreement.why.source, sources)
                for j, duty in enumerate(disagreement.duties):
                    if duty not in duties:
                        where = ("disagreements", i, "duties", j)
                        doc.problem(where, f"'{duty}' is no role's duty")
            for facet, facts in role.facets.items():
                if not facts:
                    doc.problem(
                        ("facets", facet), f"facet '{facet}' has no facts (remove it instead)"
                    )
                for i, fact in enumerate(facts):
                    self._source(doc, ("facets", facet, i), fact.source, sources)
            for j, nickname in enumerate(role.nicknames):
                self._source(doc, ("nicknames", j), nickname.source, sources)
            locs: list[tuple[str | int, ...]] = [
                ("name",),
                ("short",),
                *(("aliases", j) for j in range(len(role.aliases))),
                *(("nicknames", j, "text") for j in range(len(role.nicknames))),
            ]
            self._check_unused(doc, (), role.aliases, role.unused_by_articles)
            for loc, alias in zip(locs, role.names, strict=True):
                key = alias_key(alias)
                owner = claimed.get(key)
                if owner is not None and owner != rid:
                    doc.problem(loc, f"alias '{alias}' is claimed by both '{owner}' and '{rid}'")
                claimed.setdefault(key, rid)

    def _check_duties(self, doc: Document, role: Role, sources: set[str]) -> None:
        """Each duty cites its lines, and a fact of the role rests on one of them, as one
        rests on a nickname's ("which role are the hunters?" is shown by it)."""
        facts = [role.summary, *(f for fs in role.facets.values() for f in fs)]
        shown = {(ref.id, line) for f in facts for ref in f.source for line in ref.lines}
        for i, duty in enumerate(role.duties):
            self._source(doc, ("duties", i), duty.source, sources)
        named = [("duties", i, "duty", d, "does it") for i, d in enumerate(role.duties)]
        named += [
            ("nicknames", i, "nickname", n, "is called so") for i, n in enumerate(role.nicknames)
        ]
        for key, i, what, item, why in named:
            cited = {(ref.id, line) for ref in item.source for line in ref.lines}
            if not cited & shown:
                doc.problem(
                    (key, i),
                    f"{what} '{item.text}': no fact of the role cites the same lines, so an "
                    f"answer could not show why the role {why}",
                )

    def _check_comparisons(
        self, doc: Document, data: ComparisonsFile, roles: set[str], sources: set[str]
    ) -> None:
        self._unique(
            doc,
            [("comparisons", i, "id") for i in range(len(data.comparisons))],
            [c.id for c in data.comparisons],
            "comparison id",
        )
        for i, comp in enumerate(data.comparisons):
            here = ("comparisons", i)
            for j, rid in enumerate(comp.roles):
                if rid not in roles:
                    doc.problem((*here, "roles", j), f"unknown role '{rid}'")
            for group in ("summary", "notes"):
                for j, fact in enumerate(getattr(comp, group)):
                    self._source(doc, (*here, group, j), fact.source, sources)
            for j, aspect in enumerate(comp.aspects):
                loc = (*here, "aspects", j, "values")
                if set(aspect.values) != set(comp.roles):
                    doc.problem(
                        loc,
                        f"aspect '{aspect.label}' must give a value for each of "
                        f"{', '.join(comp.roles)}",
                    )
                for rid, fact in aspect.values.items():
                    self._source(doc, (*loc, rid), fact.source, sources)

    def _check_vocabulary(
        self, doc: Document, data: Vocabulary, roles: set[str], sources: set[str]
    ) -> None:
        """The people quoted and the names that fit several roles name known roles; who each
        person is cites known articles."""
        for i, person in enumerate(data.people):
            if person.role not in roles:
                doc.problem(("people", i, "role"), f"unknown role '{person.role}'")
            self._source(doc, ("people", i, "about"), person.about.source, sources)
        for i, name in enumerate(data.ambiguous_names):
            for j, role in enumerate(name.roles):
                if role not in roles:
                    doc.problem(("ambiguous_names", i, "roles", j), f"unknown role '{role}'")

    def _check_topics(
        self, doc: Document, data: TopicsFile, roles: set[str], sources: set[str]
    ) -> None:
        self._unique(
            doc,
            [("topics", i, "id") for i in range(len(data.topics))],
            [t.id for t in data.topics],
            "topic id",
        )
        for i, topic in enumerate(data.topics):
            here = ("topics", i)
            self._source(doc, (*here, "summary"), topic.summary.source, sources)
            for j, fact in enumerate(topic.facts):
                self._source(doc, (*here, "facts", j), fact.source, sources)
            for j, rid in enumerate(topic.related_roles):
                if rid not in roles:
                    doc.problem((*here, "related_roles", j), f"unknown role '{rid}'")

    @staticmethod
    def _check_unused(
        doc: Document, here: tuple[str | int, ...], aliases: list[str], unused: list[str]
    ) -> None:
        """Each name no article uses is one of the aliases it is read by."""
        known = {alias_key(a) for a in aliases}
        for j, name in enumerate(unused):
            if alias_key(name) not in known:
                doc.problem((*here, "unused_by_articles", j), f"'{name}' is not one of the aliases")

    def _check_recommend(
        self, doc: Document, data: RecommendFile, roles: set[str], sources: set[str]
    ) -> None:
        places: list[tuple[tuple[str | int, ...], str, tuple[SourceRef, ...]]] = [
            (("newcomer",), data.newcomer.role, data.newcomer.source),
            *(
                (("newcomer", "also", i), also.role, also.source)
                for i, also in enumerate(data.newcomer.also)
            ),
            *((("checks", i), check.role, check.source) for i, check in enumerate(data.checks)),
            *(
                (("degrees", "roles", i), degree.role, degree.source)
                for i, degree in enumerate(data.degrees.roles if data.degrees else ())
            ),
            *((("goals", i), goal.role, goal.source) for i, goal in enumerate(data.goals)),
            *((("traits", i), t.role, t.source) for i, t in enumerate(data.traits)),
        ]
        for loc, role, refs in places:
            if role not in roles:
                doc.problem((*loc, "role"), f"unknown role '{role}'")
            self._source(doc, loc, refs, sources)

    def _check_career(
        self, doc: Document, data: CareerFile, roles: set[str], sources: set[str]
    ) -> None:
        steps = [s.id for s in data.steps]
        self._unique(doc, [("steps", i, "id") for i in range(len(steps))], steps, "step id")
        for i, step in enumerate(steps):
            if step in roles:
                doc.problem(("steps", i, "id"), f"step '{step}' is already a role")
        nodes = roles | set(steps)
        for i, move in enumerate(data.moves):
            for end, value in (("from", move.from_), ("to", move.to)):
                if value not in nodes:
                    doc.problem(
                        ("moves", i, end), f"career move names unknown role or step '{value}'"
                    )
            self._source(doc, ("moves", i), move.source, sources)

    def _check_key_accounts(
        self, key_accounts: tuple[Document, KeyAccountsFile], sources: set[str]
    ) -> None:
        doc, data = key_accounts
        groups = [g.id for g in data.groups]
        self._unique(doc, [("groups", i, "id") for i in range(len(groups))], groups, "group id")
        criteria = [c.id for c in data.criteria]
        self._unique(
            doc, [("criteria", i, "id") for i in range(len(criteria))], criteria, "criterion id"
        )
        for i, criterion in enumerate(data.criteria):
            if criterion.group not in groups:
                doc.problem(
                    ("criteria", i, "group"),
                    f"criterion '{criterion.id}' names unknown group '{criterion.group}' "
                    f"(one of: {', '.join(groups)})",
                )
        for i, note in enumerate(data.method):
            self._source(doc, ("method", i), note.source, sources)
        for i, group in enumerate(data.groups):
            self._source(doc, ("groups", i), group.source, sources)


def read_knowledge(root: Path = DEFAULT_KNOWLEDGE_DIR) -> tuple[Knowledge | None, list[Problem]]:
    """Load and check a knowledge directory; returns the knowledge (None if broken) and problems."""
    reader = _Reader(Path(root))
    knowledge = reader.read()
    return knowledge, reader.problems()


def load_knowledge(root: Path = DEFAULT_KNOWLEDGE_DIR) -> Knowledge:
    """Load a knowledge directory or raise ``KnowledgeError`` listing every problem."""
    knowledge, problems = read_knowledge(root)
    if knowledge is None:
        raise KnowledgeError(problems)
    return knowledge
