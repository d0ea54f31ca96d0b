"""What the editor is told after a draft: how full each section is, how long the body
is against the target, which text is template text, and every warning.

``draft_warnings`` turns a composed Report and the laid-out body length into Chinese
warning lines (shortfalls per section and in total, leads that break a section's
parallel form, composition notes); the command prints them and writes them into the
sidecar, and ``--strict`` fails on any.
"""

from __future__ import annotations

import re

from writer.model.report import Report, Section

TOLERANCE = 0.15
MIN_ITEMS = 2  # a section with one 一是 and no 二是 reads as unfinished

_PAIRED = re.compile(r"([^，,；;]{2,9})[，,]([^，,；;]{2,9})")


def lead_shape(lead: str) -> str:
    """对仗 for a paired lead (亮身份，树形象 / 压实主体责任，从严管党治检), else 短语."""
    m = _PAIRED.fullmatch(lead.strip().rstrip("。"))
    if m and abs(len(m[1]) - len(m[2])) <= 2:
        return "对仗"
    return "短语"


def _leaf_sections(report: Report) -> list[Section]:
    return [sub for sec in report.sections for sub in (sec.subsections or (sec,))]


def lead_warnings(report: Report) -> list[str]:
    """Sections whose item leads mix shapes (paired and plain) or lengths (one more than
    twice another): the editor makes them parallel."""
    out = []
    for tally, section in zip(report.tallies, _leaf_sections(report)):
        leads = [it.lead.strip() for it in section.items if it.lead.strip()]
        if len(leads) < 2:
            continue
        shapes = {lead_shape(x) for x in leads}
        lengths = sorted(len(x) for x in leads)
        if len(shapes) > 1:
            a = next(x for x in leads if lead_shape(x) == "短语")
            b = next(x for x in leads if lead_shape(x) == "对仗")
        elif lengths[-1] > 2 * lengths[0] and lengths[-1] > 10:
            a, b = min(leads, key=len), max(leads, key=len)
        else:
            continue
        out.append(f"{tally.label}：各条引导句句式不一（“{a}”与“{b}”），请改成一致的句式。")
    return out


def draft_warnings(report: Report, body_chars: int) -> tuple[str, ...]:
    """Every warning of a draft, in the order the editor meets them."""
    out = list(report.notes)
    short = body_chars < report.target_chars * (1 - TOLERANCE)
    for tally in report.tallies:
        if tally.items == 0:
            out.append(f"{tally.label}：没有可用的素材（目标 {tally.target} 条），请补充素材或调整关键词。")
        elif tally.items < min(MIN_ITEMS, tally.target) or (short and tally.items < tally.target):
            out.append(f"{tally.label}：只有 {tally.items} 条素材（目标 {tally.target} 条）。")
    if report.target_chars:
        if short:
            out.append(f"正文 {body_chars:,} 字，目标 {report.target_chars:,} 字，素材不足。")
        elif body_chars > report.target_chars * (1 + TOLERANCE):
            out.append(f"正文 {body_chars:,} 字，超出目标 {report.target_chars:,} 字较多，请精简。")
    out += lead_warnings(report)
    why = "素材里没有本单位的{}段" if report.unit else "多单位材料不用某一单位的{}段"
    for part in report.template_parts:
        out.append(f"{part}是模板文字（{why.format(part)}），请核改。")
    return tuple(out)
