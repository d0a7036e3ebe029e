"""Reading accuracy on the labelled question sets (the figures README reports).

These are quality bars, not unit tests: a failure lists the first misses so they can be fixed in
knowledge/vocabulary.yaml or the reader.
"""

from __future__ import annotations

import pytest

from bot.evaluate import (
    DATA,
    DEV_DECLINES,
    SHARED_DATA,
    Score,
    declines,
    load_cases,
    load_lines,
    matches,
    score_declines,
    score_readings,
)
from bot.understanding import Reading

SHOWN = 15
AE = "account_executive"
AM = "account_manager"
RAM = "regional_account_manager"
OUT_OF_SCOPE = SHARED_DATA / "out_of_scope_dev.txt"


def misses(score: Score, what: str) -> str:
    lines = [f"{what}: {score.right}/{score.total} = {score.rate:.2%}; first misses:"]
    for question, want, got in score.misses[:SHOWN]:
        lines.append(f"  {question!r}\n      want {want}\n      got  {got}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def reader(advisor):
    return advisor.reader


# The bar for each development set, a little under what the reader reaches: (read right, at
# most wrongly declined). The first three were tuned on most; blind_dev.yaml was written from
# the articles by someone who never saw the lexicon (and part of the facet model's training).
# The fourth, sixth and seventh blind sets were read once untouched in stop 14 (84.6%, 84.9%
# and 85.0%; 5.0%, 4.1% and 5.3% wrongly declined), the seventh after the stop's other work.
# All four label "what is an SDR?" as asking for the overview. in_scope.yaml's one "declined"
# question is labelled so: it asks what a "farmer" is, a name no article gives a role. The
# second and third blind sets were each read once untouched before any work on them; the fifth
# was the second held-out set until stop 14 (read once: 90.8%). The eighth was read once
# untouched in stop 15 (82.7%, 3.6% wrongly declined), its which_role labels set to no facet
# as in the other sets. The ninth, written to tune declines on, was read once untouched in
# stop 15: 93.7% right, 1.3% wrongly declined, and 75.8% of its 120 near-domain questions
# declined. The twentieth to twenty-second, of stop 19, were read first untouched at 79.8%,
# 81.6% and 80.5% (8.4%, 7.8% and 10.4% wrongly declined). The twenty-ninth and thirtieth, of
# stop 22, at 70.8% and 76.1% (12.7% and 7.2%); the thirty-first and thirty-second, of stop 23,
# at 70.9% and 70.8% (13.4% and 14.0%), the thirty-third and thirty-fourth, of the same stop
# after its first round of work, at 74.7% and 68.0% (9.2% and 20.3%), the thirty-fifth (English
# only, a quarter by non-native writers), later in the stop, at 90.9% (1.5%), and the thirty-
# sixth, with it, at 78.5% (6.6%). The thirty-seventh and thirty-eighth, of stop 24, read first
# untouched at 72.0% and 69.2% (12.2% and 14.3%); the thirty-ninth to forty-second, later in
# it, in languages held-out sets hold too (Japanese and Italian, Russian and Polish, Indonesian
# and Vietnamese, Norwegian, Danish and Czech), at 74.0%, 71.5%, 69.8% and 73.0% (16.9%, 13.7%,
# 14.0% and 12.1%). The forty-third to forty-fifth, of stop 25, mostly English (a medical-devices
# maker, Spanish; an HR-software vendor, terse, French; a commercial printer, long and indirect,
# German), at 84.3%, 87.0% and 84.6% (6.0%, 4.1% and 7.0%); the forty-sixth to forty-ninth, later
# in it (a cybersecurity vendor, Portuguese; car dealerships, English typed fast on phones; an
# ad agency, Hinglish; a wine and spirits distributor, Italian), at 85.9%, 90.5%, 87.5% and 85.5%
# (6.7%, 3.7%, 4.3% and 5.8%); the fiftieth to fifty-third, last (a sportswear brand, Dutch; a
# diagnostics lab, Turkish; an edtech company, formal, Korean; a freight company, pasted threads,
# Swedish), at 85.9%, 84.0%, 82.8% and 85.1% (5.4%, 5.5%, 7.8% and 4.9%).
BARS = {
    "in_scope.yaml": (0.98, 0.01),
    "in_scope_dev2.yaml": (0.97, 0.02),
    "in_scope_dev3.yaml": (0.93, 0.015),
    "blind_dev.yaml": (0.93, 0.02),
    "blind_dev2.yaml": (0.92, 0.02),
    "blind_dev3.yaml": (0.96, 0.01),
    "blind_dev4.yaml": (0.90, 0.03),
    "blind_dev5.yaml": (0.95, 0.025),
    "blind_dev6.yaml": (0.88, 0.03),
    "blind_dev7.yaml": (0.92, 0.03),
    "blind_dev8.yaml": (0.86, 0.03),
    "blind_dev9.yaml": (0.92, 0.02),
    "blind_dev10.yaml": (0.86, 0.05),
    "blind_dev11.yaml": (0.86, 0.05),
    "blind_dev12.yaml": (0.83, 0.08),
    "blind_dev13.yaml": (0.86, 0.05),
    "blind_dev14.yaml": (0.90, 0.04),
    "blind_dev15.yaml": (0.86, 0.05),
    "blind_dev16.yaml": (0.90, 0.02),
    "blind_dev17.yaml": (0.87, 0.04),
    "blind_dev18.yaml": (0.86, 0.04),
    "blind_dev19.yaml": (0.89, 0.03),
    "blind_dev20.yaml": (0.89, 0.035),
    "blind_dev21.yaml": (0.88, 0.02),
    "blind_dev22.yaml": (0.87, 0.07),
    "blind_dev23.yaml": (0.83, 0.07),
    "blind_dev24.yaml": (0.83, 0.07),
    "blind_dev25.yaml": (0.88, 0.05),
    "blind_dev26.yaml": (0.84, 0.07),
    "blind_dev27.yaml": (0.78, 0.09),
    "blind_dev28.yaml": (0.84, 0.07),
    "blind_dev29.yaml": (0.84, 0.05),
    "blind_dev30.yaml": (0.88, 0.02),
    "blind_dev31.yaml": (0.91, 0.03),
    "blind_dev32.yaml": (0.91, 0.04),
    "blind_dev33.yaml": (0.92, 0.035),
    "blind_dev34.yaml": (0.91, 0.055),
    "blind_dev35.yaml": (0.89, 0.02),
    "blind_dev36.yaml": (0.91, 0.045),
    "blind_dev37.yaml": (0.89, 0.05),
    "blind_dev38.yaml": (0.86, 0.06),
    "blind_dev39.yaml": (0.90, 0.055),
    "blind_dev40.yaml": (0.85, 0.045),
    "blind_dev41.yaml": (0.84, 0.055),
    "blind_dev42.yaml": (0.86, 0.05),
    "blind_dev43.yaml": (0.85, 0.06),
    "blind_dev44.yaml": (0.87, 0.045),
    "blind_dev45.yaml": (0.85, 0.07),
    "blind_dev46.yaml": (0.87, 0.07),
    "blind_dev47.yaml": (0.90, 0.04),
    "blind_dev48.yaml": (0.88, 0.045),
    "blind_dev49.yaml": (0.86, 0.06),
    "blind_dev50.yaml": (0.86, 0.06),
    "blind_dev51.yaml": (0.84, 0.06),
    "blind_dev52.yaml": (0.83, 0.08),
    "blind_dev53.yaml": (0.85, 0.05),
}


@pytest.fixture(scope="module", params=list(BARS))
def in_scope(request):
    cases = load_cases(DATA / request.param)
    assert len(cases) >= 100
    return request.param, cases


def test_in_scope_accuracy(reader, in_scope):
    name, cases = in_scope
    score = score_readings(lambda c: reader.read(c.question), cases)
    assert score.total == len(cases)
    good = score.rate >= BARS[name][0]
    assert good, misses(score, f"{name} reading accuracy")


def test_in_scope_rarely_declined(reader, in_scope):
    name, cases = in_scope
    declined = Score()
    for case in cases:
        got = reader.read(case.question)
        declined.total += 1
        if declines(got):
            declined.right += 1
            declined.misses.append((case.question, case.expected.intent, "unknown"))
    good = declined.rate <= BARS[name][1]
    assert good, misses(declined, f"{name}: in-scope questions wrongly declined")


def test_follow_ups(reader):
    cases = load_cases(DATA / "followups.yaml")
    assert cases
    assert all(c.prev is not None for c in cases)
    score = score_readings(lambda c: reader.read(c.question, context=c.prev), cases)
    good = score.rate >= 0.9
    assert good, misses(score, "follow-up reading accuracy")


# The share of each near-domain development set declined, at least: 97%, but for the seventh
# blind one (read first, untouched: 95.2%; its misses are a weather model called NAM, a
# company's headcount and scoring a lead for the asker), the ninth (87.1% read first), the
# tenth (75.8% read first) and the eleventh (86.6% read first; greetings are answered
# with the help and thanks with a short reply, which it counts as misses).
DECLINE_BARS = {
    "near_domain_blind_dev7.txt": 0.95,
    "near_domain_blind_dev9.txt": 0.95,
    "near_domain_blind_dev10.txt": 0.90,
    "near_domain_blind_dev11.txt": 0.92,
    "near_domain_blind_dev14.txt": 0.90,
    "near_domain_blind_dev15.txt": 0.93,
    "near_domain_blind_dev16.txt": 0.88,
    "near_domain_blind_dev17.txt": 0.90,
    "near_domain_blind_dev18.txt": 0.90,
    "near_domain_blind_dev19.txt": 0.95,
    "near_domain_blind_dev20.txt": 0.87,
    "near_domain_blind_dev21.txt": 0.92,
    "near_domain_blind_dev22.txt": 0.95,
    "near_domain_blind_dev23.txt": 0.95,
    "near_domain_blind_dev24.txt": 0.95,
    "near_domain_blind_dev25.txt": 0.97,
    "near_domain_blind_dev26.txt": 0.95,
    "near_domain_blind_dev27.txt": 0.97,
    "near_domain_blind_dev28.txt": 0.92,
    "near_domain_blind_dev29.txt": 0.95,
    "near_domain_blind_dev30.txt": 0.97,
    # "are you a person or a bot lol" asks which role is meant ("person" is the stem of
    # "personality", a skills word)
    "near_domain_blind_dev35.txt": 0.95,
    "near_domain_blind_dev37.txt": 0.95,
}


@pytest.mark.parametrize("name", DEV_DECLINES)
def test_near_domain_declines(reader, name):
    questions = load_lines(DATA / name)
    assert questions
    score = score_declines(reader.read, questions)
    good = score.rate >= DECLINE_BARS.get(name, 0.97)
    assert good, misses(score, "near-domain questions declined")


@pytest.mark.skipif(
    not OUT_OF_SCOPE.exists(),
    reason=f"shared CLINC150 out-of-scope set not found at {OUT_OF_SCOPE}",
)
def test_out_of_scope_declines(reader):
    questions = load_lines(OUT_OF_SCOPE)
    assert len(questions) >= 100
    score = score_declines(reader.read, questions)
    good = score.rate >= 0.99
    assert good, misses(score, "out-of-scope (CLINC150) declined")


@pytest.mark.parametrize("topic", ["freelancing", "key_accounts", "bant"])
def test_a_topic_reading_is_scored_by_its_topic_as_its_answer_is(advisor, topic):
    # Writers label "pros and cons of freelance account management?" with and without the AM;
    # the answer is the same either way, so the score does not tell them apart.
    plain, named = Reading("topic", topic=topic), Reading("topic", roles=(AM,), topic=topic)
    assert advisor.answer(plain).blocks == advisor.answer(named).blocks
    assert advisor.answer(plain).text == advisor.answer(named).text
    assert matches(named, plain)
    assert matches(plain, named)
    assert not matches(Reading("topic", topic="bant"), Reading("topic", topic="freelancing"))
    assert not matches(Reading("role_info", roles=(AM,)), named)


@pytest.mark.parametrize("role", [AE, AM])
def test_a_role_overview_and_the_whole_role_are_scored_alike(advisor, role):
    # Writers label "tell me about the sales manager role" both ways; both answers open with
    # the role's definition and its overview.
    whole, overview = Reading("role_info", roles=(role,)), Reading("role_info", (role,), "overview")
    first = advisor.answer(whole).text.split("\n\n")[1]
    assert first == advisor.answer(overview).text.split("\n\n")[1]
    assert "*Overview*" in advisor.answer(whole).text
    assert matches(whole, overview)
    assert matches(overview, whole)
    assert not matches(Reading("role_info", (role,), "skills"), whole)
    assert not matches(Reading("compare", (AE, AM), "overview"), Reading("compare", (AE, AM)))


def test_a_fit_read_as_who_does_it_is_right_with_the_same_role(advisor, reader):
    # "... which role works with them?" answered as "who works with distributors?" names the
    # role with the fact that shows it, as a recommendation does (and the other way round)
    got = reader.read("I know every independent distributor up north, which role works with them?")
    assert (got.intent, got.roles[:1]) == ("which_role", (RAM,))
    assert advisor.answer(got).text.startswith("*Regional Account Manager (RAM)*")
    assert matches(got, Reading("recommend", roles=(RAM,)))
    assert matches(Reading("recommend", roles=(RAM,)), Reading("which_role", roles=(RAM,)))
    assert not matches(got, Reading("recommend", roles=(AE,)))


def test_a_role_the_articles_do_not_describe_is_answered_not_declined(advisor, reader):
    # Writers label "what does a sales engineer do?" as about no role; the answer says no
    # article describes it and names those that do, so it is right, and not a decline.
    got = reader.read("what does a sales engineer do?")
    assert got.intent == "unknown"
    assert got.uncovered
    text = advisor.answer(got).text
    assert "None of the five articles describes the *Sales Engineer* role" in text
    assert "Account Executive (AE)" in text
    assert matches(got, Reading("role_info", facet="responsibilities"))
    assert not declines(got)
    assert declines(reader.read("how do I reset my Okta password"))
    assert not matches(reader.read("how do I reset my Okta password"), Reading("role_info"))
    assert not matches(Reading("role_info", roles=(AM,)), Reading("role_info"))


def test_a_question_about_a_quoted_person_is_right_when_the_answer_leads_with_them(
    advisor, reader
):
    got = reader.read("what advice does Amanda Sides give to people starting out?")
    assert got.person == "Amanda Sides"
    assert advisor.answer(got).text.split("\n\n")[1].startswith("*Amanda Sides*\n")
    assert matches(got, Reading("person"))
    assert not matches(Reading("role_info", roles=(AM,), facet="career_path"), Reading("person"))
