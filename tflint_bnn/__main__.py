import sys

try:
    from tflint_bnn.cli import run
except KeyboardInterrupt:  # Ctrl-C while the modules load: the one line a run would print, not a traceback
    sys.stderr.write("interrupted\n")
    sys.exit(130)

run()
