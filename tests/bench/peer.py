#!/usr/bin/env python3
"""tests/bench/peer.py - make bench's Python peer: the site a team would script by hand with
jinja2 and matplotlib, from the same register. One page per risk with its fields, its
assessment table and a trend chart of its scores (a 640x240 line chart at 2x, as riskreg draws),
and the register's index page.

    peer.py REGISTER.db OUT_DIR
"""
import os
import sqlite3
import sys

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)

RISK = jinja2.Template("""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{{ r.id }} {{ r.title }}</title></head><body>
<h1>{{ r.id }} {{ r.title }}</h1>
<dl><dt>Owner</dt><dd>{{ r.owner }}</dd><dt>Category</dt><dd>{{ r.category }}</dd>
<dt>Service</dt><dd>{{ r.service }}</dd><dt>Status</dt><dd>{{ r.status }}</dd>
<dt>Treatment</dt><dd>{{ r.treatment }}</dd><dt>Raised</dt><dd>{{ r.created_on }}</dd></dl>
<p>{{ r.description }}</p>
{% if chart %}<img src="{{ chart }}" width="640" height="240" alt="Score of {{ r.id }} over time">{% endif %}
<table><thead><tr><th>Assessed</th><th>L</th><th>I</th><th>RL</th><th>RI</th><th>Score</th></tr></thead><tbody>
{% for a in history %}<tr><td>{{ a[0] }}</td><td>{{ a[1] }}</td><td>{{ a[2] }}</td><td>{{ a[3] }}</td>
<td>{{ a[4] }}</td><td>{{ a[3] * a[4] }}</td></tr>{% endfor %}
</tbody></table></body></html>
""", autoescape=True)

INDEX = jinja2.Template("""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Risk register</title></head><body><h1>Risk register</h1><table><tbody>
{% for r in risks %}<tr><td><a href="{{ r.id }}.html">{{ r.id }}</a></td><td>{{ r.title }}</td>
<td>{{ r.owner }}</td></tr>{% endfor %}</tbody></table></body></html>
""", autoescape=True)


def main():
    db, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "risks"), exist_ok=True)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    history = {}
    for a in con.execute("""SELECT risk_id, assessed_on, likelihood, impact,
            coalesce(residual_likelihood, likelihood), coalesce(residual_impact, impact)
            FROM assessment ORDER BY risk_id, assessed_on"""):
        history.setdefault(a[0], []).append(tuple(a)[1:])
    risks = [dict(r) for r in con.execute("SELECT * FROM risk ORDER BY id")]
    for r in risks:
        rows = history.get(r["id"], [])
        chart = None
        if rows:
            fig, ax = plt.subplots(figsize=(6.4, 2.4), dpi=200)
            ax.plot([a[0] for a in rows], [a[1] * a[2] for a in rows], label="Inherent")
            ax.plot([a[0] for a in rows], [a[3] * a[4] for a in rows], label="Residual")
            ax.set_ylim(0, 25)
            ax.legend(loc="upper left")
            ax.tick_params(axis="x", labelrotation=30, labelsize=6)
            chart = f"{r['id']}.png"
            fig.savefig(os.path.join(out, "risks", chart))
            plt.close(fig)
        with open(os.path.join(out, "risks", r["id"] + ".html"), "w", encoding="utf-8") as f:
            f.write(RISK.render(r=r, history=list(reversed(rows)), chart=chart))
    with open(os.path.join(out, "risks", "index.html"), "w", encoding="utf-8") as f:
        f.write(INDEX.render(risks=risks))


if __name__ == "__main__":
    main()
