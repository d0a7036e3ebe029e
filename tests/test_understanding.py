"""Understanding: questions (as typed in Slack) read into intent, roles, facet and topic."""

from __future__ import annotations

import json
import time

import pytest

from bot.knowledge.schema import FACET_IDS
from bot.understanding import Reading
from bot.understanding.facet_model import MODEL_FILE, FacetModel, train
from bot.understanding.lexicon import Duty, DutyIndex, Entry
from bot.understanding.normalize import MAX_CHARS, clean, tokenize
from bot.understanding.reading import INTENT_IDS

AE = "account_executive"
AM = "account_manager"
SDR = "sales_development_rep"
CSM = "customer_success_manager"
SM = "sales_manager"
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


# -- readings from the examples ------------------------------------------------------

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
    ],
)
def test_which_role(advisor, question, first_role, duty_word):
    reading = read(advisor, question)
    assert reading.intent == "which_role"
    assert reading.roles[0] == first_role
    assert duty_word in (reading.duty or "")
    assert 0.0 < reading.confidence <= 1.0


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


def test_long_question_is_read_fast(advisor):
    start = time.perf_counter()
    for text in (HOSTILE["100kb"], HOSTILE["100kb_words"], HOSTILE["ae_10000"]):
        read(advisor, text)
    assert time.perf_counter() - start < 2.0


def test_clean_strips_slack_markup():
    assert clean("<@U07ABC123> hi") == "hi"
    assert clean("<#C024BE91L|sales> x") == "sales x"
    assert clean("<https://x.y|this post> AE") == "this post AE"
    assert clean("<https://x.y> AE") == "AE"
    assert clean(":thinking_face: *AE* vs _SDR_") == "AE vs SDR"
    assert clean("&lt;b&gt; &amp;") == "<b> &"
    assert clean("a\x00b") == "a b"
    assert len(clean("y" * 100_000)) == MAX_CHARS


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
]


@pytest.mark.parametrize("reading", ROUND_TRIP, ids=lambda r: r.intent)
def test_from_value_round_trip(reading):
    value = reading.to_value()
    assert len(value) <= 2000
    back = Reading.from_value(value)
    assert back == reading
    assert back.duty == reading.duty
    assert back.page == reading.page


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


def test_a_career_step_alone_is_named_in_the_reading(advisor):
    reading = read(advisor, "what does a sales director do?")
    assert reading.intent == "unknown"
    assert reading.step == "sales_director"
    answer = advisor.answer(reading)
    assert "Sales Director" in answer.text
    assert "career path" in answer.text.lower()


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
        ("what tools do SDRs use?", ("role_info", (SDR,), "skills", "tools")),
        ("AE vs AM commission rate", ("compare", (AE, AM), "compensation", "commission_rate")),
        (
            "what's the typical commission split?",
            ("clarify", (), "compensation", "commission_rate"),
        ),
        # a facet named keeps it
        (
            "what certifications and degree does an AE need",
            ("role_info", (AE,), "education", "certifications"),
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


# -- "who does X?" when the articles do not say ------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["who writes the sales team's newsletter?", "who does the sales forecasting?"],
)
def test_sales_work_no_role_is_given_is_which_role_without_roles(advisor, question):
    reading = read(advisor, question)
    assert (reading.intent, reading.roles) == ("which_role", ())
    # the nearest duty the articles do give, for the answer to offer
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
    """On every labelled question, the index returns exactly what scoring all duties does."""
    from rapidfuzz import fuzz, process

    from bot.evaluate import DATA, load_cases

    lexicon = advisor.reader.lexicon
    duties = lexicon.duties
    for path in sorted(DATA.glob("*.yaml")):
        for case in load_cases(path):
            words = [lexicon.stem_token(t)[0] for t in tokenize(clean(case.question))]
            words = [w for w in words if w not in lexicon.fillers and w not in {"?", "/"}]
            scan = process.extract(
                " ".join(words),
                [d.stems for d in duties],
                scorer=fuzz.token_set_ratio,
                score_cutoff=advisor.reader.duty_cutoff,
                limit=None,
            )
            want = sorted((duties[i].role, duties[i].phrase, s) for _, s, i in scan)
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
