"""The command line: a thin Typer front end over the application services."""
