"""Load benchmarks: gunicorn on 127.0.0.1, a threads-based open-loop driver."""
