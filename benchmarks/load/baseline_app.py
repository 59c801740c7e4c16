"""The smallest Flask + SQLAlchemy app that stores a submission.

It is the yardstick for ``run_load.py``: the same machine, driver and
database, one POST that inserts one row and answers 201. The platform's
sustained rate divided by this one's says what the platform's extra work
(CSRF, sessions, GOV.UK templates, screening, receipts, audit) costs.

Run: ``BASELINE_DATABASE_URL=sqlite:////tmp/x.db gunicorn benchmarks.load.baseline_app:app``.
"""
from __future__ import annotations

import os

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, Text

from feedback.config import engine_options, normalise_database_url

URL = normalise_database_url(os.environ.get("BASELINE_DATABASE_URL", "sqlite:////tmp/baseline.db"))

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = URL
# The platform's own engine options, so both sides wait on locks the same way.
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(URL)
db = SQLAlchemy(app)


class Submission(db.Model):
    __tablename__ = "baseline_submission"
    id = db.Column(Integer, primary_key=True)
    text = db.Column(Text, nullable=False)


@app.post("/submit")
def submit():
    db.session.add(Submission(text=request.form.get("text", "")))
    db.session.commit()
    return "saved", 201


@app.get("/count")
def count():
    return str(db.session.query(Submission).count())


def create_tables() -> None:
    with app.app_context():
        db.create_all()


if __name__ == "__main__":  # pragma: no cover - used by run_load.py before gunicorn starts
    create_tables()
