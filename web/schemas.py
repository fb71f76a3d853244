"""Request and response models of the HTTP API. Results the assistant already types (citations, discretion
advice) are used as they are; the rest mirror the CLI's JSON (search --json, ask --json)."""

from __future__ import annotations

from typing import Any, Literal

from datetime import date

from pydantic import BaseModel, Field, field_validator

from assistant.answer.verify import CitationRecord, Unverified
from assistant.discretion.types import Advice

DATE = r"^\d{4}-\d{2}-\d{2}$"


class FiltersIn(BaseModel):
    doc_types: list[str] | None = Field(None, description="law, regulation, rule, judicial_interpretation, "
                                                          "local_regulation, discretion, case, procedure")
    region: str | None = Field(None, description="地区，如 广东（全国性文件总是包含）")
    law: str | None = Field(None, description="限定某部法律（可用简称）")
    all_versions: bool = Field(False, description="包含已修改/已废止的版本")
    as_of: str | None = Field(None, pattern=DATE, description="按某日（YYYY-MM-DD）有效的版本检索")

    @field_validator("as_of")
    @classmethod
    def _a_calendar_date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)  # 2026-02-30 is refused (422) like a malformed date
        return value


class SearchRequest(FiltersIn):
    query: str = Field(..., description="问题或条文，如「行政处罚法第三十三条」", examples=["处罚法33条第二款"])
    top_k: int = Field(10, ge=1, le=200)


class SearchHit(BaseModel):
    title: str
    article: int | None
    article_suffix: int | None = None
    paragraph: int | None = None
    doc_type: str
    issuer: str | None = Field(None, description="制定机关")
    status: str = Field(description="效力状态（按查询日期，默认今天）：现行有效 / 已修改 / 已废止 / 已失效（有效期届满）/ 尚未生效 / unknown")
    status_basis: str | None = Field(None, description="效力状态的依据，如「依据《…》第…条，自…起废止」")
    effective_date: str | None = None
    text: str
    score: float
    chunk_id: str
    source: str
    path: list[str] = []
    heading: str | None = None
    page: int | None = None
    region: str | None = None
    via: str = Field(description="如何找到的：lookup（引用条文直接查到）、rule、hybrid、rerank、linked（随上一条带出的罚则或义务条款）…")
    relation: str | None = Field(None, description="via=linked 时与上一条的关系：罚则（处罚上一条所设义务）或 违反条款")
    pairs: list[str] = Field(default_factory=list, description="本条的义务条款↔罚则，如「罚则：第一千一百八十九条」")
    record: dict[str, Any] | None = Field(None, description="裁量基准的结构化记录（违法行为、情节、处罚幅度…）")


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]


class Message(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(..., max_length=20000)


class AskRequest(FiltersIn):
    question: str = Field(..., examples=["摊贩第一次占道经营，当场改正了，要罚款吗？"])
    history: list[Message] = Field(default_factory=list, max_length=40, description="此前的对话（追问时用于改写问题）")
    stream: bool = Field(False, description="true：以 SSE（text/event-stream）逐字返回")
    extractive: bool = Field(False, description="true：不用大模型，直接列出条文原文")


class Source(SearchHit):
    n: int


class AskResponse(BaseModel):
    question: str
    answer: str
    backend: str
    citations: list[CitationRecord]
    unverified: list[Unverified] = Field(description="被标记或移除的引用及原因")
    warnings: list[str]
    notices: list[str]
    timings: dict[str, float]
    standalone_query: str
    audit_id: str | None = None
    answerability: str | None = Field(None, description="知识库能否回答的判断：lookup、rule、legal_question、evidence、"
                                                          "missing_article、missing_law、foreign、specific_fact、no_match、"
                                                          "ambiguous_reference")
    as_of: str | None = Field(None, description="依哪一天（YYYY-MM-DD）的效力回答；空为今天")
    sources: list[Source]


class DocumentOut(BaseModel):
    id: str
    title: str
    doc_type: str
    level: str = ""
    issuer: str = ""
    region: str = ""
    effective_date: str = ""
    version_date: str = ""
    status: str
    source: str = ""
    sha256: str = ""
    note: str = ""
    is_current: bool = True
    repealed_on: str = Field("", description="废止生效日期（YYYY-MM-DD，语料中有废止条款时）")
    repealed_by: str = Field("", description="废止它的文件")
    status_basis: str = Field("", description="效力状态的依据")
    declared_status: str = Field("unknown", description="来源文件自己标注的状态")
    planted: list[str] = Field(default_factory=list, description="导入时发现并隔离的疑似针对AI的指令文本（不作为依据）")
    duplicate_of: str | None = None
    chunks: int = 0


class DocumentList(BaseModel):
    total: int
    documents: list[DocumentOut]


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    stage: str
    stage_zh: str
    done: int
    total: int
    progress: float
    created_at: str
    finished_at: str | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    description: str = ""


class FeedbackIn(BaseModel):
    audit_id: str = Field(..., min_length=4, max_length=64)
    rating: Literal["up", "down"]
    comment: str = Field("", max_length=500)


class ErrorOut(BaseModel):
    error: str
    details: list[dict[str, Any]] | None = None


class DiscretionRequest(BaseModel):
    facts: str = Field(..., description="案情", examples=["在饮用水水源一级保护区内垂钓，去年也被查处过一次"])
    region: str | None = Field(None, description="执法所在地区，如 广东江门（默认 E_ASSISTANT_REGION）")
    as_of: str | None = Field(None, pattern=DATE, description="违法行为发生之日（YYYY-MM-DD）：按当日有效的裁量基准；"
                                                            "空为今天")

    @field_validator("as_of")
    @classmethod
    def _a_calendar_date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)
        return value


DiscretionResponse = Advice


class QuizRequest(BaseModel):
    scope: str = Field(..., min_length=1, max_length=200, examples=["行政处罚法"],
                       description="法律名称（可用简称）、「行政处罚法 第四章」、「行政处罚法 第30-33条」或主题")
    n: int = Field(20, ge=1, le=200)
    types: list[Literal["single", "multi", "judge", "case"]] = Field(default_factory=lambda: ["single", "multi", "judge"])
    seed: int = 0
    use_llm: bool = Field(True, description="案例分析题的情景由大模型编写（不可用时改用条文中的条件）")
    level: Literal["基础", "应用", "综合"] = Field("基础", description="基础：识记题；应用：约七成为情境应用题（答案由系统计算并核验）；综合：约四成")
    format: Literal["json", "docx", "xlsx"] = "json"


# ---- 办案助手 (#22) ---------------------------------------------------------------------------------------------

class CaseStepsRequest(BaseModel):
    procedure: str = Field("普通程序", max_length=50, description="程序：简易程序、普通程序、听证程序、查封扣押 …",
                           examples=["普通程序"])
    events: dict[str, str] = Field(default_factory=dict, max_length=30,
                                   description="已发生的节点及日期（YYYY-MM-DD）", examples=[{"立案": "2026-09-25",
                                                                                      "告知送达": "2026-09-30"}])
    periods: dict[str, str] = Field(default_factory=dict, max_length=10,
                                    description="文书载明的期限，如 {\"告知书\": \"5个工作日\"}")
    today: str | None = Field(None, max_length=20, description="按哪一天判断是否逾期（默认今天）")


class CaseDraftRequest(BaseModel):
    kind: str = Field(..., max_length=30, description="文书：责令改正通知书、事先告知书、决定书", examples=["决定书"])
    facts: str = Field(..., description="违法事实（案情）")
    region: str | None = Field(None, max_length=50, description="执法所在地区（选择当地裁量基准）")
    party: str = Field("", max_length=200, description="当事人（不填则草稿中标出待填写）")
    case_no: str = Field("", max_length=100, description="案号")
    organ: str = Field("", max_length=100, description="行政机关名称")
    served_on: str | None = Field(None, max_length=20, description="告知书送达日期（写出期限届满日）")
    statement_period: str = Field("5个工作日", max_length=20, description="告知书给出的陈述申辩期限")
    format: Literal["json", "docx"] = Field("json", description="json：草稿内容；docx：下载 Word 文件")
