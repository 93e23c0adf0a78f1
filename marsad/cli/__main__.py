"""``python -m marsad.cli ...``, the same as ``marsad ...``."""

from . import main

if __name__ == "__main__":  # pragma: no branch
    main()
