"""The floor: the least work any generator on our stack does, as one plain process.

For each page: read it, parse its front matter with PyYAML, convert it with Python-Markdown (one instance,
reset between pages, with the extensions our content uses), render one Jinja template, write the file.
No validation, no links, no readability, no navigation: what is left when a generator does nothing else.

    python bench/floor.py PROJECT OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import markdown
import yaml

EXTENSIONS = ["tables", "attr_list", "admonition", "toc", "sane_lists", "def_list"]
TEMPLATE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<p>{{ summary }}</p>
{{ body }}
</main></body>
</html>
"""


def main(project: Path, out: Path) -> None:
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    converter = markdown.Markdown(extensions=EXTENSIONS)
    content = project / "content"
    for path in sorted(content.rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        converter.reset()
        html = jinja2.utils.markupsafe.Markup(converter.convert(body))
        target = out / path.relative_to(content).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            template.render(title=meta["title"], summary=meta["summary"], body=html), encoding="utf-8"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
