import argparse


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="MC dropout evaluation")
    parser.add_argument("--mc-samples", type=int, default=50)
    parser.add_argument("--weights", default="model.h5")
    return parser.parse_args(argv)
