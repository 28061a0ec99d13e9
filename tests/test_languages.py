"""Programming languages: canonical names, aliases, and the traps that are not languages."""

from __future__ import annotations

import pytest

from index.languages import (
    LANGUAGES,
    canonical_language,
    find_languages,
    languages_in_sentence,
    languages_in_sentences,
)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("golang", "Go"),
        ("Go", "Go"),
        ("go lang", "Go"),
        ("c sharp", "C#"),
        ("C#", "C#"),
        ("js", "JavaScript"),
        ("Java Script", "JavaScript"),
        ("ts", "TypeScript"),
        ("c++", "C++"),
        ("T-SQL", "SQL"),
        ("pl/sql", "SQL"),
        ("objective c", "Objective-C"),
        ("vb.net", "Visual Basic"),
        ("  PYTHON ", "Python"),
        ("r", "R"),
    ],
)
def test_canonical_language_maps_aliases_case_insensitively(token, expected):
    assert canonical_language(token) == expected


@pytest.mark.parametrize("token", ["py", "react", "node.js", ".net", "html", "css", "excel", "terraform", "mysql", ""])
def test_canonical_language_is_none_for_non_languages_and_unknown_spellings(token):
    assert canonical_language(token) is None


def test_every_canonical_name_maps_to_itself():
    assert all(canonical_language(name) == name for name in LANGUAGES)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Strong C/C++ skills for firmware work.", ["C", "C++"]),
        ("You will write C# and F# services.", ["C#", "F#"]),
        ("Experience with C Sharp is a plus.", ["C#"]),
        ("Backend services in Go (Golang) and Python.", ["Go", "Python"]),
        ("We build our APIs with Golang.", ["Go"]),
        ("Our stack: Go, Rust and TypeScript.", ["Go", "Rust", "TypeScript"]),
        ("Comfortable with Go lang for microservices.", ["Go"]),
        ("Statistics in R or Python.", ["R", "Python"]),
        ("Knowledge of SAS/R for reporting.", ["SAS", "R"]),
        ("Build forms with JavaScript and HTML.", ["JavaScript"]),
        ("Write widgets in Java Script for the portal.", ["JavaScript"]),
        ("Full stack development with JS and Node.js.", ["JavaScript"]),
        ("Scripts in ECMAScript 6.", ["JavaScript"]),
        ("Java developer with Spring Boot.", ["Java"]),
        ("Queries in T-SQL and PL/SQL.", ["SQL"]),
        ("Reports on SQL Server.", ["SQL"]),
        ("Automate with shell scripting and PowerShell.", ["Shell", "PowerShell"]),
        ("Deploy with Bash scripts.", ["Bash"]),
        ("iOS apps in Swift and Objective-C.", ["Swift", "Objective-C"]),
        ("Android apps in Kotlin.", ["Kotlin"]),
        ("Models in MATLAB and VBA macros.", ["MATLAB", "VBA"]),
        ("Legacy COBOL and Fortran code.", ["COBOL", "Fortran"]),
        ("Smart contracts in Solidity.", ["Solidity"]),
        ("Salesforce development in Apex and Visualforce.", ["Apex"]),
        ("SAP development in ABAP.", ["ABAP"]),
        ("Maintain Visual Basic tools.", ["Visual Basic"]),
        ("Ruby on Rails, PHP and Perl.", ["Ruby", "PHP", "Perl"]),
        ("Functional code in Haskell, Elixir, Erlang or Clojure.", ["Haskell", "Elixir", "Erlang", "Clojure"]),
        ("Game scripting in Lua; data work in Julia and Python.", ["Lua", "Julia", "Python"]),
        ("Build pipelines in Groovy code.", ["Groovy"]),
        ("x86 assembly language for drivers.", ["Assembly"]),
        ("Scala and Dart developers welcome.", ["Scala", "Dart"]),
        ("Engineering skillsPython and SQL", ["Python", "SQL"]),
        ("Microcontroller programming in C for sensors.", ["C"]),
        ("Experience with microcontroller programming in CSoftware design", ["C"]),
        ("Build statistical models in R.", ["R"]),
        ("Write and debug firmware in C for ARM microcontrollers.", ["C"]),
        ("Maintain our internal tooling in Go.", ["Go"]),
        ("Strong proficiency with JavaScript.ReactNodeTypescriptComfortability with GraphQL",
         ["JavaScript", "TypeScript"]),
        ("Compile projects using Rust, GoLang, and C++Previous experience with VMs", ["Rust", "Go", "C++"]),
        ("Modern C++17 for trading systems.", ["C++"]),
    ],
)
def test_languages_in_sentence_finds_each_language_once_in_order(sentence, expected):
    assert languages_in_sentence(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Go the extra mile for every customer.",
        "Be our go-to person for questions.",
        "Plan the go-live for the new site.",
        "Snacks on the go in our kitchen.",
        "GO TEAM!",
        "Partner with our R&D team.",
        "Investing in R&D software for our labs.",
        "Our office is in C Building, room 4.",
        "Licensed R.N. with two years on the ward.",
        "Manage A/R and A/P for the branch.",
        "Report to the C-suite.",
        "Vitamin C supplements are provided.",
        "Hold a Class C driver license.",
        "Review assembly drawings for the line.",
        "Proficient in Microsoft Office and Apex software.",
        "The Town of Apex is hiring.",
        "Bash the competition with great service.",
        "Rust prevention on steel parts.",
        "A swift response to customers is expected.",
        "Experience with React, Node.js, .NET, Spring and Django.",
        "HTML, CSS, XML and JSON.",
        "Terraform, Ansible, Power BI and Excel.",
        "Familiar with MySQL, PostgreSQL and NoSQL stores.",
        "Shell Oil is a client of ours.",
        "We believe in Go.",
        "Travel to sites in C and D wings.",
        "",
    ],
)
def test_languages_in_sentence_ignores_words_that_only_look_like_languages(sentence):
    assert languages_in_sentence(sentence) == []


def test_javascript_does_not_also_count_as_java():
    assert languages_in_sentence("Expert JavaScript developer.") == ["JavaScript"]


def test_find_languages_quotes_the_first_sentence_naming_each_language():
    text = "About us\nWe build robots.\nYou write Python daily.\nPython and C++ are used for control."
    assert find_languages(text) == [
        ("Python", "You write Python daily."),
        ("C++", "Python and C++ are used for control."),
    ]


def test_a_known_language_supports_an_ambiguous_name_in_the_same_list():
    sentence = "Production experience with Go and Bash."
    assert languages_in_sentence(sentence) == []
    assert languages_in_sentence(sentence, known={"Bash"}) == ["Go", "Bash"]


def test_a_known_language_does_not_make_a_word_outside_a_list_a_language():
    assert languages_in_sentence("Go the extra mile with Rust.", known={"Rust"}) == ["Rust"]
    assert languages_in_sentence("Hold a Class C license; Rust is a plus.", known={"Rust"}) == ["Rust"]


def test_languages_in_sentences_reads_the_posting_twice_and_keeps_the_order_of_mention():
    sentences = [
        "Write Bash scripts for releases.",
        "Strong C; experience with Rust.",
        "Prototype new modules in Rust for safety-critical code.",
    ]
    assert languages_in_sentences(sentences) == [
        ("Bash", "Write Bash scripts for releases."),
        ("C", "Strong C; experience with Rust."),
        ("Rust", "Prototype new modules in Rust for safety-critical code."),
    ]


def test_a_posting_with_no_plain_language_gets_no_second_reading():
    assert languages_in_sentences(["Production experience with Go and Bash."]) == []


def test_find_languages_is_empty_when_no_language_is_named():
    assert find_languages("We sell shoes.\nYou will greet customers and keep the store tidy.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("PYTHON, JAVA and GOLANG services.", ["Python", "Java", "Go"]),
        ("TYPESCRIPT and ECMASCRIPT.", ["TypeScript", "JavaScript"]),
        ("C SHARP and VB.NET tools.", ["C#", "Visual Basic"]),
        ("Write OBJ-C and Power Shell code.", ["Objective-C", "PowerShell"]),
        ("ABAP and COBOL jobs", ["ABAP", "COBOL"]),
        # letters that only match ignoring case: the long s and the Kelvin sign
        ("Deploy with Baſh scripts.", ["Bash"]),
        ("\u212aotlin apps for Android.", ["Kotlin"]),
    ],
)
def test_names_are_found_in_any_case(sentence, expected):
    assert languages_in_sentence(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    ["Senior Go Engineer", "Staff Go Developer", "We're 100% Go with managed queues.", "Our backend is Go.",
     "We write Go and a little SQL.", "Everything is built in Go."],
)
def test_go_in_a_language_context_is_the_language(sentence):
    assert "Go" in languages_in_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Help us go to market in Q3.", "We go live next spring.", "Go live with our first clients.",
     "Our platform is Go-to-market ready.", "Ready, set, Go!"],
)
def test_go_the_verb_is_not_a_language(sentence):
    assert "Go" not in languages_in_sentence(sentence)
