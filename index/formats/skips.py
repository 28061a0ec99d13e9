"""Files that sit in a postings folder but are not postings (README.md, SOURCES.md, LICENSE, CHANGELOG...).

The rule: a well-known project-document file name (the stem, in any case, any extension). Such files are skipped
and reported with the reason. The content is not judged: a short posting may use none of the usual job words.
"""

from __future__ import annotations

# File stems (lower case, "-" read as "_", without extension) that name a project's own documents, never a job.
NOT_POSTING_STEMS = {
    "readme", "sources", "license", "licence", "copying", "notice", "changelog", "changes", "history",
    "contributing", "authors", "credits", "codeowners", "citation", "code_of_conduct", "todo",
    "attribution", "attributions",
}


def not_a_posting(file_name: str, text: str = "") -> str:
    """Why a file is not a posting ("" when it may be one): a project-document name such as README or SOURCES."""
    stem = file_name.split(".", 1)[0].strip().lower().replace("-", "_")
    if stem in NOT_POSTING_STEMS:
        return f"{file_name!r} is a project document name (README, SOURCES, LICENSE, CHANGELOG, ...)"
    return ""
