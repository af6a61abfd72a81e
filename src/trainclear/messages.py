"""The bilingual message catalogue (zh-CN and en) for every user-facing error.

Keys are stable identifiers; templates use ``str.format`` fields named after the
error's parameters. A test checks that every key has both languages and that both
templates use the same fields.
"""

from __future__ import annotations

from typing import Any, Literal

Lang = Literal["en", "zh-CN"]

MESSAGES: dict[str, tuple[str, str]] = {
    # generic
    "not_found": ("{kind} {id} not found", "未找到{kind} {id}"),
    "invalid": ("{field}: {problem}", "{field}:{problem}"),
    "record.invalid": (
        "{file}:{line}: field '{field}': {problem}",
        "{file} 第 {line} 行,字段“{field}”:{problem}",
    ),
    # auth
    "auth.missing": (
        "a write needs an API token (Authorization: Bearer ...)",
        "写操作需要 API 令牌(Authorization: Bearer ...)",
    ),
    "auth.invalid": ("the API token is unknown or revoked", "API 令牌无效或已撤销"),
    "auth.wrong_kind": (
        "only a {expected} may do this; you are a {actual}",
        "只有{expected}可以执行此操作;当前身份为{actual}",
    ),
    # parties
    "party.kind": (
        "party {id} is a {actual}, not a {expected}",
        "主体 {id} 是{actual},不是{expected}",
    ),
    # works
    "work.shares_sum": (
        "holder shares must sum to exactly 1, got {total}",
        "权利人份额之和必须恰好为 1,实际为 {total}",
    ),
    "work.share_invalid": (
        "share '{share}' is not a number between 0 and 1",
        "份额“{share}”不是 0 到 1 之间的数",
    ),
    "work.holder_duplicate": ("holder {holder_id} is listed twice", "权利人 {holder_id} 重复列出"),
    "work.registrant_not_holder": (
        "a rights holder may register only works it holds; add yourself as a holder",
        "权利人只能登记自己持有的作品;请将自己列为权利人",
    ),
    "work.cmo_registers_own_mandate": (
        "a CMO registers works only under its own mandate",
        "集体管理组织只能以自己的管理授权登记作品",
    ),
    "work.identifier_taken": (
        "identifier {scheme}:{value} is already registered for work {work_id}",
        "标识符 {scheme}:{value} 已登记在作品 {work_id} 名下",
    ),
    "work.identifier_invalid": (
        "'{value}' is not a valid {scheme}",
        "“{value}”不是有效的 {scheme}",
    ),
    "work.not_holder": (
        "party {party_id} is neither a holder of work {work_id} nor the CMO holding its mandate",
        "主体 {party_id} 既不是作品 {work_id} 的权利人,也不是持有其管理授权的集体管理组织",
    ),
    "work.no_content": (
        "a text, code or image work needs its content (text, fingerprint or image) or an "
        "identifier to be matched in corpora",
        "文字、代码或图片作品需要提供内容(正文、指纹或图片)或标识符,才能在语料中匹配",
    ),
    # opt-outs
    "optout.scope_target": (
        "an opt-out of scope '{scope}' needs exactly its target ({target})",
        "范围为“{scope}”的选择退出必须且只能指定其对象({target})",
    ),
    "optout.already_withdrawn": (
        "opt-out {id} was already withdrawn at {at}",
        "选择退出 {id} 已于 {at} 撤回",
    ),
    "optout.not_declarant": (
        "only the holder or CMO that declared opt-out {id} may withdraw it",
        "只有声明选择退出 {id} 的权利人或集体管理组织可以撤回",
    ),
    "optout.holder_scope": (
        "all works of a holder are opted out by the holder itself, or by a CMO holding a "
        "mandate for some of them (which covers those works)",
        "权利人的全部作品只能由权利人本人选择退出,或由持有其部分作品管理授权的集体管理组织"
        "选择退出(仅覆盖这些作品)",
    ),
    # notices
    "notice.window_too_short": (
        "the objection window must be at least {minimum_days} days ({citation}); got {days} days",
        "异议期不得少于 {minimum_days} 日({citation});当前为 {days} 日",
    ),
    "notice.window_start_past": (
        "the window may not start before publication ({now})",
        "公告期不得早于发布时间({now})开始",
    ),
    "notice.not_owner": (
        "notice {id} belongs to another developer",
        "公告 {id} 属于其他开发者",
    ),
    "notice.state": (
        "notice {id} is {state}; this needs it to be {expected}",
        "公告 {id} 当前状态为{state};此操作要求状态为{expected}",
    ),
    "notice.no_works": (
        "a notice needs at least one registered work or a summary of other sources",
        "公告至少需要列出一件已登记作品或说明其他来源",
    ),
    "notice.work_not_listed": (
        "work {work_id} is not listed in notice {notice_id}",
        "作品 {work_id} 未列入公告 {notice_id}",
    ),
    "notice.window_open": (
        "the window of notice {id} is open until {until}",
        "公告 {id} 的异议期至 {until} 才结束",
    ),
    "notice.superseded": (
        "notice {id} was superseded by version {by}; act on the latest version",
        "公告 {id} 已被第 {by} 版取代;请对最新版本操作",
    ),
    "notice.scan_report": ("scan report {path}: {problem}", "扫描报告 {path}:{problem}"),
    # objections
    "objection.no_works_held": (
        "you hold none of the works listed in notice {notice_id}",
        "您不持有公告 {notice_id} 所列的任何作品",
    ),
    "objection.not_yet_open": (
        "notice {notice_id} is not yet published",
        "公告 {notice_id} 尚未发布",
    ),
    # disputes
    "dispute.not_contestable": (
        "objection {id} is {state} and cannot be contested",
        "异议 {id} 当前状态为{state},不能提出争议",
    ),
    "dispute.late": (
        "objections may be contested within {days} days of filing (until {deadline})",
        "异议应在提出后 {days} 日内(截至 {deadline})提出争议",
    ),
    "dispute.already_decided": ("dispute {id} was already decided", "争议 {id} 已经裁决"),
    "dispute.open_exists": (
        "objection {objection_id} already has an open dispute {id}",
        "异议 {objection_id} 已有待裁决的争议 {id}",
    ),
    # snapshots and pipeline
    "snapshot.missing": ("snapshot {id} not found in {where}", "在 {where} 中未找到快照 {id}"),
    "snapshot.corrupt": (
        "snapshot file {path} does not match its id ({problem})",
        "快照文件 {path} 与其标识不符({problem})",
    ),
    "pipeline.format": (
        "{path}: unsupported input format (use .jsonl, .jsonl.zst or .parquet)",
        "{path}:不支持的输入格式(请使用 .jsonl、.jsonl.zst 或 .parquet)",
    ),
    "pipeline.no_inputs": ("no input shards given", "未提供输入分片"),
    "pipeline.output_exists": (
        "output directory {path} is not empty",
        "输出目录 {path} 不为空",
    ),
    "pipeline.unreadable": ("{path}: {problem}", "{path}:{problem}"),
    # pipeline (engine)
    "pipeline.duplicate_name": (
        "two inputs are named {name} ({paths}); each output takes its input's name",
        "有多个输入文件名为 {name}({paths});输出文件沿用输入文件名",
    ),
    "pipeline.reserved_name": (
        "{path}: an input may not be named {name}, the name of a report the filter writes",
        "{path}:输入文件不能命名为 {name},该名称为过滤报告所用",
    ),
    "pipeline.needs_pyarrow": (
        "{path}: Parquet needs pyarrow (pip install 'trainclear[parquet]')",
        "{path}:处理 Parquet 需要 pyarrow(pip install 'trainclear[parquet]')",
    ),
    "pipeline.snapshot_mismatch": (
        "snapshot {given} was named, but the index was built from snapshot {actual}",
        "指定的快照为 {given},但索引由快照 {actual} 构建",
    ),
    # signals
    "signals.capture_too_large": (
        "capture {index} ({url}) is larger than the {limit} bytes kept for its kind",
        "第 {index} 条抓取记录({url})超过该类文件保留上限 {limit} 字节",
    ),
    # transparency log
    "log.key_missing": (
        "the transparency log has no signing key: set TRAINCLEAR_LOG_KEY_FILE (Ed25519, PEM)",
        "透明日志没有签名密钥:请将 TRAINCLEAR_LOG_KEY_FILE 设为 Ed25519 PEM 密钥文件",
    ),
    "log.node_missing": (
        "the stored log lacks node ({level}, {index}): the database was altered",
        "存储的日志缺少节点 ({level}, {index}):数据库已被改动",
    ),
    "log.bad_index": (
        "leaf {seq} is not in a tree of {tree_size} entries",
        "第 {seq} 条不在大小为 {tree_size} 的日志树中",
    ),
    "log.bad_range": (
        "invalid log range: {first} to {second}",
        "无效的日志范围:{first} 至 {second}",
    ),
    # datasets
    "datasets.not_yours": (
        "dataset version {id} belongs to another developer",
        "数据集版本 {id} 属于其他开发者",
    ),
    "datasets.model_exists": ("you already registered a model named {name}", "模型 {name} 已登记"),
    "datasets.no_manifest": (
        "{path}: not a filter run's manifest ({problem})",
        "{path}:不是过滤运行的清单({problem})",
    ),
    "datasets.shard_changed": (
        "{path} no longer matches the filter run's manifest",
        "{path} 与过滤运行的清单不再一致",
    ),
    "datasets.bad_scan": (
        "{path}: not a scan report ({problem})",
        "{path}:不是扫描报告({problem})",
    ),
    "datasets.parent_name": (
        "the parent version is of dataset {parent}, not {name}",
        "父版本属于数据集 {parent},而非 {name}",
    ),
    # web
    "web.request_invalid": ("invalid request: {field}: {problem}", "请求无效:{field}:{problem}"),
    "web.route_not_found": ("no endpoint {method} {path}", "不存在接口 {method} {path}"),
    "web.method_not_allowed": ("{path} does not accept {method}", "{path} 不接受 {method} 请求"),
    "web.http_error": ("HTTP {status}: {reason}", "HTTP {status}:{reason}"),
    "web.internal": ("internal server error; it has been logged", "服务器内部错误;已记录在案"),
    "web.csrf": (
        "this form was refused: it lacks a valid form token (reload the page and try again)",
        "表单被拒绝:缺少有效的表单令牌(请刷新页面后重试)",
    ),
    "web.secret_missing": (
        "the web pages need a signing secret outside local mode: set TRAINCLEAR_WEB_SECRET_FILE",
        "非本地模式下网页需要签名密钥:请设置 TRAINCLEAR_WEB_SECRET_FILE",
    ),
    "web.choose_works": (
        "choose at least one work, or object to the whole notice",
        "请至少选择一件作品,或对整个公告提出异议",
    ),
    "web.file_not_text": (
        "{field}: the file is not UTF-8 text",
        "{field}:文件不是 UTF-8 文本",
    ),
    # web accounts
    "account.email_invalid": ("'{email}' is not an e-mail address", "“{email}”不是电子邮件地址"),
    "account.email_taken": (
        "an account with this e-mail address already exists",
        "该电子邮件地址已注册账户",
    ),
    "account.password_short": (
        "a password needs at least {minimum} characters",
        "密码至少需要 {minimum} 个字符",
    ),
    "account.password_mismatch": ("the two passwords differ", "两次输入的密码不一致"),
    "account.kind_not_self_service": (
        "only rights holders and developers sign up; CMO and administration accounts are "
        "created by the operator",
        "只有权利人和开发者可以自行注册;集体管理组织和管理部门的账户由运营方创建",
    ),
    "account.party_has_account": (
        "party {party_id} already has a web account",
        "主体 {party_id} 已有网页账户",
    ),
    "account.bad_credentials": (
        "the e-mail address or the password is wrong",
        "电子邮件地址或密码错误",
    ),
    "account.rate_limited": (
        "too many failed sign-ins; try again in {minutes} minutes",
        "登录失败次数过多;请在 {minutes} 分钟后重试",
    ),
    "account.sign_in_required": ("please sign in first", "请先登录"),
    # executors
    "executor.unknown": (
        "unknown executor {name}; choose one of {choices}",
        "未知的执行器 {name};可选:{choices}",
    ),
    "executor.needs_package": (
        "{what} needs {package} (pip install 'trainclear[{extra}]')",
        "{what} 需要 {package}(pip install 'trainclear[{extra}]')",
    ),
    "executor.plan_mismatch": (
        "{path} holds an unfinished run with a different {what}; re-run with the same inputs, "
        "snapshot and options to resume it, or remove the folder to start over",
        "{path} 中有一次未完成的运行,其 {what} 与本次不同;以相同的输入、快照和选项重新运行"
        "即可续跑,或删除该目录后重新开始",
    ),
    "executor.bad_work_folder": (
        "{path} is not a readable trainclear work folder ({problem}); remove it to start over",
        "{path} 不是可读取的 trainclear 工作目录({problem});请删除后重新开始",
    ),
    "executor.busy": (
        "{path} is in use by another run of the same output",
        "{path} 正被同一输出的另一次运行使用",
    ),
    # royalties (remuneration engine)
    "royalties.currency": (
        "'{currency}' is not an ISO 4217 currency code (three capital letters)",
        "“{currency}”不是 ISO 4217 货币代码(三个大写字母)",
    ),
    "royalties.currency_mismatch": (
        "{field}: amounts in {left} and {right} cannot be combined",
        "{field}:{left} 与 {right} 的金额不能合并计算",
    ),
    "royalties.not_minor_units": (
        "{field}: {value} is not a whole number of minor units",
        "{field}:{value} 不是以最小货币单位计的整数",
    ),
    "royalties.negative": (
        "{field} may not be negative, got {value}",
        "{field} 不得为负数,实际为 {value}",
    ),
    "royalties.not_exact": (
        "{field}: {value} is not an exact number (give an integer, a decimal string or a "
        "fraction such as '2/3'; floating-point numbers are refused)",
        "{field}:{value} 不是精确数值(请给出整数、十进制字符串或“2/3”这样的分数;不接受浮点数)",
    ),
    "royalties.nothing_to_allocate": (
        "{field}: there is an amount to allocate but every weight is zero",
        "{field}:有待分配的金额,但所有权重均为零",
    ),
    "royalties.duplicate_key": (
        "{field}: a key occurs twice in one allocation",
        "{field}:同一次分配中出现重复的键",
    ),
    "royalties.too_large": (
        "{field}: {value} does not fit in 63 bits; scale it down",
        "{field}:{value} 超出 63 位整数范围,请缩小取值",
    ),
    "royalties.empty": ("{field} may not be empty", "{field} 不能为空"),
    "royalties.missing": ("{field} is missing", "缺少 {field}"),
    "royalties.choice": (
        "{field}: '{value}' is not one of {choices}",
        "{field}:“{value}”不是以下取值之一:{choices}",
    ),
    "royalties.date": (
        "{field}: '{value}' is not a date (write YYYY-MM-DD)",
        "{field}:“{value}”不是有效日期(格式为 YYYY-MM-DD)",
    ),
    "royalties.brackets_empty": (
        "{field}: at least one bracket is needed",
        "{field}:至少需要一个档位",
    ),
    "royalties.brackets_order": (
        "{field}: each bracket must end above the previous one, and only the last is open-ended",
        "{field}:各档上限必须逐档递增,且只有最后一档不设上限",
    ),
    "royalties.brackets_rising": (
        "{field}: a management fee rate may not rise with collections",
        "{field}:管理费费率不得随收费金额增加而提高",
    ),
    "royalties.fee_rate": (
        "{field}: a fee rate is a fraction of collections, at most 1; got {rate}",
        "{field}:管理费费率是收费金额的比例,不得超过 1;实际为 {rate}",
    ),
    "royalties.period_order": (
        "a period may not end ({end}) before it starts ({start})",
        "期间的结束日({end})不得早于开始日({start})",
    ),
    "royalties.period_format": (
        "'{value}' is not a period (write YYYY-MM-DD/YYYY-MM-DD)",
        "“{value}”不是有效期间(格式为 YYYY-MM-DD/YYYY-MM-DD)",
    ),
    "royalties.tariff_dates": (
        "tariff {code}: effective_to {end} is before effective_from {start}",
        "付酬标准 {code}:失效日 {end} 早于生效日 {start}",
    ),
    "royalties.tariff_duplicate_type": (
        "tariff {code} lists work type {work_type} twice",
        "付酬标准 {code} 重复列出作品类型 {work_type}",
    ),
    "royalties.tariff_unit": (
        "{field}: {work_type} works are priced {expected}, not {unit}",
        "{field}:{work_type} 类作品的计费单位应为 {expected},而非 {unit}",
    ),
    "royalties.tariff_no_rate": (
        "tariff {code} has no rate for {work_type} works",
        "付酬标准 {code} 未规定 {work_type} 类作品的费率",
    ),
    "royalties.tariff_none": (
        "no version of tariff {code} is in force on {on}",
        "付酬标准 {code} 在 {on} 没有生效的版本",
    ),
    "royalties.tariff_overlap": (
        "two versions of tariff {code} are in force on {on}",
        "付酬标准 {code} 在 {on} 有两个版本同时生效",
    ),
    "royalties.tariff_changes": (
        "tariff {code} changes within period {period}; report each part of the period separately",
        "付酬标准 {code} 在期间 {period} 内发生变更;请按变更前后分段报告",
    ),
    "royalties.epochs": (
        "epochs must be at least 1, got {epochs}",
        "训练轮数(epochs)至少为 1,实际为 {epochs}",
    ),
    "royalties.usage_duplicate": (
        "work {work_id} appears twice in the usage report",
        "作品 {work_id} 在使用报告中出现两次",
    ),
    "royalties.usage_understated": (
        "the usage report for dataset version {dataset_version_id}, period {period}, states less "
        "than the scan measured for {count} item(s): {details}",
        "数据集版本 {dataset_version_id} 在期间 {period} 的使用报告有 {count} 项"
        "低于扫描实测用量:{details}",
    ),
    "royalties.duplicate_row": (
        "{table}: the row keyed {row} is given twice",
        "{table}:键为 {row} 的行重复出现",
    ),
    "royalties.shares_mixed": (
        "work {work_id}: give a share for every co-owner or for none (then shares are equal)",
        "作品 {work_id}:请为每位共有人都登记份额,或都不登记(此时均等分配)",
    ),
    "royalties.share_invalid": (
        "work {work_id}: share {share} is not between 0 and 1",
        "作品 {work_id}:份额 {share} 不在 0 到 1 之间",
    ),
    "royalties.shares_sum": (
        "work {work_id}: co-owners' shares must sum to exactly 1, got {total}",
        "作品 {work_id}:共有人份额之和必须恰好为 1,实际为 {total}",
    ),
    "royalties.attribution_without_scores": (
        "an attribution pool of {amount} needs the licensee's attribution scores",
        "金额为 {amount} 的归因分配池需要被许可人提供的归因得分",
    ),
    "royalties.attribution_exceeds": (
        "the attribution pool ({amount}) exceeds what is left after the fee ({net})",
        "归因分配池({amount})超过扣除管理费后的可分配金额({net})",
    ),
    "royalties.no_identified_holders": (
        "the run has no identified holder to share the released reserve of {amount} among",
        "本次分配没有已确认身份的权利人,无法分配释放的保留款 {amount}",
    ),
    "royalties.reserve_expired": (
        "the reserve for work {work_id} could be claimed until {expires_on}",
        "作品 {work_id} 的保留款认领期已于 {expires_on} 届满",
    ),
    "royalties.reserve_mixed": (
        "reserve entries of different CMOs or currencies cannot be released together",
        "不同集体管理组织或不同币种的保留款不能一并释放",
    ),
    "royalties.period_distributed": (
        "CMO {cmo_id} already distributed period {period} (run {run}); a period is never "
        "distributed twice",
        "集体管理组织 {cmo_id} 已对期间 {period} 进行过分配(运行 {run});同一期间不得重复分配",
    ),
    # remuneration on the platform (tariffs, usage reports, invoices, runs, reserve)
    "remuneration.not_yours": (
        "{kind} {id} is not yours to see or change",
        "{kind} {id} 不属于您,无权查看或更改",
    ),
    "remuneration.tariff_ambiguous": (
        "tariff code {code} is used by CMOs {cmos}: name the CMO",
        "付酬标准代码 {code} 被多个集体管理组织使用({cmos}):请指明集体管理组织",
    ),
    "remuneration.no_tariff": (
        "dataset version {id} has no tariff: name one in the report, or filter the version "
        "under a notice that names one",
        "数据集版本 {id} 没有付酬标准:请在报告中指明,或在指明付酬标准的公告下过滤该版本",
    ),
    "remuneration.tariff_used": (
        "tariff {id} priced usage up to {day}; it cannot end before that day",
        "付酬标准 {id} 已用于计价至 {day},不能在该日之前终止",
    ),
    "remuneration.report_exists": (
        "dataset version {id} already has usage report {report} for {period}, which overlaps "
        "{asked}",
        "数据集版本 {id} 已有期间 {period} 的使用报告 {report},与 {asked} 重叠",
    ),
    "remuneration.invoice_paid": (
        "invoice {id} was already paid on {paid_on}",
        "发票 {id} 已于 {paid_on} 付清",
    ),
    "remuneration.paid_on": (
        "invoice {id} cannot be paid on {paid_on}: it was issued on {issued_on}, today is {today}",
        "发票 {id} 不能以 {paid_on} 为付款日:其开具日为 {issued_on},今天是 {today}",
    ),
    "remuneration.not_licensee": (
        "developer {developer_id} holds no invoice from CMO {cmo_id}; only its licensees "
        "supply attribution scores",
        "开发者 {developer_id} 没有集体管理组织 {cmo_id} 开具的发票;只有其被许可人可以提交归因得分",
    ),
    "remuneration.not_repertoire": (
        "work {work_id} is not in the repertoire of CMO {cmo_id}",
        "作品 {work_id} 不在集体管理组织 {cmo_id} 的管理范围内",
    ),
    "remuneration.attribution_exists": (
        "developer {developer_id} already supplied attribution scores to CMO {cmo_id} for {period}",
        "开发者 {developer_id} 已就期间 {period} 向集体管理组织 {cmo_id} 提交过归因得分",
    ),
    "remuneration.currency_mixed": (
        "invoice {invoice_id} is in {currency}, but CMO {cmo_id} distributes in {expected}",
        "发票 {invoice_id} 的币种为 {currency},而集体管理组织 {cmo_id} 以 {expected} 分配",
    ),
    "remuneration.reserve_state": (
        "reserve entry {id} is {state}, not open",
        "保留款 {id} 的状态为 {state},不可认领",
    ),
}


KINDS_ZH = {
    "party": "主体",
    "work": "作品",
    "opt-out": "选择退出",
    "notice": "公告",
    "objection": "异议",
    "dispute": "争议",
    "snapshot": "快照",
    "run": "运行记录",
    "tariff": "付酬标准",
    "usage report": "使用报告",
    "invoice": "发票",
    "attribution submission": "归因得分",
    "distribution run": "分配",
    "reserve entry": "保留款",
    "statement": "分配对账单",
}
"""zh-CN names of the record kinds that ``not_found`` messages name."""


def render(key: str, lang: Lang = "en", **params: Any) -> str:
    """Format message ``key`` in ``lang``; unknown keys fall back to the key itself."""
    templates = MESSAGES.get(key)
    if templates is None:
        return key
    template = templates[0] if lang == "en" else templates[1]
    if lang != "en" and "kind" in params:
        params = {**params, "kind": KINDS_ZH.get(str(params["kind"]), params["kind"])}
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
