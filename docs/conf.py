"""Sphinx configuration of the nnbasics course site.

Built with ``nox -s docs`` (clean, warnings as errors, nitpicky). Pages are
MyST Markdown executed by myst-nb; figures come from the sphinx-gallery scripts
in ``gallery/``; maths is rendered by KaTeX when the site is built, so pages need no maths
script and work offline.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nnbasics

DOCS = Path(__file__).parent
# The notebook kernels inherit this process's environment: with MPLBACKEND=Agg (set by the
# nox session for the gallery) ipykernel would not switch to its inline backend and the
# chapters' figures would not appear. sphinx-gallery selects Agg itself.
os.environ.pop("MPLBACKEND", None)
sys.path.insert(0, str(DOCS / "_ext"))

REPOSITORY = "https://github.com/nnbasics/nnbasics"
# Where the site is published: Read the Docs says so itself; elsewhere (GitHub Pages) the
# workflow sets NNBASICS_BASE_URL. Used for sitemap.xml and the pages' link previews.
BASE_URL = os.environ.get(
    "READTHEDOCS_CANONICAL_URL",
    os.environ.get("NNBASICS_BASE_URL", "https://nnbasics.readthedocs.io/en/latest/"),
)

project = "nnbasics"
author = "The nnbasics developers"
copyright = f"2026, {author}"
release = version = nnbasics.__version__
language = "en"

extensions = [
    "site_html",
    "myst_nb",
    "parallel_execution",
    "notfound.extension",
    "sphinx.ext.autodoc",
    "api_names",
    "sphinx.ext.napoleon",
    "prerendered_maths",  # KaTeX, run when the site is built
    "sphinx.ext.viewcode",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinx_gallery.gen_gallery",
    "course_figures",
    "quiz",
    "explorables",
    "provenance",
    "chapter_downloads",
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "build_phases",  # timings for `nox -s bench`, only when it asks for them
]

exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    # sphinx-gallery writes a notebook, a zip and md5/pickle files beside every generated
    # example; myst-nb would read the .ipynb as a second source of the same page.
    "auto_gallery/**.ipynb",
    "auto_gallery/**.py",
    "auto_gallery/**.zip",
    "auto_gallery/**.md5",
    "auto_gallery/**.pickle",
    "auto_gallery/**.json",
    "jupyter_execute",
]
# The course as one PDF (`nox -s pdf`): with `-t pdf`, pdf.md (the chapters and the glossary)
# is the root of a single-page build that Chromium prints; other builds leave it out. Once a
# PDF of this very commit exists (`nox -s pdf` notes the commit beside it), the site carries
# it and the landing page links it.
COURSE_PDF = Path("_build") / "pdf" / "nnbasics-course.pdf"
PDF_COMMIT = DOCS / COURSE_PDF.with_suffix(".commit")
if tags.has("pdf"):  # noqa: F821 (Sphinx gives conf.py its tags)
    root_doc = "pdf"
    # The landing page numbers the chapters too; the pages the PDF leaves out (gallery, API)
    # are still built, for the links that lead to the published site.
    exclude_patterns.append("index.md")
    suppress_warnings = ["toc.not_included"]
else:
    exclude_patterns.append("pdf.md")
import provenance  # docs/_ext: the commit the site is built from

if PDF_COMMIT.is_file() and PDF_COMMIT.read_text().strip() == provenance.collect().commit:
    html_extra_path = [str(COURSE_PDF)]
    tags.add("course_pdf")  # noqa: F821
templates_path = ["_templates"]
nitpicky = True
# Names from other projects' documentation: these machines have no network, so there is
# no intersphinx; such references are shown as code without a link.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|torch|matplotlib|collections\.abc|os|typing)(\..*)?"),
    (r"py:.*", r"(NDArray|DTypeLike|Figure|Axes|Iterable|Iterator|Callable|PathLike|T)"),
    (r"py:class", r"(optional|array|array-like|Number)"),
]

# -- MyST and notebook execution ----------------------------------------------------------
myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath", "attrs_inline"]
myst_heading_anchors = 3
nb_execution_mode = os.environ.get("NNBASICS_NB_EXECUTION", "cache")
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
nb_execution_timeout = 180
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
nb_kernel_rgx_aliases = {".*": "python3"}

# -- API reference ------------------------------------------------------------------------
autodoc_default_options = {"members": True, "show-inheritance": True, "member-order": "bysource"}
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_class_signature = "separated"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

# -- Gallery ------------------------------------------------------------------------------
# Every callable is named by an importable string (docs/_ext/gallery_helpers.py), never given
# as a function: a function's repr changes between runs, which would make Sphinx see a changed
# configuration and rebuild everything.
sphinx_gallery_conf = {
    "examples_dirs": ["../gallery"],
    "gallery_dirs": ["auto_gallery"],
    "filename_pattern": r"/plot_",
    # Within a folder, the examples are read in the order of a lesson, not alphabetically.
    "within_subsection_order": "gallery_helpers.LessonOrder",
    "minigallery_sort_order": "gallery_helpers.lesson_sort_key",
    # Each figure is saved twice, for furo's light and dark themes (alt text from fig.set_label).
    "image_scrapers": ("gallery_helpers.light_dark_scraper",),
    # Before each example: matplotlib's defaults back, and the global random states reseeded.
    "reset_modules": ("matplotlib", "gallery_helpers.reset_seeds"),
    "reset_modules_order": "before",
    # Run the examples in 2 worker processes (OMP_NUM_THREADS=1 in the build environment keeps
    # each to one BLAS thread).
    "parallel": 2,
    "doc_module": ("nnbasics",),
    "backreferences_dir": "gen_modules/backreferences",
    "remove_config_comments": True,
    "matplotlib_animations": (True, "jshtml"),
    "image_srcset": ["2x"],
    "show_memory": False,
    # A reproducible build (SOURCE_DATE_EPOCH set, as in `nox -s docs`) leaves the running time
    # out of the example pages too, not only out of sg_execution_times.rst.
    "min_reported_time": float("inf") if os.environ.get("SOURCE_DATE_EPOCH") else 0,
    "plot_gallery": os.environ.get("NNBASICS_SKIP_GALLERY", "0") != "1",
}

# -- HTML -----------------------------------------------------------------------------------
html_theme = "furo"
html_title = "nnbasics: neural networks from one neuron up"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_js_files = ["scrollable.js"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "source_repository": REPOSITORY,
    "source_branch": "main",
    "source_directory": "docs/",
    "footer_icons": [
        {
            "name": "GitHub",
            "url": REPOSITORY,
            "html": (
                '<svg stroke="currentColor" fill="currentColor" stroke-width="0" viewBox="0 0 16 16" '
                'aria-hidden="true"><path fill-rule="evenodd" d="M8 0C3.58 0 0 3.58 0 8c0 3.54 2.29 6.53 '
                "5.47 7.59.4.07.55-.17.55-.38 0-.19-.01-.82-.01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94-.82"
                "-1.13-.28-.15-.68-.52-.01-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87.51-1.07"
                "-1.78-.2-3.64-.89-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21 2.2.82.64-.18"
                " 1.32-.27 2-.27.68 0 1.36.09 2 .27 1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08 2.12.51.56.82 1.27.82"
                " 2.15 0 3.07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 0 1.07-.01 1.93-.01 2.2 0 .21.15.46.55.38A8.013"
                ' 8.013 0 0016 8c0-4.42-3.58-8-8-8z"></path></svg>'
            ),
            "class": "",
        }
    ],
}

# Maths is rendered by KaTeX when the pages are written (docs/_ext/prerendered_maths.py): the
# pages carry HTML and MathML, and load only KaTeX's stylesheet and fonts, from _static/katex.
katex_prerender = True
katex_css_path = "katex/katex.min.css"

# sphinx-copybutton: copy code without prompts or outputs.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"

# sitemap.xml (sphinx-sitemap) and a description of every page (sphinxext-opengraph writes
# <meta name="description"> from the page's first paragraph, and Open Graph tags).
html_baseurl = BASE_URL
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html", "py-modindex.html"]
ogp_site_url = BASE_URL
ogp_site_name = "nnbasics"
ogp_description_length = 200
ogp_enable_meta_description = True
ogp_social_cards = {"enable": False}  # no generated preview images: they would need fonts and time

# sphinx-notfound-page: absolute links so the 404 page works from any depth. Read the Docs
# sets its own prefix (/<language>/<version>/); elsewhere the site is served from
# NNBASICS_URL_PREFIX (default "/", GitHub Pages uses "/<repository>/").
if not os.environ.get("READTHEDOCS"):
    notfound_urls_prefix = os.environ.get("NNBASICS_URL_PREFIX", "/")
