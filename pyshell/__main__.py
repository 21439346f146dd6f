import sys
from pyshell.cli import main

sys.exit(main())
