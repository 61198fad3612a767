"""`lifelong codes`: give a code readers can type to every entry that lacks one."""

from __future__ import annotations

from pathlib import Path

import click

from lifelong.cli.options import CONTEXT, project_option


@click.command(context_settings=CONTEXT)
@click.option("--dry-run", is_flag=True, help="Show the codes it would give; change nothing.")
@project_option
def codes(dry_run: bool, project: Path) -> None:
    """Give a 6-digit code to every entry in content/ without one.

    The code is written into the entry's front matter as one line after its id
    (`code: 382915`); the rest of the file is kept byte for byte. A new code comes from
    the entry's id (the next free one when it is taken); codes already given never
    change, so running it again changes nothing. Readers type the code into the
    "输入编号" box; it is printed under the entry's QR code.

    \b
    Example:
      lifelong codes --dry-run    # what it would give
      lifelong codes
    """
    from lifelong.catalogue.codes import CodeWriteError, plan_codes, write_codes
    from lifelong.catalogue.problems import format_problems

    content = project / "content"
    if not content.is_dir():
        raise click.ClickException(f"{content}: no such folder; run in the project folder "
                                   "or pass --project")
    plan = plan_codes(content)
    if plan.problems:
        count = len(plan.problems)
        raise click.ClickException(
            f"no code given: fix {'this problem' if count == 1 else f'these {count} problems'}"
            " first\n" + format_problems(plan.problems))
    for item in plan.new:
        click.echo(f"content/{item.path}: {item.code}")
    if not dry_run:
        try:
            write_codes(content, plan.new)
        except (CodeWriteError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
    verb = "Would give" if dry_run else "Gave"
    count = len(plan.new)
    click.echo(f"{verb} {count} code{'s' if count != 1 else ''}; {plan.kept} "
               f"entr{'y' if plan.kept == 1 else 'ies'} kept {'its' if plan.kept == 1 else 'their'}"
               " code.")
