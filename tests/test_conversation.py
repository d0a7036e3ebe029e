"""Conversations: follow-ups keep context, "more" continues, declines take none, and each
person's conversation is their own and expires when idle."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation, Conversations, converse
from bot.understanding import Reading

AE, AM, SDR, CSM = (
    "account_executive",
    "account_manager",
    "sales_development_rep",
    "customer_success_manager",
)
NAM, RAM = "national_account_manager", "regional_account_manager"


def talk(advisor, *messages):
    """Each message's answer, in one conversation."""
    conversation = Conversation()
    answers = []
    for message in messages:
        answer, conversation = converse(advisor, message, conversation)
        answers.append(answer)
    return answers


def frame(answer):
    r = answer.reading
    return (r.intent, r.roles, r.facet)


def test_role_switch_then_facet_switch(advisor):
    answers = talk(advisor, "AE metrics", "what about AMs?", "and their salary?")
    assert [frame(a) for a in answers] == [
        ("role_info", (AE,), "metrics"),
        ("role_info", (AM,), "metrics"),
        ("role_info", (AM,), "compensation"),
    ]


def test_facet_switch_keeps_the_role(advisor):
    answers = talk(advisor, "what does a CSM do?", "how are they measured?")
    assert frame(answers[1]) == ("role_info", (CSM,), "metrics")


def test_compare_them_compares_the_last_two_roles(advisor):
    answers = talk(advisor, "AE skills", "and SDR?", "compare them")
    assert frame(answers[2]) == ("compare", (AE, SDR), "skills")


def test_who_uses_it_after_a_topic_names_the_roles_it_is_for(advisor):
    answers = talk(advisor, "what's BANT?", "who uses it?")
    assert answers[1].reading.intent == "which_role"
    assert answers[1].reading.roles == (SDR,)


def test_it_after_a_career_answer_is_the_role_it_leads_to(advisor):
    answers = talk(advisor, "I'm an SDR, what's my next step?", "what skills will I need for it?")
    assert frame(answers[0]) == ("role_info", (SDR,), "career_path")
    assert frame(answers[1]) == ("role_info", (AE,), "skills")


def test_more_shows_the_next_part_and_then_says_that_was_all(advisor):
    answers = talk(advisor, "AE vs AM", "more")
    assert answers[1].reading.page == 1
    assert answers[1].text != answers[0].text
    pages = talk(advisor, "AE vs AM", *["more"] * 8)
    assert "That was everything" in pages[-1].text
    one_page = talk(advisor, "CSM metrics", "more")
    assert "That was everything" in one_page[1].text


@pytest.mark.parametrize("more", ["can you elaborate?", "pls tell me more", "expand"])
def test_asked_to_elaborate_it_shows_the_next_part(advisor, more):
    # stop 23
    answers = talk(advisor, "AE vs AM", more)
    assert answers[1].reading.page == 1


def test_more_with_nothing_before_asks_which_role(advisor):
    answers = talk(advisor, "more detail pls")
    assert answers[0].reading.intent == "clarify"
    assert answers[0].text.startswith("Which role do you mean")


def test_back_to_a_role_after_another_question(advisor):
    answers = talk(advisor, "CSM metrics", "what is BANT", "back to CSMs: what skills?")
    assert frame(answers[2]) == ("role_info", (CSM,), "skills")


def test_an_unrelated_question_is_declined_and_does_not_take_the_context(advisor):
    answers = talk(advisor, "AE metrics", "how do I reset my password?", "and their salary?")
    assert answers[1].reading.intent == "unknown"
    assert frame(answers[2]) == ("role_info", (AE,), "compensation")


def test_thanks_does_not_take_the_context(advisor):
    answers = talk(advisor, "AE metrics", "thanks!", "and their salary?")
    assert answers[1].reading.intent == "thanks"
    assert frame(answers[2]) == ("role_info", (AE,), "compensation")


def test_a_follow_up_answers_the_new_part_only(advisor):
    _, second = talk(advisor, "what does an SDR do?", "what about their metrics?")
    summary = advisor.knowledge.roles[SDR].summary.text
    assert frame(second) == ("role_info", (SDR,), "metrics")
    assert summary not in second.text


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_conversations_expire_when_idle(advisor):
    clock = Clock()
    store = Conversations(idle=1800, clock=clock)
    store.ask(advisor, "U1", "AE metrics")
    clock.now += 1799
    assert frame(store.ask(advisor, "U1", "what about AMs?")) == ("role_info", (AM,), "metrics")
    clock.now += 1801
    assert store.ask(advisor, "U1", "what about AMs?").reading.facet is None
    assert store.get("U1").turns[-1].reading.roles == (AM,)


def test_conversations_never_leak_between_people_or_places(advisor):
    store = Conversations()
    store.ask(advisor, ("D1", "U1"), "AE metrics")
    store.ask(advisor, ("D2", "U2"), "CSM skills")
    assert frame(store.ask(advisor, ("D1", "U1"), "what about AMs?")) == (
        "role_info",
        (AM,),
        "metrics",
    )
    assert frame(store.ask(advisor, ("D2", "U2"), "what about AMs?")) == (
        "role_info",
        (AM,),
        "skills",
    )
    assert store.get(("C1", "U1")).turns == ()


def test_conversations_are_bounded(advisor):
    store = Conversations(max_items=2)
    for user in ("U1", "U2", "U3"):
        store.ask(advisor, user, "AE metrics")
    assert store.get("U1").turns == ()
    assert store.get("U3").turns


@pytest.mark.parametrize("message", ["", "   ", "<!channel>", "{{ 7*7 }}", "more" * 500])
def test_hostile_follow_ups_answer(advisor, message):
    [_, answer] = talk(advisor, "AE metrics", message)
    assert answer.text.strip()


def test_how_is_that_different_from_another_one_compares_the_two(advisor):
    answers = talk(
        advisor, "what's a national account manager?", "how is that different from a regional one?"
    )
    assert frame(answers[1])[:2] == ("compare", (NAM, RAM))


def test_compare_them_with_no_roles_asks_which_pair_with_buttons_that_compare(advisor):
    [answer] = talk(advisor, "compare the two")
    assert answer.reading.intent == "clarify"
    assert "Which roles do you want me to compare" in answer.text
    buttons = [e for b in answer.blocks if b["type"] == "actions" for e in b["elements"]]
    clicked = Reading.from_value(buttons[0]["value"])
    assert clicked.intent == "compare"
    assert len(clicked.roles) == 2
    assert advisor.answer(clicked).reading.intent == "compare"


def test_compare_them_with_one_role_known_pairs_it_with_each_other_role(advisor):
    answers = talk(advisor, "AE metrics", "compare them")
    buttons = [e for b in answers[1].blocks if b["type"] == "actions" for e in b["elements"]]
    readings = [Reading.from_value(b["value"]) for b in buttons]
    assert all(r.roles[0] == AE and r.facet == "metrics" for r in readings)
    # Each other role the articles give metrics for: no comparison with an empty side.
    others = [r for r in advisor.knowledge.roles.values() if r.id != AE and "metrics" in r.facets]
    assert [r.roles[1] for r in readings] == [r.id for r in others]


@pytest.mark.parametrize(
    ("reply", "role"),
    [
        ("the first one", AM),
        ("2", AE),
        ("the latter", AE),
        ("first", AM),
        ("I meant the second", AE),
    ],
)
def test_a_clarifying_question_is_answered_by_naming_its_choice(advisor, reply, role):
    answers = talk(advisor, "what do account reps earn?", reply)
    assert frame(answers[0]) == ("clarify", (AM, AE), "compensation")
    assert frame(answers[1]) == ("role_info", (role,), "compensation")


def test_an_ambiguous_name_asks_even_with_a_role_in_the_context(advisor):
    answers = talk(advisor, "AE metrics", "what does an account person do?", "AE")
    assert frame(answers[1]) == ("clarify", (AM, AE), "responsibilities")
    assert frame(answers[2]) == ("role_info", (AE,), "responsibilities")


def test_she_and_he_after_someone_the_articles_quote_are_about_them(advisor):
    # review 11: all three follow-ups were declined
    answers = talk(
        advisor,
        "who is amanda sides",
        "what was her advice?",
        "and what did golden say?",
        "when was he interviewed",
    )
    assert [(a.reading.intent, a.reading.person) for a in answers[1:]] == [
        ("person", "Amanda Sides"),
        ("role_info", "John Golden"),
        ("person", "John Golden"),
    ]
    # review 12: the advice asked leads what is said of her
    first = next(line for line in answers[1].text.splitlines() if line.startswith("•"))
    assert first.startswith("• Amanda Sides' advice")
    assert "25 February 2015" in answers[3].text


def test_that_compared_with_the_role_a_career_path_leads_to_is_the_role_asked_about(advisor):
    # review 11: after the AM's career path (which leads to the CSM), "that" was the CSM
    answers = talk(
        advisor,
        "what about account managers' career path?",
        "how does that compare with CSMs",
        "which one pays better",
    )
    assert frame(answers[1]) == ("compare", (AM, CSM), "career_path")
    assert frame(answers[2]) == ("compare", (AM, CSM), "compensation")
    # while "that" after "what comes after SDR?" is still the AE it leads to
    _, different = talk(advisor, "what comes after SDR?", "how is that different from an SDR?")
    assert frame(different) == ("compare", (AE, SDR), None)


def test_which_one_more_after_two_roles_compares_them(advisor):
    answers = talk(advisor, "tell me about NAMs", "and RAMs?", "which travels more")
    assert frame(answers[2]) == ("compare", (NAM, RAM), "work_environment")
    _, _, pay = talk(advisor, "what does an SDR do", "and an AE?", "who earns more")
    assert frame(pay) == ("compare", (SDR, AE), "compensation")


def test_the_difference_between_them_mistyped_compares_them_in_order(advisor):
    _, both = talk(advisor, "AE vs AM", "whats the diffrence betwen them")
    assert frame(both) == ("compare", (AE, AM), None)


def test_words_only_the_role_talked_about_says_are_about_it(advisor):
    # review 11: declined, though the AE's metrics had just been shown
    _, _, rate = talk(
        advisor, "what is pipeline health", "AE", "and how is retention rate calculated?"
    )
    assert frame(rate) == ("role_info", (AE,), "metrics")


def test_which_one_more_after_a_comparison_keeps_both_roles(advisor):
    # review 12: "which one travels more?" and "and their pay?" fell back to the AE alone
    answers = talk(
        advisor, "account exec vs sales manager", "which one travels more?", "and their pay?"
    )
    assert [frame(a) for a in answers[1:]] == [
        ("compare", (AE, "sales_manager"), "work_environment"),
        ("compare", (AE, "sales_manager"), "compensation"),
    ]


def test_who_else_is_quoted_after_someone_quoted_names_them_all(advisor):
    # review 12: declined in a DM, and "besides Amanda Sides" gave Amanda Sides again
    answers = talk(advisor, "who is amanda sides", "who else is quoted")
    assert answers[1].reading.intent == "person"
    assert "John Golden" in answers[1].text
    besides = advisor.ask("who else is quoted in the articles besides Amanda Sides")
    assert "John Golden" in besides.text


def test_a_facet_asked_in_a_few_unknown_words_after_a_role_is_about_it(advisor):
    # review 12: declined after "what does an AE do"
    _, skills = talk(advisor, "what does an AE do", "ok what skills should i work on first")
    assert frame(skills) == ("role_info", (AE,), "skills")
    _, weather = talk(advisor, "what does an AE do", "what's the weather like first thing")
    assert weather.reading.intent == "unknown"


def test_review_13_follow_ups(advisor):
    # a colleague's quota stays declined whatever came before
    _, quota = talk(advisor, "SDR vs sales manager metrics", "thanks! also whats Jen's quota")
    assert quota.reading.intent == "unknown"
    # a role added to a comparison, then the facet for all of them
    answers = talk(advisor, "SDR vs sales manager", "add AM to that", "ok and pay for all three")
    assert frame(answers[1]) == ("compare", (SDR, "sales_manager", AM), None)
    assert frame(answers[2]) == ("compare", (SDR, "sales_manager", AM), "compensation")
    # what the articles do not cover, asked of the role talked about
    _, timing = talk(advisor, "what does an SDR do", "how long does it usually take to move up?")
    assert (*frame(timing), timing.reading.gap) == (
        "role_info",
        (SDR,),
        "career_path",
        "promotion_time",
    )


def test_she_is_still_the_one_quoted_after_a_question_about_her_role(advisor):
    # review 13: after "how long was she a junior AM?", "what advice did she give?" was declined
    answers = talk(
        advisor,
        "who is Amanda Sides?",
        "how long was she a junior AM?",
        "what advice did she give?",
    )
    assert answers[1].reading.person == "Amanda Sides"
    assert (answers[2].reading.intent, answers[2].reading.person) == ("person", "Amanda Sides")


def test_how_long_that_takes_after_a_move_asks_of_the_move_not_where_it_leads(advisor):
    # review 14: declined, then read as the sales manager's, the role the AE's path leads to
    answers = talk(advisor, "and how do i move up to AE", "how long does that usualy take")
    assert frame(answers[1]) == ("role_info", (AE,), "career_path")
    assert answers[1].reading.gap == "promotion_time"
    assert "don't cover *how long a promotion takes*" in answers[1].text
