"""Web pages and scraped text: HTML to text, JSON-LD JobPosting, main content, page chrome."""

from __future__ import annotations

import json

import pytest

from index.html import (
    Byline,
    find_job_posting,
    html_to_text,
    job_posting_fields,
    looks_like_html,
    parse_byline,
    parse_html_page,
    split_page_head,
    strip_page_chrome,
)

# ---------------------------------------------------------------- html_to_text


def test_html_to_text_keeps_paragraphs_and_list_items_as_lines():
    html = (
        "<h2>Requirements</h2><p>You will <b>build</b> APIs.</p>"
        "<ul><li>5+ years of Python</li><li><p>Go &amp; Rust</p></li></ul>"
        "<p>Pay:&nbsp;$50/hour<br>Benefits: dental</p>"
    )
    assert html_to_text(html) == (
        "Requirements\nYou will build APIs.\n- 5+ years of Python\n- Go & Rust\nPay: $50/hour\nBenefits: dental"
    )


def test_html_to_text_drops_scripts_styles_and_comments():
    html = "<style>p{color:red}</style><p>Keep me</p><script>var salary = 999999;</script><!-- hidden note -->"
    assert html_to_text(html) == "Keep me"


def test_html_to_text_joins_table_cells_on_one_line():
    assert html_to_text("<table><tr><th>Salary</th><td>$100k</td></tr></table>") == "Salary | $100k"


def test_html_to_text_unescapes_markup_that_was_escaped_twice():
    assert html_to_text("&lt;p&gt;Hello&lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;/ul&gt;") == "Hello\n- one"


def test_html_to_text_survives_very_deep_nesting():
    html = "<div>" * 3000 + "deep text" + "</div>" * 3000
    assert "deep text" in html_to_text(html)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>Hello</p>", True),
        ("Line one<br/>line two", True),
        ("<ul>\n<li>a</li></ul>", True),
        ("Travel Requirements: <10% travel", False),
        ("This is a paid position located in <LOCATION>.", False),
        ("a < b and c > d", False),
    ],
)
def test_looks_like_html_needs_real_tags(text, expected):
    assert looks_like_html(text) is expected


# ---------------------------------------------------------------- JSON-LD

JOB_POSTING = {
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "Senior Data Engineer",
    "description": "<p>Build pipelines in <strong>Python</strong>.</p><ul><li>5+ years</li><li>SQL</li></ul>",
    "identifier": {"@type": "PropertyValue", "name": "Acme", "value": "ACME-42"},
    "datePosted": "2024-03-01",
    "employmentType": ["FULL_TIME", "CONTRACTOR"],
    "hiringOrganization": {"@type": "Organization", "name": "Acme Analytics"},
    "jobLocation": [
        {"@type": "Place", "address": {"addressLocality": "Austin", "addressRegion": "TX", "addressCountry": "US"}},
        {"@type": "Place", "address": {"addressLocality": "Denver", "addressRegion": "CO",
                                       "addressCountry": {"@type": "Country", "name": "US"}}},
    ],
    "jobLocationType": "TELECOMMUTE",
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "minValue": 140000, "maxValue": 170000, "unitText": "YEAR"},
    },
    "url": "https://jobs.example.com/acme-42",
}


def _page(*json_ld: object, body: str = "<p>Body text</p>") -> str:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(x)}</script>' for x in json_ld)
    return f"<html><head><title>Job</title>{scripts}</head><body>{body}</body></html>"


def test_job_posting_is_found_inside_a_graph():
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "x"}, JOB_POSTING]}
    assert find_job_posting(_page(graph))["title"] == "Senior Data Engineer"


def test_job_posting_is_found_in_a_list_after_an_unreadable_block():
    html = '<script type="application/ld+json">{not json</script>' + _page([{"@type": "Organization"}, JOB_POSTING])
    assert find_job_posting(html)["identifier"]["value"] == "ACME-42"


def test_a_page_without_a_job_posting_has_none():
    assert find_job_posting(_page({"@type": "Organization", "name": "Acme"})) is None


def test_job_posting_fields_flatten_schema_org():
    fields = job_posting_fields(JOB_POSTING)
    assert fields["title"] == "Senior Data Engineer"
    assert fields["company"] == "Acme Analytics"
    assert fields["location"] == "Austin, TX, US; Denver, CO, US"
    assert (fields["min_salary"], fields["max_salary"], fields["currency"], fields["pay_period"]) == (
        140000, 170000, "USD", "YEAR")
    assert fields["work_type"] == "FULL_TIME"
    assert fields["remote"] is True
    assert fields["id"] == "ACME-42"
    assert fields["date_posted"] == "2024-03-01"
    assert fields["description"] == "Build pipelines in Python.\n- 5+ years\n- SQL"


def test_a_single_salary_value_is_a_median_not_a_range():
    posting = {**JOB_POSTING, "baseSalary": {"currency": "EUR", "value": {"value": 25, "unitText": "HOUR"}}}
    fields = job_posting_fields(posting)
    assert fields["med_salary"] == 25 and "min_salary" not in fields and "max_salary" not in fields
    assert fields["pay_period"] == "HOUR"


def test_no_telecommute_means_remote_is_absent_not_false():
    posting = {k: v for k, v in JOB_POSTING.items() if k != "jobLocationType"}
    assert "remote" not in job_posting_fields(posting)


def test_parse_html_page_prefers_json_ld():
    record = parse_html_page(_page(JOB_POSTING, body="<nav>Home</nav><p>Other words</p>"))
    assert record["title"] == "Senior Data Engineer"
    assert record["company"] == "Acme Analytics"
    assert record["description"].startswith("Build pipelines in Python.")


def test_visible_text_replaces_a_short_json_ld_summary_of_the_same_job():
    summary = {**JOB_POSTING, "description": "<p>Build pipelines in Python for our reporting.</p>"}
    body = ("<main><h1>Senior Data Engineer</h1><h2>The role</h2><p>Build pipelines in Python for our reporting, "
            "with Spark and Airflow, for a data platform team of six.</p><h2>Benefits</h2>"
            "<ul><li>$140,000 - $170,000 a year.</li><li>Four weeks of paid time off.</li></ul></main>")
    record = parse_html_page(_page(summary, body=body))
    assert "- $140,000 - $170,000 a year." in record["description"].split("\n")
    assert record["company"] == "Acme Analytics"  # fields still come from JSON-LD


def test_json_ld_description_is_kept_when_the_visible_text_is_about_something_else():
    summary = {**JOB_POSTING, "description": "<p>Build pipelines in Python for our reporting.</p>"}
    body = "<main>" + "<p>Welcome to our career portal where thousands of other openings wait for you.</p>" * 5
    assert parse_html_page(_page(summary, body=body + "</main>"))["description"] == (
        "Build pipelines in Python for our reporting.")


# ---------------------------------------------------------------- the fallback path

FALLBACK_PAGE = """<!doctype html><html><head>
<title>Platform Engineer | Globex Careers</title>
<meta property="og:site_name" content="Globex Careers">
<link rel="canonical" href="https://careers.globex.example/jobs/123">
</head><body>
<header><nav><a href="/">Home</a> <a href="/jobs">Jobs</a> <a href="/login">Sign in</a></nav></header>
<div id="onetrust-banner" class="cookie-consent">We use cookies to improve your experience.
 <button>Accept all</button></div>
<main>
<h1>Platform Engineer</h1>
<p class="byline">Globex Corporation · Springfield, OR (Hybrid) · 2 days ago</p>
<h2>What you will do</h2>
<p>Run our Kubernetes clusters and keep the deploy pipeline fast for two hundred engineers across four time zones.</p>
<h2>Requirements</h2>
<ul><li>3+ years with Terraform</li><li>Fluent in Go or Python</li></ul>
<p>Compensation: $130,000 - $150,000 a year.</p>
</main>
<aside><h3>Similar jobs</h3><ul><li>SRE at Initech - $250,000</li></ul></aside>
<footer>© 2024 Globex · About · Accessibility · Privacy Policy · Terms</footer>
</body></html>"""


def test_fallback_page_reads_title_byline_and_main_text():
    record = parse_html_page(FALLBACK_PAGE)
    assert record["title"] == "Platform Engineer"
    assert record["company"] == "Globex Corporation"
    assert record["location"] == "Springfield, OR"
    assert record["remote_hint"] == "Hybrid"
    assert record["url"] == "https://careers.globex.example/jobs/123"
    text = record["description"]
    assert "- 3+ years with Terraform" in text.split("\n")
    assert "Compensation: $130,000 - $150,000 a year." in text


def test_fallback_page_text_has_no_chrome():
    text = parse_html_page(FALLBACK_PAGE)["description"]
    for chrome in ("Sign in", "cookies", "Accept all", "Similar jobs", "Initech", "$250,000", "©", "Privacy Policy",
                   "2 days ago", "Platform Engineer\n"):
        assert chrome not in text


def test_fallback_title_comes_from_the_title_tag_without_the_site_name():
    html = ("<html><head><title>Data Analyst | Globex Careers</title></head><body><div>"
            + "<p>Analyse sales data with SQL and present the results to the leadership team every week.</p>" * 3
            + "</div></body></html>")
    record = parse_html_page(html)
    assert record["title"] == "Data Analyst"
    assert "company" not in record  # "Globex Careers" is the site's name, not a stated employer
    assert "Analyse sales data" in record["description"]


def test_fallback_company_is_not_taken_from_a_job_board_site_name():
    html = ('<html><head><title>Nurse | Indeed</title><meta property="og:site_name" content="Indeed"></head>'
            "<body><main><h1>Nurse</h1><p>" + "Care for patients on a busy ward. " * 10 + "</p></main></body></html>")
    record = parse_html_page(html)
    assert record["title"] == "Nurse"
    assert "company" not in record


def test_ats_page_with_labelled_company_and_location_elements():
    html = ('<html><head><title>Full Stack Engineer - Sparrowgate</title></head><body>'
            '<div class="ats-header"><a href="/jobs">View all jobs</a></div><div id="content">'
            '<h1 class="app-title">Full Stack Engineer</h1><div class="company-name">at Sparrowgate Learning</div>'
            '<div class="location">Remote (US)</div><div id="job-body">'
            + "<p>Build reading software for schools with TypeScript, React and Ruby on Rails, every day.</p>" * 4
            + "</div></div></body></html>")
    record = parse_html_page(html)
    assert (record["title"], record["company"], record["location"]) == (
        "Full Stack Engineer", "Sparrowgate Learning", "Remote (US)")
    assert record["description"].startswith("Build reading software")
    assert "View all jobs" not in record["description"]


# ---------------------------------------------------------------- scraped text

SCRAPED = """Skip to main content
LinkedIn
Home
Jobs
Sign in
Join now
Recent searches
python developer remote
data engineer berlin
Clear recent searches
We use cookies to improve your experience and for marketing. Read our Cookie Policy.
Accept all
Reject all

Senior Backend Engineer
Acme Robotics · Austin, TX (Hybrid) · 3 days ago · 57 applicants

About the job
Acme Robotics is hiring a Senior Backend Engineer to build the APIs behind our robots and the tools operators use.
Learning
We pay for one conference a year and give every engineer a learning budget of two thousand dollars to spend.
Requirements:
- 5+ years of Python or Go
Salary: $150,000 - $180,000 per year.
Show more
Show less
Report this job

Similar jobs
Staff Engineer
Globex · Remote · $220K/yr
People also viewed
Data Scientist
© 2024 LinkedIn Corporation
About · Accessibility · User Agreement · Privacy Policy · Terms
"""


def test_strip_page_chrome_removes_navigation_searches_cookies_similar_jobs_and_footer():
    text = strip_page_chrome(SCRAPED)
    for chrome in ("Skip to main content", "Sign in", "Join now", "Recent searches", "python developer remote",
                   "cookies", "Accept all", "Show more", "Report this job", "Similar jobs", "Staff Engineer",
                   "$220K", "People also viewed", "©", "Accessibility"):
        assert chrome not in text, chrome
    assert text.startswith("Senior Backend Engineer\nAcme Robotics · Austin, TX (Hybrid)")
    assert "- 5+ years of Python or Go" in text
    assert "Salary: $150,000 - $180,000 per year." in text


def test_strip_page_chrome_keeps_a_heading_that_looks_like_a_nav_word_inside_the_posting():
    assert "\nLearning\n" in strip_page_chrome(SCRAPED)


def test_strip_page_chrome_without_a_byline_still_drops_recent_searches_and_banner():
    page = ("Home\nJobs\nRecent searches\nnurse\nwelder\n\n"
            "We use cookies to personalise content. By continuing you accept our cookie policy.\n\n"
            "Welder\nWe need a certified welder for our Tulsa yard, working on pipeline projects for twelve months.\n"
            "More jobs like this\nPipe Fitter $30/hr\n")
    text = strip_page_chrome(page)
    assert text == ("Welder\nWe need a certified welder for our Tulsa yard, working on pipeline projects for "
                    "twelve months.")


def test_a_long_cookie_banner_above_the_title_does_not_hide_the_byline():
    page = ("Sign in / Join now\nAcmeJobs\n"
            "We use cookies to improve your experience, personalize content and ads, and analyze our traffic. "
            "By clicking Accept all you agree to our use of cookies.\nReject non-essential\n\n"
            "Welder\nAcme Pipes · Tulsa, OK (On-site) · 1 day ago\nFull-time · $30/hr\n\nWeld pipes.")
    head, rest = split_page_head(strip_page_chrome(page))
    assert head.title == "Welder" and head.byline.company == "Acme Pipes"
    assert rest == "Full-time · $30/hr\n\nWeld pipes."


def test_byline_details_stay_in_the_text():
    head, rest = split_page_head("Nurse\nSt Mary · Leeds (On-site) · Part-time · £18 an hour · 2 days ago\nCare.")
    assert head.byline == Byline("St Mary", "Leeds", "On-site", "Part-time · £18 an hour")
    assert rest == "Part-time · £18 an hour\nCare."


def test_strip_page_chrome_leaves_plain_postings_alone():
    plain = "Senior Nurse\n\nAbout us\nWe are a hospital.\nRequirements:\n- RN licence\n- 2 years"
    assert strip_page_chrome(plain) == plain


def test_split_page_head_returns_title_and_byline_and_the_rest():
    head, rest = split_page_head(strip_page_chrome(SCRAPED))
    assert head.title == "Senior Backend Engineer"
    assert head.byline == Byline(company="Acme Robotics", location="Austin, TX", remote_hint="Hybrid")
    assert rest.startswith("About the job\n")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Acme · Austin, TX (Hybrid) · 3 days ago · 57 applicants", Byline("Acme", "Austin, TX", "Hybrid")),
        ("Globex Corp · United States (Remote) · Reposted 1 week ago",
         Byline("Globex Corp", "United States", "Remote")),
        ("Initech • Dallas, TX • 2 weeks ago • Over 200 applicants", Byline("Initech", "Dallas, TX", "")),
        ("Umbrella | Berlin | On-site", Byline("Umbrella", "Berlin", "On-site")),
        ("Mistelhof · Berlin, Germany (Hybrid) · Engineering · Full-time",
         Byline("Mistelhof", "Berlin, Germany", "Hybrid", "Engineering · Full-time")),
        ("Quillspring Health · Remote (US) · Full-time · $140,000 - $170,000 a year",
         Byline("Quillspring Health", "Remote (US)", "Remote", "Full-time · $140,000 - $170,000 a year")),
        ("Full-time · Mid-Senior level", None),
        ("Quarrystone · 3 days ago", Byline("Quarrystone", "", "")),
        ("About · Accessibility · Privacy Policy · Terms", None),
        ("Home · Jobs · Sign in", None),
        ("Acme · Austin, TX", None),  # no date, applicants or work mode: not sure enough
        ("Just a sentence about the company.", None),
    ],
)
def test_parse_byline(line, expected):
    assert parse_byline(line) == expected


def test_a_bare_company_and_city_is_a_byline_only_when_asked_loosely():
    assert parse_byline("Acme · Austin, TX", strict=False) == Byline("Acme", "Austin, TX", "")
