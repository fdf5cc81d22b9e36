"""qyedu — open policy-analysis workbench for the Qingyuan (清远市) 14th Five-Year Education Plan.

Data flow (one way): data/raw → plan registry / observed loaders → births → projection →
places, teachers → scorecard → data/processed → notebooks → reports. See docs/ARCHITECTURE.md.
"""

__version__ = "0.1.0"
