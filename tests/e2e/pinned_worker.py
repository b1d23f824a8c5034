"""`flask worker` with the app's clock pinned to the browser tests' today, so that an import the
worker runs checks its dates against the same day as the live server and the tests.
Run as `python -m tests.e2e.pinned_worker YYYY-MM-DD worker ...` (the rest is flask's arguments)."""
import sys
from datetime import date

from app import clock

if __name__ == "__main__":
    day = date.fromisoformat(sys.argv[1])
    clock.today = lambda: day
    from flask.cli import main
    sys.argv = ["flask", *sys.argv[2:]]
    main()
