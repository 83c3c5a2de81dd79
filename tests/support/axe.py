"""The accessibility check the browser tests run on a page: axe-core (vendored from the npm
registry into tests/assets/vendor/axe-core by scripts/vendor_static.sh, pinned, licence beside it).

The checker is evaluated through the browser's debugging protocol, which the page's
Content-Security-Policy does not govern, so the page keeps its real policy while it is checked.
"""

from __future__ import annotations

from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parents[1] / "assets" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


def serious_violations(page) -> list[str]:
    """Every violation of impact serious or critical on the page, one line each with its elements."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} ({', '.join(v['targets'])})"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
