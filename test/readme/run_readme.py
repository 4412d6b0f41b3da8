#!/usr/bin/env python3
"""Runs the examples of README.md, in order, and checks every result it shows.

    run_readme.py [--roles] [README.md]

Connects with the PG* environment variables (test/drivers/readme.sh points
PGDATABASE at a fresh database), as the superuser postgres that the README's
examples are written for (SET SESSION AUTHORIZATION when PGUSER is another
superuser), and runs:

  * every ```sql block, statement by statement, in ONE session, in README
    order, so an id used in one block comes from an earlier block and a
    `SET search_path` stays in force, as for a reader following along;
  * every ```python block, as a program of its own (/usr/bin/python3) with
    the same PG* environment, after the SQL blocks before it.

Other blocks (```sh, ```json, ```text, ...) are never run.

Conventions in README.md (DEVELOPING.md describes them for writers):

  A statement must succeed, unless a comment right after its `;` (on the
  same line, or on the lines just below it) says what it gives:

    SELECT status_code('pending');          -- → 24151
        the result, as psql prints it unaligned with `-F ' | '` and no
        header: columns joined by " | ", NULL as an empty string; one
        `-- →` line per row, in order.
    SELECT * FROM list_annotations('my-app');   -- → (3 rows)
        only the number of rows is checked: "(N rows)" or "(1 row)".
    SELECT delete_inputs('my-app', ARRAY['nope']);   -- ERROR P0002
        the statement must fail with this SQLSTATE. Written
        `-- ERROR 22P02: <message>` the primary message must be exactly
        that; lines `-- DETAIL: <text>` and `-- HINT: <text>` just below
        check the detail and the hint the same way.

  A ```python block must exit with status 0; when it has whole-line
  comments `# → <line>`, its output must be exactly those lines, in order.

  An HTML comment on the line before a block's opening fence,

    <!-- readme-test: skip (why) -->

  skips that block; the reason is printed.

With --roles, prints the roles the README's SQL creates (CREATE ROLE name),
one per line, and exits: test/drivers/readme.sh drops them before and after.

Prints one report per failing statement (block, README line, statement,
expected and got) and, last, `readme: N statements, N passed, N failed`.
Exits non-zero when anything failed.
"""
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([A-Za-z0-9_+-]*)")
SKIP = re.compile(r"^\s*<!--\s*readme-test:\s*skip\b\s*(.*?)\s*-->\s*$")
RESULT = re.compile(r"^--\s*→\s?(.*)$")
ERROR = re.compile(r"^--\s*ERROR:?\s+([0-9A-Z]{5})\b(?::\s*(.*))?$")
PYRESULT = re.compile(r"^#\s*→\s?(.*)$")
FIELD = re.compile(r"^--\s*(DETAIL|HINT):\s*(.*)$")
ROWCOUNT = re.compile(r"^\((\d+) rows?\)$")
CREATE_ROLE = re.compile(r"\bCREATE\s+ROLE\s+(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*)", re.I)


class Block:
    def __init__(self, number, lang, line, text, skip):
        self.number, self.lang, self.line, self.text, self.skip = number, lang, line, text, skip


def read_blocks(path):
    """Fenced blocks of a Markdown file: (number, language, line of the first
    content line, text, skip reason or None). Numbered from 1 over all
    fenced blocks, whatever their language."""
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks, i, n = [], 0, 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(2), m.group(3).lower()
        prev = lines[i - 1] if i > 0 else ""
        s = SKIP.match(prev)
        skip = (s.group(1) or "(no reason given)") if s else None
        start, j = i + 1, i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence[0] * len(fence)):
            j += 1
        n += 1
        blocks.append(Block(n, lang, start + 1, "\n".join(lines[start:j]), skip))
        i = j + 1
    return blocks


def split_sql(text):
    """Statements of a SQL block: (first line offset, statement text,
    end line offset). Knows quotes, quoted identifiers, dollar quotes and
    comments, so a ';' inside them does not end a statement."""
    out, i, n = [], 0, len(text)
    start, first_line, line = None, None, 0
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
            continue
        if text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    line += text[i] == "\n"
                    i += 1
            continue
        if c.isspace():
            i += 1
            continue
        if start is None:
            start, first_line = i, line
        if c == ";":
            out.append((first_line, text[start:i + 1], line))
            start = None
            i += 1
            continue
        if c == "'" or c == '"':
            backslash = c == "'" and i > 0 and text[i - 1] in "eE" and \
                (i < 2 or not (text[i - 2].isalnum() or text[i - 2] == "_"))
            i += 1
            while i < n:
                if backslash and text[i] == "\\":
                    i += 2
                    continue
                if text[i] == c:
                    if text.startswith(c * 2, i):
                        i += 2
                        continue
                    break
                line += text[i] == "\n"
                i += 1
            i += 1
            continue
        if c == "$":
            m = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", text[i:])
            if m and not (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")):
                tag = m.group(0)
                j = text.find(tag, i + len(tag))
                j = n if j < 0 else j + len(tag)
                line += text.count("\n", i, j)
                i = j
                continue
        i += 1
    if start is not None:
        out.append((first_line, text[start:], line))
    return out


def expectations(block_lines, end_line):
    """What the README says a statement ending on block line end_line gives:
    None (must succeed), ('rows', [..]), ('count', n) or
    ('error', sqlstate, message, {DETAIL/HINT: text})."""
    comments = []
    tail = block_lines[end_line]
    # the comment after the statement's last ';' on its last line
    k = tail.rfind(";")
    rest = tail[k + 1:].strip() if k >= 0 else ""
    if rest.startswith("--"):
        comments.append(rest)
    for ln in block_lines[end_line + 1:]:
        s = ln.strip()
        if RESULT.match(s) or ERROR.match(s) or FIELD.match(s):
            comments.append(s)
        else:
            break
    rows, err = [], None
    for s in comments:
        m = RESULT.match(s)
        if m:
            rows.append(m.group(1).rstrip())
            continue
        m = ERROR.match(s)
        if m:
            err = ["error", m.group(1), m.group(2), {}]
            continue
        m = FIELD.match(s)
        if m and err:
            err[3][m.group(1)] = m.group(2)
    if err:
        return tuple(err)
    if len(rows) == 1 and ROWCOUNT.match(rows[0]):
        return ("count", int(ROWCOUNT.match(rows[0]).group(1)))
    if rows:
        return ("rows", rows)
    return None


def render(cur):
    """Rows as psql -At -F ' | ' prints them: text output, NULL as ''."""
    res = cur.pgresult
    if res is None or res.nfields == 0:
        return []
    rows = []
    for r in range(res.ntuples):
        vals = []
        for c in range(res.nfields):
            v = res.get_value(r, c)
            vals.append("" if v is None else v.decode("utf-8"))
        rows.append(" | ".join(vals).rstrip())
    return rows


def short(stmt, limit=300):
    lines = [ln for ln in stmt.split("\n") if not ln.strip().startswith("--")]
    s = "\n    ".join(ln.rstrip() for ln in lines)
    return s if len(s) <= limit else s[:limit] + " …"


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    path = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
    blocks = read_blocks(path)
    name = os.path.basename(path)

    if "--roles" in argv:
        roles = []
        for b in blocks:
            if b.lang == "sql" and not b.skip:
                for r in CREATE_ROLE.findall(b.text):
                    r = r.strip('"')
                    if r not in roles:
                        roles.append(r)
        print("\n".join(roles))
        return 0

    import psycopg  # Debian's python3-psycopg

    total = passed = 0
    failures = []

    def fail(block, line, stmt, expected, got):
        failures.append(1)
        print(f"FAIL block {block.number} ({block.lang}), {name} line {line}:")
        print(f"    {short(stmt)}")
        print(f"  expected: {expected}")
        print(f"  got:      {got}")

    conn = psycopg.connect(autocommit=True)
    # the README's session is the superuser postgres (readme.sh makes sure
    # the role exists); results such as owner_id depend on it
    if conn.execute("SELECT current_user").fetchone()[0] != "postgres":
        conn.execute("SET SESSION AUTHORIZATION postgres")
    for b in blocks:
        if b.lang not in ("sql", "python"):
            continue
        if b.skip:
            print(f"skip block {b.number} ({b.lang}), {name} line {b.line}: {b.skip}")
            continue
        if b.lang == "python":
            total += 1
            with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
                f.write(b.text + "\n")
            try:
                p = subprocess.run(["/usr/bin/python3", f.name], capture_output=True,
                                   text=True, timeout=120)
            finally:
                os.unlink(f.name)
            want = [m.group(1).rstrip() for m in map(PYRESULT.match, b.text.split("\n")) if m]
            have = [ln.rstrip() for ln in p.stdout.rstrip("\n").split("\n")] if p.stdout else []
            if p.returncode == 0 and (not want or want == have):
                passed += 1
            elif p.returncode == 0:
                fail(b, b.line, b.text.split("\n")[0] + " …", "\n            ".join(want),
                     "\n            ".join(have) or "(no output)")
            else:
                err = (p.stderr.strip().split("\n") or [""])[-1]
                fail(b, b.line, b.text.split("\n")[0] + " …", "exit status 0",
                     f"exit status {p.returncode}: {err}")
            continue
        lines = b.text.split("\n")
        for first, stmt, end in split_sql(b.text):
            total += 1
            line = b.line + first
            exp = expectations(lines, end)
            err = None
            try:
                with conn.cursor() as cur:
                    cur.execute(stmt)
                    got = render(cur)
            except psycopg.Error as e:
                err = e
            if err is not None:
                d = err.diag
                got_txt = f"ERROR {err.sqlstate}: {d.message_primary}"
                if exp and exp[0] == "error":
                    _, state, msg, fields = exp
                    bad = state != err.sqlstate or (msg is not None and msg != d.message_primary)
                    for k, v in fields.items():
                        have = d.message_detail if k == "DETAIL" else d.message_hint
                        if v != have:
                            bad = True
                            got_txt += f"\n            {k}: {have}"
                    if not bad:
                        passed += 1
                        continue
                    want = f"ERROR {state}" + (f": {msg}" if msg is not None else "")
                    for k, v in fields.items():
                        want += f"\n            {k}: {v}"
                    fail(b, line, stmt, want, got_txt)
                else:
                    want = "success" if exp is None else \
                        (f"({exp[1]} rows)" if exp[0] == "count" else " / ".join(exp[1]))
                    fail(b, line, stmt, want, got_txt)
                continue
            if exp is None:
                passed += 1
            elif exp[0] == "error":
                fail(b, line, stmt, f"ERROR {exp[1]}", "success: " + " / ".join(got[:5]))
            elif exp[0] == "count":
                if len(got) == exp[1]:
                    passed += 1
                else:
                    fail(b, line, stmt, f"({exp[1]} rows)", f"({len(got)} rows)")
            elif got == exp[1]:
                passed += 1
            else:
                fail(b, line, stmt, "\n            ".join(exp[1]) or "(0 rows)",
                     "\n            ".join(got) or "(0 rows)")
        # a block must not leave a transaction open: the next one would
        # run inside it (or, after an error, not at all)
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.execute("ROLLBACK")
            total += 1
            fail(b, b.line, b.text.split("\n")[0] + " …", "no open transaction at the end of the block",
                 "a transaction was still open (rolled back)")
    conn.close()
    failed = len(failures)
    print(f"readme: {total} statements, {passed} passed, {failed} failed")
    return 1 if failed or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
