"""A realistic composed Report, built by hand from real sentences of the seeds.

Three sections of the default “三个引领” outline with two or three items each, a lead,
a closing, one item attributed to another unit (as in an editor's compilation) and
one with a lead that already ends in 。.  Sentences are verbatim from
seeds/000_*.txt and seeds/001_*.txt (full-width punctuation applied), with the line
numbers they stand on, so every paragraph of the draft can be traced back.

Reusable: ``build_report()`` for the model, ``build_report(nested=True)`` adds a
subsection (heading level 2) under the third section, and ``build_table_document()``
gives a Document with a table block.
"""

from __future__ import annotations

import hashlib

from writer.model.document import HEADING, PARAGRAPH, TABLE, TITLE, Block, Document
from writer.model.report import Item, Paragraph, Report, Section, SourceRef

S000 = "seeds/000_6ef9b5ad5fd7aa5f.txt"
S001 = "seeds/001_8767bba7c2b90ac2.txt"
ARTICLE_000 = "发挥“三个引领”作用 以高质量党建促进检察高质量发展"
ARTICLE_001 = "构建党建一体化“四同”机制"


def ref(
    path: str,
    line: int,
    unit: str | None = "北京市检察院",
    article: str | None = ARTICLE_000,
    line_end: int | None = None,
) -> SourceRef:
    digest = hashlib.sha1(f"{path}:{line}".encode()).hexdigest()[:10]
    return SourceRef(
        passage_id="p" + digest,
        path=path,
        unit=unit,
        line_start=line,
        line_end=line_end if line_end is not None else line,
        article=article,
    )


def build_report(nested: bool = False) -> Report:
    thought = Section(
        id="thought",
        title="思想引领",
        items=(
            Item(
                lead="强化“思想要素”核心功能",
                sentences=(
                    "增强党组会“第一议题”制度效能，坚持每位党组成员每周集中学习，双周研讨交流。",
                    "深入落实“把政治历练融入检察人员成长全周期”要求，高标准推动全员政治轮训，常态化组织京津冀+N联合培训等。",
                    "全市检察机关法律监督办案比重已由2020年的24.9%持续上升至今年1—9月的64.6%，连续3年超过60%。",
                ),
                unit=None,
                refs=(ref(S000, 4),),
            ),
            Item(
                lead="强化“双一流”党建品牌牵引",
                sentences=(
                    "以“争创检察‘双一流’”党建品牌为牵引，在市院机关开展“一支部一品牌”活动并迭代升级。",
                    "市检察院第六检察部持续打造“民心‘首’护人”品牌，今年获评北京市三八红旗集体。",
                ),
                unit=None,
                refs=(ref(S000, 5),),
            ),
        ),
    )
    organisation = Section(
        id="organisation",
        title="组织体系引领",
        items=(
            Item(
                lead="不断推进党支部标准化规范化建设",
                sentences=(
                    "在巡回检察、政治督察、对口援助等急难险重工作中设立临时党支部，确保中心工作开展到哪里，党组织就覆盖到哪里。",
                    "从2024年起组织全市检察机关党支部书记进行全员轮训，计划三年内实现全覆盖。",
                ),
                unit=None,
                refs=(ref(S000, 9),),
            ),
            Item(
                lead="党员同育，一体锻造先锋队。",  # lead that already ends a sentence
                sentences=(
                    "搭建“政治+业务”双学双训平台“星光课堂”，将理论学习、实战演练、案例演说等融为一体抓实抓好。",
                    "全面实行青年干警“AB岗”融岗锻炼，定期开展“职业理想调查”。",
                ),
                unit="山东省菏泽市检察院",
                refs=(
                    ref(S001, 25, unit="山东省菏泽市检察院", article=ARTICLE_001),
                    ref(S001, 27, unit="山东省菏泽市检察院", article=ARTICLE_001),
                ),
            ),
            Item(
                lead="不断激发党员干事创业的内生动力和活力",
                sentences=(
                    "组建青年突击队，把想干事、能干事的青年同志选派到重要工作一线。",
                    "评选“北京榜样·检察英才”20名，推动组建北京检察官宣讲团，深入系统内外开展宣讲。",
                ),
                unit=None,
                refs=(ref(S000, 10),),
            ),
        ),
    )
    nested_sections: tuple[Section, ...] = ()
    if nested:
        nested_sections = (
            Section(
                id="supervision",
                title="党内监督融入权力运行",
                items=(
                    Item(
                        lead="健全司法责任制制度规范体系",
                        sentences=("健全完善全面准确落实司法责任制工作指引“1+N”制度规范体系。",),
                        unit=None,
                        refs=(ref(S000, 14),),
                    ),
                ),
            ),
        )
    mechanism = Section(
        id="mechanism",
        title="制度机制引领",
        items=(
            Item(
                lead="协助党组压紧压实机关党建主体责任",
                sentences=(
                    "研究制定《北京市检察机关党建工作指引暨效能分析体系》，客观监测党建工作发展走向和突出问题。",
                    "通过各级院党组听取班子成员落实“一岗双责”情况报告等机制，构建党组抓机关党建工作闭环，以“责任归位”促“责任到位”。",
                ),
                unit=None,
                refs=(ref(S000, 12),),
            ),
            Item(
                lead="推动检察党建与检察业务深度融合",
                sentences=(
                    "研究制定《关于进一步推进北京市检察机关党建与业务深度融合的指导意见》。",
                    "组织开展北京市检察机关党建与业务深度融合典型事例征集评选活动，评选24个典型案事例。",
                ),
                unit=None,
                refs=(ref(S000, 13), ref(S000, 13)),  # two sentences of one passage: listed once
            ),
        ),
        subsections=nested_sections,
    )
    return Report(
        title="发挥“三个引领”作用 以高质量党建促进检察高质量发展",
        subtitle="北京市检察机关模范机关建设经验交流材料",
        unit="北京市人民检察院",
        lead=Paragraph(
            text=(
                "近年来，市检察院坚持发挥机关党建在服务保障检察高质量发展，做业绩过硬模范中的“三个引领”作用，"
                "不断深化以检察党建新生态塑造法律监督新业态、检察履职新形态、检察业务新质态的法治化实践。"
            ),
            refs=(ref(S000, 2),),
        ),
        sections=(thought, organisation, mechanism),
        closing=Paragraph(
            text="下一步，我院将继续坚持以高质量党建引领保障检察工作高质量发展，努力创建让党中央放心、让人民群众满意的模范机关。",
            refs=(),  # a closing written by the clerk: no source, must show as such
        ),
        meeting="模范机关建设分享交流（2025年第3场）",
    )


def build_table_document() -> Document:
    """A small Document with a table block (statistics), for the table writers."""
    return Document(
        title="党建工作主要数据",
        blocks=(
            Block(TITLE, text="党建工作主要数据"),
            Block(HEADING, text="一、主要数据", level=1),
            Block(
                TABLE,
                rows=(
                    ("项目", "数量", "说明"),
                    ("典型案事例", "24", "融合典型事例评选"),
                    ("单一场景模型", "518", "建用|在用"),
                ),
                refs=(ref(S000, 13),),
            ),
            Block(PARAGRAPH, text="以上数据截至2025年9月。", refs=(ref(S000, 13),)),
        ),
    )
