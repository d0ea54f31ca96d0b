"""``python -m writer``: the same command line as the ``writer`` script."""

from writer.cli import main

if __name__ == "__main__":
    main()
