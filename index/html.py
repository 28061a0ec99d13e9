"""Web pages become posting fields and clean text: kept as the import path; the code is `index.formats.html`."""

from index.formats.html import (  # noqa: F401
    Byline,
    PageHead,
    find_job_posting,
    html_to_text,
    job_posting_fields,
    looks_like_html,
    parse_byline,
    parse_html_page,
    split_page_head,
    strip_page_chrome,
)
