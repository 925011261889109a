import csv


def read_rows(path):
    with open(path) as handle:
        for record in csv.reader(handle):
            yield [float(value) for value in record]
