"""The fuzz suite (issue 12): seeded mutation passes over every importer, refresh's reading and the URL."""
