"""The platform's Flask application.

``create_app`` reads as a table of contents and has no side effects beyond
building the app: no migrations, no network, no prompts. (When neither the
environment nor ``config`` gives a ``SECRET_KEY``, the key kept in
``instance/`` is read, or created once.)
"""
from __future__ import annotations

import os
from importlib import import_module

from flask import Flask

from .config import load_config

# Feature packages, each exposing ``bp``. Registration order is irrelevant.
BLUEPRINTS = (
    "feedback.main.routes",
    "feedback.auth.routes",
    "feedback.account.routes",
    "feedback.admin.routes",
    "feedback.cards.routes",
    "feedback.family.routes",
    "feedback.insight.routes",
    "feedback.contracts.routes",
    "feedback.api.routes",
    "feedback.provider.routes",
)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    app.config.from_mapping(load_config(None, app.instance_path, overrides=config))
    register_converters(app)
    register_extensions(app)
    register_templates(app)
    register_security(app)
    register_blueprints(app)
    register_cli(app)
    return app


def register_converters(app: Flask) -> None:
    from .ids import IdConverter

    # Before any route is added: every <int:...> becomes a bounded id (404 outside it).
    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    from .extensions import csrf, db, limiter, login_manager, migrate
    from . import auth

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth.configure_login(login_manager)


def register_templates(app: Flask) -> None:
    from .templating import configure_templates

    configure_templates(app)


def register_security(app: Flask) -> None:
    from .security import configure_security

    configure_security(app)


def register_blueprints(app: Flask) -> None:
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)


def register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
