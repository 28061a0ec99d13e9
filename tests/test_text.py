"""Sentences and headings: scraped text with glued list items comes apart, names stay whole."""

from __future__ import annotations

import pytest

from index.text import (
    any_of,
    folded,
    is_camel_name,
    is_heading,
    seam_in_name,
    split_glued,
    split_lines,
    split_sentences,
)


def test_split_lines_drops_bullets_and_folds_whitespace():
    assert split_lines("- Pay:   $20\n\n• Dental   plan\n2. Apply") == ["Pay: $20", "Dental plan", "Apply"]


def test_split_sentences_splits_at_sentence_punctuation_but_not_after_abbreviations():
    text = "We use tools, e.g. Jira and Git. You will ship weekly. Acme Inc. is hiring!"
    expected = ["We use tools, e.g. Jira and Git.", "You will ship weekly.", "Acme Inc. is hiring!"]
    assert split_sentences(text) == expected


def test_split_sentences_splits_sentences_glued_at_a_full_stop():
    assert split_sentences("Great at design.You will lead reviews.") == ["Great at design.", "You will lead reviews."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Job Type: Full-timePay: $18-20/hourBenefits:Dental insurance",
         ["Job Type: Full-time", "Pay: $18-20/hour", "Benefits:Dental insurance"]),
        ("Pay: $52,000Schedule: 8 hour shift", ["Pay: $52,000", "Schedule: 8 hour shift"]),
        ("Monday to FridayWork Location: In person", ["Monday to Friday", "Work Location: In person"]),
        ("Sales: 1 year (Preferred)Education: High school", ["Sales: 1 year (Preferred)", "Education: High school"]),
        ("RevatureWhat We Are Looking For: grit", ["Revature", "What We Are Looking For: grit"]),
    ],
)
def test_a_label_glued_to_the_item_before_it_starts_a_new_sentence(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("QualificationsBachelor's degree in Nursing", ["Qualifications", "Bachelor's degree in Nursing"]),
        ("EXPERIENCEBachelor's degree required", ["EXPERIENCE", "Bachelor's degree required"]),
        ("Handle the phonesBenefits include dental", ["Handle the phones", "Benefits include dental"]),
        ("Strong writing skillsAbility to lift 25 pounds", ["Strong writing skills", "Ability to lift 25 pounds"]),
        ("Bachelor's degree requiredStrong Excel skills", ["Bachelor's degree required", "Strong Excel skills"]),
    ],
)
def test_a_section_word_glued_to_an_item_starts_a_new_sentence(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Experience in web development1+ years of React", ["Experience in web development", "1+ years of React"]),
        ("Work onsite in Salem, OR.3-5 years of welding", ["Work onsite in Salem, OR.", "3-5 years of welding"]),
    ],
)
def test_a_years_requirement_glued_to_the_item_before_it_starts_a_new_sentence(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Our JavaScript and TypeScript teams at McDonald's ship iOS apps.",
        "Post on LinkedIn and YouTube; track it in HubSpot.",
        "A PhD in DevOps is not required.",
        "Use PowerShell, QuickBooks, SharePoint and GitHub daily.",
        "Fix eBay listings from your iPhone with jQuery.",
        "Apply at OsteoStrong today.",
        "GlobalStake: the staking company.",
        "React hooks such as useState are welcome.",
        "Python 3 and x86 assembly on Windows 10.",
    ],
)
def test_names_written_in_camel_case_are_never_cut(text):
    assert split_sentences(text) == [text]


@pytest.mark.parametrize("word", ["JavaScript", "LinkedIn", "McDonald", "iOS", "iPhone", "DevOps", "PhD", "ProCore"])
def test_is_camel_name_knows_names(word):
    assert is_camel_name(word)


@pytest.mark.parametrize("word", ["skillsAbility", "QualificationsBachelor", "insuranceSchedule", "JobDescription"])
def test_is_camel_name_rejects_glued_words(word):
    assert not is_camel_name(word)


def test_seam_in_name_looks_at_the_two_parts_around_the_seam():
    line = "DevOpsExperience with Kubernetes"
    assert seam_in_name(line, line.index("Ops"))
    assert not seam_in_name(line, line.index("Experience"))


def test_split_glued_keeps_a_line_without_seams_whole():
    assert split_glued("A plain sentence with no glue.") == ["A plain sentence with no glue."]


def test_a_glued_heading_becomes_a_heading_sentence():
    sentences = split_sentences("ResponsibilitiesBuild the reports")
    assert sentences == ["Responsibilities", "Build the reports"]
    assert is_heading(sentences[0]) and not is_heading(sentences[1])


@pytest.mark.parametrize("line", ["Requirements:", "## Benefits", "WHAT YOU'LL DO", "Nice to have"])
def test_is_heading_accepts_section_names(line):
    assert is_heading(line)


@pytest.mark.parametrize("line", ["Pay is weekly.", "We ship robots to farms across the state every week."])
def test_is_heading_rejects_sentences(line):
    assert not is_heading(line)


def test_folded_text_is_lower_case_with_single_spaces():
    assert folded("Ph.D  in\tPHYSICS\n") == "ph.d in physics"


def test_folded_text_spells_letters_that_only_match_ignoring_case_as_ascii():
    # "ſ" (long s) and the Kelvin sign match "s" and "k" in a case-insensitive pattern; "İ" and "ı" match "i"
    assert folded("Baſh, \u212aotlin, İOS, Lınux") == "bash, kotlin, ios, linux"


def test_any_of_finds_any_of_its_words_exactly():
    find = any_of(["c++", "ph.d"])
    assert find("we use c++ daily") and find("a ph.d is required")
    assert not find("we use c+ daily") and not find("a phd is required")


def test_split_sentences_answers_the_same_again_even_if_a_caller_changed_its_list():
    text = "We ship weekly. You review code.\nBenefits: dental."
    first = split_sentences(text)
    first.append("changed")
    assert split_sentences(text) == ["We ship weekly.", "You review code.", "Benefits: dental."]


def test_a_very_long_line_is_split_like_a_short_one():
    sentence = "You will review " + "very " * 6000 + "long code."
    assert split_sentences(f"{sentence} Then ship it.") == [sentence, "Then ship it."]
