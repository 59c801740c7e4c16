"""Flask commands: thin wrappers around services.

    flask --app wsgi seed-demo [--reset] [--password P] [--if-empty]
    flask --app wsgi create-user EMAIL --name N --role R [--role R ...] [--organisation O]
    flask --app wsgi safeguarding train|evaluate   (feedback/safeguarding_cli.py)
    flask --app wsgi contracts freeze-held         (feedback/contracts/cli.py)
    flask --app wsgi digest send                   (feedback/digest_cli.py)
"""
from __future__ import annotations

import secrets

import click
from flask import Flask

from .permissions import ROLES


def demo_password() -> str:
    # Long, random, and acceptable to the password policy.
    return "demo-" + secrets.token_urlsafe(12)


def _remember_demo_password(instance_path: str, password: str) -> None:
    """Keep the demo password beside the demo database (mode 0600) so `make run`
    can remind the person running the demo. Demo data only: never real accounts."""
    import os
    from pathlib import Path

    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "demo_password", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password + "\n")


def register_commands(app: Flask) -> None:
    from .contracts.cli import group as contracts_group
    from .digest_cli import group as digest_group
    from .safeguarding_cli import group as safeguarding_group

    app.cli.add_command(safeguarding_group)
    app.cli.add_command(contracts_group)
    app.cli.add_command(digest_group)

    @app.cli.command("seed-demo")
    @click.option("--reset", is_flag=True, help="Delete all data first, then seed.")
    @click.option("--password", help="Password for every demo user (default: generated).")
    @click.option("--if-empty", is_flag=True, help="Do nothing unless the database is empty.")
    @click.option("--remember-password", is_flag=True,
                  help="Keep the demo password in instance/demo_password (mode 0600).")
    @click.option("--cards", type=click.IntRange(min=0),
                  help="How many action cards (default 1,700; at most twice the corpus's "
                       "card texts).")
    @click.option("--feedback", "n_feedback", type=click.IntRange(min=0),
                  help="How many feedback entries (default 950; at most twice the corpus's "
                       "feedback texts).")
    def seed_demo_command(reset, password, if_empty, remember_password, cards, n_feedback):
        """Build the demo partnership with cards and feedback over 18 months, from the
        demo corpus, saying what it is doing as it goes."""
        from .auth.services import PasswordPolicyError, check_password_policy
        from .admin.service_names import add_default_names
        from .demo.seed import DemoDataExists, database_empty, reset_demo, seed_demo
        from .demo.service_names import OTHER_NAMES

        if if_empty and not database_empty():
            click.echo("Database already has data: demo data not added.")
            return
        password = password or demo_password()
        try:
            check_password_policy(password)
        except PasswordPolicyError as exc:
            raise click.UsageError(str(exc)) from exc
        if reset:
            reset_demo()
        try:
            sizes = {k: v for k, v in (("n_cards", cards), ("n_feedback", n_feedback))
                     if v is not None}
            counts = seed_demo(password, progress=lambda line: click.echo(line), **sizes)
        except DemoDataExists as exc:
            raise click.ClickException(f"{exc}.") from exc
        counts["other service names"] = add_default_names(OTHER_NAMES)
        click.echo("Demo data created: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        click.echo("Demo users, one per role: " + ", ".join(
            f"{role}@demo.invalid" for role in ROLES) + ", forum_rep_2@demo.invalid "
            "(a second forum)")
        click.echo(f"Demo password: {password}")
        if remember_password:
            _remember_demo_password(app.instance_path, password)

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True)
    @click.option("--role", "roles", multiple=True, required=True,
                  type=click.Choice(sorted(str(role) for role in ROLES)))
    @click.option("--organisation", help="Name of an existing organisation.")
    @click.password_option()
    def create_user_command(email, name, roles, organisation, password):
        """Create a staff account (asks for the password twice). The same use case as the
        People page: e-mail clash check, role check, password policy, audit row."""
        from .admin.services import (UserChangeRefused, UserDetails, create_user,
                                     organisation_id_named)

        org_id = None
        if organisation:
            org_id = organisation_id_named(organisation)
            if org_id is None:
                raise click.UsageError(f"No organisation called {organisation!r}")
        details = UserDetails(name=name, email=email, organisation_id=org_id,
                              roles=tuple(roles), active=True)
        try:
            user, _ = create_user(details, None, password=password)
        except UserChangeRefused as exc:
            raise click.UsageError(str(exc)) from exc
        click.echo(f"Created {user.email} with roles {', '.join(sorted(user.roles))}.")
