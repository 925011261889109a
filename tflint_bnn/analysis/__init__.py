"""One module at a time, on CPython's `ast`: its index, names and IR, loops, and the summary the program reads."""
