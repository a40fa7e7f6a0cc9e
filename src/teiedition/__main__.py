"""Run the command line interface as `python -m teiedition`."""

from teiedition.cli import main

main()
