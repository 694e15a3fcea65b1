"""Run zr's benchmark suite: ``python bench/run.py [--quick] [--tools zr,make,...]``.

See bench/README.md for what each scenario measures.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from zrbench.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
