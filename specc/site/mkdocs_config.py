"""The site's `mkdocs.yml` and stylesheet.

The theme settings mirror specc's own site: Material for MkDocs with system fonts (`font: false`: no font
CDN), a light and a dark scheme with a toggle, the built-in search, and the markdown extensions of specc's own
`mkdocs.yml`. No mermaid (Material loads it from a CDN) and no other plugin: the pages are plain markdown, so
another generator that reads `mkdocs.yml` builds them too. Strict link and anchor validation is on, so
`mkdocs build --strict` fails on any broken link specc wrote.

mkdocs-material writes `site_name` into the page unescaped, so the name is HTML-escaped here.
"""

from __future__ import annotations

import html

from specc.site.context import Site, marker
from specc.site.escape import yaml_string
from specc.site.layout import CSS, FIXED, NOT_IN_NAV, PAGES

_THEME = """\
theme:
  name: material
  # No CDN: fonts come from the system, everything else ships with the theme.
  font: false
  features:
    - navigation.sections
    - navigation.top
    - content.code.copy
    - search.highlight
  palette:
    - scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to light mode

plugins:
  - search

markdown_extensions:
  - admonition
  - attr_list
  - def_list
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.superfences

validation:
  nav:
    omitted_files: info
    not_found: warn
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn
"""


def site_name(site: Site) -> str:
    name = site.settings.site_name or site.spec.title or "Architecture"
    return html.escape(name, quote=True)


def mkdocs_yml(site: Site) -> str:
    lines = [
        f"# {marker(site.source)}",
        f"site_name: {yaml_string(site_name(site))}",
        f"docs_dir: {PAGES}",
        "site_dir: site",
        "use_directory_urls: true",
    ]
    if site.settings.repo_url is not None:
        lines += [f"repo_url: {yaml_string(site.settings.repo_url)}", 'edit_uri: ""']
    lines += ["", _THEME, "extra_css:", f"  - {CSS}", "", "nav:"]
    lines += [f"  - {yaml_string(label)}: {target}" for label, target in FIXED]
    lines += ["", "# Pages reached from their section's index page and from search.", "not_in_nav: |"]
    lines += [f"  {pattern}" for pattern in NOT_IN_NAV]
    lines += ["", "extra:", "  generator: false"]
    return "\n".join(lines) + "\n"


def stylesheet(source: str) -> str:
    """Badges with their own colours (white on a dark colour: readable on the light and the dark scheme), and
    room for wide diagrams and tables."""
    return f"""/* {marker(source)} */
.specc-badge {{
  display: inline-block;
  padding: 0 0.5em;
  border-radius: 0.8em;
  font-size: 0.75em;
  font-weight: 700;
  line-height: 1.6;
  white-space: nowrap;
  color: #ffffff;
  background-color: #455a64;
}}
.specc-badge--public {{ background-color: #2e7d32; }}
.specc-badge--auth {{ background-color: #1565c0; }}
.specc-badge--ok {{ background-color: #2e7d32; }}
.specc-badge--warn {{ background-color: #9a4a00; }}
.specc-badge--bad {{ background-color: #c62828; }}
.specc-badge--info {{ background-color: #455a64; }}
.specc-source {{ font-size: 0.8em; }}
.specc-erd {{ overflow-x: auto; margin: 1em 0; }}
.specc-erd svg {{ max-width: none; height: auto; }}
.specc-pre code {{ white-space: pre; }}
"""
