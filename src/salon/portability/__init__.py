"""Moving in and out: WordPress import and export, JSON export, backup and restore."""
