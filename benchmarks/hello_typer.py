"""The reference for issue 5's start-up targets: the smallest typer application.

    python benchmarks/hello_typer.py          # prints "hello world"

``trygg check`` on an unchanged repository should take at most 1.3 times as long as this,
and ``trygg --version`` at most 1.1 times.
"""

import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
