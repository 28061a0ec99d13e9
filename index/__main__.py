"""`python -m index`: the same as `postings-index`."""

from index.cli import main

raise SystemExit(main())
