"""Understanding: questions (as typed in Slack) read into intent, roles, facet and topic."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.knowledge import read_knowledge
from bot.knowledge.schema import FACET_IDS
from bot.paths import KNOWLEDGE_DIR
from bot.understanding import Reading
from bot.understanding.facet_model import MODEL_FILE, FacetModel, features, train
from bot.understanding.lexicon import Duty, DutyIndex, Entry
from bot.understanding.normalize import MAX_CHARS, Translator, clean, tokenize
from bot.understanding.reading import INTENT_IDS

AE = "account_executive"
AM = "account_manager"
SDR = "sales_development_rep"
SM = "sales_manager"
CSM = "customer_success_manager"
NAM = "national_account_manager"
RAM = "regional_account_manager"


def read(advisor, text, context=None):
    return advisor.read(text, context=context)


def assert_sane(advisor, reading):
    """What every reading must be, whatever the input."""
    assert reading.intent in INTENT_IDS
    assert reading.facet is None or reading.facet in FACET_IDS
    assert reading.topic is None or reading.topic in advisor.knowledge.topics
    assert all(r in advisor.knowledge.roles for r in reading.roles)
    assert len(set(reading.roles)) == len(reading.roles)
    assert len(reading.roles) <= 8
    assert 0.0 <= reading.confidence <= 1.0
    assert len(reading.question) <= MAX_CHARS
    json.dumps(reading.as_dict())  # the public contract is JSON


# -- readings from the issue's examples ------------------------------------------------------

COMPARE_AE_AM = [
    "AE vs AM?",
    "AE v AM",
    "AE versus AM",
    "AE/AM",
    "AE or AM?",
    "AE compared to AM",
    "difference between AE and AM",
    "<@U07ABC123> AE vs AM?",
    "<!here> AE vs AM",
]


@pytest.mark.parametrize("question", COMPARE_AE_AM)
def test_compare_ae_am(advisor, question):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == ("compare", (AE, AM), None)


def test_lowercase_am_vs_ae_keeps_the_order_named(advisor):
    reading = read(advisor, "am vs ae")
    assert (reading.intent, reading.roles) == ("compare", (AM, AE))


EXPECTED = {
    "sales manager vs AE salary": ("compare", (SM, AE), "compensation", None),
    "AE vs AM vs CSM": ("compare", (AE, AM, CSM), None, None),
    ":thinking_face: AE vs SDR": ("compare", (AE, SDR), None, None),
    "what metrics for CSM?": ("role_info", (CSM,), "metrics", None),
    "what comes after SDR?": ("role_info", (SDR,), "career_path", None),
    "AEs": ("role_info", (AE,), None, None),
    "accout executive": ("role_info", (AE,), None, None),
    "custmer sucess manager": ("role_info", (CSM,), None, None),
    "<#C024BE91L|sales> what does an SDR do": ("role_info", (SDR,), "responsibilities", None),
    "<https://x.y|this post> AE metrics": ("role_info", (AE,), "metrics", None),
    "how much am I paid as an AE": ("role_info", (AE,), "compensation", None),
    "what is BANT?": ("topic", (), None, "bant"),
    "how much do they make?": ("clarify", (), "compensation", None),
    "hi": ("help", (), None, None),
    "help": ("help", (), None, None),
    "what roles do you know?": ("list_roles", (), None, None),
    "am i connected to wifi": ("unknown", (), None, None),
    "how do I delete my account": ("unknown", (), None, None),
    "executive summary template": ("unknown", (), None, None),
    "who is the account manager for Acme?": ("unknown", (), None, None),
    "who's the AE on the Globex deal?": ("unknown", (), None, None),
    "how much RAM does my laptop need": ("unknown", (), None, None),
    "can an SDR become a sales manager?": ("role_info", (SDR,), "career_path", None),
    "what comes after senior AE?": ("role_info", (AE,), "career_path", None),
    "national vs regional account manager": ("compare", (NAM, RAM), None, None),
    "biz dev rep salary": ("role_info", (SDR,), "compensation", None),
    "sorry, what is that role again in simple words?": ("clarify", (), "overview", None),
    "what sort of stuff can I ask you? :wave:": ("help", (), None, None),
    # blind_dev17: Irish and Australian English, a job board read out
    "<@U0SALESBOT> what sort of questions can i ask ya": ("help", (), None, None),
    "grand, and the pay?": ("clarify", (), "compensation", None),
    "and who are their clients?": ("clarify", (), "stakeholders", None),
    # review 18b
    'what does "360 degree vision" mean for an AM?': ("role_info", (AM,), "skills", None),
    "what advice is there for young people wanting to be an AM?": (
        "role_info",
        (AM,),
        "career_path",
        None,
    ),
    "reg. account mgr??": ("role_info", (RAM,), None, None),
    "is that remote friendly?": ("clarify", (), "work_environment", None),
    "ok but what is it, in a sentence": ("clarify", (), "overview", None),
    "acc exec - can i move into managment from there eventually?": (
        "role_info",
        (AE,),
        "career_path",
        None,
    ),
    "How many years of experience would be expected?": ("clarify", (), "experience", None),
    # where the articles disagree
    "any contradictions about account managers?": ("disputes", (AM,), None, None),
    "do the articles agree on what SDRs earn?": ("disputes", (SDR,), "compensation", None),
    "how long before a promotion as an AM?": ("role_info", (AM,), "career_path", None),
    # what employers look for: the insiders' article answers with a degree and experience
    "I'm hiring an AM, what should I look for in candidates?": (
        "role_info",
        (AM,),
        "experience",
        None,
    ),
    # a slash command typed into a message (stop 20)
    "/roles am": ("role_info", (AM,), None, None),
    "/role am pay": ("role_info", (AM,), "compensation", None),
    "/compare ae, am and sdr": ("compare", (AE, AM, SDR), None, None),
    "/rolebot list": ("list_roles", (), None, None),
    "/salesroles help": ("help", (), None, None),
    "/rolebot what does an AE do?": ("role_info", (AE,), "responsibilities", None),
    "/remind me to call the AE": ("unknown", (), None, None),
    # stop 21: doing the demo is the AE's (000 l.6), booking it the SDR's (004 l.85); from
    # stop 25 the AE, matched only through the demo the SDR's duty names as typed, is not
    # offered as one who books it
    "who does the demo and the proposal": ("which_role", (AE,), None, None),
    "who books the demo": ("which_role", (SDR,), None, None),
    # the issues clients raise are the AM's (000 l.15), not a decline
    "when a client has a problem, who handles it?": ("which_role", (AM,), None, None),
    "whose problem is it when a client complains": ("which_role", (AM,), None, None),
    # a clause telling the asker's own plans is the setting, its names no particular account
    "tell me about the RAM role, we're creating one for the Baltics": (
        "role_info",
        (RAM,),
        None,
        None,
    ),
    "who is the NAM for Walmart, we're pitching them": ("unknown", (), None, None),
    "which sales role should own renewals?": ("which_role", (AM,), None, None),
    "which sales roles are there?": ("list_roles", (), None, None),
    # "all day" is day-to-day work only when no other facet is asked
    "SDR work environment — is it a call center vibe? headset all day?": (
        "role_info",
        (SDR,),
        "work_environment",
        None,
    ),
    "what do they do all day": ("clarify", (), "responsibilities", None),
    # a "that" opening a clause points back at nothing: the first sentence is the setting
    "Our PMs already talk to clients every day. What would an account manager do that is "
    "different? what are their actual duties?": ("role_info", (AM,), "responsibilities", None),
}


@pytest.mark.parametrize(("question", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_reading(advisor, question, expected):
    reading = read(advisor, question)
    got = (reading.intent, reading.roles, reading.facet, reading.topic)
    assert got == expected
    assert_sane(advisor, reading)


@pytest.mark.parametrize(
    ("question", "first_role", "duty_word"),
    [
        ("who does cold calling?", SDR, "cold call"),
        ("who handles renewals?", AM, "renewal"),
        ("who handles renewals, AE or AM?", AM, "renewal"),
        ("who books demos for the AEs?", SDR, "demo"),
        # "send the" alone is no errand ("can you send the contract?" is)
        ("who sends the cold emails?", SDR, "email"),
        # most of the AM's telling words, though not in its order
        ("which role does account planning to improve engagement and retention", AM, "plan"),
    ],
)
def test_which_role(advisor, question, first_role, duty_word):
    reading = read(advisor, question)
    assert reading.intent == "which_role"
    assert reading.roles[0] == first_role
    assert duty_word in (reading.duty or "")
    assert 0.0 < reading.confidence <= 1.0


def test_a_place_of_two_capitalised_words_is_the_setting_not_a_name(advisor):
    question = "Hello, I am MSL in São Paulo. what is an account manager? close to what I do?"
    assert read(advisor, question).intent == "role_info"
    assert read(advisor, "is Priya Sharma still the CSM?").intent == "unknown"


def test_jobs_on_a_board_are_roles_to_compare_not_a_job_search(advisor):
    question = "four jobs on the board: AE, AM and SDR. line them up and tell me what each one does"
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("compare", (AE, AM, SDR))
    assert read(advisor, "find me remote SDR jobs on LinkedIn").intent == "unknown"


@pytest.mark.parametrize(
    "question",
    ["how do AMs handle conflict with clients?", "what if a client disagrees with the AE?"],
)
def test_conflict_and_disagreeing_in_the_work_are_not_about_the_articles(advisor, question):
    reading = read(advisor, question)
    assert reading.intent == "role_info"
    assert reading.roles


def test_typo_lowers_confidence(advisor):
    exact = read(advisor, "account executive")
    typo = read(advisor, "accout executive")
    assert exact.roles == typo.roles == (AE,)
    assert typo.confidence < exact.confidence


def test_am_as_a_verb_is_not_a_role(advisor):
    assert AM not in read(advisor, "how much am I paid as an AE").roles
    assert AM not in read(advisor, "am i connected to wifi").roles


def test_reading_keeps_the_cleaned_question(advisor):
    reading = read(advisor, "<@U07ABC123> *AE* vs _AM_? :thinking_face:")
    assert " ".join(reading.question.replace("?", " ").split()) == "AE vs AM"
    for markup in ("<", "@U07ABC123", "*", "_", ":thinking_face:"):
        assert markup not in reading.question


# -- hostile inputs --------------------------------------------------------------------------

HOSTILE = {
    "empty": "",
    "spaces": "   ",
    "newlines_tabs": "\n\t\r\n",
    "100kb": "x" * 100_000,
    "100kb_words": "what does an " * 8_000,
    "nul": "\x00",
    "nul_inside": "AE\x00vs\x00AM",
    "lone_surrogates": "\ud800 AE \udfff",
    "template": "{{ 7*7 }}",
    "jinja_block": "{% for x in range(10**9) %}{% endfor %}",
    "channel": "<!channel>",
    "here_compare": "<!here> AE vs AM",
    "unclosed_markup": "<@U123 AE vs AM",
    "emoji_codes": ":tada: :smile:",
    "emoji_only": "\U0001f600\U0001f389",
    "rtl": "\u0645\u0627 \u0647\u0648 \u0645\u062f\u064a\u0631 "
    "\u0627\u0644\u062d\u0633\u0627\u0628\u061f",
    "rtl_override": "\u202eMA sv EA",
    "zero_width": "A\u200bE vs A\u200bM",
    "combining": "A\u0301E\u0301 vs AM",
    "html": "<script>alert(1)</script>",
    "escaped_markup": "&lt;!channel&gt; &amp; AE",
    "ae_10000": "AE " * 10_000,
    "many_roles_repeated": "AE vs AM vs SDR vs CSM vs NAM vs RAM vs sales manager " * 500,
    "json": '{"intent": "compare", "roles": ["account_executive"]}',
    "punctuation": "?!?!?/////",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_gives_a_sane_reading(advisor, text):
    assert_sane(advisor, read(advisor, text))


@pytest.mark.parametrize("text", ["", "   ", "\x00", "<!channel>", ":tada: :smile:"])
def test_nothing_to_read_gets_help(advisor, text):
    assert read(advisor, text).intent == "help"


@pytest.mark.parametrize("text", ["{{ 7*7 }}", "x" * 100_000, HOSTILE["rtl"]])
def test_meaningless_text_is_declined(advisor, text):
    assert read(advisor, text).intent == "unknown"


def test_repeated_role_is_one_role(advisor):
    reading = read(advisor, "AE " * 10_000)
    assert reading.roles == (AE,)
    assert reading.intent == "role_info"


def test_long_compare_is_capped(advisor):
    reading = read(advisor, HOSTILE["many_roles_repeated"])
    assert reading.intent == "compare"
    assert reading.roles[:2] == (AE, AM)
    assert len(reading.roles) <= 8
    answer = advisor.answer(reading)
    header = answer.blocks[0]["text"]["text"]
    assert header.count(" vs ") <= 3  # at most four roles are compared


@pytest.mark.parametrize("name", ["100kb", "100kb_words", "ae_10000"])
def test_a_long_question_is_read_from_its_first_characters_only(advisor, name):
    # what bounds the work a huge message costs (its time is measured in bench/, not here):
    # a question after the first MAX_CHARS characters is never read
    text = HOSTILE[name]
    assert len(text) > 2 * MAX_CHARS
    assert read(advisor, f"{text} AE vs AM?") == read(advisor, text)
    assert read(advisor, f"{text} AE vs AM?") != read(advisor, "AE vs AM?")


def test_clean_strips_slack_markup():
    assert clean("<@U07ABC123> hi") == "hi"
    assert clean("<#C024BE91L|sales> x") == "sales x"
    assert clean("<https://x.y|this post> AE") == "this post AE"
    assert clean("<https://x.y> AE") == "AE"
    assert clean(":thinking_face: *AE* vs _SDR_") == "AE vs SDR"
    assert clean("&lt;b&gt; &amp;") == "<b> &"
    assert clean("a\x00b") == "a b"
    # a user mentioned after "does", "of" and the like is someone the question is about
    assert clean("hey <@U07ABC123> what does <@U0X|jo> make?") == "hey what does Teammate make?"
    assert len(clean("y" * 100_000)) == MAX_CHARS


def test_clean_spells_out_with_and_without():
    assert clean("good w/ data, w/o a degree") == "good with data, without a degree"
    assert clean("W/O travel") == "without travel"
    assert clean("a/w, w/the team, AE/AM") == "a/w, w/the team, AE/AM"


def test_tokenize_drops_possessive_and_keeps_raw():
    tokens = tokenize("The AE's job / SDR?")
    assert [t.text for t in tokens] == ["the", "ae", "job", "/", "sdr", "?"]
    assert tokens[1].raw == "AE's"


# -- readings as button values ---------------------------------------------------------------

ROUND_TRIP = [
    Reading("compare", roles=(AE, AM), facet="metrics"),
    Reading("role_info", roles=(CSM,)),
    Reading("topic", topic="bant"),
    Reading("list_roles"),
    Reading("clarify", facet="compensation"),
    Reading("which_role", roles=(AM, AE), duty="renewals"),
    Reading("role_info", roles=(AE,), facet="skills", page=1),
    Reading("recommend", roles=(SDR,), duty="cold calling", avoid=True),
    Reading("person", roles=(AM,), person="John Golden"),
]


@pytest.mark.parametrize("reading", ROUND_TRIP, ids=lambda r: r.intent)
def test_from_value_round_trip(reading):
    value = reading.to_value()
    assert len(value) <= 2000
    back = Reading.from_value(value)
    assert back == reading
    assert back.duty == reading.duty
    assert back.page == reading.page
    assert back.avoid == reading.avoid
    assert back.person == reading.person


def test_round_trip_of_a_read_question(advisor):
    reading = read(advisor, "sales manager vs AE salary")
    back = Reading.from_value(reading.to_value())
    assert back is not None
    assert (back.intent, back.roles, back.facet, back.topic) == (
        reading.intent,
        reading.roles,
        reading.facet,
        reading.topic,
    )


MALFORMED = {
    "not_json": "not json",
    "empty": "",
    "truncated_json": '{"intent": "compare"',
    "list": '["compare", ["account_executive"]]',
    "string": '"compare"',
    "number": "42",
    "null": "null",
    "unknown_intent": '{"intent": "delete_everything"}',
    "missing_intent": '{"roles": ["account_executive"]}',
    "roles_not_a_list": '{"intent": "compare", "roles": "account_executive"}',
    "role_not_a_string": '{"intent": "compare", "roles": [1, 2]}',
    "empty_role": '{"intent": "role_info", "roles": [""]}',
    "too_many_roles": json.dumps({"intent": "compare", "roles": [AE, AM, SDR, CSM, SM] * 2}),
    "huge_role": json.dumps({"intent": "role_info", "roles": ["a" * 10_000]}),
    "huge_topic": json.dumps({"intent": "topic", "topic": "b" * 10_000}),
    "huge_duty": json.dumps({"intent": "which_role", "roles": [AE], "duty": "c" * 10_000}),
    "topic_not_a_string": '{"intent": "topic", "topic": ["bant"]}',
    "unknown_facet": '{"intent": "role_info", "roles": ["account_executive"], "facet": "x"}',
    "facet_not_a_string": '{"intent": "role_info", "roles": ["account_executive"], "facet": 1}',
    "negative_page": '{"intent": "role_info", "roles": ["account_executive"], "page": -1}',
    "bool_page": '{"intent": "role_info", "roles": ["account_executive"], "page": true}',
    "avoid_not_a_bool": '{"intent": "recommend", "roles": [], "avoid": "yes"}',
    "huge_page": '{"intent": "role_info", "roles": ["account_executive"], "page": 100000}',
    "string_page": '{"intent": "role_info", "roles": ["account_executive"], "page": "1"}',
    "huge_value": json.dumps({"intent": "help", "x": "y" * 100_000, "roles": ["z"] * 1000}),
}


@pytest.mark.parametrize("value", MALFORMED.values(), ids=MALFORMED.keys())
def test_from_value_rejects_malformed(value):
    assert Reading.from_value(value) is None


@pytest.mark.parametrize("value", [None, 42, b"\xff"], ids=["none", "int", "bad_bytes"])
def test_from_value_rejects_non_strings(value):
    assert Reading.from_value(value) is None


def test_unknown_role_in_a_value_does_not_break_the_answer(advisor):
    reading = Reading.from_value('{"intent": "compare", "roles": ["account_executive", "ghost"]}')
    assert reading is not None
    answer = advisor.answer(reading)
    assert answer.reading.roles == (AE,)
    assert "ghost" not in answer.text


# -- follow-ups ------------------------------------------------------------------------------

FOLLOW_UPS = {
    "what_about_ams": (
        Reading("role_info", roles=(AE,), facet="responsibilities"),
        "what about AMs?",
        ("role_info", (AM,), "responsibilities", None),
    ),
    "and_their_salary": (
        Reading("compare", roles=(AE, AM)),
        "and their salary?",
        ("compare", (AE, AM), "compensation", None),
    ),
    "role_after_clarify": (
        Reading("clarify", facet="compensation"),
        "AEs",
        ("role_info", (AE,), "compensation", None),
    ),
    "topic_after_compare": (
        Reading("compare", roles=(AE, AM), facet="metrics"),
        "what is BANT",
        ("topic", (), None, "bant"),
    ),
    "topic_after_role": (
        Reading("role_info", roles=(SDR,), facet="skills"),
        "what is BANT",
        ("topic", (), None, "bant"),
    ),
    "topic_after_clarify": (
        Reading("clarify", facet="compensation"),
        "what is BANT",
        ("topic", (), None, "bant"),
    ),
    "new_full_question_ignores_context": (
        Reading("role_info", roles=(AE,), facet="responsibilities"),
        "what metrics for CSM?",
        ("role_info", (CSM,), "metrics", None),
    ),
    "whom_the_roles_before_deal_with": (
        Reading("compare", roles=(NAM, RAM)),
        "who do they each work with?",
        ("compare", (NAM, RAM), "stakeholders", None),
    ),
}


@pytest.mark.parametrize(
    ("context", "question", "expected"), FOLLOW_UPS.values(), ids=FOLLOW_UPS.keys()
)
def test_follow_up(advisor, context, question, expected):
    reading = read(advisor, question, context=context)
    assert (reading.intent, reading.roles, reading.facet, reading.topic) == expected


def test_follow_up_through_the_reader_chain(advisor):
    first = read(advisor, "what does an AE do?")
    assert (first.intent, first.roles, first.facet) == ("role_info", (AE,), "responsibilities")
    second = read(advisor, "what about AMs?", context=first)
    assert (second.intent, second.roles, second.facet) == ("role_info", (AM,), "responsibilities")


def test_follow_up_needs_context(advisor):
    """Without context, "and their salary?" names no role, so it cannot be a compare."""
    reading = read(advisor, "and their salary?")
    assert reading.intent in {"clarify", "unknown"}
    assert reading.roles == ()


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        ("hmm and their quota?", "metrics"),
        ("wait, do they work from home?", "work_environment"),
        ("and the commission, roughly?", "compensation"),
        ("um and who do they report to?", "stakeholders"),
    ],
)
def test_a_follow_up_that_leads_in_or_hedges_asks_which_role(advisor, question, facet):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == ("clarify", (), facet)
    after = read(advisor, question, context=read(advisor, "what does an SDR do?"))
    assert (after.intent, after.roles, after.facet) == ("role_info", (SDR,), facet)


@pytest.mark.parametrize(
    ("question", "intent", "facet"),
    [
        (
            "Founder here. I have budget for one headcount this year. How do an SDR and an AE "
            "differ?",
            "compare",
            None,
        ),
        (
            "What is a sales manager, in short? I come from an engineering background.",
            "role_info",
            "overview",
        ),
        # a sentence that tells and asks is the question ("I'm wondering what ...")
        (
            "I've been an AE for three years and I'm wondering what comes next. Any advice?",
            "role_info",
            "career_path",
        ),
    ],
)
def test_what_the_asker_tells_about_themself_is_not_the_facet_asked(
    advisor, question, intent, facet
):
    reading = read(advisor, question)
    assert (reading.intent, reading.facet, reading.gap) == (intent, facet, None)


def test_a_decline_cue_in_what_the_asker_tells_does_not_decline_a_question_on_a_role(advisor):
    question = "people keep saying SDR at the weekly standup and I just nod. what is an SDR?"
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("role_info", (SDR,))
    assert read(advisor, "I missed the weekly standup. who ran it?").intent == "unknown"
    # ... told in a sentence after the question (blind_dev29)
    reading = read(advisor, "AM = ?? new here and everyone says AM in standups")
    assert (reading.intent, reading.roles) == ("role_info", ("account_manager",))
    # what the asker is doing, not a request: "writing a job ad ..." (blind_dev12)
    question = "writing a job ad for an Account Executive, what skills should I list?"
    reading = read(advisor, question)
    assert (reading.intent, reading.facet) == ("role_info", "skills")
    assert read(advisor, "write a job ad for an Account Executive").intent == "unknown"
    # ... told in the same sentence as the question (blind_dev22)
    question = "*AE responsibilities* - quick list pls, drafting a job ad for the animal team"
    reading = read(advisor, question)
    assert (reading.intent, reading.facet) == ("role_info", "responsibilities")
    assert read(advisor, "draft a job ad with the AE responsibilities").intent == "unknown"


@pytest.mark.parametrize(
    "question",
    [
        "thinking of going independent as a contract salesperson, any downsides?",
        "contract work vs full-time employment: which one is more secure?",
    ],
)
def test_freelancing_in_other_words_and_compared_is_the_topic(advisor, question):
    reading = read(advisor, question)
    assert (reading.intent, reading.topic) == ("topic", "freelancing")


def test_moving_to_another_industry_is_a_career_question(advisor):
    reading = read(advisor, "can an account manager move to a different industry later?")
    assert (reading.roles, reading.facet) == ((AM,), "career_path")
    assert read(advisor, "which industries do AMs work in?").facet == "work_environment"


@pytest.mark.parametrize(
    "question",
    [
        "what does a chief safety marshal (CSM) earn at the stadium?",
        "how is a software defined radio SDR tuned?",
        "is RAM faster than ROM?",
        "should I turn CSM on in the BIOS?",
        "what is a special drawing right (SDR)?",
        "are we hiring more AEs next year?",
        "is the SDR posting on our site still open?",
        "write a job description for an AM at my company",
        # a cue a role's name splits
        "are there any open CSM roles on our team?",
        "How many SDRs are we planning to hire in the Dublin office next quarter?",
        "Is the account executive team getting a pay rise this year?",
        "who's getting promoted to sales manager in the Dublin branch",
        "who's the best AE on the team this year",
        "how many key accounts does our company have?",
        "what's our SDR team's pipeline this week",
        "run BANT on this lead: `john@bigbank.com`",
        "who played the regional manager in The Office",
        # a colleague mentioned, not the bot addressed
        "how much does <@U02JKL88> make as an AE here?",
    ],
)
def test_other_senses_and_the_company_s_own_openings_are_declined(advisor, question):
    assert read(advisor, question).intent == "unknown"


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("what does a sales development rep (SDR) do all day?", SDR),
        ("Customer Success Manager (CSM): what is it?", "customer_success_manager"),
        ("we're hiring more SDRs, what skills should we look for?", SDR),
        # "an enterprise" is no "adverse event" spelt out (blind_dev29)
        ("what's a normal annual quota for an enterprise AE selling security?", AE),
    ],
)
def test_a_role_spelt_out_or_hired_for_is_still_answered(advisor, question, role):
    assert read(advisor, question).roles == (role,)


def test_a_gap_beside_another_facet_is_one_more_facet_to_choose_from(advisor):
    reading = read(
        advisor, "two qs: what's the hardest part of being an SDR, and is it entry level?"
    )
    assert reading.gap == "hardest_part"
    assert reading.facet in {"skills", "experience"}


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("who phones strangers all day to get meetings?", SDR),
        ("which role goes back and forth with our lawyers on contract wording?", AE),
        ("who is the boss of the sales team?", "sales_manager"),
        ("who keeps warming up leads that aren't ready to buy?", SDR),
        ("who's the voice of the customer internally, pushing for product features?", AE),
        # not the topic's answer: who does it (blind_dev10, 13 and 15)
        ("which role decides which clients are the key accounts?", AM),
        ("who checks whether a lead has budget, authority, need and timing?", SDR),
        ("who goes out and finds brand new customers?", AE),
    ],
)
def test_work_in_everyday_words_finds_the_duty(advisor, question, role):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[:1]) == ("which_role", (role,))


def test_every_everyday_word_stands_for_words_a_duty_uses(advisor):
    lexicon = advisor.reader.lexicon
    used = {part for duty in lexicon.duties for part in duty.stems.split()}
    assert lexicon.duty_words
    assert {w for meant in lexicon.duty_words.values() for w in meant} <= used


@pytest.mark.parametrize(
    "question",
    [
        "what are you for, exactly?",
        "got any tips on how to phrase questions to you?",
        "is there a list of commands or something?",
    ],
)
def test_asking_what_the_bot_is_for_or_how_to_ask_it_gets_help(advisor, question):
    assert read(advisor, question).intent == "help"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("thanks!", "thanks"),
        ("thx :pray:", "thanks"),
        ("cheers, that's all", "thanks"),
        ("thank you very much, have a good weekend", "thanks"),
        # a question beside the thanks is answered
        ("thanks in advance, what kind of questions can I ask?", "help"),
        ("thx. who do they work with most", "clarify"),
        ("thanks! and what do AMs earn?", "role_info"),
        ("write a thank-you note to my AM", "unknown"),
    ],
)
def test_a_message_of_thanks_only_is_read_as_thanks(advisor, question, intent):
    assert read(advisor, question).intent == intent


@pytest.mark.parametrize(
    ("question", "facet", "also"),
    [
        ("what do AEs earn and do they travel much?", "compensation", "work_environment"),
        ("How are AMs measured, and unrelated, do I need a degree?", "metrics", "education"),
        # the facet of the first part that asks is the one answered first
        ("what does a sales manager earn and do they need an MBA?", "compensation", "education"),
        (
            "which role fits me if I love coaching? and do those roles pay well?",
            None,
            "compensation",
        ),
        # one question, whatever its keywords: none asked besides
        ("how much experience do AEs need?", "experience", None),
        ("I love closing deals and setting targets, which role suits me?", None, None),
        (
            'Job ad: "AE, 3+ yrs, uncapped commission". what does the AE do all day?',
            "responsibilities",
            None,
        ),
    ],
)
def test_a_second_facet_asked_in_a_part_of_its_own_is_kept(advisor, question, facet, also):
    reading = read(advisor, question)
    assert (reading.facet, reading.also_asked) == (facet, also)


@pytest.mark.parametrize(
    ("question", "facet"),
    [("ae vs am $", "compensation"), ("SDR $$$?", "compensation")],
)
def test_a_dollar_sign_standing_alone_asks_about_pay(advisor, question, facet):
    assert read(advisor, question).facet == facet


def test_a_dollar_sign_inside_a_text_is_not_a_word():
    from bot.understanding.normalize import tokenize

    assert "$" not in [t.text for t in tokenize(r"fix ^[A-Z]{2}-\d{4}$ for $80k")]


@pytest.mark.parametrize(
    ("question", "roles", "facet"),
    [
        ("just got promoted from SDR to AE, what will I be measured on now?", (AE,), "metrics"),
        ("how do I get promoted from SDR to AE?", (SDR,), "career_path"),
    ],
)
def test_a_move_from_one_role_to_another_asks_about_the_new_one(advisor, question, roles, facet):
    reading = read(advisor, question)
    assert (reading.roles, reading.facet) == (roles, facet)


def test_how_work_looks_in_practice_is_not_a_skill(advisor):
    question = "NAMs have quasi-general manager duties: what does that look like in practice?"
    assert read(advisor, question).facet == "responsibilities"


@pytest.mark.parametrize(
    ("question", "intent", "roles", "facet"),
    [
        # the words people mix in from Spanish, Portuguese, German, French or Hindi
        ("Was macht ein SDR eigentlich den ganzen Tag?", "role_info", (SDR,), "responsibilities"),
        ("y el sueldo?", "clarify", (), "compensation"),
        ("und die Ausbildung?", "clarify", (), "education"),
        ("diferencia entre AE y AM en habilidades?", "compare", (AE, AM), "skills"),
        ("wer kümmert sich um Vertragsverlängerungen?", "which_role", (AM,), None),
        ("quién se encarga de negociar contratos?", "which_role", (AE,), None),
        (
            "me gusta liderar gente y definir metas, qué rol me queda?",
            "recommend",
            ("sales_manager",),
            None,
        ),
        # and a line on each role asks what each is
        ("cuánto gana un SDR?", "role_info", (SDR,), "compensation"),
        ("o que vem depois de SDR?", "role_info", (SDR,), "career_path"),
        ("qué estudios necesita un AM?", "role_info", (AM,), "education"),
        ("was ist der Unterschied zwischen AE und SDR?", "compare", (AE, SDR), None),
        ("what does an AE make?", "role_info", (AE,), "compensation"),
        ("AE vs AM in one sentence each", "compare", (AE, AM), "overview"),
        ("who does the AE work alongside?", "role_info", (AE,), "stakeholders"),
    ],
)
def test_questions_in_words_of_other_languages(advisor, question, intent, roles, facet):
    reading = read(advisor, question)
    ranked = intent in {"which_role", "recommend"}  # only the best role is asked
    got = reading.roles[:1] if ranked else reading.roles
    assert (reading.intent, got, reading.facet) == (intent, roles, facet)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Where does the SDR job lead? Is it really the stepping stone to AE?", SDR),
        ("how do you become a CSM? can an AM move into it?", "customer_success_manager"),
        # a last sentence that asks after one that tells is still the question
        ("My manager says AEs and AMs are the same. What does an AM do?", AM),
    ],
)
def test_the_roles_asked_about_are_those_of_the_first_sentence_that_asks(advisor, question, role):
    assert read(advisor, question).roles == (role,)


def test_a_career_step_alone_is_named_in_the_reading(advisor):
    reading = read(advisor, "what does a sales director do?")
    assert reading.intent == "unknown"
    assert reading.step == "sales_director"
    answer = advisor.answer(reading)
    assert "Sales Director" in answer.text
    assert "career path" in answer.text.lower()


def test_a_facet_asked_of_a_career_step_is_said_to_be_uncovered(advisor):
    # review 11: "how much does a sales director make?" never said there is no figure
    reading = read(advisor, "how much does a sales director make?")
    assert (reading.intent, reading.step, reading.facet) == (
        "unknown",
        "sales_director",
        "compensation",
    )
    answer = advisor.answer(reading)
    assert "so they say nothing about its pay" in answer.text
    buttons = [
        e["text"]["text"] for b in answer.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons[0] == "AE pay"


def test_a_career_step_shows_the_way_there_one_move_further_back(advisor):
    # review 12: "how long does it take to become an account director" gave the 18 months as
    # an AM and left out the two years as a junior AM before them
    text = advisor.ask("how long does it take to become an account director").text
    assert text.index("Junior Account Manager → Account Manager") < text.index(
        "Account Manager → Account Director"
    )
    assert "about two years" in text
    assert "18 months" in text


# -- what the articles never cover (knowledge/gaps.yaml) --------------------------------------


def test_every_gap_keyword_is_read_as_its_gap(advisor):
    table = advisor.reader.lexicon.table
    for gap in advisor.knowledge.gaps.values():
        for keyword in gap.keywords:
            key = advisor.reader.lexicon._key(keyword)
            assert Entry("gap", gap.id) in table[key], (gap.id, keyword)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # no facet named: the gap's facet
        ("what quota does an AE carry?", ("role_info", (AE,), "metrics", "quota_amount")),
        ("how many hours a week do SDRs work?", ("role_info", (SDR,), "work_environment", "hours")),
        ("AM hours: is it a 9 to 5 job?", ("role_info", (AM,), "work_environment", "hours")),
        ("what tools do SDRs use?", ("role_info", (SDR,), "skills", "tools")),
        # no article says how stressful a role is (blind_dev29)
        ("who has more stress, SDR or AE?", ("compare", (SDR, AE), "work_environment", "stress")),
        ("is the AE job stressful?", ("role_info", (AE,), "work_environment", "stress")),
        ("AE vs AM commission rate", ("compare", (AE, AM), "compensation", "commission_rate")),
        (
            "what's the typical commission split?",
            ("clarify", (), "compensation", "commission_rate"),
        ),
        # what to learn is a skill: which CRM is a tool, which the articles do not name
        ("which CRM should I learn?", ("clarify", (), "skills", "tools")),
        # no article gives a ramp-up time; the nearest is the experience a role asks for
        ("SDR ramp time", ("role_info", (SDR,), "experience", "ramp_time")),
        (
            "how long until a new AE is fully ramped?",
            ("role_info", (AE,), "experience", "ramp_time"),
        ),
        (
            "what's the learning curve for a new AE?",
            ("role_info", (AE,), "experience", "ramp_time"),
        ),
        # a facet named keeps it
        (
            "what certifications and degree does an AE need",
            ("role_info", (AE,), "education", "certifications"),
        ),
        # specifics no article gives: dress, portfolio sizes, ratios, cycle lengths, attainment
        ("what's the dress code for AEs?", ("role_info", (AE,), "work_environment", "dress_code")),
        (
            "how many accounts does an AM typically handle?",
            ("role_info", (AM,), "responsibilities", "portfolio_size"),
        ),
        (
            "how many days is a typical AE sales cycle?",
            ("role_info", (AE,), "work_environment", "cycle_length"),
        ),
        (
            "what percentage of SDRs hit quota?",
            ("role_info", (SDR,), "metrics", "quota_attainment"),
        ),
    ],
)
def test_a_question_naming_a_gap_is_answered_not_declined(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet, reading.gap) == expected
    carried = Reading.from_value(reading.to_value())  # a button's value keeps the gap
    assert carried == reading
    assert carried is not None
    assert carried.gap == reading.gap


def test_a_question_without_a_gap_has_none(advisor):
    assert read(advisor, "how much does an AE make?").gap is None
    # "quotes" is no misspelt "quota"
    assert read(advisor, "what quotes from John Golden are in the articles?").gap is None
    # the articles do give this timing (001 line 33): no "how long a promotion takes" gap
    assert read(advisor, "how long was Amanda Sides a junior account manager?").gap is None


# -- "who does X?" when the articles do not say ------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["who writes the sales team's newsletter?", "who does the sales forecasting?"],
)
def test_sales_work_no_role_is_given_is_which_role_without_roles(advisor, question):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("which_role", ())
    # near a duty only by "sales" ("sales strategy", "increasing sales"), which tells nothing
    # of the work: no nearest duty is offered (stop 23)
    assert reading.duty is None


def test_sales_work_near_a_duty_in_two_words_offers_that_duty(advisor):
    reading = read(advisor, "who handles onboarding/implementation for new customers")
    assert (reading.intent, reading.roles) == ("which_role", ())
    owners = [
        r for r in advisor.knowledge.roles.values() if reading.duty in {d.text for d in r.duties}
    ]
    assert owners


@pytest.mark.parametrize(
    "question",
    [
        "who won the game",
        "who's the AE on the Acme deal?",
        "who won the Wayne Enterprises deal last week?",
        "who approved the 30% discount on the Stark Industries contract?",
        "who's on call for sales ops tonight",
        "who has the best record in the nfl",
        "is Jenny from the Chicago team still the CSM for Hooli?",
    ],
)
def test_off_topic_who_questions_are_still_declined(advisor, question):
    assert read(advisor, question).intent == "unknown"


def test_who_is_the_one_asks_which_role_not_for_a_person(advisor):
    # stop 19: "the entry-level one" is a role, and the question is no longer declined
    assert read(advisor, "who's the entry-level one?").intent == "clarify"
    assert read(advisor, "who's the one that calls strangers?").roles == (SDR,)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        (
            "who is the relay point between the company and the distributors?",
            "regional_account_manager",
        ),
        ("who is the main contact for clients after the sale?", AM),
    ],
)
def test_who_is_the_one_doing_a_duty_names_its_role(advisor, question, role):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[:1]) == ("which_role", (role,))


@pytest.mark.parametrize(
    "question",
    [
        "what does the NAM for Costco get paid?",
        "what is the bonus of Marco on the SDR team",
        "who at Initech is our CSM contact?",
        "what are the KPIs of the AE at Hooli?",
    ],
)
def test_a_facet_of_a_named_customer_or_colleague_is_declined(advisor, question):
    assert read(advisor, question).intent == "unknown"


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        ("do AEs need to know their way around Salesforce?", "skills"),
        ("starting as an AM on Monday, what will I be doing?", "responsibilities"),
        ("I covered the south of France for years: what do RAMs earn?", "compensation"),
    ],
)
def test_a_tool_a_day_or_a_place_is_not_a_named_customer(advisor, question, facet):
    assert read(advisor, question).facet == facet


def test_a_duty_the_articles_give_still_names_its_role(advisor):
    reading = read(advisor, "who handles renewals?")
    assert reading.roles[:1] == (AM,)


# -- the duty index ------------------------------------------------------------------------------


def test_duty_index_scores_only_duties_sharing_a_stem():
    index = DutyIndex(
        [
            Duty("a", "cold calling", "cold call", 0),
            Duty("b", "cold calling", "cold call", 3),
            Duty("c", "renewals", "renew", 0),
        ]
    )
    assert index.phrases == ("cold call", "renew")  # one phrase, scored once for both roles
    assert sorted(d.role for d, score in index.search(["cold", "call"], 86) if score == 100) == [
        "a",
        "b",
    ]
    assert [d.role for d, _ in index.search(["renew", "contract"], 86)] == ["c"]
    assert index.search(["coll", "cal"], 50) == []  # close in spelling, no word shared
    assert index.search([], 0) == []


def test_duty_index_finds_what_a_full_scan_finds(advisor):
    """On every labelled question, the index returns exactly what scoring all duties that
    share a word with it does (a duty sharing none can score high on spelling alone: "evalu"
    against "most valu")."""
    from rapidfuzz import fuzz, process

    from bot.evaluate import DATA, load_cases

    lexicon = advisor.reader.lexicon
    duties = lexicon.duties
    for path in sorted(DATA.glob("*.yaml")):
        for case in load_cases(path):
            words = [lexicon.stem_token(t)[0] for t in tokenize(clean(case.question))]
            words = [w for w in words if w not in lexicon.fillers and w not in {"?", "/"}]
            sharing = [d for d in duties if set(d.stems.split()) & set(words)]
            scan = process.extract(
                " ".join(words),
                [d.stems for d in sharing],
                scorer=fuzz.token_set_ratio,
                score_cutoff=advisor.reader.duty_cutoff,
                limit=None,
            )
            want = sorted((sharing[i].role, sharing[i].phrase, s) for _, s, i in scan)
            got = sorted(
                (d.role, d.phrase, s)
                for d, s in lexicon.duty_index.search(words, advisor.reader.duty_cutoff)
            )
            assert got == want, case.question


# -- generalising ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # short forms
        ("natl acct mgr pay?", ("role_info", (NAM,), "compensation")),
        ("regnl acct mgr duties?", ("role_info", (RAM,), "responsibilities")),
        ("whats a cust success mgr", ("role_info", (CSM,), "overview")),
        # only a role named: a profile, or the overview when asked what it is
        ("SDRs?", ("role_info", (SDR,), None)),
        ("tell me about account managers", ("role_info", (AM,), None)),
        ("What's an SDR?", ("role_info", (SDR,), "overview")),
        # no facet keyword: the model reads it
        ("DO ACCOUNT EXECUTIVES TRAVEL A LOT", ("role_info", (AE,), "work_environment")),
        # context first, then a question about roles in general
        (
            "our company has AMs and CSMs; in general, how do they split the work?",
            ("compare", (AM, CSM), "responsibilities"),
        ),
        ("Hello bot, please explain me how I can use you.", ("help", (), None)),
    ],
)
def test_reading_generalises(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


def test_the_facet_model_file_is_what_the_development_sets_give():
    """``python -m bot.evaluate --facet-model`` wrote it from the repo's data, nothing else."""
    from bot.evaluate import facet_training_data

    shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(train(facet_training_data()))) == shipped


def test_the_facet_model_chooses_among_the_facets_named():
    model = FacetModel.load()
    question = "how much do SDRs make and how are they measured?"
    assert model.facet(question, among={"skills"}) == "skills"
    assert model.facet(question) in FACET_IDS
    assert model.facet("") is None or model.facet("") in FACET_IDS


# -- causes found on blind questions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # people the articles quote stand for the role they speak of, at the facet of their words
        ("What's Amanda Sides' career path?", ("role_info", (AM,), "career_path")),
        (
            "what advice does amanda sides give people starting out",
            ("role_info", (AM,), "career_path"),
        ),
        ("what does John Golden say?", ("role_info", (AM,), "overview")),
        # naming nothing but the person asks about them
        ("who is John Golden?", ("person", (AM,), None)),
        ("tell me about amanda sides", ("person", (AM,), None)),
        ("what does John Golden say about AE skills?", ("role_info", (AE,), "skills")),
        # "quotes" is no misspelt "quota"
        ("what quotes from John Golden are in the articles?", ("role_info", (AM,), "overview")),
        # asked who the articles quote: all of them
        ("which people are quoted in the articles?", ("person", (), None)),
        ("who is quoted in the articles?", ("person", (), None)),
        # who a named role deals with is that role's stakeholders, not "who does X?"
        ("who do SDRs talk to at a prospect?", ("role_info", (SDR,), "stakeholders")),
        ("who does an AE report to", ("role_info", (AE,), "stakeholders")),
        (
            "who do *AEs* talk to vs who do *SDRs* talk to on the prospect side?",
            ("compare", (AE, SDR), "stakeholders"),
        ),
        ("where does an SDR go next", ("role_info", (SDR,), "career_path")),
        ("where do sales managers work?", ("role_info", (SM,), "work_environment")),
        # a facet phrase split by the role's name
        ("what do account managers do", ("role_info", (AM,), "responsibilities")),
        # preparing for one's interview for a role asks what the role needs
        ("AE interview tomorrow, what should I brush up on?", ("role_info", (AE,), "skills")),
        # the asker's own role is context, the question is about the other one
        (
            "I'm a RAM, how much experience do I need for a NAM role?",
            ("role_info", (NAM,), "experience"),
        ),
        ("as an AE, what does an AM earn", ("role_info", (AM,), "compensation")),
        ("I'm an SDR, can I become an AE?", ("role_info", (SDR,), "career_path")),
        # a second role named as a step on the first one's path
        (
            "what does an SDR need to be good at to get promoted to AE",
            ("role_info", (SDR,), "skills"),
        ),
        # the distinctive word of a name before the shared part: "regional AM"
        ("regional AM salary", ("role_info", (RAM,), "compensation")),
        # the roles compared, in the order the comparing words give them
        (
            "John Golden says AMs nurture and AEs prospect. Is that really the main difference "
            "between AEs and AMs?",
            ("compare", (AE, AM), None),
        ),
        ("ae vs am, which one is the hunter and which the farmer?", ("compare", (AE, AM), None)),
        # a seniority word before a role ranks the role; it does not ask about experience
        (
            "Offers for both an SDR role and a junior AE role. What's the real difference?",
            ("compare", (SDR, AE), None),
        ),
        # which suits the asker, of the roles named, is a comparison
        (
            "*AE* or *AM* for someone who loves long-term relationships more than the chase?",
            ("compare", (AE, AM), None),
        ),
        ("Which one pays better, sales manager or AE?", ("compare", (SM, AE), "compensation")),
        # a role inside a topic's name
        (
            "freelance vs full time account manager - pros and cons?",
            ("topic", (AM,), None),
        ),
        # the articles' only text on working full-time is the freelancing topic's (002 L17)
        ("what's the downside of being a full-time AM?", ("topic", (AM,), None)),
        # what is hard in a role: what it takes to bear it is a skill (ae_vs_sdr line 94)
        ("what's the toughest part of being an SDR?", ("role_info", (SDR,), "skills")),
        ("biggest challenges for account managers?", ("role_info", (AM,), "skills")),
        ("Do you know about any roles besides AE and AM?", ("list_roles", (AE, AM), None)),
        ("what other roles does an AE work with", ("role_info", (AE,), "stakeholders")),
        # "which role" mid-sentence with a facet named is not asking for the list
        (
            "I'm thinking about moving into sales but I don't know which role yet. Generally, "
            "what sort of education do employers look for?",
            ("clarify", (), "education"),
        ),
        ("Which positions are in your knowledge base?", ("list_roles", (), None)),
        # a long role-less question about a facet of a sales job
        (
            "My friend just got a sales job. What does the role involve day to day?",
            ("clarify", (), "responsibilities"),
        ),
        # context around a question about a role in general is no reason to decline it
        (
            "My manager at Globex says AEs should also do their own prospecting. Is that normal?",
            ("role_info", (AE,), "responsibilities"),
        ),
        (
            "Today is my first day as a sales manager. What am I responsible for?",
            ("role_info", (SM,), "responsibilities"),
        ),
        (
            "our company is hiring its first CSM - what skills should we look for?",
            ("role_info", (CSM,), "skills"),
        ),
        (
            "Do RAMs work onsite with clients?",
            ("role_info", (RAM,), "work_environment"),
        ),
        ("do AEs or AMs earn more", ("compare", (AE, AM), "compensation")),
        ("Are account managers expected to upsell?", ("role_info", (AM,), "responsibilities")),
        # "or" compares roles only next to one
        (
            "Is CSM a step up, sideways, or a step back for an AM?",
            ("role_info", (CSM,), "career_path"),
        ),
        # the question's own sentence names the facet, over the context before it
        (
            "we're opening a Texas territory and need a regional account manager - what kind "
            "of background works?",
            ("role_info", (RAM,), "experience"),
        ),
    ],
)
def test_reading_of_blind_causes(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize(
    ("question", "role", "duty"),
    [
        ("who leads the sales team", SM, "leading the sales team"),
        # a long cue names no work: "who is in charge of" is not a duty word
        ("who is in charge of hitting the team's targets?", AE, "hitting sales targets"),
        # the role whose duties cover more of the question: two of the AE's
        ("who builds retention plans for at-risk accounts?", AE, None),
        # "does X or Y do Z?" asks which of the two, as "who" would
        ("does the account executive or the SDR do discovery calls", AE, None),
        # "early leads" for the article's "early-stage leads", though an AE is named
        ("who nurtures the early leads that aren't ready for an AE yet", SDR, "leads not ready"),
        # "who" after a clause that only sets the scene, with the role handing over named
        ("once a new client is signed, who takes them over from the AE?", AM, None),
        # ... or one on when it happens, naming the role before the handover (blind_dev30)
        ("once an AE signs a new business customer, who takes the account over?", AM, None),
        # "sort out" for the duty's "solving", though "sort" is a filler ("sort of")
        ("who sorts out client problems?", AM, "solving client problems"),
        ("when a client has a problem with an order, whose job is it to sort it out?", AM, None),
        # "everyone" for the stakeholders (blind_dev29)
        ("who makes sure everyone internal and external is aligned?", NAM, None),
        # "pick" for the duty's "select" (002 line 7), though key accounts are a topic
        ("who picks the key accounts?", AM, "selecting key accounts"),
        ("which of these roles goes to trade shows?", SM, "trade shows"),
    ],
)
def test_who_does_finds_the_role_the_articles_give(advisor, question, role, duty):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[:1]) == ("which_role", (role,))
    assert duty is None or reading.duty == duty


@pytest.mark.parametrize(
    "question",
    [
        "schedule the interview with the account executive candidate for Tuesday at 2",
        "who is interviewing the CSM candidate today?",
        "can you send me the interview questions for the AE loop tomorrow",
        "mock interview me for an SDR position",
        "tell me a joke about account managers",
        "what's the sales tax rate in texas",
        "create a new lead in the CRM for bob@example.com",
    ],
)
def test_near_domain_requests_stay_declined(advisor, question):
    assert read(advisor, question).intent == "unknown"


def test_a_farmer_is_no_role_the_articles_name(advisor):
    """No article calls account managers "farmers": the word names no role."""
    assert read(advisor, 'what\'s a "farmer" in sales?').roles == ()
    assert read(advisor, "hunters v farmers, what's the distinction?").roles == (AE,)


def test_a_person_must_speak_for_a_known_role(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    path = root / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("role: account_manager", "role: ghost_role", 1), "utf-8")
    knowledge, problems = read_knowledge(root)
    assert knowledge is None
    assert any("unknown role 'ghost_role'" in p.message for p in problems), problems


def test_an_upper_case_short_name_with_a_possessive_is_the_role(advisor):
    reading = read(advisor, "AM's typical customers - small businesses or enterprises?")
    assert (reading.intent, reading.roles) == ("role_info", (AM,))


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        ("what does an account rep do?", "responsibilities"),
        ("what do account reps earn", "compensation"),
        ("account person skills?", "skills"),
        ("tell me about the account guy", None),
    ],
)
def test_a_name_that_fits_two_roles_asks_which_was_meant(advisor, question, facet):
    reading = advisor.read(question)
    assert (reading.intent, reading.roles) == ("clarify", (AM, AE))
    assert reading.facet == facet
    answer = advisor.answer(reading)
    assert "Do you mean the *Account Manager* or the *Account Executive*" in answer.text
    choices = [e for b in answer.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [Reading.from_value(c["value"]).roles for c in choices] == [(AM,), (AE,)]
    assert all(Reading.from_value(c["value"]).facet == facet for c in choices)


def test_a_name_that_fits_two_roles_next_to_a_role_asks_which_comparison(advisor):
    reading = advisor.read("account rep vs SDR?")
    assert (reading.intent, reading.roles, reading.pairing) == ("clarify", (SDR, AM, AE), True)
    answer = advisor.answer(reading)
    choices = [e for b in answer.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [Reading.from_value(c["value"]).roles for c in choices] == [(SDR, AM), (SDR, AE)]


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("account manager or executive?", (AM, AE)),
        ("account mgr vs exec", (AM, AE)),
        ("accnt exec or manager?", (AE, AM)),
        ("sales manager vs exec: pay", (SM, AE)),
    ],
)
def test_a_second_role_named_by_the_end_of_its_name_is_compared(advisor, question, roles):
    reading = advisor.read(question)
    assert (reading.intent, reading.roles) == ("compare", roles)


@pytest.mark.parametrize(
    "question",
    [
        "my RAM usage is at 95%, what do I do",
        "how much does the Certified ScrumMaster (CSM) exam cost",
        "how to set up an RTL-SDR on linux",
        "how do I report an AE (adverse event) in our clinical trial",
    ],
)
def test_a_short_name_with_another_meaning_is_declined(advisor, question):
    assert advisor.read(question).intent == "unknown"


def test_a_short_name_among_sales_words_is_still_the_role(advisor):
    reading = advisor.read("what does a RAM in sales do all morning, upgrade accounts?")
    assert reading.roles == ("regional_account_manager",)


def test_a_dotted_acronym_is_the_acronym(advisor):
    assert advisor.read("what does an S.D.R. earn?").roles == (SDR,)
    assert clean("at 9 a.m. sharp") == "at 9 a.m. sharp"


def test_who_with_a_pronoun_and_no_role_asks_which_role(advisor):
    reading = advisor.read("who do they report to?")
    assert (reading.intent, reading.facet) == ("clarify", "stakeholders")


def test_two_names_of_one_role_compared_ask_for_its_overview(advisor):
    reading = advisor.read("BDR and SDR, are they the same thing or different?")
    assert (reading.intent, reading.roles, reading.facet) == ("role_info", (SDR,), "overview")


def test_a_decline_cue_setting_the_scene_of_a_role_question_does_not_decline(advisor):
    question = "can you break down AM vs AE responsibilities? we keep arguing about it in standup"
    assert advisor.read(question).intent == "compare"
    assert advisor.read("what's on the agenda of today's standup?").intent == "unknown"


# -- causes found on the third blind set -------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a short form is its word everywhere: "u" is "you" in "roles do you know"
        ("which sales roles do u know", ("list_roles", (), None)),
        # a plural short name in capitals is the role, even after "what" ("what am I...")
        ("what AMs get tracked on", ("role_info", (AM,), "metrics")),
        # stop 19: after "an", "AM" is the role even before "I" ("for an AM I mean")
        ("which metrics tho?? for an AM I mean", ("role_info", (AM,), "metrics")),
        ("what am I supposed to do", ("unknown", (), None)),
        # "kam" is the key account manager only in capitals or after an article (blind_dev29;
        # Hindi "base kam hai" is "the base is low")
        ("how much does a kam make", ("role_info", (AM,), "compensation")),
        ("SDR ka salary structure, base kam hai kya?", ("role_info", (SDR,), "compensation")),
        # what a name stands for is what the role is
        ("what does NAM stand for in sales", ("role_info", (NAM,), "overview")),
        ("ELI5: SDR", ("role_info", (SDR,), "overview")),
        # an idiom asking what a role is, not whom it deals with
        ("what's the deal with SDRs? new here", ("role_info", (SDR,), None)),
        ("what does an AE deal with?", ("role_info", (AE,), "stakeholders")),
        ("what is an AE on the hook for?", ("role_info", (AE,), "responsibilities")),
        # whom they spend their time with, not what they spend it on
        ("who does a sales manager spend their time with?", ("role_info", (SM,), "stakeholders")),
        ("what can I ask Role Advisor?", ("help", (), None)),
        # LinkedIn outreach is sales work, not a LinkedIn request
        ("who does the outreach on linkedin", ("which_role", (SDR,), None)),
        # a decline cue in a clause of its own sets the scene of a question about a role
        (
            "we have an AE req open, what background should I screen for?",
            ("role_info", (AE,), "experience"),
        ),
        (
            "what should our account managers be good at before we open two new reqs?",
            ("role_info", (AM,), "skills"),
        ),
        # a capital starting a sentence, or a place, names nothing particular
        (
            "I got two offers. Leaving aside what I enjoy, how are SDR and AM different?",
            ("compare", (SDR, AM), None),
        ),
        (
            "what is the difference between AM and AE? In my old company in Austria it was "
            "the same job",
            ("compare", (AM, AE), None),
        ),
        # "who do <role> ... to?" asks whom the role deals with, whatever the words between
        ("who do SDRs pass their qualified leads to", ("role_info", (SDR,), "stakeholders")),
        ("who does a CSM hand accounts over to", ("role_info", (CSM,), "stakeholders")),
        # "who are their ...?" with no role known asks which role
        ("who are their main contacts?", ("clarify", (), "stakeholders")),
        # a facet phrase split by a role's name and all the little words before it
        (
            "what should my first 90 days as a sales manager look like?",
            ("role_info", (SM,), "responsibilities"),
        ),
    ],
)
def test_reading_of_third_blind_causes(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize(
    "question",
    [
        "in our region codes is NAM short for North America?",
        "find me remote SDR jobs on LinkedIn",
        # a short name that is also a word, among words none of which is ours
        "did the Rams win on sunday?",
        "how much RAM do I need for running Docker locally",
    ],
)
def test_other_meanings_near_the_third_blind_set_are_declined(advisor, question):
    assert read(advisor, question).intent == "unknown"


@pytest.mark.parametrize(
    "question",
    [
        "what kind of reporting and analysis does an AM do?",
        "what RAM does in one region",
        # a plural in capitals is the role's short name, among words of no sales meaning
        "gimme the basics on AMs",
    ],
)
def test_a_short_name_with_an_article_or_few_other_words_is_the_role(advisor, question):
    assert read(advisor, question).intent == "role_info"


def test_a_comparison_the_model_reads_as_an_overview_is_the_whole_comparison(advisor):
    from bot.understanding.reader import Reader

    model = FacetModel(train([("in what way is a sales manager unlike an AE?", "overview")] * 3))
    reader = Reader(advisor.reader.knowledge, facet_model=model)
    guessed = reader.read("in what way is a sales manager unlike an AE?")
    assert (guessed.intent, guessed.facet) == ("compare", None)
    named = reader.read("SDR vs AE: the main goal of each?")  # "main goal" names the overview
    assert (named.intent, named.facet) == ("compare", "overview")


# -- causes found in the second round on unseen wording ---------------------------------------


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        # a word of a role's name before "one", "kind"... stands for the role
        ("what separates a regional account manager from a national one?", (RAM, NAM)),
        ("is a NAM just a bigger version of the regional kind?", (NAM, RAM)),
        # "the other one" is the one role whose name ends as the first one's does
        ("national account manager or the other one?", (NAM, RAM)),
        # two partial names compared stand for their roles
        ("what's the difference between the regional and national ones?", (RAM, NAM)),
        ("national or regional: which earns more?", (NAM, RAM)),
    ],
)
def test_a_second_role_named_by_a_stand_in_is_compared(advisor, question, roles):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("compare", roles)


def test_the_other_one_of_a_role_with_no_kin_is_no_role(advisor):
    assert read(advisor, "AE or the other one?").roles == (AE,)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # roles named in the sentences before the question are its setting
        (
            "We already have 3 AEs and 2 SDRs. Does the sales manager set the quotas?",
            ("role_info", (SM,), "responsibilities"),
        ),
        (
            "we hired two SDRs last month. what does an AE earn?",
            ("role_info", (AE,), "compensation"),
        ),
        # ... even when they are compared there
        (
            "my manager says AEs and AMs are basically the same. what does an AM actually do?",
            ("role_info", (AM,), "responsibilities"),
        ),
        # a question naming no role of its own is still about those named before it
        (
            "We have AMs and CSMs. How do they split the work?",
            ("compare", (AM, CSM), "responsibilities"),
        ),
    ],
)
def test_roles_named_before_the_question_set_its_scene(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        # a team's size is read as the workplace, the facet the gap comes nearest to
        ("how big is a sales manager's team typically?", (SM,)),
        # how many of one role another has: the first role's team, not a comparison
        ("how many SDRs per AE?", (SDR,)),
        ("in a normal setup how many SDRs support one AE?", (SDR,)),
        ("how many AEs does a sales manager manage?", (AE,)),
    ],
)
def test_team_sizes_are_a_gap_of_the_role_counted(advisor, question, roles):
    reading = read(advisor, question)
    expected = ("role_info", roles, "work_environment", "team_size")
    assert (reading.intent, reading.roles, reading.facet, reading.gap) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a role's name before "= ?" asks what the role is
        ("S.D.R. = ? new here", ("role_info", (SDR,), "overview")),
        ("AE=?", ("role_info", (AE,), "overview")),
        # what something unnamed is: which role is meant, for its overview
        ("ok but what is it exactly?", ("clarify", (), "overview")),
        ("what are they exactly", ("clarify", (), "overview")),
        # how to put questions to the bot
        ("can you explain how I'm supposed to ask you stuff", ("help", (), None)),
        ("how should I ask you things?", ("help", (), None)),
    ],
)
def test_terse_and_vague_questions_of_the_second_round(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize(
    "question", ["what is it I wanted to bear in mind", "what is that song called", "1=low AE"]
)
def test_what_it_is_needs_nothing_else_asked(advisor, question):
    assert read(advisor, question).facet != "overview"


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (Reading("role_info", (SDR,), "skills"), Reading("role_info", (SDR,), "overview")),
        (Reading("topic", topic="bant"), Reading("topic", topic="bant")),
    ],
)
def test_what_it_is_after_a_question_is_what_that_question_was_about(advisor, context, expected):
    assert read(advisor, "ok but what is it exactly?", context) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # work one of two roles does, offered as a choice between them
        ("closing deals - AE or SDR job?", ("which_role", AE)),
        ("cold calling, is that an AE or SDR thing?", ("which_role", SDR)),
        # how much, or a facet, is still compared
        ("AE or SDR, who earns more?", ("compare", AE)),
        ("career prospects: AE or AM?", ("compare", AE)),
        ("RAM or NAM - who deals with distributors and who with other teams?", ("compare", RAM)),
    ],
)
def test_work_one_of_two_roles_does_asks_which(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[0]) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # where the asker is, a place named after "from" or "in", is their setting
        ("bonjour! hello from the Paris office", ("help", (), None)),
        ("hi from the London office, how much do they make?", ("clarify", (), "compensation")),
        # the word after the place is kept when it is what is asked
        ("what do AEs in Germany earn?", ("role_info", (AE,), "compensation")),
    ],
)
def test_a_place_the_asker_is_in_is_their_setting(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize("question", ['who are "the hunters" in sales?', "who's the hunter here"])
def test_who_is_a_nickname_asks_which_role_it_is(advisor, question):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("which_role", (AE,))
    assert read(advisor, "who are the AEs?").intent == "role_info"


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        # "do <role> ...?" naming work in some role's duties asks about the role's duties
        ("quick one: do AEs cold call?", "responsibilities"),
        ("do SDRS actually CLOSE deals or nah", "responsibilities"),
        # work no duty names is left to the facet's keywords or the model
        ("do AEs travel?", "work_environment"),
        # "what <role> does", asked indirectly
        ("tell me what an AE does", "responsibilities"),
        ("I don't get what SDRs do", "responsibilities"),
    ],
)
def test_do_they_do_this_work_asks_about_duties(advisor, question, facet):
    assert read(advisor, question).facet == facet


def test_national_accounts_are_the_national_account_managers_work(advisor):
    reading = read(advisor, "who handles the big national accounts?")
    assert (reading.intent, reading.roles[:1]) == ("which_role", (NAM,))


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # asked to explain "the role" of sales without naming one: which role?
        ("I'm considering a switch into sales, give me the lowdown on the role", "clarify"),
        ("thinking about a sales job, can you explain the role?", "clarify"),
        ("explain the role of mitochondria", "unknown"),
    ],
)
def test_the_role_explained_with_no_role_named_asks_which(advisor, question, intent):
    assert read(advisor, question).intent == intent


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # roles named alone, then "who ...?": which of them, or who else when neither does it
        ("We have AEs and AMs. Who handles renewals?", AM),
        ("we have one AE and two SDRs. who should handle renewals?", AM),
    ],
)
def test_roles_listed_before_who_are_its_candidates(advisor, question, role):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[:1]) == ("which_role", (role,))


@pytest.mark.parametrize(
    "question",
    [
        "can you connect me with an account manager?",
        "I need to talk to sales",
        "AE internship near me",
    ],
)
def test_requests_to_reach_someone_or_find_a_job_are_declined(advisor, question):
    assert read(advisor, question).intent == "unknown"


def test_the_askers_own_role_is_left_out_of_a_comparison_of_two_others(advisor):
    reading = read(advisor, "I'm an SDR thinking about AE or AM - which pays more?")
    assert (reading.intent, reading.roles, reading.facet) == ("compare", (AE, AM), "compensation")


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # the articles' contacts in other words: staff for employees, senior for C-level
        ("who talks to lower-level staff?", SDR),
        # scheduling meetings is the SDR's work, not a request to schedule one
        ("who schedules meetings for AEs?", SDR),
        # "who is the primary ...?" asks for a role, not a person
        ("who is the primary point of contact for clients?", AE),
        ("who's the single point of contact for a client?", AM),
        ("who collaborates with marketing?", AE),
        ("who anticipates customer issues?", CSM),
        ("who deals with senior executives at the client?", AE),
        # blind_dev13: a place named in other words, and words that only lead in ("in a
        # given ...")
        ("which role looks for new sales opportunities within a specific geography?", RAM),
        ("who is the go-between for independent stores in a given territory?", RAM),
        # the words as typed before what an everyday word means ("deal" as a sale)
        ("who deals with the client's purchasing manager?", AM),
    ],
)
def test_work_in_other_words_names_the_role(advisor, question, role):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[:1]) == ("which_role", (role,))


@pytest.mark.parametrize(
    "question", ["what are the different sales roles?", "how many sales roles are there?"]
)
def test_the_different_roles_asks_for_the_list(advisor, question):
    assert read(advisor, question).intent == "list_roles"


def test_a_second_role_matched_only_through_the_first_s_words_is_not_offered(advisor):
    # review of stop 25: "deals" as sales and "managers" found the sales manager's "managing
    # the sales team" beside the AM's purchasing and supply chain managers
    question = "who deals with purchasing managers and supply chain people at the client?"
    assert read(advisor, question).roles == (AM,)
    # two roles whose duties name the same work as typed are both offered
    assert read(advisor, "who does upselling?").roles == (AM, AE)


def test_sm_is_the_sales_manager_as_a_short_name(advisor):
    reading = read(advisor, "AE or SM, who earns more?")
    assert (reading.intent, reading.roles) == ("compare", (AE, SM))
    assert read(advisor, "sm business loans").intent == "unknown"


@pytest.mark.parametrize(
    "question",
    [
        "how many SDRs do we have on the EMEA team?",  # the company's own numbers
        "am I eligible for the AM promotion track?",  # the asker's own standing
        "write a message to my AE asking for the deck",  # a piece of work to do
        "can you proofread my cold email?",
        "fix this SQL query for our AM dashboard",
        "how do I animate a logo in AE?",  # After Effects
        "NAM is slang for what?",  # texting slang
        "my AE got flagged to the FDA, what now?",  # an adverse event
    ],
)
def test_requests_that_use_the_roles_words_for_something_else_are_declined(advisor, question):
    assert advisor.read(question).intent == "unknown"


@pytest.mark.parametrize(
    "question", ["do we have to cold call as AEs?", "do AEs write a lot of proposals?"]
)
def test_the_same_words_in_a_question_about_a_role_are_not_declined(advisor, question):
    assert advisor.read(question).intent == "role_info"


def test_stemming_uses_the_c_build_of_the_snowball_stemmers():
    """PyStemmer, a dependency, makes snowballstemmer's stemmers its own C build: the same
    stems, about eighty times faster (bench/run.py --speed)."""
    import snowballstemmer
    import Stemmer  # type: ignore[import-not-found]

    assert snowballstemmer.stemmer is Stemmer.Stemmer
    assert snowballstemmer.stemmer("english").stemWord("negotiating") == "negoti"


@pytest.mark.parametrize(
    ("question", "role", "facet"),
    [
        # a lead's qualification is the SDR's work, not the experience a role asks
        ("how do SDRs decide if a lead is qualified?", SDR, "responsibilities"),
        ("AEs and the legal team - do they actually work together?", AE, "stakeholders"),
        ("what's a NAM in plain words?", NAM, "overview"),
        # a short name that is also a word, alone
        ("am?", AM, None),
        # a sense said not to be meant
        ("CSM (the customer success kind, not scrum lol) — what's the job", CSM, "overview"),
        ("account managers hours? 9-5 or always on call for clients?", AM, "work_environment"),
    ],
)
def test_words_found_in_blind_dev8_read_the_role_and_facet(advisor, question, role, facet):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == ("role_info", (role,), facet)


def test_a_correction_that_leads_in_is_a_follow_up(advisor):
    context = Reading("role_info", roles=(AM,), facet="skills")
    reading = read(advisor, "sorry i meant the salary part", context)
    assert (reading.roles, reading.facet) == ((AM,), "compensation")


@pytest.mark.parametrize(
    "question",
    [
        "I am?",
        "what does a scrum master CSM do",
        "how much does Priya on the AE team make",  # a colleague on a team
        "who approved Jordan's promotion to sales manager",  # a colleague's own things
        "what is Tom's OTE as an AE?",
        "write a job posting for our AE opening with our actual salary band",
        "give me a script for a 30-second voicemail I can leave as an SDR",
        "who's on the AE on-call rota this weekend",
        "how much does Sarah make? she's an AE",  # the person the question is about
        "how many vacation days do SDRs get at this company",
    ],
)
def test_questions_about_the_company_or_its_people_are_declined(advisor, question):
    assert advisor.read(question).intent == "unknown"


def test_a_who_inside_a_question_about_a_topic_asks_the_topic(advisor):
    reading = read(advisor, "shouldn't I just pick key accounts by who spends the most?")
    assert (reading.intent, reading.topic) == ("topic", "key_accounts")


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # the asker's own role, when the question asks what they do to the other
        ("as an SDR what exactly do i hand over to the AE and when", SDR),
        # not when it asks about the other role
        ("as an AM, should I learn what AEs do?", AE),
        ("I'm a RAM, what do I need to know about NAMs?", NAM),
    ],
)
def test_the_askers_own_role_is_asked_about_when_they_ask_what_they_do(advisor, question, role):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("role_info", (role,))


@pytest.mark.parametrize(
    ("question", "reading"),
    [
        # a sentence that tells, its asker left out, does not decline the question before it
        ("in a sales org, what's a NAM? heard it in a meeting today", ("role_info", (NAM,), None)),
        # "or" with no role after it compares nothing
        (
            "where does the SDR job lead? is it really a path to becoming an AE or is that a myth",
            ("role_info", (SDR,), None),
        ),
        # the topic's own thing is no decline cue
        (
            "how do I decide which of my accounts count as key accounts?",
            ("topic", (), "key_accounts"),
        ),
    ],
)
def test_readings_found_in_blind_dev6(advisor, question, reading):
    got = read(advisor, question)
    assert (got.intent, got.roles, got.topic) == reading


def test_my_account_alone_is_still_declined(advisor):
    assert read(advisor, "delete my account").intent == "unknown"


@pytest.mark.parametrize(
    ("question", "reading"),
    [
        # a sense said not to be meant, with a determiner between
        (
            "engineer here — what is a RAM in the sales sense? (not the memory kind lol)",
            ("role_info", (RAM,)),
        ),
        (
            "Can you please tell me what type of questions you are able to answer? Thanks in"
            " advance",
            ("help", ()),
        ),
        # what an article calls the AE (000 line 3), asked as "which role is ...?"
        ("<@U0ABC123> which role is the *front-line sales force*?", ("which_role", (AE,))),
    ],
)
def test_readings_found_in_blind_dev4(advisor, question, reading):
    got = read(advisor, question)
    assert (got.intent, got.roles) == reading


def test_a_sense_said_to_be_meant_is_still_declined(advisor):
    assert read(advisor, "how much RAM for my laptop? not the sales kind").intent == "unknown"


@pytest.mark.parametrize(
    ("question", "reading"),
    [
        (
            "is account management a solo gig or really team-based?",
            ("role_info", "work_environment"),
        ),
        ("qué puedo preguntarte? first time using this", ("help", None)),
        ("is this the bot for questions about roles? how does it work", ("help", None)),
    ],
)
def test_working_alone_and_asking_for_help_in_other_words(advisor, question, reading):
    got = read(advisor, question)
    assert (got.intent, got.facet) == reading


def test_a_request_opening_the_question_is_declined_whatever_it_quotes(advisor):
    question = 'proofread my LinkedIn headline: "Top performing AE | crushing quota | ex-Oracle"'
    assert read(advisor, question).intent == "unknown"


@pytest.mark.parametrize(
    "question",
    [
        # a piece of work asked of the bot (request_verbs in vocabulary.yaml)
        'summarise this call transcript for my AE pls: "ok so on our side the budget is..."',
        "remind me to call my AE buddy at 3pm",
        "can you order lunch for the SDR team on Friday",
        "score Acme, Globex and Initech for me and tell me which is our key account",
        # the asker's own people, on what differs from company to company
        "how much do our CSMs get paid compared to other companies in town",
        "is my NAM allowed to see my commission statement",
        "what's our AE team's win rate against Competitor X",
        # the asker's own tools, numbers and standing
        "my Outreach sequence isn't sending emails, who do I ping",
        "am I on track for my number? I'm an AE in EMEA",
        "am I allowed to freelance for another company on the side under my employment contract?",
        "mi sales manager me pidió el forecast, ¿dónde lo saco en el CRM?",
        # the company's own people, plans, events and documents
        "who is the best AE on our team?",
        "can I see the AE leaderboard?",
        "when is the next SDR training?",
        "is the CSM role open to internal candidates?",
        "are we changing the AE comp plan next year?",
        "share the NAM deck",
        "who approved the new CSM headcount?",
        # stop 15's last round, from the near-domain development sets
        "what's on the agenda for the AE team offsite",
        "BANT-qualify this lead for me: Acme, 500 employees, budget unknown, VP Ops interested",
        "is the NAM forecast model more accurate than GFS for snowstorms",
        "should I take the AE offer from Gong or stay here?",
        "my manager and I don't get along, what should I do",
        "who is my manager's manager",
        "is this prospect Contoso a good fit for us, they have 200 employees",
        # from the eleventh near-domain set
        "is the SDR bootcamp next tuesday mandatory",
        "how many meetings did the BDR team book last week",
        "what's the discount approval threshold for AMs here",
        "quel est mon quota pour le trimestre, je suis SDR à Paris",
        "how do I fire an underperforming AE on my team, HR process?",
        "what does our CEO think about the new SDR comp plan",
        "how many people quit the AE team this year",
        "SAE vs AE in pharmacovigilance?",
        "NAM 12km vs HRRR for forecasting storms this weekend?",
        "what does NAM stand for in Windows networking, Network Access Manager?",
        "what's the AE function in Canon cameras",
        "does SDR mean standard dynamic range on my monitor? colors look off in the demo",
        # two words of another sense outweigh a sales word
        "what counts as an AE in clinical trials, adverse event reporting? asking for a pharma"
        " prospect",
    ],
)
def test_near_domain_questions_of_blind_dev10_are_declined(advisor, question):
    assert read(advisor, question).intent == "unknown"


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # generic work, though asked of the asker's own people
        ("what should our account managers be good at?", AM),
        ("our SDR team is growing: what skills should an SDR have?", SDR),
        # a verb that asks to be told, not to do
        ("can you explain what an AE does?", AE),
        ("RAM responsibilities (the sales role, not computer memory lol)", RAM),
        ("which sectors employ account managers", AM),
        ("whats on a sales manager's agenda each week", SM),
        ("new here this week and trying to work out who does what. what does an AE do?", AE),
        ("I start as an SDR next week, what should I know?", SDR),
        ("how is my quota set as an AE?", AE),
    ],
)
def test_questions_about_roles_in_those_words_are_still_read(advisor, question, role):
    assert read(advisor, question).roles == (role,)


def test_a_question_asking_how_roles_differ_is_a_comparison_even_if_it_opens_with_is(advisor):
    reading = read(
        advisor, "is it true CSMs are proactive and AMs are reactive? how are they different"
    )
    assert (reading.intent, reading.roles) == ("compare", (CSM, AM))


@pytest.mark.parametrize(
    ("question", "reading"),
    [
        # a weak alias names the topic only when no role's facet is asked beside it
        (
            "do full-time account managers work remote or in the office?",
            ("role_info", "work_environment", None),
        ),
        ("full-time or freelance, which is better for an AM?", ("topic", None, "freelancing")),
        ("what about full-time?", ("topic", None, "freelancing")),
    ],
)
def test_a_weak_alias_of_a_topic_gives_way_to_a_role_and_facet(advisor, question, reading):
    got = read(advisor, question)
    assert (got.intent, got.facet, got.topic) == reading


@pytest.mark.parametrize(
    ("topic_question", "follow_up"),
    [
        # review 10: follow-ups on a topic were declined
        ("how do I pick key accounts?", "how many criteria"),
        ("how do I pick key accounts?", "what do they score out of"),
        ("freelance vs full-time AM?", "the upside of full time"),
    ],
)
def test_a_follow_up_in_words_of_the_topic_before_asks_about_it(advisor, topic_question, follow_up):
    context = read(advisor, topic_question)
    reading = read(advisor, follow_up, context)
    assert (reading.intent, reading.topic) == ("topic", context.topic)


@pytest.mark.parametrize("follow_up", ["what is the weather today", "reset my password"])
def test_a_follow_up_in_words_the_topic_never_uses_is_still_declined(advisor, follow_up):
    context = read(advisor, "how do I pick key accounts?")
    assert read(advisor, follow_up, context).intent == "unknown"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # blind_dev10: which of two travels more compares them on the workplace, as "who earns
        # more?" does on pay, though travelling to meet clients is also an AE's duty
        ("who travels more, AEs or sales managers?", ("compare", (AE, SM), "work_environment")),
        # blind_dev43, 46, 48: more of what each does, no facet named
        ("AM or CSM, which one is more proactive?", ("compare", (AM, CSM), None)),
        # where the job is done, not the base of base pay
        (
            "is the regional account manager job field based?",
            ("role_info", (RAM,), "work_environment"),
        ),
        # "existing accounts" is no question of why a role exists
        ("do AMs look after existing accounts?", ("role_info", (AM,), "responsibilities")),
        ("why does the SDR role exist?", ("role_info", (SDR,), "overview")),
        ("do RAMs need to be good w/ data?", ("role_info", (RAM,), "skills")),
        ("salary range?", ("clarify", (), "compensation")),
        ("¿qué roles conoces?", ("list_roles", (), None)),
        ("what sales titles do you cover?", ("list_roles", (), None)),
        ("how does this work, can I just type a question?", ("help", (), None)),
        # blind_dev37, blind_dev38: how to reach the bot; independent sales work
        ("can I DM you?", ("help", (), None)),
        ("can I DM you or do I have to @ you in the channel?", ("help", (), None)),
        ("can you answer in turkish?", ("help", (), None)),
        ("can I ask you stuff in Polish or only English?", ("help", (), None)),
        # blind_dev46-49: the languages it reads, "qs", "1099" work
        ("can i ask you stuff in italian?", ("help", (), None)),
        ("do u cover CSMs or just AE/AM?", ("list_roles", (), None)),
        ("do you cover CSMs?", ("list_roles", (), None)),
        ("do you cover CSM pay?", ("role_info", (CSM,), "compensation")),
        ("do full time AMs get health insurance?", ("role_info", (AM,), "compensation")),
        ("can an AM jump to a software vendor?", ("role_info", (AM,), "career_path")),
        ("what kind of qs can i ask u", ("help", (), None)),
        ("thinking of going 1099, commission only. risks?", ("topic", (), None)),
        ("do I have to mention you?", ("help", (), None)),
        ("is independent sales really that unstable?", ("topic", (), None)),
        # review 11: the agency is where the AE works, the question what they do there
        (
            "what does an account executive at an ad agency do",
            ("role_info", (AE,), "responsibilities"),
        ),
        ("do AEs work at agencies?", ("role_info", (AE,), "work_environment")),
    ],
)
def test_blind_dev10_wordings(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize(
    "question",
    [
        "marketing background, good at presentations and persuading people, and I want to earn"
        " commission. any suggestion?",
        "Soy muy persistente, me encanta cerrar ventas. ¿Qué rol me recomiendas?",
        # blind_dev43-45: a title for what one does, a candidate put up for a role, a move
        "i'm basically the glue between our company and the regional dealers, what title is"
        " that?",
        "candidate has no experience but is resilient and great on the phone. what role do i"
        " put her up for?",
        "6 years of selling behind me and I want to lead a team now. what's the right move?",
        "i want to lead a team and coach people, what's the right role",
    ],
)
def test_a_fit_asked_in_other_words_is_a_recommendation(advisor, question):
    reading = read(advisor, question)
    assert reading.intent == "recommend"
    assert reading.roles


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # review 11: words only the AE's metrics say, with no role named
        ("what is pipeline health", ("role_info", (AE,), "metrics")),
        ("how is client retention rate calculated", ("role_info", (AE,), "metrics")),
        ("whats consultative selling", ("role_info", (AE,), "skills")),
        # a facet's own name asks which role, whoever's facts happen to say it
        ("what's the career path?", ("clarify", (), "career_path")),
        # the asker's own numbers stay theirs
        ("what's our client retention rate this quarter?", ("unknown", (), None)),
    ],
)
def test_words_only_one_roles_facts_say_are_about_that_role(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize(
    "question",
    [
        "should we let go of our underperforming BDR?",
        "how do I change the account manager listed on our AWS account?",
    ],
)
def test_the_askers_own_team_with_little_else_known_is_declined(advisor, question):
    assert read(advisor, question).intent == "unknown"


@pytest.mark.parametrize(
    ("question", "also"),
    [
        # review 11: the second part, on work the SDR's duties name, was dropped
        (
            "hey so I just started as an SDR. whats the comp structure like? and also am I"
            " going to be cold calling a lot or is it mostly email",
            "responsibilities",
        ),
        ("do SDRs do cold calling? and what's the comp structure like?", None),
        ("what's the SDR comp structure like?", None),
    ],
)
def test_work_asked_after_a_facet_is_asked_too(advisor, question, also):
    reading = read(advisor, question)
    assert (reading.roles, reading.facet, reading.also_asked) == (
        (SDR,),
        "compensation",
        also,
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # blind_dev11: everyday words for the duties' work
        ("who keeps an eye on how the whole team is performing", ("which_role", (SM,), None)),
        (
            "who gets all the departments aligned for a big national customer",
            ("which_role", (NAM,), None),
        ),
        ("which role is kinda like a mini general manager", ("which_role", (NAM,), None)),
        # short words mistyped, and a nickname asked "whos ...?"
        ("whos the hunter in sales", ("which_role", (AE,), None)),
        ("wat comes aftr AE if i crush it", ("role_info", (AE,), "career_path")),
        # requirements, not open job requisitions
        ("regional acount manger educaton reqs", ("role_info", (RAM,), "education")),
        ("how many open AE reqs do we have right now", ("unknown", (), None)),
    ],
)
def test_blind_dev11_wordings(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # what the asker likes, or that they are new, with no question at all
        ("i like long term relationships solving client problems and im detail oriented", AM),
        ("i want a foot in the door in sales with zero experience", SDR),
        ("i like coaching ppl and leading a team whats for me", SM),
        ("high energy want fast paced coffee is for closers vibes", AE),
    ],
)
def test_telling_what_one_likes_asks_what_fits(advisor, question, role):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[:1]) == ("recommend", (role,))


@pytest.mark.parametrize(
    "question",
    [
        "ex-teacher switching careers - show me every sales role you have info about",
        "i like my AE, she is great",
        "i love pizza",
        "the sales floor is fast paced",
    ],
)
def test_telling_is_no_fit_question_when_it_asks_for_something_else(advisor, question):
    assert read(advisor, question).intent != "recommend"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "new" in the asker's introduction names no new business, nor experience asked
        ("I'm new here, AE or AM?", ("compare", (AE, AM), None)),
        (
            "inside sales newbie here whats the differnce between an sdr and an ae",
            ("compare", (SDR, AE), None),
        ),
    ],
)
def test_the_asker_saying_they_are_new_names_no_work_or_facet(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # stop 19: "schedule the" asks the bot to do it, not after "who"
        ("who schedules the demos for AEs", ("which_role", SDR)),
        ("which role schedules the demos/first meetings for AEs", ("which_role", SDR)),
        ("schedule the demo with Acme", ("unknown", None)),
        ("who should schedule the interview with the AE candidate", ("unknown", None)),
    ],
)
def test_a_request_cue_right_after_who_is_the_work_asked_about(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, next(iter(reading.roles), None)) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # stop 19: work no role's duties name, asked "which role does ...?", is said to be
        # uncovered (with the nearest duty), not met with the list of roles
        ("which role does a sales forecast for the whole team?", "which_role"),
        ("which role do you know about?", "list_roles"),
        ("which roles do you cover?", "list_roles"),
        ("what jobs are in your knowledge base", "list_roles"),
    ],
)
def test_which_role_does_work_is_no_request_for_the_list(advisor, question, expected):
    assert read(advisor, question).intent == expected


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # stop 19: where the asker studies is their background, not a name asked about
        ("what degree for AM? studying journalism at Tel Aviv Uni, is it useless", "role_info"),
        ("who is the AM for Boston University?", "unknown"),
    ],
)
def test_a_school_named_is_the_asker_s_background(advisor, question, intent):
    assert read(advisor, question).intent == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # stop 19: a name in what the asker tells of themself is the setting of a question
        # about a role asked apart from it
        ("RAM responsibilities? we're drafting the JD for Northern Finland", "role_info"),
        ("what does an AM do? I work with Priya on the Acme account", "role_info"),
        ("is Jenny our AM? I'm new here", "unknown"),
    ],
)
def test_a_name_in_what_the_asker_tells_is_the_setting(advisor, question, intent):
    assert read(advisor, question).intent == intent


@pytest.mark.parametrize(
    "question",
    [
        # stop 19: his employer's name is no question about CRM skills
        "what did John Golden from Pipeliner CRM say the account manager's job is?",
        "what does John Golden (Pipeliner CRM) say the account manager's job is?",
    ],
)
def test_john_golden_s_employer_named_beside_him_is_part_of_his_name(advisor, question):
    reading = read(advisor, question)
    assert (reading.roles, reading.facet, reading.person) == ((AM,), "overview", "John Golden")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # stop 19: a topic named only in a sentence aside sets the scene of a role's facet
        (
            "what skills does a NAM need? asking for the key account team offsite",
            ("role_info", (NAM,), "skills", None),
        ),
        ("how do NAMs choose key accounts?", ("topic", (NAM,), None, "key_accounts")),
        ("bdr qualification criteria - is it bant?", ("topic", (SDR,), None, "bant")),
        # independent account managers are freelancers
        (
            "do independent account managers get health insurance?",
            ("topic", (AM,), None, "freelancing"),
        ),
    ],
)
def test_a_topic_aside_is_the_setting_of_a_role_s_facet(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet, reading.topic) == expected


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # stop 19: voice-to-text mishearings of the roles' names, and Greek, Swedish, Hebrew
        # and Romanian questions
        ("what does a sales development rap do", SDR),
        ("ask D R what is it? my manager said i should try ask D R first", SDR),
        ("tell me about the account exactly role", AE),
        ("what does a count manager do for restaurants", AM),
        ("sails manager what is it", SM),
        ("Τι κάνει ένας sales manager;", SM),  # noqa: RUF001
        ("Vad tjänar en säljchef i snitt?", SM),
        ("מה מסלול הקריירה של SDR?", SDR),
        ("Ce face un account executive? zi de zi", AE),
        ("Mitä account executive tekee käytännössä?", AE),
        ("Milyen végzettség kell egy account managerhez?", AM),
    ],
)
def test_misheard_and_other_language_names_of_roles_are_read(advisor, question, role):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("role_info", (role,))


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        # stop 19: "how much" asks about pay only where it asks how much one is paid
        ("sales manager = coach? how much of the job is mentoring?", "responsibilities"),
        ("how much is an SDR paid?", "compensation"),
        ("how much can an AE make?", "compensation"),
    ],
)
def test_how_much_is_pay_only_when_it_asks_what_one_makes(advisor, question, facet):
    assert read(advisor, question).facet == facet


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        # stop 19: a follow-up led in by "no" (Romanian "nu"), or in Swedish
        ("no, and the career path?", "career_path"),
        ("nu, and the career path?", "career_path"),
        ("och lönen då?", "compensation"),
        ("ok and where do they go after that", "career_path"),
        # blind_dev43, blind_dev45: "what's next", a facet "-wise"
        ("and after that, what's next?", "career_path"),
        ("what's the next step up from that?", "career_path"),
        ("and education wise?", "education"),
    ],
)
def test_a_follow_up_after_a_no_asks_for_the_facet(advisor, question, facet):
    reading = read(advisor, question)
    assert (reading.intent, reading.facet) == ("clarify", facet)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # review 12: a finance question on every role's pay got the list of roles
        (
            "I'm finance, budgeting headcount: which roles have higher base salaries?",
            ("compare", (AE, AM, SDR, SM), "compensation"),
        ),
        ("which role pays the most?", ("compare", (AE, AM, SDR, SM), "compensation")),
        ("which role travels the most", ("compare", (AE, AM, RAM, SM), "work_environment")),
        # stop 19: which role has something of a facet, superlative or not
        ("which role is entry level?", ("compare", (AE, AM, SDR, SM), "experience")),
        ("which job needs a degree?", ("compare", (AE, AM, SM), "education")),
        ("what's the most junior sales job?", ("compare", (AE, AM, SDR, SM), "experience")),
        ("what's the best CRM for a small bakery?", ("unknown", (), None)),
        # not between two roles known, nor of other jobs
        ("which one pays more", ("clarify", (), "compensation")),
        ("which pays more, nursing or teaching?", ("unknown", (), None)),
    ],
)
def test_which_role_ranks_highest_on_a_facet_compares_the_roles_covering_it(
    advisor, question, expected
):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == expected


def test_translator_reads_a_name_with_a_case_ending_as_the_name():
    translate = Translator({}, ["Account Manager", "AM"])
    assert translate("kell egy account managerhez?") == "kell egy account manager?"
    assert translate("Account Managerilta") == "Account Manager"
    # an English plural, or a word that only starts alike, stays as it is
    assert translate("account managers") == "account managers"
    assert translate("account manager's") == "account manager's"
    assert translate("AMs") == "AMs"  # one-word names take no endings
    # ... but any name does after an apostrophe, and an elided article before one (Uzbek,
    # Turkish; Catalan, French: blind_dev28, blind_dev24), after the phrases that hold one
    assert translate("AM'lar qancha? AM\u2019ler") == "AM qancha? AM"
    assert translate("l'AM i d'account manager") == "AM i account manager"
    assert translate("the AM's job, o'clock") == "the AM's job, o'clock"
    kept = Translator({"s'am the": "the"}, ["AM"])
    assert kept("s'am the AM'lar") == "the AM"

    # a phrase is found however common its first word, wherever it stands
    table = Translator({"a count manager": "account manager", "是什么": "what is"})
    assert table("is a count manager a job?") == "is account manager a job?"
    assert table("a day in the life") == "a day in the life"
    assert table("AE是什么 and a count manager") == "AE what is and account manager"


def test_translator_reads_whole_phrases_longest_first():
    translate = Translator({"wat doet een": "what are the duties of a", "wat doet": "what"})
    assert translate("Wat doet een AM?") == "what are the duties of a AM?"
    assert translate("wat doet ze") == "what ze"
    assert translate("watdoet een") == "watdoet een"  # whole words only
    assert translate("Wat doet") == "what"
    assert Translator({"samen": ""})("werk je samen?") == "werk je ?"
    assert Translator({})("as typed") == "as typed"
    # Chinese writes no spaces: its phrases match inside a run of characters, spaced apart
    assert Translator({"是什么": "what is"})("AE是什么职位") == "AE what is 职位"
    # no phrase is an English word on its own ("taken" is Dutch for duties, and English)
    from bot.knowledge import load_knowledge

    english = {"taken", "was", "me", "a", "clients", "po", "na", "ne"}
    assert not english & {p.casefold() for p in load_knowledge().vocabulary.translations}
    # a phrase after punctuation, its first word in another case
    assert Translator({"qué hace un": "what does a"})("¿Qué hace un AE?") == "¿what does a AE?"


def test_no_phrase_reads_an_english_i_am_after_a_role_as_and():
    from bot.knowledge import load_knowledge

    table = load_knowledge().vocabulary.translations
    assert not [p for p in table if " i am" in f" {p} " or p.startswith("am i ")]


def test_translator_reads_cyrillic_words_in_latin_letters():
    # one phrase serves a language in either script, and the loanwords of many languages
    translate = Translator({"akkaunt": "account", "menedzher": "manager", "shto robi": "what does"})
    assert translate("Аккаунт-менеджер?") == "account-manager?"
    assert translate("Што роби AE? Shto robi AM?") == "what does AE? what does AM?"
    # the soft sign leaves no apostrophe, which would read as a case ending's ("SDR'lar")
    assert translate("Хто больш зарабляе") == "Khto bolsh zarablyae"
    assert translate("Ελληνικά, עברית and English") == "Ελληνικά, עברית and English"
    # the facet model learns and reads the same letters
    assert features("Што робіць AE?") == features("Shto robits AE?")


def test_translator_reads_endings_glued_to_a_name_and_marks_inside_words_apart():
    # blind_dev31, blind_dev34: particles and endings of another script on an English name
    translate = Translator({"ով է": "who is", "연봉": "salary"})
    assert translate("SDR의 연봉") == "SDR 의 salary"
    assert translate("የAE, AEдин, Ո՞վ է") == "የ AE, AE din, who is"
    assert translate("Café au lait") == "Café au lait"  # Latin letters with accents are Latin
    # a phrase is looked for as the question reads, unicode unified (Lao's "ຳ", blind_dev36)
    assert Translator({"\u0e84\u0eb3": "word"})(clean("\u0e84\u0eb3")) == "word"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # blind_dev12 and blind_dev13: Dutch, Portuguese and German mixed in
        ("wat doet een accountmanager eigenlijk?", ("role_info", (AM,), "responsibilities")),
        ("hoeveel verdient een verkoopmanager?", ("role_info", (SM,), "compensation")),
        ("o que faz um gerente de contas?", ("role_info", (AM,), "responsibilities")),
        ("gerente de vendas precisa de mestrado?", ("role_info", (SM,), "education")),
        ("welke functies ken je?", ("list_roles", (), None)),
        ("quais cargos você cobre?", ("list_roles", (), None)),
        ("o que você consegue fazer?", ("help", (), None)),
        ("wer kümmert sich um Neukunden?", ("which_role", (AE,), None)),
        ("Quem é responsável por prospectar novos clientes?", ("which_role", (SDR,), None)),
        # blind_dev14 and blind_dev15: Turkish, Arabic, Tagalog and Hindi
        ("Satış müdürü ne iş yapar?", ("role_info", (SM,), "responsibilities")),
        ("Hesap yöneticisinin maaşı ne kadar oluyor?", ("role_info", (AM,), "compensation")),
        ("Ulusal hesap yöneticisi kimlerle çalışır?", ("role_info", (NAM,), "stakeholders")),
        ("Hangi pozisyonlar hakkında bilgin var?", ("list_roles", (), None)),
        ("peki maaşı?", ("clarify", (), "compensation")),
        ("مدير المبيعات كم راتبه تقريباً؟", ("role_info", (SM,), "compensation")),
        ("ما الفرق بين مدير المبيعات والـ account executive؟", ("compare", (SM, AE), None)),
        ("موظف تطوير المبيعات SDR شو بيشتغل بالضبط؟", ("role_info", (SDR,), "responsibilities")),
        ("sino ang nag-nenegotiate ng contract sa client?", ("which_role", (AE,), None)),
        ("anong mga roles ang alam mo?", ("list_roles", (), None)),
        ("paano ka gamitin?", ("help", (), None)),
        ("aur unki responsibilities kya hain?", ("clarify", (), "responsibilities")),
        # blind_dev16: Korean, Chinese and pinyin
        ("SDR의 연봉은요?", ("role_info", (SDR,), "compensation")),
        ("account manager 연봉 어느 정도예요?", ("role_info", (AM,), "compensation")),
        ("SDR 다음 커리어는 뭐예요?", ("role_info", (SDR,), "career_path")),
        ("이 봇은 어떤 직무들을 알아요?", ("list_roles", (), None)),
        ("account manager 和 account executive 有什么区别?", ("compare", (AM, AE), None)),
        ("谁负责找新客户?", ("which_role", (AE,), None)),
        ("xiaoshou jingli vs AE gongzi?", ("compare", (SM, AE), "compensation")),
        ("na tamen de gongzi ne?", ("clarify", (), "compensation")),
        # stop 24, of blind_dev31 to blind_dev38: Amharic, Armenian, isiXhosa, Sesotho,
        # Tigrinya, Lao, Quechua, Sundanese, Wolof
        ("አዳዲስ ደንበኞችን የሚያመጣው ማነው?", ("which_role", (AE,), None)),
        ("Իսկ նրանց skills-ը?", ("clarify", (), "skills")),
        ("Ngubani oqesha aze agxothe abathengisi?", ("which_role", (SM,), None)),
        ("ke mang ya sebetsang top of funnel?", ("which_role", (SDR,), None)),
        ("help bejaka, kemey eye zetekemelka", ("help", (), None)),
        ("ແລ້ວເງິນເດືອນເດ?", ("clarify", (), "compensation")),
        ("Imakunatataq ruwayta atinki?", ("help", (), None)),
        ("Saha nu nutup deal jeung negosiasi kontrak?", ("which_role", (AE,), None)),
        ("Kan mooy toppatoo kiliyaan yi fi nekk ba pare?", ("which_role", (AM,), None)),
        # blind_dev39: Japanese and Italian
        ("quanto guadagna un account manager?", ("role_info", (AM,), "compensation")),
        ("アカウントマネージャーの給料は", ("role_info", (AM,), "compensation")),
        # blind_dev41: Indonesian and Vietnamese
        ("berapa gaji account manager?", ("role_info", (AM,), "compensation")),
        ("lương của account manager là bao nhiêu?", ("role_info", (AM,), "compensation")),
        ("ai chịu trách nhiệm tìm khách hàng mới?", ("which_role", (AE,), None)),
        # blind_dev40: Russian (in Cyrillic, read in Latin letters) and Polish
        ("сколько зарабатывает account manager?", ("role_info", (AM,), "compensation")),
        ("ile zarabia sales manager?", ("role_info", (SM,), "compensation")),
        ("kto odpowiada za nowych klientów?", ("which_role", (AE,), None)),
        # blind_dev42: Norwegian, Danish and Czech
        ("hvor mye tjener en account manager?", ("role_info", (AM,), "compensation")),
        ("Kolik vydělává sales manager?", ("role_info", (SM,), "compensation")),
        ("hvad laver en SDR?", ("role_info", (SDR,), "responsibilities")),
        # Macedonian, Belarusian, Kyrgyz and Tatar, in Cyrillic letters read in Latin ones
        ("Кој ги поставува квотите?", ("which_role", (SM,), None)),  # noqa: RUF001
        ("Аккаунт-менеджер ким менен иштешет?", ("role_info", (AM,), "stakeholders")),
        ("Хто шукае новых кліентаў?", ("which_role", (AE,), None)),
        ("Sales manager-га нинди күнекмәләр кирәк?", ("role_info", (SM,), "skills")),  # noqa: RUF001
        # blind_dev18 and blind_dev19: Mexican Spanish, Brazilian Portuguese, Quebec French
        ("gerente regional de cuentas, qué hace?", ("role_info", (RAM,), "responsibilities")),
        ("quién consigue clientes nuevos?", ("which_role", (AE,), None)),
        ("qué puestos cubres?", ("list_roles", (), None)),
        ("oi, como funciona esse bot?", ("help", (), None)),
        ("e com quem eles falam no cliente?", ("clarify", (), "stakeholders")),
        ("gestionnaire succès client, ça fait quoi?", ("role_info", (CSM,), "responsibilities")),
        ("qui s'occupe de la rétention des clients existants?", ("which_role", (AM,), None)),
        ("quels postes tu connais?", ("list_roles", (), None)),
    ],
)
def test_other_languages_phrases(advisor, question, expected):
    reading = read(advisor, question)
    roles = reading.roles[:1] if reading.intent == "which_role" else reading.roles
    assert (reading.intent, roles, reading.facet) == expected
    assert reading.question == question  # the answer quotes the question as asked


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # blind_dev12 and blind_dev13: how a fit is asked, and who has led a team
        ("i love fixing problems before clients notice. which role aligns with that?", CSM),
        ("i'm good with rejection and totally new to sales. what role would work?", SDR),
        ("my candidate has led a team for years, which of the roles fits them best?", SM),
        ("recent graduate here, want to start in sales, which role fits me?", SDR),
    ],
)
def test_blind_dev12_fit_wordings(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[:1]) == ("recommend", (expected,))


def test_work_on_contracts_is_not_working_on_contract(advisor):
    # review 14: "on contracts" read as freelancing's "on contract"
    reading = read(advisor, "do AEs work with legal on contracts?")
    assert (reading.intent, reading.roles, reading.topic) == ("role_info", (AE,), None)
    assert "legal team" in advisor.answer(reading).text.split("\n\n")[1]


@pytest.mark.parametrize(
    "question",
    ["what's our company's commission plan for AEs?", "what's our comp plan for SDRs?"],
)
def test_the_company_s_own_plan_is_declined(advisor, question):
    # review 14: answered with the articles' AE pay as if it were the company's
    reading = read(advisor, question)
    assert reading.intent == "unknown"
    assert "not your company's own plans" in advisor.answer(reading).text


def test_a_name_in_a_sentence_that_asks_nothing_is_the_setting(advisor):
    question = (
        "does a regional account manager travel a lot? covering all of Transdanubia is a lot"
        " of driving"
    )
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("role_info", (RAM,))
    assert reading.facet == "work_environment"
    # the name in the sentence that asks is still someone's
    question = "covering Transdanubia is a lot. what does Jenny earn as a regional account manager?"
    assert read(advisor, question).intent == "unknown"


@pytest.mark.parametrize(
    ("question", "foreign"),
    [
        # (in languages the translations do not cover)
        ("Kes teeb külmkõnesid?", True),
        ("Hver hringir köld símtöl í söluteyminu?", True),
        ("Nork egiten ditu dei hotzak?", True),
        ("order dog food from walmart", False),
        ("what's the weather in Paris tomorrow?", False),
        ("how far am I from my quota this quarter?", False),
    ],
)
def test_a_declined_question_in_another_language_is_asked_again_in_english(
    advisor, question, foreign
):
    reading = read(advisor, question)
    assert (reading.intent, reading.foreign) == ("unknown", foreign)
    text = advisor.answer(reading).text
    assert ("could you ask it in English?" in text) is foreign
    assert ("not your company's own plans" in text) is not foreign


def test_only_a_declined_question_is_taken_as_in_another_language(advisor):
    # read in part, and answered: no request for English
    reading = read(advisor, "salam! account executive chie? ye tozih sade mikham")
    assert reading.intent == "role_info"
    assert not reading.foreign


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # what the asker tells of their own work is not a question about their own team
        (
            "I look after our dealer network up north, about 40 independent ag stores. is that"
            " basically what a regional account manager is?",
            ("role_info", (RAM,)),
        ),
        # nor is a place in it a name the question is about
        (
            "I already visit our dealers across Slavonia every week and I like working with"
            " distributors. what role would suit me?",
            ("recommend", (RAM,)),
        ),
        # a role's distinctive word before another's name, or another word, is not that role
        (
            "I started Monday as the new regional sales manager. what is the sales manager"
            " role supposed to cover vs an AE?",
            ("compare", (SM, AE)),
        ),
        (
            "who would an AM actually talk to at a big customer, like a regional co-op?",
            ("role_info", (AM,)),
        ),
        ("NAM or regional, which pays more?", ("compare", (NAM, RAM))),
    ],
)
def test_what_the_asker_tells_and_words_of_other_names(advisor, question, expected):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles[: len(expected[1])]) == expected


def test_the_facet_of_the_first_question_before_options_given_after_it(advisor):
    question = "who do SDRs actually talk to? the vet or the receptionist at the front desk?"
    assert read(advisor, question).facet == "stakeholders"


@pytest.mark.parametrize(
    "question", ["what's the difference?", "which one is better?", "how do they differ?"]
)
def test_a_comparison_asked_with_no_roles_known_asks_which(advisor, question):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet, reading.pairing) == (
        "clarify",
        (),
        None,
        True,
    )
    assert "Which roles do you want me to compare?" in advisor.answer(reading).text
    # outside sales roles, still declined
    assert read(advisor, "what's the difference between a crocodile and an alligator").intent == (
        "unknown"
    )


def test_roles_named_as_one_list_after_for_are_all_asked_about(advisor):
    reading = read(advisor, "pay for AE, AM and sales manager?")
    assert (reading.intent, reading.roles) == ("compare", (AE, AM, SM))
    assert reading.facet == "compensation"
    # one role handed something is still not the one asked about
    assert read(advisor, "what does the SDR hand over to the AE?").roles == (SDR,)


def test_which_of_them_asked_twice_compares_them(advisor):
    question = "AM vs CSM: which one is proactive and which one just reacts to complaints?"
    assert read(advisor, question).intent == "compare"
    reading = read(advisor, "CSM vs AM vs AE: who's proactive, who's reactive, who's hunting?")
    assert (reading.intent, reading.roles) == ("compare", (CSM, AM, AE))
    # asked once, it asks which of them does it
    assert read(advisor, "AM vs CSM: which one is proactive?").intent == "which_role"


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        # stop 23: a message that only points back, sent with nothing before it
        ("what about them?", None),
        ("ok what about the other one", None),
        ("and the other one?", None),
        ("wait, why?", None),
        ("same question but for skills", "skills"),
    ],
)
def test_a_message_pointing_back_to_nothing_asks_which_role(advisor, question, facet):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == ("clarify", (), facet)
    assert advisor.answer(reading).text.startswith("Which role do you mean")


@pytest.mark.parametrize(
    "question", ["what about my laptop?", "why is the VPN down?", "and the weather?"]
)
def test_a_message_pointing_back_is_only_one_with_nothing_else_in_it(advisor, question):
    assert read(advisor, question).intent != "clarify"


def test_other_sales_jobs_than_those_named_asks_for_the_list(advisor):
    question = "what other sales jobs are there apart from AE and AM?"
    assert read(advisor, question).intent == "list_roles"
    assert read(advisor, "what other jobs does an AE work with?").facet == "stakeholders"
    # blind_dev35: the sales jobs there are, in a team
    question = "what sales positions are there in a typical sales team?"
    assert read(advisor, question).intent == "list_roles"
    assert read(advisor, "what sales roles are there?").intent == "list_roles"


def test_a_fit_comparison_guesses_no_facet(advisor):
    reading = read(advisor, "*AE* or *AM* for someone who loves long-term relationships?")
    assert (reading.intent, reading.facet) == ("compare", None)


@pytest.mark.parametrize(
    "question",
    [
        # stop 23
        "one source says AEs hunt new clients, another says they grow existing accounts?",
        "two different definitions of account executive. do the sources conflict?",
        # blind_dev43-45: mixed information, in French too
        "is AE a mid-senior job or entry level? getting mixed info",
        "wait, one of your sources says an AE runs ad campaigns?? not what an AE is here",
        "les sources sont d'accord sur l'expérience demandée pour un AE ?",
        "is AE a junior or a senior job? the sources seem to disagree",
        "one place says AE is entry level and another says it's not a junior role. which is it?",
        "do your sources actually agree on whether AEs focus on new clients?",
    ],
)
def test_one_source_against_another_asks_where_the_articles_disagree(advisor, question):
    assert (read(advisor, question).intent, read(advisor, question).roles) == ("disputes", (AE,))
    cited = "saw this BLS page cited in one of your articles, what does it say about SMs?"
    assert read(advisor, cited).intent == "role_info"


def test_a_disagreement_asked_about_is_read_by_its_words_over_a_facet_with_none(advisor):
    # blind_dev42-48: "ad agency", "campaigns" name the AE's workplace and duties, on which
    # the articles record no disagreement; the question's words are those of what kind of
    # work the role is
    question = "is AE an ad-campaign role or a sales role? the articles describe it differently"
    reading = read(advisor, question)
    assert (reading.intent, reading.facet) == ("disputes", "overview")
    # a facet with no disagreement recorded, asked alone, is still the one asked about
    travel = read(advisor, "do the sources conflict on whether sales managers travel?")
    assert (travel.intent, travel.facet) == ("disputes", "work_environment")


def test_how_one_should_measure_one_s_own_people_asks_for_the_role_s_metrics(advisor):
    # stop 23: a manager asking how it is done, not for their people's figures
    reading = read(advisor, "how should I measure my sales managers' performance?")
    assert (reading.intent, reading.roles, reading.facet) == ("role_info", (SM,), "metrics")
    assert read(advisor, "how do I see my AEs' quota attainment?").intent == "unknown"
    assert read(advisor, "how can I pull my AEs' pipeline metrics").intent == "unknown"


def test_who_does_work_for_clients_no_article_gives_says_so(advisor):
    # stop 23: work for clients is sales work; no article says who does it
    reading = read(advisor, "who's meant to chase insurers when a client's claim is stuck?")
    assert (reading.intent, reading.roles) == ("which_role", ())
    assert "None of my sources says which role does that" in advisor.answer(reading).text


def test_in_textbook_terms_asks_about_roles_in_general(advisor):
    # stop 23: what the asker tells of their own team is the setting
    question = (
        "so im trying to work out the split in our team, we have someone chasing new fleet"
        " customers, in textbook terms whats the difference between an sdr and an account manager"
    )
    assert (read(advisor, question).intent, read(advisor, question).roles) == ("compare", (SDR, AM))


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        # stop 23: questions dictated to a phone, as speech-to-text writes them down
        ("ess dee are what do they do all day", (SDR,)),
        ("cee ess em skills", (CSM,)),
        ("see ess em vs ay em", (CSM, AM)),
        ("whats the difference between a sales man ager and a count exec", (SM, AE)),
    ],
)
def test_a_dictated_role_name_is_read_as_the_name(advisor, question, roles):
    assert read(advisor, question).roles == roles


def test_a_short_name_spelt_only_in_english_words_is_not_read_as_a_name():
    from bot.understanding.lexicon import _spelt_out

    spelt = _spelt_out(["SDR", "AE", "Sales Manager"], {"a": ["a"], "e": ["e", "ee"]}, {"a"})
    assert spelt == {"a ee": "AE"}


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        # stop 23: two letters swapped, or one dropped, in a short word
        ("what does a slaes manager do", (SM,)),
        ("saels manager vs AE", (SM, AE)),
        ("what does a sals manager do", (SM,)),
        # of two words one edit away, the one without a letter swapped for another
        ("what is a customer succeess manager", (CSM,)),
        # one letter off in a five-letter word of a role's name
        ("do slles managers travel?", (SM,)),
    ],
)
def test_a_short_word_with_letters_swapped_or_dropped_is_repaired(advisor, question, roles):
    assert read(advisor, question).roles == roles


def test_swapped_letters_in_a_short_word_read_the_cue(advisor):
    assert read(advisor, "whcih role books demos?").intent == "which_role"
    assert read(advisor, "list rloes").intent == "list_roles"
    assert read(advisor, "whech role books demos?").intent == "which_role"


def test_a_disagreement_worded_as_recorded_gives_its_facet(advisor):
    # stop 23: "which is it?" about new clients against existing accounts
    question = "one source says AEs go after new clients, another they manage existing accounts"
    reading = read(advisor, question)
    assert (reading.intent, reading.roles, reading.facet) == ("disputes", (AE,), "responsibilities")
    # worded as none of them, every one of the role's
    assert read(advisor, "do the sources contradict each other on AEs?").facet is None


@pytest.mark.parametrize(
    "question",
    [
        # stop 23: whether a role no article describes is covered asks for the list
        "do you have anything on sales engineers?",
        "have you got anything on sales engineers or is that not one of yours",
    ],
)
def test_asked_whether_a_role_no_article_describes_is_covered_it_gives_the_list(advisor, question):
    reading = read(advisor, question)
    assert (reading.intent, reading.uncovered) == ("list_roles", "Sales Engineer")
    assert read(advisor, "what does a sales engineer do?").intent == "unknown"


def test_gm_is_a_general_manager_and_sources_seeming_to_conflict_a_dispute(advisor):
    # stop 23
    reading = read(advisor, "which role is kind of a quasi GM")
    assert (reading.intent, reading.roles) == ("which_role", ("national_account_manager",))
    question = "sources seem to conflict on AE focus: new business or existing accounts?"
    assert read(advisor, question).intent == "disputes"
