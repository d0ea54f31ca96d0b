"""``python -m writer``: the same command line as the ``writer`` script."""

from writer.cli.app import main

if __name__ == "__main__":
    main()
