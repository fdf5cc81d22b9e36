"""The CSS shared by every published page: the project's CJK font, readable tables that fit
1,280 px, and print rules for A4 (no cut columns, no navigation, figures kept whole)."""

from __future__ import annotations

FONT_FILE = "fonts/qyedu-cjk-sc.otf"  # relative to reports/ (qyedu.pipeline.fonts writes it)
FONT_FAMILY = "QYEDU CJK SC"


def page_css() -> str:
    return f"""
@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{FONT_FILE}") format("opentype");
  font-display: block; }}
:root {{ --jp-content-font-family: "{FONT_FAMILY}", "Noto Sans CJK SC", sans-serif;
  --jp-ui-font-family: "{FONT_FAMILY}", "Noto Sans CJK SC", sans-serif;
  --jp-code-font-family: monospace, "{FONT_FAMILY}"; }}
code, pre, kbd, samp {{ font-family: monospace, "{FONT_FAMILY}", "Noto Sans CJK SC"; }}
html, body {{ font-family: "{FONT_FAMILY}", "Noto Sans CJK SC", sans-serif; }}
body {{ max-width: 1180px; margin: 0 auto; padding: 0 16px 2em; box-sizing: border-box; }}
body.jp-Notebook, main {{ overflow-x: hidden; }}
.jp-Cell, .jp-OutputArea-output, .jp-RenderedHTMLCommon {{ max-width: 100%; }}
.jp-RenderedImage img, img {{ max-width: 100%; height: auto; }}
.qy-nav {{ font-size: 13px; padding: 8px 0; border-bottom: 1px solid #ddd; margin-bottom: 8px; }}
.qy-nav a {{ margin-right: 4px; }}
.qy-keypoints {{ border: 2px solid #0072B2; border-radius: 6px; background: #f3f8fc;
  padding: 6px 14px; margin: 10px 0 16px; }}
.qy-keypoints h2 {{ font-size: 15px; margin: 4px 0; }}
.qy-keypoints ul {{ margin: 4px 0; padding-left: 1.2em; }}
.qy-keypoints li {{ margin: 2px 0; line-height: 1.45; }}
.qy-params {{ color: #555; font-size: 90%; margin: 2px 0 6px; }}
.qy-run {{ color: #555; font-size: 90%; list-style: none; margin-left: -1.2em !important; }}
.qy-tables {{ margin: 4px 0 12px; max-width: 100%; }}
.qy-split {{ font-size: 12px; color: #666; margin: 2px 0; }}
table.qy-table, .jp-RenderedHTMLCommon table.qy-table {{ border-collapse: collapse;
  font-size: 12.5px; margin: 0 0 10px 0; table-layout: auto; max-width: 100%; }}
table.qy-table.qy-table th, table.qy-table.qy-table td {{ border-bottom: 1px solid #e3e3e3; padding: 3px 7px;
  vertical-align: top; text-align: left; max-width: 22em; white-space: normal;
  overflow-wrap: anywhere; }}
table.qy-table.qy-table thead th {{ background: #f5f5f5; font-weight: 600; }}
table.qy-table.qy-table td.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
table.qy-table caption {{ caption-side: top; text-align: left; font-weight: 600; }}
/* printed lines of the notebooks are sentences for reviewers: the page's font, not code's */
.jp-OutputArea-output pre {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
.jp-RenderedText.jp-OutputArea-output pre {{ font-family: "{FONT_FAMILY}", "Noto Sans CJK SC",
  sans-serif; font-size: 14px; line-height: 1.5; overflow-wrap: break-word;
  word-break: normal; }}
@media print {{
  @page {{ size: A4 portrait; margin: 12mm 10mm; }}
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  .qy-nav, .qy-noprint {{ display: none !important; }}
  table.qy-table, .jp-RenderedHTMLCommon table.qy-table {{ font-size: 8pt; }}
  table.qy-table.qy-table th, table.qy-table.qy-table td {{ padding: 2px 4px; }}
  tr, img, .qy-keypoints, .qy-decision {{ break-inside: avoid; }}
  h1, h2, h3 {{ break-after: avoid; }}
  .jp-OutputArea-output {{ overflow: visible !important; }}
}}
"""
