import sys

from tflint_bnn.cli import main

sys.exit(main())
