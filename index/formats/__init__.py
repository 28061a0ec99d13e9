"""Readers for each posting format, one module per step.

- `csv`, `json`, `text` (txt/md), `html`: a file's text -> records (dicts of the source's own field names);
- `pasted`: pasted job pages and comments (heads, bylines, sidebars, other-jobs lists), with `pipes` (headers of
  pipe-separated fields), `places` (is this a place?) and `roles` (is this a job title?);
- `columns`: the column-name table (data) and the boards whose records mean more than their columns;
- `values`: column values as our types (money through `index.money`, work types through `index.worktypes`);
- `records`: a record -> a Posting; `skips`: files in a postings folder that are not postings;
- `errors`: what the readers raise.
"""
