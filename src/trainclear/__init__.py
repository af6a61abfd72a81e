"""trainclear: copyright clearing for generative-AI training data.

生成式人工智能训练数据著作权清算系统 — public notice + objection exclusion,
CMO default licence with precise revenue sharing, and provenance anyone can verify.
"""

__version__ = "0.1.0.dev0"
