"""Shared pieces of the benchmarks: connections (superuser from the PG*
environment, or the non-superuser bench role), a fresh database with the
extension, and small helpers."""
import os
import secrets
import statistics
import sys

import psycopg

BENCH_ROLE = "bench_user"
_ROLE_PASSWORD = secrets.token_hex(16)


def connect(dbname, role=None, autocommit=True, **extra):
    """Superuser connection (from PG*), or a login as the non-superuser role."""
    kw = {"dbname": dbname, "autocommit": autocommit, **extra}
    if role:
        kw.update(user=role, password=_ROLE_PASSWORD,
                  host=os.environ.get("PGHOST") or "localhost")
    return psycopg.connect(**kw)


def fresh_db(dbname):
    """Drops and creates dbname, with the extension and the bench role."""
    with connect("postgres") as c:
        c.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        c.execute(f'CREATE DATABASE "{dbname}"')
        # a plain login role that owns the apps: row-level security applies
        if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (BENCH_ROLE,)).fetchone():
            c.execute(f"CREATE ROLE {BENCH_ROLE} LOGIN")
        c.execute(f"ALTER ROLE {BENCH_ROLE} NOSUPERUSER NOBYPASSRLS PASSWORD '{_ROLE_PASSWORD}'")
    with connect(dbname) as c:
        c.execute("CREATE EXTENSION annotations")


def drop_db(dbname):
    if os.environ.get("BENCH_KEEP_DB"):
        return
    with connect("postgres") as c:
        c.execute(f'DROP DATABASE IF EXISTS "{dbname}"')


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"
