"""Postings from anywhere: pasted pages, comments with pipe headers, sidebars, other boards' columns.

Every page here is invented (invented companies, places and phrasings) in layouts real postings use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.formats.pasted import read_page
from index.formats.pipes import read_pipe_header
from index.formats.places import is_place, split_glued_place
from index.formats.roles import looks_like_title
from index.formats.text import title_from_name
from index.loaders import UNTITLED, load_postings, posting_from_record

REPO = Path(__file__).resolve().parents[1]
WILD = REPO.parent / "shared" / "data" / "postings" / "wild"

BODY = ("You will own the billing services end to end, pair with product on the roadmap, and keep our queues "
        "healthy while we grow from ten thousand to a million daily orders across three regions.")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_one(folder: Path):
    result = load_postings([folder])
    assert len(result.postings) == 1, result.problems
    return result.postings[0]


# ---------------------------------------------------------------- pipe headers (comments)

def test_pipe_header_fields_are_classified_whatever_their_order():
    header = read_pipe_header("Remote (Canada) | Quillmoor Systems | £60k–£75k | Staff Data Engineer | Contract")
    assert (header.company, header.title) == ("Quillmoor Systems", "Staff Data Engineer")
    assert (header.location, header.remote_hint) == ("Canada", "Remote")
    assert (header.work_type, header.salary) == ("Contract", "£60k–£75k")


def test_pipe_header_place_first_and_a_link_after_the_pay():
    header = read_pipe_header("Lyon, France | Brisemarée | Backend Developer | ONSITE | 55-65k EUR - https://x.example/j")
    assert (header.location, header.company, header.title) == ("Lyon, France", "Brisemarée", "Backend Developer")
    assert header.salary == "55-65k EUR" and header.url == "https://x.example/j"
    assert header.remote_hint == "On-site"


def test_perks_in_a_pipe_header_are_not_the_title():
    header = read_pipe_header("Ottervane | Porto, Portugal | ONSITE | VISA SPONSORSHIP | RELOCATION SUPPORT")
    assert header.company == "Ottervane" and header.title == "" and header.location == "Porto, Portugal"


def test_two_plain_words_with_a_pipe_are_not_a_header():
    assert read_pipe_header("Sales | Marketing") is None


def test_a_comment_record_gets_title_company_place_and_columns_from_its_first_line():
    record = {"id": 9001, "by": "someone", "time": 1760000000,
              "text": "Fernhollow Robotics | Firmware Engineer | Hybrid (Oslo, Norway) | Full-time | NOK 700k"
                      f"<p>{BODY}</p><p>Also hiring: QA Analyst.</p>"}
    posting = posting_from_record(record, fallback_id="x", source="s")
    assert posting.id == "9001"
    assert (posting.title, posting.company, posting.location) == ("Firmware Engineer", "Fernhollow Robotics",
                                                                  "Oslo, Norway")
    assert posting.columns["remote_hint"] == "Hybrid" and posting.columns["work_type"] == "Full-time"
    assert posting.columns["salary_string"] == "NOK 700k"
    assert posting.text.startswith("Fernhollow Robotics |")  # the header stays as evidence


def test_a_comment_without_a_header_takes_its_title_from_a_role_sentence():
    record = {"id": "c-2", "text": f"We have one role open on our team: Principal Geospatial Analyst. {BODY}"}
    posting = posting_from_record(record, fallback_id="x", source="s")
    assert posting.title == "Principal Geospatial Analyst"


# ---------------------------------------------------------------- pasted pages

def test_bulleted_head_with_company_and_place_and_a_sidebar_of_other_jobs(tmp_path):
    write(tmp_path, "page.txt", "\n".join([
        "- Senior Payroll Specialist", "- Dunmore Freight (Boise, ID)", "", BODY, "",
        "Pay: $70,000 - $82,000 per year", "",
        "Inventory Planner", "Kettlewick Goods", "Reno, NV", "$31 an hour",
        "Fleet Dispatcher", "Harrowgate Lines", "Tacoma, WA", "$24 an hour",
    ]))
    posting = load_one(tmp_path)
    assert (posting.title, posting.company, posting.location) == ("Senior Payroll Specialist", "Dunmore Freight",
                                                                  "Boise, ID")
    assert "Kettlewick" not in posting.text and "$31" not in posting.text
    assert "$70,000" in posting.text


def test_company_glued_to_its_city_is_split_and_a_remote_line_is_kept(tmp_path):
    write(tmp_path, "glued.txt", "\n".join(["Claims Adjuster", "Brackenridge MutualTulsa, OK", "Remote", "", BODY]))
    posting = load_one(tmp_path)
    assert (posting.company, posting.location) == ("Brackenridge Mutual", "Tulsa, OK")
    assert posting.columns["remote_hint"].lower() == "remote"


def test_is_hiring_a_over_the_title_line(tmp_path):
    write(tmp_path, "hiring.txt", f"Gullwing Analytics is hiring a\nDistributed Systems Engineer\n{BODY}\n")
    posting = load_one(tmp_path)
    assert (posting.title, posting.company) == ("Distributed Systems Engineer", "Gullwing Analytics")


def test_title_at_company_and_company_dash_title_heads(tmp_path):
    write(tmp_path, "at.txt", f"Clinical Data Manager at Sorrelby Labs\nMadrid, Spain\n\n{BODY}\n")
    posting = load_one(tmp_path)
    assert (posting.title, posting.company, posting.location) == ("Clinical Data Manager", "Sorrelby Labs",
                                                                  "Madrid, Spain")
    page = read_page(f"Tindle & Marsh — Junior Accountant\n\n{BODY}")
    assert (page.title, page.company) == ("Junior Accountant", "Tindle & Marsh")


def test_avatar_lines_name_the_company_and_leave_the_text(tmp_path):
    write(tmp_path, "avatar.txt", "\n".join([
        "Logo for Pellucid Motors", "Pellucid Motors", "Actively Hiring", "Save", "Apply Now",
        "Embedded Software Engineer", "€70k – €85k", "|", "Stuttgart", "|Full Time", "", BODY]))
    posting = load_one(tmp_path)
    assert (posting.title, posting.company, posting.location) == ("Embedded Software Engineer", "Pellucid Motors",
                                                                  "Stuttgart")
    assert posting.columns["salary_string"].startswith("€70k") and posting.columns["work_type"] == "Full-time"
    assert "Logo for" not in posting.text and "Actively Hiring" not in posting.text


def test_label_value_sidebar_at_the_end_fills_columns_and_drops_its_chrome(tmp_path):
    write(tmp_path, "wrenhaven-lighthouse-keeper.txt", "\n".join([
        "About Wrenhaven", "", BODY, "", "Wrenhaven Star Icon", "View company", "Jobs posted: 3", "",
        "Posted on", "4 days ago", "Apply before", "June 2nd", "Job type", " Contract", "Salary",
        "$40 - $55 per hour", "Region", "Anywhere in the World"]))
    posting = load_one(tmp_path)
    assert posting.company == "Wrenhaven"
    assert posting.columns["work_type"] == "Contract" and posting.columns["salary_string"] == "$40 - $55 per hour"
    assert posting.location == "Anywhere in the World" and posting.columns["remote_hint"] == "Remote"
    assert "Posted on" not in posting.text and "Apply before" not in posting.text
    assert "Salary: $40 - $55 per hour" in posting.text  # kept as a quotable line
    assert posting.title == "Lighthouse Keeper"  # nothing in the page names the job: the file name does


def test_a_heading_salary_over_a_paragraph_is_not_a_sidebar():
    page = read_page(f"Night Baker\nCrumbwell Bakery\n\n{BODY}\n\nSalary\nWe pay well and review it yearly.\n")
    assert "salary_string" not in page.columns


def test_company_from_the_body_when_no_byline_names_it():
    assert read_page(f"Welding Inspector\n\n{BODY}\nAt Cobbleford Steel, we test every seam.").company == \
        "Cobbleford Steel"
    assert read_page(f"Welding Inspector\n\n{BODY}\nJoin Tarnby Works and build bridges.").company == "Tarnby Works"
    assert read_page(f"{BODY}\nMossgate Clinics is seeking a Dental Hygienist to join us.").title == \
        "Dental Hygienist"


# ---------------------------------------------------------------- vocabularies

def test_places_titles_and_glued_names():
    assert is_place("Austin, TX") and is_place("EMEA") and is_place("Lisbon / Porto") and is_place("Paris area")
    assert not is_place("Senior Engineer") and not is_place("IN") and not is_place("Platform")
    assert split_glued_place("Brackenridge MutualTulsa, OK") == ("Brackenridge Mutual", "Tulsa, OK")
    assert split_glued_place("McKinsey Partners") is None
    assert looks_like_title("Bürokaufmann (m/w/d)") and not looks_like_title("We are hiring.")
    assert title_from_name("board-acme-senior-data-engineer", "Acme") == "Senior Data Engineer"
    assert title_from_name("notes-2024", "") == ""


# ---------------------------------------------------------------- other boards' columns

def test_remote_board_records_are_remote_and_their_location_is_the_candidate_region():
    record = {"job_id": 77, "title": "Support Analyst", "company_name": "Faylinn", "description": BODY,
              "candidate_required_location": "Latin America", "salary": "$3k - $4k a month"}
    posting = posting_from_record(record, fallback_id="x", source="s")
    assert posting.columns["remote"] is True and posting.location == "Latin America"
    assert posting.columns["candidate_region"] == "Latin America"
    assert posting.columns["salary_string"] == "$3k - $4k a month"


def test_board_url_marks_a_remote_only_board():
    record = {"title": "Editor", "company": "Quibble", "description": BODY,
              "url": "https://remotive.com/remote-jobs/writing/editor-1"}
    assert posting_from_record(record, fallback_id="x", source="s").columns["remote"] is True


def test_slug_record_with_job_type_list_and_text_booleans(tmp_path):
    record = {"slug": "lagerist-kiel-123", "company_name": "Nordhafen GmbH", "title": "Lagerist (m/w/d)",
              "description": f"<p>{BODY}</p>", "remote": "false", "job_types": ["Teilzeit", "part_time"],
              "tags": ["Logistik"], "location": "Kiel", "created_at": 1760000000}
    write(tmp_path, "lagerist-kiel-123.json", json.dumps(record))
    posting = load_one(tmp_path)
    assert posting.id == "lagerist-kiel-123"
    assert posting.columns["remote"] is False and posting.columns["work_type"] == "Part-time"
    assert posting.listed_at.startswith("2025-")


def test_board_tags_that_name_no_work_type_are_left_out():
    record = {"title": "Koch (m/w/d)", "description": BODY, "job_types": "['berufseinstieg']"}
    assert "work_type" not in posting_from_record(record, fallback_id="x", source="s").columns


def test_jobspy_money_columns_use_the_shared_money_vocabulary():
    record = {"id": "js1", "title": "Barista", "company": "Oatfield", "description": BODY, "min_amount": "21000",
              "max_amount": "24000", "interval": "yearly", "currency": "gbp", "is_remote": "False",
              "job_type": "fulltime, parttime"}
    columns = posting_from_record(record, fallback_id="x", source="s").columns
    assert (columns["min_salary"], columns["max_salary"], columns["currency"]) == (21000, 24000, "GBP")
    assert columns["pay_period"] == "yearly" and columns["remote"] is False and columns["work_type"] == "Full-time"


# ---------------------------------------------------------------- files that are not postings

@pytest.mark.parametrize("name", ["README.md", "SOURCES.md", "LICENSE.txt", "changelog.md"])
def test_project_documents_in_a_postings_folder_are_skipped_with_the_reason(tmp_path, name):
    write(tmp_path, name, "# Notes\n\nWhere these files came from, and who may use them.\n")
    write(tmp_path, "cook.txt", f"Line Cook\nBrindle Diner\n\n{BODY}\n")
    result = load_postings([tmp_path])
    assert [p.title for p in result.postings] == ["Line Cook"]
    assert len(result.problems) == 1 and "not a posting" in result.problems[0].reason
    assert name in result.problems[0].path


# ---------------------------------------------------------------- the real wild folder

@pytest.mark.shared
@pytest.mark.skipif(not WILD.is_dir(), reason="needs ../shared/data/postings/wild; not present")
def test_wild_postings_mostly_have_a_title_company_and_place():
    result = load_postings([WILD])
    postings = result.postings
    assert len(postings) == 59
    assert sum(p.title != UNTITLED for p in postings) >= 54
    assert sum(bool(p.company) for p in postings) >= 54
    assert sum(bool(p.location) for p in postings) >= 50
    assert all(not p.title.lower().startswith(("avatar for", "company description")) for p in postings)
    assert not any(p.title.endswith(" is hiring a") for p in postings)


def test_a_paragraph_opening_with_an_italic_label_is_kept_in_a_comment():
    record = {"id": 7770001, "text": "<i>Quillmark Labs</i> | Remote (EU) | Full-time | https://quillmark.example"
              "<p><i>Experience</i>: Apart from interns, we ask for a Masters degree in ecology or statistics."
              "<p><i>Stack</i>: Go and Postgres."}
    posting = posting_from_record(record, fallback_id="x", source="hn.json")
    assert "Masters degree in ecology" in posting.text


def test_a_short_chrome_label_line_still_leaves_the_page():
    page = read_page("Ropewalk Analytics\nData Analyst\nLeeds\nExperience: Mid level\nAbout the job\nYou will model churn.")
    assert "Mid level" not in page.text


def test_a_bare_city_takes_the_fuller_form_the_same_page_writes():
    page = read_page("Orchardly\nSoftware Engineer\nSacramento\n|Full Time\nAbout\nOur office: Sacramento, CA 95814.\n"
                     "We build irrigation software.")
    assert page.location == "Sacramento, CA"


def test_a_bare_city_gets_no_invented_state():
    page = read_page("Orchardly\nSoftware Engineer\nSacramento\n|Full Time\nAbout\nWe build irrigation software.")
    assert page.location == "Sacramento"
