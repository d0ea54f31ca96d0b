"""writer：把中文素材整理成检察机关党建经验交流材料初稿。

公共 API 按需导入（保持启动轻量）：
    from writer.sources.ingest import ingest          # 路径 → Corpus
    from writer.model.corpus import Corpus, Source, Article, Passage
"""

__version__ = "0.1.0"
