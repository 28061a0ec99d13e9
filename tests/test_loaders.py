"""Loading posting files: every format, the field names job boards use, and bad input reported, not raised."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from pathlib import Path

import pytest

from index.loaders import LoadResult, load_postings, posting_from_record, strip_markdown
from index.models import EMPLOYMENT_TYPES, PERIODS

REPO = Path(__file__).resolve().parents[1]
SHARED_CSV = REPO.parent / "shared" / "data" / "postings" / "linkedin_arshkon_sample500" / "postings_sample.csv"
SAMPLES = REPO / "samples" / "postings"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def by_id(result: LoadResult) -> dict:
    return {p.id: p for p in result.postings}


def reasons(result: LoadResult) -> list[str]:
    return [p.reason for p in result.problems]


LINKEDIN_ROW = {
    "job_id": "921716", "company_name": "Corcoran Sawyer Smith", "title": "Marketing Coordinator",
    "description": "A leading firm is hiring.\nPay: $18-20/hour\n", "max_salary": "20.0", "pay_period": "HOURLY",
    "location": "Princeton, NJ", "med_salary": "", "min_salary": "17.0", "formatted_work_type": "Full-time",
    "original_listed_time": "1713400000000.0", "remote_allowed": "", "work_type": "FULL_TIME", "currency": "USD",
    "job_posting_url": "https://www.linkedin.com/jobs/view/921716/", "application_url": "https://apply.example/1",
    "formatted_experience_level": "", "skills_desc": "", "listed_time": "1713400000000.0",
}


# ---------------------------------------------------------------- CSV


def test_csv_rows_become_postings_with_canonical_columns(tmp_path):
    remote_row = {**LINKEDIN_ROW, "job_id": "3742692445.0", "title": "Sr Data Engineer", "min_salary": "",
                  "max_salary": "", "pay_period": "", "currency": "", "remote_allowed": "1.0",
                  "formatted_work_type": "Contract", "work_type": "CONTRACT",
                  "formatted_experience_level": "Mid-Senior level", "skills_desc": "Kafka, Python"}
    write(tmp_path, "linkedin.csv", csv_text([LINKEDIN_ROW, remote_row]))
    result = load_postings([tmp_path])
    assert result.problems == [] and result.files_read == 1
    first, second = by_id(result)["921716"], by_id(result)["3742692445"]
    assert (first.title, first.company, first.location) == ("Marketing Coordinator", "Corcoran Sawyer Smith",
                                                             "Princeton, NJ")
    assert first.columns == {"min_salary": 17.0, "max_salary": 20.0, "pay_period": "hourly", "currency": "USD",
                             "work_type": "Full-time"}
    assert first.text == "A leading firm is hiring.\nPay: $18-20/hour"
    assert first.url == "https://www.linkedin.com/jobs/view/921716/"  # the posting, not the application
    assert first.listed_at == "2024-04-18"
    assert first.source == f"{tmp_path / 'linkedin.csv'}#row1"
    assert first.facts.salary is None  # extraction is another step
    assert second.columns == {"remote": True, "work_type": "Contract", "experience_level": "Mid-Senior level",
                              "skills": "Kafka, Python"}


def test_csv_with_a_bom_and_multi_line_quoted_descriptions(tmp_path):
    text = 'Job Title,Company,Description\r\nNurse,St Mary,"Line one\r\n\r\nLine two, with a comma"\r\n'
    write(tmp_path, "excel.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    [posting] = load_postings([tmp_path]).postings
    assert (posting.title, posting.company) == ("Nurse", "St Mary")
    assert posting.text == "Line one\n\nLine two, with a comma"


def test_csv_row_without_description_is_a_problem_and_the_rest_load(tmp_path):
    rows = [{**LINKEDIN_ROW, "job_id": "1"}, {**LINKEDIN_ROW, "job_id": "2", "description": "  "},
            {**LINKEDIN_ROW, "job_id": "3"}]
    path = write(tmp_path, "jobs.csv", csv_text(rows))
    result = load_postings([tmp_path])
    assert sorted(by_id(result)) == ["1", "3"]
    [problem] = result.problems
    assert (problem.path, problem.row, problem.reason) == (str(path), 2, "no description text")


def test_csv_without_a_description_column_is_one_problem(tmp_path):
    write(tmp_path, "jobs.csv", "title,company\nNurse,St Mary\nWelder,Acme\n")
    result = load_postings([tmp_path])
    assert result.postings == []
    assert len(result.problems) == 1 and result.problems[0].reason.startswith("no description column")


def test_csv_without_ids_gets_stable_ids_from_the_path_and_row(tmp_path):
    write(tmp_path, "Boards/Indeed Austin.csv", "title,description\nA,text a\nB,text b\n")
    first = [p.id for p in load_postings([tmp_path]).postings]
    again = [p.id for p in load_postings([tmp_path]).postings]
    assert first == again
    assert [i.split("-")[:3] + i.split("-")[4:] for i in first] == [
        ["boards", "indeed", "austin", "row1"], ["boards", "indeed", "austin", "row2"]]  # and a hash of the path


def test_jobspy_style_columns_are_mapped(tmp_path):
    row = {"id": "in-9f8e", "site": "indeed", "job_url": "https://indeed.example/viewjob?jk=9f8e",
           "title": "Welder", "company": "Acme", "location": "Tulsa, OK, US", "job_type": "fulltime",
           "date_posted": "2024-05-02", "interval": "yearly", "min_amount": "45000", "max_amount": "52000",
           "currency": "usd", "is_remote": "FALSE", "description": "Weld **pipes**."}
    write(tmp_path, "indeed.csv", csv_text([row]))
    [posting] = load_postings([tmp_path]).postings
    assert posting.id == "in-9f8e" and posting.url == "https://indeed.example/viewjob?jk=9f8e"
    assert posting.listed_at == "2024-05-02"
    assert posting.columns == {"min_salary": 45000.0, "max_salary": 52000.0, "pay_period": "yearly",
                               "currency": "USD", "remote": False, "work_type": "Full-time"}


def test_html_in_a_description_column_becomes_text(tmp_path):
    row = {"title": "Chef", "description": "<p>Cook <b>well</b>.</p><ul><li>Knife skills</li><li>HACCP</li></ul>"}
    write(tmp_path, "chefs.csv", csv_text([row]))
    [posting] = load_postings([tmp_path]).postings
    assert posting.text == "Cook well.\n- Knife skills\n- HACCP"


def test_free_salary_string_and_city_state_location(tmp_path):
    record = {"Title": "Analyst", "Salary": "$120k-$150k", "City": "Boston", "State": "MA", "Body": "Analyse."}
    posting = posting_from_record(record, fallback_id="x", source="s")
    assert posting.columns == {"salary_string": "$120k-$150k"}
    assert posting.location == "Boston, MA"


# ---------------------------------------------------------------- normalisation of values


@pytest.mark.parametrize(
    ("raw", "period"),
    [("HOURLY", "hourly"), ("hour", "hourly"), ("per hour", "hourly"), ("annual", "yearly"), ("yearly", "yearly"),
     ("YEARLY", "yearly"), ("YEAR", "yearly"), ("per annum", "yearly"), ("MONTHLY", "monthly"), ("week", "weekly"),
     ("DAY", "daily"), ("bi-weekly", "biweekly")],
)
def test_pay_periods_are_normalised(raw, period):
    posting = posting_from_record({"description": "x", "pay_period": raw}, fallback_id="x", source="s")
    assert posting.columns["pay_period"] == period
    assert period in PERIODS or period == "biweekly"


def test_an_unknown_pay_period_is_left_out_rather_than_guessed():
    posting = posting_from_record({"description": "x", "interval": "semi-monthly"}, fallback_id="x", source="s")
    assert "pay_period" not in posting.columns


@pytest.mark.parametrize(
    ("raw", "work_type"),
    [("FULL_TIME", "Full-time"), ("fulltime", "Full-time"), ("Full time", "Full-time"), ("CONTRACT", "Contract"),
     ("PART_TIME", "Part-time"), ("INTERNSHIP", "Internship"), ("TEMPORARY", "Temporary"),
     ("VOLUNTEER", "Volunteer"), ("PER_DIEM", "Other"), (["PART_TIME", "FULL_TIME"], "Part-time"),
     ("Part-time (20–25 hours per week)", "Part-time"), ("Contract (6 months, possible extension)", "Contract"),
     ("Permanent, full-time", "Full-time"), ("Seasonal", "Temporary"), ("intern", "Internship")],
)
def test_work_types_are_canonical(raw, work_type):
    posting = posting_from_record({"description": "x", "employment_type": raw}, fallback_id="x", source="s")
    assert posting.columns["work_type"] == work_type in EMPLOYMENT_TYPES


def test_formatted_work_type_wins_over_work_type():
    record = {"description": "x", "work_type": "CONTRACT", "formatted_work_type": "Part-time"}
    assert posting_from_record(record, fallback_id="x", source="s").columns["work_type"] == "Part-time"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("1.0", True), ("true", True), ("YES", True), (True, True), (1, True),
     ("0", False), ("false", False), ("no", False), (False, False), ("", None), ("  ", None), (None, None)],
)
def test_remote_flags_and_a_blank_stays_absent(raw, expected):
    posting = posting_from_record({"description": "x", "remote_allowed": raw}, fallback_id="x", source="s")
    assert posting.columns.get("remote") is expected


def test_a_work_mode_word_is_kept_as_a_hint_not_a_flag():
    posting = posting_from_record({"description": "x", "remote": "Hybrid"}, fallback_id="x", source="s")
    assert posting.columns == {"remote_hint": "Hybrid"}


@pytest.mark.parametrize(("raw", "expected"), [("3742692445.0", "3742692445"), (3742692445.0, "3742692445"),
                                               (17, "17"), ("abc-1.0", "abc-1.0"), ("", "fallback")])
def test_ids_are_strings_without_float_tails(raw, expected):
    assert posting_from_record({"description": "x", "job_id": raw}, fallback_id="fallback", source="s").id == expected


def test_keys_are_case_insensitive_and_camel_case_is_understood():
    record = {"JOB_TITLE": "Welder", "companyName": "Acme", "JobDescription": "Weld.", "SALARY_MIN": "$40,000",
              "datePosted": 1713400000}
    posting = posting_from_record(record, fallback_id="x", source="s")
    assert (posting.title, posting.company, posting.text) == ("Welder", "Acme", "Weld.")
    assert posting.columns == {"min_salary": 40000.0}
    assert posting.listed_at == "2024-04-18"


def test_nan_and_null_values_count_as_blank():
    record = {"title": "nan", "company": None, "description": "Text", "min_salary": float("nan"), "currency": "NaN"}
    posting = posting_from_record(record, fallback_id="x", source="s")
    assert (posting.title, posting.company, posting.columns) == ("Untitled posting", "", {})


# ---------------------------------------------------------------- JSON and JSON Lines


def test_json_single_object_list_and_wrapped_list(tmp_path):
    write(tmp_path, "one.json", json.dumps({"title": "A", "description": "text a",
                                           "hiringOrganization": {"name": "Acme"}}))
    write(tmp_path, "list.json", json.dumps([{"title": "B", "text": "text b"}, {"title": "C", "body": "text c"}]))
    write(tmp_path, "wrapped.json", json.dumps({"meta": {"count": 1}, "jobs": [{"title": "D", "content": "d"}]}))
    write(tmp_path, "nested.json", json.dumps({"data": {"results": [{"position": "E", "job_description": "e"}]}}))
    result = load_postings([tmp_path])
    assert result.problems == []
    postings = by_id(result)
    assert set(postings) == {"one", "list-row1", "list-row2", "wrapped-row1", "nested-row1"}
    assert postings["one"].company == "Acme" and postings["one"].source == str(tmp_path / "one.json")
    assert postings["list-row2"].source == f"{tmp_path / 'list.json'}#row2"
    assert [postings[k].title for k in ("list-row1", "wrapped-row1", "nested-row1")] == ["B", "D", "E"]


def test_json_schema_org_job_posting_objects_are_flattened(tmp_path):
    posting = {"@type": "JobPosting", "title": "SRE", "description": "<p>Keep it up.</p>",
               "hiringOrganization": {"@type": "Organization", "name": "Globex"},
               "jobLocation": {"address": {"addressLocality": "Oslo", "addressCountry": "NO"}},
               "baseSalary": {"currency": "NOK", "value": {"minValue": 700000, "maxValue": 900000, "unitText": "YEAR"}},
               "employmentType": "FULL_TIME", "jobLocationType": "TELECOMMUTE", "identifier": {"value": "G-7"}}
    write(tmp_path, "ld.json", json.dumps(posting))
    [loaded] = load_postings([tmp_path]).postings
    assert (loaded.id, loaded.title, loaded.company, loaded.location, loaded.text) == (
        "G-7", "SRE", "Globex", "Oslo, NO", "Keep it up.")
    assert loaded.columns == {"min_salary": 700000.0, "max_salary": 900000.0, "pay_period": "yearly",
                              "currency": "NOK", "remote": True, "work_type": "Full-time"}


def test_json_items_that_are_not_objects_are_problems_by_row(tmp_path):
    write(tmp_path, "mixed.json", json.dumps([{"title": "A", "description": "a"}, "oops", 42]))
    result = load_postings([tmp_path])
    assert [p.title for p in result.postings] == ["A"]
    assert [(p.row, p.reason) for p in result.problems] == [(2, "not a JSON object (got a string)"),
                                                            (3, "not a JSON object (got a number)")]


def test_a_json_file_that_is_not_an_object_is_a_problem(tmp_path):
    write(tmp_path, "number.json", "42")
    assert reasons(load_postings([tmp_path])) == ["JSON value is not an object or a list of objects (got a number)"]


def test_malformed_json_says_where(tmp_path):
    write(tmp_path, "bad.json", '{\n  "title": "A",\n  "description": "x",,\n}')
    [problem] = load_postings([tmp_path]).problems
    assert problem.reason.startswith("malformed JSON at line 3, column")


def test_jsonl_bad_line_is_a_problem_with_its_line_number_and_the_rest_load(tmp_path):
    lines = [json.dumps({"id": "a", "title": "A", "description": "a"}), "{broken", "",
             json.dumps(["not", "an", "object"]), json.dumps({"id": "b", "title": "B", "description": "b"})]
    write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    result = load_postings([tmp_path])
    assert sorted(by_id(result)) == ["a", "b"]
    assert [(p.row, p.reason.split(":")[0]) for p in result.problems] == [
        (2, "malformed JSON at column 2"), (4, "not a JSON object (got a list)")]


def test_json_lines_saved_as_json_still_load(tmp_path):
    write(tmp_path, "feed.json", '{"title": "A", "description": "a"}\n{"title": "B", "description": "b"}\n')
    assert [p.title for p in load_postings([tmp_path]).postings] == ["A", "B"]


# ---------------------------------------------------------------- Markdown and text


MARKDOWN = """---
id: acme-ml-1
title: "Machine Learning Engineer"
company: Acme AI
location: Remote (US)
salary: $160,000 - $190,000
employment_type: Full-time
remote: yes
url: https://acme.example/jobs/ml-1
posted: 2024-05-01
---
# Machine Learning Engineer

## About the role
You will train **ranking models** with [PyTorch](https://pytorch.org) and ship them.

## Requirements
* 4+ years of `Python`
* Experience with _Spark_

Read more on [our site][1].

[1]: https://acme.example
"""


def test_markdown_front_matter_fills_fields_and_markdown_is_stripped(tmp_path):
    write(tmp_path, "acme/ml.md", MARKDOWN)
    [posting] = load_postings([tmp_path]).postings
    assert (posting.id, posting.title, posting.company, posting.location, posting.url, posting.listed_at) == (
        "acme-ml-1", "Machine Learning Engineer", "Acme AI", "Remote (US)", "https://acme.example/jobs/ml-1",
        "2024-05-01")
    assert posting.columns == {"salary_string": "$160,000 - $190,000", "remote": True, "work_type": "Full-time"}
    assert posting.text == (
        "About the role\nYou will train ranking models with PyTorch and ship them.\n\n"
        "Requirements\n- 4+ years of Python\n- Experience with Spark\n\nRead more on our site."
    )


def test_markdown_heading_is_the_title_and_a_key_value_header_is_read(tmp_path):
    write(tmp_path, "nurse.md", "# Night Nurse\n\n**Company:** St Mary\n**Location:** Leeds, UK\n"
                                "**Pay:** £18 per hour\n\nCare for patients overnight.\n")
    [posting] = load_postings([tmp_path]).postings
    assert (posting.id, posting.title, posting.company, posting.location) == ("nurse", "Night Nurse", "St Mary",
                                                                            "Leeds, UK")
    assert posting.columns == {"salary_string": "£18 per hour"}
    assert posting.text == "Care for patients overnight."


def test_text_file_with_a_header_block(tmp_path):
    write(tmp_path, "welder.txt", "Job title: Welder\nEmployer: Acme Pipes\nLocation: Tulsa, OK\n"
                                  "Type: Contract\nRemote: no\nLink: https://acme.example/w\nPosted: 2024-04-02\n\n"
                                  "Weld pipes.\nRequirements:\n- AWS certification\n")
    [posting] = load_postings([tmp_path]).postings
    assert (posting.title, posting.company, posting.location, posting.url, posting.listed_at) == (
        "Welder", "Acme Pipes", "Tulsa, OK", "https://acme.example/w", "2024-04-02")
    assert posting.columns == {"remote": False, "work_type": "Contract"}
    assert posting.text == "Weld pipes.\nRequirements:\n- AWS certification"


def test_text_file_title_line_over_a_header(tmp_path):
    write(tmp_path, "a.txt", "Barista\nCompany: Bean Co\n\nMake coffee.\n")
    [posting] = load_postings([tmp_path]).postings
    assert (posting.title, posting.company, posting.text) == ("Barista", "Bean Co", "Make coffee.")


def test_text_file_without_a_title_is_untitled_not_dropped(tmp_path):
    write(tmp_path, "x.txt", "We need someone who can lift 50 pounds and drive a forklift safely.\n")
    [posting] = load_postings([tmp_path]).postings
    assert posting.title == "Untitled posting" and posting.text.startswith("We need someone")


def test_scraped_text_page_loses_its_chrome_and_keeps_title_and_byline(tmp_path):
    page = (
        "Skip to main content\nHome\nJobs\nSign in\nJoin now\nRecent searches\nnurse practitioner\n"
        "We use cookies to improve your experience. Accept all\nAccept all\n\n"
        "Data Engineer\nZenith Minds · Austin, TX (Remote) · 3 days ago · 57 applicants\n\n"
        "About the job\nWe build streaming pipelines with Kafka and Python for retail clients across the US.\n"
        "Show more\nShow less\n\nSimilar jobs\nData Analyst\nOther Co · Dallas, TX · $95K/yr\n"
        "People also viewed\n© 2024 LinkedIn Corporation\nAbout · Accessibility · Privacy Policy · Terms\n"
    )
    write(tmp_path, "scraped.txt", page)
    [posting] = load_postings([tmp_path]).postings
    assert (posting.title, posting.company, posting.location) == ("Data Engineer", "Zenith Minds", "Austin, TX")
    assert posting.columns == {"remote_hint": "Remote"}
    assert posting.text == ("About the job\nWe build streaming pipelines with Kafka and Python for retail clients "
                            "across the US.")


def test_strip_markdown_keeps_line_structure():
    assert strip_markdown("## Perks\n- **Dental** and _vision_\n+ [Gym](http://x)\n\\# not a heading") == (
        "Perks\n- Dental and vision\n- Gym\n# not a heading")


def test_strip_markdown_leaves_snake_case_and_arithmetic_alone():
    assert strip_markdown("Use snake_case_names and 2 * 3 * 4") == "Use snake_case_names and 2 * 3 * 4"


# ---------------------------------------------------------------- HTML files


def test_html_file_with_json_ld(tmp_path):
    ld = {"@type": "JobPosting", "title": "Pharmacist", "description": "<p>Dispense.</p>",
          "hiringOrganization": {"name": "Boots"}, "identifier": "B-1",
          "baseSalary": {"currency": "GBP", "value": {"value": 24, "unitText": "HOUR"}}}
    write(tmp_path, "boots.html", f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script>'
                                  "</head><body><nav>Home</nav><p>Dispense.</p></body></html>")
    [posting] = load_postings([tmp_path]).postings
    assert (posting.id, posting.title, posting.company, posting.text) == ("B-1", "Pharmacist", "Boots", "Dispense.")
    assert posting.columns == {"med_salary": 24.0, "pay_period": "hourly", "currency": "GBP"}


def test_html_file_without_json_ld_uses_main_content(tmp_path):
    body = ("<header><nav>Home Jobs Sign in</nav></header><main><h1>Line Cook</h1>"
            "<p>Prep and cook on a busy line in our downtown kitchen, five evenings a week, with a friendly team.</p>"
            "<ul><li>2 years experience</li></ul></main><footer>© 2024 Diner · Privacy Policy · Terms</footer>")
    write(tmp_path, "sub/cook.htm", f"<html><head><title>Line Cook - Jobs</title></head><body>{body}</body></html>")
    [posting] = load_postings([tmp_path]).postings
    assert (posting.id, posting.title) == ("sub-cook", "Line Cook")
    assert posting.text == ("Prep and cook on a busy line in our downtown kitchen, five evenings a week, with a "
                            "friendly team.\n- 2 years experience")


def test_html_file_with_a_company_and_location_header_in_its_text(tmp_path):
    html = ("<html><head><title>Platform Engineer - Wrenfield</title></head><body><h1>Platform Engineer</h1>"
            "<p><strong>Company:</strong> Wrenfield Payments</p><p><strong>Location:</strong> London, UK</p>"
            "<p><strong>Salary:</strong> £55,000 - £70,000</p><p><strong>Contract:</strong> Permanent, full-time</p>"
            "<h2>The role</h2><p>Run the Kubernetes clusters and internal tools that every product team uses.</p>"
            "</body></html>")
    write(tmp_path, "wrenfield.html", html)
    [posting] = load_postings([tmp_path]).postings
    assert (posting.title, posting.company, posting.location) == ("Platform Engineer", "Wrenfield Payments",
                                                                  "London, UK")
    assert posting.columns == {"salary_string": "£55,000 - £70,000"}
    assert posting.text.startswith("Contract: Permanent, full-time\nThe role\n")


def test_html_in_a_declared_legacy_charset_is_decoded(tmp_path):
    html = ('<html><head><meta charset="windows-1252"><title>Caf\xe9 Manager</title></head><body><main>'
            "<h1>Caf\xe9 Manager</h1><p>" + "Run the caf\xe9 floor and the team of twelve. " * 6
            + "</p></main></body></html>")
    write(tmp_path, "cafe.html", html.encode("cp1252"))
    [posting] = load_postings([tmp_path]).postings
    assert posting.title == "Café Manager"


# ---------------------------------------------------------------- bad input


def test_missing_source_folder_is_a_problem(tmp_path):
    result = load_postings([tmp_path / "nope", tmp_path])
    assert [(p.path, p.reason) for p in result.problems] == [(str(tmp_path / "nope"), "source folder does not exist")]


def test_empty_binary_latin1_and_utf16_files(tmp_path):
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.md", b"  \n\n")
    write(tmp_path, "nul.txt", b"Title: x\x00\x01\x02")
    write(tmp_path, "latin1.txt", "Café manager wanted".encode("latin-1"))
    write(tmp_path, "utf16.txt", "Barista\n\nMake coffee all day.\n".encode("utf-16"))
    result = load_postings([tmp_path])
    assert [p.title for p in result.postings] == ["Barista"]
    found = {Path(p.path).name: p.reason for p in result.problems}
    assert found == {
        "blank.md": "empty file",
        "empty.txt": "empty file",
        "latin1.txt": "not UTF-8 text (byte 0xe9 at offset 3)",
        "nul.txt": "binary file (contains NUL bytes), not text",
    }
    assert result.files_read == 5


def test_file_over_the_size_limit_is_skipped_with_its_size(tmp_path):
    write(tmp_path, "big.txt", "Title: Big\n\n" + "x" * 2000)
    write(tmp_path, "small.txt", "Title: Small\n\nfine")
    result = load_postings([tmp_path], max_file_bytes=1000)
    assert [p.title for p in result.postings] == ["Small"]
    [problem] = result.problems
    assert problem.path == str(tmp_path / "big.txt")
    assert problem.reason == "file is 2,012 bytes, over the 1,000-byte limit; skipped"
    assert result.files_read == 1


def test_unreadable_file_is_a_problem(tmp_path):
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing-target.md")
    write(tmp_path, "ok.md", "# Fine\n\ntext")
    result = load_postings([tmp_path])
    assert [p.title for p in result.postings] == ["Fine"]
    assert result.problems[0].path == str(tmp_path / "gone.md")
    assert result.problems[0].reason.startswith("cannot read file")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read files without permission")
def test_file_without_read_permission_is_a_problem(tmp_path):
    path = write(tmp_path, "locked.txt", "Title: Locked\n\ntext")
    path.chmod(0)
    try:
        assert reasons(load_postings([tmp_path])) == ["cannot read file: Permission denied"]
    finally:
        path.chmod(0o644)


def test_duplicate_ids_keep_the_first_and_name_both_places(tmp_path):
    write(tmp_path, "a.jsonl", json.dumps({"id": "7", "title": "First", "description": "one"}) + "\n")
    write(tmp_path, "b.csv", "id,title,description\n7,Second,two\n8,Third,three\n")
    result = load_postings([tmp_path])
    assert [p.title for p in result.postings] == ["First", "Third"]
    [problem] = result.problems
    assert (problem.path, problem.row) == (str(tmp_path / "b.csv"), 1)
    assert problem.reason == f"duplicate id '7': already loaded from {tmp_path / 'a.jsonl'}#row1"


def test_no_title_and_no_text_is_a_problem(tmp_path):
    write(tmp_path, "x.json", json.dumps([{"company": "Acme"}, {"title": "Only a title"}]))
    assert [(p.row, p.reason) for p in load_postings([tmp_path]).problems] == [
        (1, "no title and no description text"), (2, "no description text")]


def test_front_matter_without_a_body_is_a_problem(tmp_path):
    write(tmp_path, "x.md", "---\ntitle: Empty\n---\n")
    assert reasons(load_postings([tmp_path])) == ["no description text"]


def test_garbage_in_every_format_never_raises(tmp_path):
    junk = bytes(range(1, 256)) * 3
    for suffix in (".csv", ".json", ".jsonl", ".txt", ".md", ".html", ".htm"):
        write(tmp_path, f"junk{suffix}", junk)
        write(tmp_path, f"text-junk{suffix}", "{[<\"',;\n\t" * 50)
    result = load_postings([tmp_path])
    assert result.files_read == 14
    assert len(result.problems) >= 7


# ---------------------------------------------------------------- walking the sources


def test_folders_are_walked_sorted_and_hidden_or_other_files_ignored(tmp_path):
    write(tmp_path, "b/two.md", "# Two\n\ntext")
    write(tmp_path, "a/one.txt", "Title: One\n\ntext")
    write(tmp_path, "a/z.md", "# Z\n\ntext")
    write(tmp_path, ".git/hidden.md", "# Hidden\n\ntext")
    write(tmp_path, "a/.draft.md", "# Draft\n\ntext")
    write(tmp_path, "a/notes.docx", "not a posting")
    write(tmp_path, "README", "no extension")
    result = load_postings([tmp_path])
    assert [p.title for p in result.postings] == ["One", "Z", "Two"]
    assert [p.id for p in result.postings] == ["a-one", "a-z", "b-two"]
    assert result.problems == [] and result.files_read == 3


def test_a_single_file_source_and_the_same_file_twice(tmp_path):
    path = write(tmp_path, "jobs/Senior Dev.md", "# Senior Dev\n\ntext")
    result = load_postings([path, tmp_path])
    assert [(p.id[:11], p.source) for p in result.postings] == [("senior-dev-", str(path))]
    assert result.problems == []


def test_a_single_file_of_another_type_is_a_problem(tmp_path):
    path = write(tmp_path, "jobs.xlsx", "x")
    assert reasons(load_postings([path])) == ["unsupported file type '.xlsx'"]


# ---------------------------------------------------------------- real data


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_CSV.is_file(), reason="needs ../shared/data (the LinkedIn sample CSV); not present")
def test_linkedin_sample_of_500_rows():
    result = load_postings([SHARED_CSV.parent])
    assert result.problems == [] and result.files_read == 1
    assert len(result.postings) == 500
    with SHARED_CSV.open(encoding="utf-8", newline="") as handle:
        csv.field_size_limit(10**9)
        rows = list(csv.DictReader(handle))
    assert [p.id for p in result.postings] == [r["job_id"] for r in rows]
    postings = by_id(result)
    first = postings["921716"]
    assert first.columns["min_salary"] == 17.0 and first.columns["max_salary"] == 20.0
    assert first.columns["pay_period"] == "hourly" and first.columns["currency"] == "USD"
    assert "remote" not in first.columns
    for row in rows:
        posting = postings[row["job_id"]]
        assert posting.columns.get("remote") is (True if row["remote_allowed"] == "1.0" else None)
        assert posting.columns["work_type"] in EMPLOYMENT_TYPES
        assert posting.title == row["title"].strip() and posting.text
        assert posting.columns.get("pay_period", "") in PERIODS + ("",)
    assert sum("min_salary" in p.columns for p in result.postings) == sum(bool(r["min_salary"]) for r in rows)


@pytest.mark.skipif(not any(SAMPLES.rglob("*.*")), reason="samples/postings has no files yet")
def test_repo_samples_load_cleanly():
    result = load_postings([SAMPLES])
    assert result.problems == []
    assert result.postings
    for posting in result.postings:
        assert posting.title and posting.title != "Untitled posting", posting.source
        assert posting.company, posting.source
        assert posting.text, posting.source


def test_front_matter_keys_in_any_case_win_over_the_text(tmp_path):
    write(tmp_path, "x.md", "---\nJob Title: Welder\nEmployer: Acme\n---\nBarista Needed\n\nTitle: Cook\n\nWeld.\n")
    [posting] = load_postings([tmp_path]).postings
    assert (posting.title, posting.company) == ("Welder", "Acme")
    assert posting.text.startswith("Barista Needed")


# ---------------------------------------------------------------- what a source folder may make us read


def posting_text(title: str) -> str:
    return f"Title: {title}\nCompany: Acme\n\nWe are hiring a {title.lower()} to build things.\n"


def test_a_link_to_a_file_outside_the_source_folder_is_skipped_with_the_reason(tmp_path):
    secret = write(tmp_path / "elsewhere", ".env", "SLACK_BOT_TOKEN=xoxb-not-a-real-token\nmore lines of config\n")
    folder = tmp_path / "postings"
    write(folder, "welder.txt", posting_text("Welder"))
    (folder / "notes.txt").symlink_to(secret)
    result = load_postings([folder])
    assert [p.title for p in result.postings] == ["Welder"]
    assert not any("xoxb" in p.text for p in result.postings)
    [problem] = result.problems
    assert problem.path == str(folder / "notes.txt")
    assert "link" in problem.reason and "outside the source folder" in problem.reason


def test_a_link_to_a_folder_outside_the_source_folder_is_skipped_with_the_reason(tmp_path):
    write(tmp_path / "elsewhere", "private.txt", posting_text("Private"))
    folder = tmp_path / "postings"
    write(folder, "welder.txt", posting_text("Welder"))
    (folder / "more").symlink_to(tmp_path / "elsewhere")
    result = load_postings([folder])
    assert [p.title for p in result.postings] == ["Welder"]
    [problem] = result.problems
    assert problem.path == str(folder / "more") and "outside the source folder" in problem.reason


def test_links_leaving_the_folder_are_followed_when_the_operator_asks(tmp_path):
    secret = write(tmp_path / "elsewhere", "shared.txt", posting_text("Shared Role"))
    folder = tmp_path / "postings"
    write(folder, "welder.txt", posting_text("Welder"))
    (folder / "shared.txt").symlink_to(secret)
    result = load_postings([folder], follow_symlinks=True)
    assert sorted(p.title for p in result.postings) == ["Shared Role", "Welder"] and result.problems == []


def test_a_link_to_another_file_inside_the_folder_is_read_once(tmp_path):
    write(tmp_path, "welder.txt", posting_text("Welder"))
    (tmp_path / "alias.txt").symlink_to(tmp_path / "welder.txt")
    result = load_postings([tmp_path])
    assert [p.title for p in result.postings] == ["Welder"] and result.problems == []


def load_guarded(folder: Path, fifo: Path) -> LoadResult:
    """load_postings, unblocking it (opening the pipe's writing end) if it blocks on the pipe, so a hang fails."""
    results: list[LoadResult] = []
    worker = threading.Thread(target=lambda: results.append(load_postings([folder])), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # end the blocked open with an empty read
        worker.join(10)
        raise AssertionError("the rebuild blocked on a named pipe")
    return results[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_skipped_without_blocking(tmp_path):
    write(tmp_path, "welder.txt", posting_text("Welder"))
    os.mkfifo(tmp_path / "pipe.txt")
    result = load_guarded(tmp_path, tmp_path / "pipe.txt")
    assert [p.title for p in result.postings] == ["Welder"]
    [problem] = result.problems
    assert problem.path == str(tmp_path / "pipe.txt") and problem.reason.startswith("not a regular file")


def test_a_file_that_takes_too_long_to_read_is_skipped_and_the_rest_loaded(tmp_path, monkeypatch):
    import index.loaders as loaders

    write(tmp_path, "slow.txt", posting_text("Slow"))
    write(tmp_path, "welder.txt", posting_text("Welder"))
    release = threading.Event()
    real_read = loaders._read_regular

    def stuck_on_slow(path, max_bytes):  # a read that hangs, as on a dead network mount
        if Path(path).name == "slow.txt":
            release.wait()
        return real_read(path, max_bytes)

    monkeypatch.setattr(loaders, "_read_regular", stuck_on_slow)
    try:
        result = load_postings([tmp_path], read_seconds=0.05)
    finally:
        release.set()
    assert [p.title for p in result.postings] == ["Welder"]
    [problem] = result.problems
    assert problem.path == str(tmp_path / "slow.txt") and "took longer than 0.05 s" in problem.reason


def test_distinct_files_get_distinct_ids(tmp_path):
    names = ["工程师.txt", "设计师.txt", "Job.txt", "job.md", "a/b.txt", "a-b.txt", "x_y.txt", "x-y.txt"]
    for number, name in enumerate(names):
        write(tmp_path, name, posting_text(f"Role {number}"))
    result = load_postings([tmp_path])
    assert result.problems == []
    assert len(result.postings) == len(names)
    assert len({p.id for p in result.postings}) == len(names)


def test_plain_lower_case_names_and_own_ids_keep_the_ids_they_always_had(tmp_path):
    write(tmp_path, "wellfound-acme-staff-engineer.txt", posting_text("Staff Engineer"))
    write(tmp_path, "scraped/harbor-backend.txt", posting_text("Backend Engineer"))
    write(tmp_path, "boards/jobs.csv", "title,description\nA,text a\nB,text b\n")
    write(tmp_path, "feed.csv", "job_id,title,description\n921716,C,text c\n")
    ids = [p.id for p in load_postings([tmp_path]).postings]
    assert ids == ["921716", "wellfound-acme-staff-engineer", "boards-jobs-row1", "boards-jobs-row2",
                   "scraped-harbor-backend"]


def test_other_names_keep_their_words_and_add_a_hash_of_the_path(tmp_path):
    write(tmp_path, "工程师.txt", posting_text("Engineer"))
    write(tmp_path, "Job Ads/Senior Dev.md", posting_text("Senior Dev"))
    ids = sorted(p.id for p in load_postings([tmp_path]).postings)
    assert len(ids) == 2
    assert ids[0].startswith("job-ads-senior-dev-") and ids[1].startswith("工程师-")


def test_adding_a_file_never_changes_the_id_of_another(tmp_path):
    write(tmp_path, "a/b.txt", posting_text("Nested"))
    write(tmp_path, "Job.txt", posting_text("Capital"))
    before = {p.title: p.id for p in load_postings([tmp_path]).postings}
    write(tmp_path, "a-b.txt", posting_text("Flat"))
    write(tmp_path, "job.md", posting_text("Lower"))
    write(tmp_path, "工程师.txt", posting_text("Engineer"))
    previous = {pid: str(tmp_path / "a" / "b.txt") for pid in before.values()}
    after = {p.title: p.id for p in load_postings([tmp_path], previous_source=previous.get).postings}
    assert {title: after[title] for title in before} == before
    assert len(set(after.values())) == 5


def test_postings_merge_only_when_the_source_gives_the_same_id(tmp_path):
    write(tmp_path, "feed.jsonl", json.dumps({"id": "job", "title": "From the feed", "description": "one"}) + "\n")
    write(tmp_path, "job.txt", posting_text("From a file"))
    result = load_postings([tmp_path])
    assert sorted(p.title for p in result.postings) == ["From a file", "From the feed"]
    assert by_id(result)["job"].title == "From the feed"
