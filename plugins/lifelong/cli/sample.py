"""`lifelong sample`: a synthetic catalogue of N entries, for benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from lifelong.catalogue.problems import CatalogueError
from lifelong.cli.options import CONTEXT, project_option


@click.command(context_settings=CONTEXT)
@click.option("--entries", "-n", type=click.IntRange(min=0), required=True,
              help="How many entries, e.g. 90000.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="New project folder: gets content/, catalogue/, site_config/, mkdocs.yml.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Another seed gives another (equally valid) catalogue.")
@project_option
def sample(entries: int, out: Path, seed: int, project: Path) -> None:
    """Write a deterministic synthetic catalogue of N entries for benchmarks and scale tests.

    Entries come in the real proportions (mostly courses, then e-books, teachers and
    volunteers, lectures, activities at centres, centres, series, stars and projects; marks
    on a few percent of courses), with realistic Chinese and English text, valid against the
    rules in --project's catalogue/. The same N and seed always give the same bytes. The folder is a
    project of its own, with the site config of --project.

    \b
    Example:
      lifelong sample --entries 90000 --out /tmp/lifelong-90k
      lifelong build --project /tmp/lifelong-90k
    """
    import shutil
    import time

    from lifelong.sample import write_sample

    for needed in ("catalogue", "site_config", "mkdocs.yml"):
        if not (project / needed).exists():
            raise click.ClickException(f"{project / needed}: missing; run in the project "
                                       "folder or pass --project")
    if (out / "mkdocs.yml").exists() or (out / "site_config").exists():
        raise click.ClickException(f"{out} already holds a project; choose a new folder")
    began = time.perf_counter()
    try:
        counts = write_sample(out, entries, catalogue_dir=project / "catalogue", seed=seed)
    except (FileExistsError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    except CatalogueError as exc:
        raise click.ClickException(str(exc)) from None
    shutil.copytree(project / "site_config", out / "site_config")
    shutil.copyfile(project / "mkdocs.yml", out / "mkdocs.yml")
    took = time.perf_counter() - began
    click.echo(f"Wrote {sum(counts.values())} entries to {out} in {took:.1f} s: "
               + ", ".join(f"{kind} {n}" for kind, n in counts.items() if n))
