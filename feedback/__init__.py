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

# The one place blueprints are registered. Each feature package keeps its Blueprint object
# in ``blueprint.py``; the modules listed here add routes (and ``flask`` commands) to it and
# import only ``blueprint.py``, never each other (tests/unit/test_house_rules.py).
FEATURES = {
    "main": ("routes",),
    "auth": ("routes", "invitation_routes"),
    "account": ("routes",),
    "admin": ("routes", "service_routes", "api_token_routes", "cli"),
    "cards": ("routes", "service_routes"),
    "moderation": ("routes", "reply_routes", "contact_routes"),
    "family": ("routes", "imports_routes"),
    "insight": ("routes", "subtheme_routes", "cli"),
    "contracts": ("routes", "review_routes"),
    "api": ("routes",),
    "provider": ("routes",),
    "returns": ("routes",),
    "ratification": ("routes",),
    "baselines": ("routes",),
    "inspections": ("routes",),
}


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
    for feature, modules in FEATURES.items():
        for module in modules:
            import_module(f"feedback.{feature}.{module}")
        app.register_blueprint(import_module(f"feedback.{feature}.blueprint").bp)


def register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
