"""`python -m bot ...` is `postings-bot ...`."""

import sys

from bot.cli import main

sys.exit(main())
