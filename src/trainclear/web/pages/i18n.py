"""Every string the pages show, in English and Simplified Chinese (the default).

Keys are stable identifiers used by the templates (``t("board.title")``), the navigation
and the flash messages; values are ``(en, zh-CN)`` templates with ``str.format`` fields.
Error messages come from :mod:`trainclear.messages`, the catalogue the API and CLI share.
A test checks that every key has both languages with the same fields, and that every key
a template uses exists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trainclear.messages import Lang

DEFAULT_LANG: Lang = "zh-CN"
LANG_NAMES: dict[str, str] = {"zh-CN": "中文", "en": "English"}

TEXTS: dict[str, tuple[str, str]] = {
    # site and navigation
    "site.name": ("trainclear · training-data clearing", "trainclear · 训练数据著作权清算"),
    "nav.skip": ("Skip to content", "跳到正文"),
    "nav.label": ("Main", "主导航"),
    "nav.language": ("Language", "语言"),
    "nav.board": ("Notice board", "公告栏"),
    "nav.sign_in": ("Sign in", "登录"),
    "nav.sign_up": ("Sign up", "注册"),
    "nav.sign_out": ("Sign out", "退出登录"),
    "nav.my_works": ("My works", "我的作品"),
    "nav.my_opt_outs": ("My opt-outs", "我的选择退出"),
    "nav.notices_using_my_works": ("Notices using my works", "使用我作品的公告"),
    "nav.my_objections": ("My objections", "我的异议"),
    "nav.my_notices": ("My notices", "我的公告"),
    "nav.new_notice": ("Draft a notice", "起草公告"),
    "nav.objections_received": ("Objections received", "收到的异议"),
    "nav.all_notices": ("All notices", "全部公告"),
    "nav.dispute_queue": ("Dispute queue", "争议处理队列"),
    "footer.about": (
        "Notices, objections and opt-outs are public and recorded in a verifiable log",
        "公告、异议和选择退出均公开,并记录在可验证的日志中",
    ),
    "footer.api": ("JSON API", "JSON 接口"),
    "footer.log_head": ("Signed log head", "日志签名树头"),
    # flash messages (after a form)
    "flash.signed_in": ("You are signed in.", "已登录。"),
    "flash.signed_up": ("Your account is ready; you are signed in.", "账户已创建,您已登录。"),
    "flash.signed_out": ("You are signed out.", "已退出登录。"),
    "flash.sign_in_required": ("Please sign in to see that page.", "请登录后查看该页面。"),
    "flash.work_registered": ("Work {n} is registered.", "作品 {n} 已登记。"),
    "flash.opt_out_declared": ("Opt-out {n} is recorded.", "选择退出 {n} 已记录。"),
    "flash.opt_out_withdrawn": ("Opt-out {n} is withdrawn.", "选择退出 {n} 已撤回。"),
    "flash.objection_filed": (
        "Your objection is recorded ({n} works).",
        "您的异议已记录(涉及 {n} 件作品)。",
    ),
    "flash.notice_drafted": (
        "Notice {n} is drafted; check it, then publish it below.",
        "公告 {n} 已起草;请核对后在下方发布。",
    ),
    "flash.notice_published": (
        "Notice {n} is published; its objection window is open.",
        "公告 {n} 已发布,异议期开始。",
    ),
    "flash.snapshot_exported": (
        "The exclusion snapshot is ready to download.",
        "排除快照已生成,可以下载。",
    ),
    "flash.dispute_filed": ("Dispute {n} is filed.", "争议 {n} 已提出。"),
    "flash.dispute_decided": ("Dispute {n} is decided.", "争议 {n} 已裁决。"),
    # forms and errors
    "form.error_title": ("This could not be done", "无法完成此操作"),
    "form.cancel": ("Cancel", "取消"),
    "error.title": ("Error {status}", "错误 {status}"),
    "error.back": ("Back to the notice board", "返回公告栏"),
    # vocabulary
    "kind.rights_holder": ("rights holder", "权利人"),
    "kind.developer": ("developer", "开发者"),
    "kind.cmo": ("collective management organisation", "集体管理组织"),
    "kind.administration": ("copyright administration", "版权行政管理部门"),
    "state.draft": ("draft", "草稿"),
    "state.open": ("open for objections", "异议期中"),
    "state.closed": ("window closed", "异议期已结束"),
    "state.effective": ("effective", "已生效"),
    "state.withdrawn": ("withdrawn", "已撤回"),
    "state.superseded": ("superseded", "已被新版本取代"),
    "purpose.ai_training": ("AI training", "人工智能训练"),
    "purpose.generative_ai_training": ("generative AI training", "生成式人工智能训练"),
    "scope.work": ("one work", "单件作品"),
    "scope.holder": ("all my works", "我的全部作品"),
    "scope.url_prefix": ("a URL prefix", "网址前缀"),
    "scope.domain": ("a domain", "域名"),
    "source.declaration": ("declared", "主动声明"),
    "source.objection": ("late objection", "异议期后提出的异议"),
    "type.text": ("text", "文字"),
    "type.image": ("image", "图片"),
    "type.audio": ("audio", "音频"),
    "type.video": ("video", "视频"),
    "type.code": ("code", "代码"),
    "objection_state.effective": ("effective", "有效"),
    "objection_state.disputed": ("disputed", "争议中"),
    "objection_state.dismissed": ("dismissed", "已驳回"),
    "dispute_state.pending": ("awaiting decision", "待裁决"),
    "dispute_state.objection_upheld": ("objection upheld", "维持异议"),
    "dispute_state.objection_dismissed": ("objection dismissed", "驳回异议"),
    "window.not_open": ("not yet open", "尚未开始"),
    "window.remaining": ("{days} days {hours} hours left", "剩余 {days} 天 {hours} 小时"),
    "window.ended": ("ended {days} days ago", "已于 {days} 天前结束"),
    "window.ends_today": ("ended within the last day", "已于一天内结束"),
    "pager.previous": ("Previous page", "上一页"),
    "pager.next": ("Next page", "下一页"),
    "pager.position": (
        "Page {page} of {pages} ({total} in all)",
        "第 {page} / {pages} 页(共 {total} 条)",
    ),
    "pager.total": ("{total} in all", "共 {total} 条"),
    # board
    "board.title": ("Training-data notice board", "训练数据使用公告栏"),
    "board.lead": (
        "Developers announce here which registered works they will train on, for what "
        "purpose and at what remuneration. Rights holders may object within the window "
        "(at least 30 days).",
        "开发者在此公告拟用于训练的已登记作品、用途和付酬标准。权利人可在不少于 30 日的"
        "公告期内提出异议。",
    ),
    "board.search": ("Search notices", "搜索公告"),
    "board.field.text": ("Any text", "任意文字"),
    "board.field.work": ("Work title or identifier", "作品名称或标识符"),
    "board.field.work_hint": ("e.g. a title, an ISBN or a DOI", "例如作品名称、ISBN 或 DOI"),
    "board.field.developer": ("Developer", "开发者"),
    "board.field.holder": ("Rights holder", "权利人"),
    "board.any": ("any", "不限"),
    "board.submit": ("Search", "搜索"),
    "board.reset": ("Clear", "清除条件"),
    "board.results": ("Notices", "公告"),
    "board.none": ("No notices match.", "没有符合条件的公告。"),
    # notice
    "notice.number": ("Notice", "公告"),
    "notice.label": ("Notice {id}", "公告 {id}"),
    "notice.heading": ("Notice {id}: {model}", "公告 {id}:{model}"),
    "notice.model": ("Model or product", "模型或产品"),
    "notice.developer": ("Developer", "开发者"),
    "notice.purpose": ("Purpose", "用途"),
    "notice.state": ("State", "状态"),
    "notice.version": ("version {version}", "第 {version} 版"),
    "notice.window": ("Objection window", "异议期"),
    "notice.works": ("Works", "作品"),
    "notice.objections": ("Objections", "异议"),
    "notice.remuneration": ("Remuneration standard", "付酬标准"),
    "notice.remuneration_none": ("not stated", "未载明"),
    "notice.other_sources": ("Other sources", "其他来源"),
    "notice.scan_snapshot": ("Scanned against snapshot", "扫描所用快照"),
    "notice.works_summary": (
        "{listed} listed, {excluded} excluded by objections",
        "共列出 {listed} 件,因异议排除 {excluded} 件",
    ),
    "notice.superseded": (
        "This version was superseded by notice {id}.",
        "此版本已被公告 {id} 取代。",
    ),
    "notice.see_latest": ("See the latest version", "查看最新版本"),
    "notice.object": (
        "Object (you hold {count} of its works)",
        "提出异议(您持有其中 {count} 件作品)",
    ),
    "notice.owner_actions": ("Your notice", "您的公告"),
    "notice.see_objections": ("See the objections to your notices", "查看对您公告的异议"),
    "notice.works_heading": ("Works listed", "所列作品"),
    "notice.filter_works": ("Find a work in this notice", "在本公告中查找作品"),
    "notice.works_caption": ("Works ({total})", "作品({total} 件)"),
    "notice.no_works": ("No listed work matches.", "没有符合条件的作品。"),
    "work.number": ("Work", "作品编号"),
    "work.title": ("Title", "名称"),
    "work.type": ("Type", "类型"),
    "work.identifiers": ("Identifiers", "标识符"),
    "work.records": ("Records", "记录数"),
    "work.characters": ("Characters", "字符数"),
    "work.window_end": ("Window ends", "异议期截止"),
    "work.status": ("Status", "状态"),
    "work.excluded": ("excluded", "已排除"),
    "work.listed": ("listed", "已列入"),
    "work.yours": ("yours", "您的作品"),
    "work.holders": ("Holders and shares", "权利人及份额"),
    "work.fingerprint": ("Fingerprint", "指纹"),
    "work.registered": ("Registered", "登记时间"),
    "publish.legend": ("Publish this notice", "发布本公告"),
    "publish.days": ("Window length in days", "异议期天数"),
    "publish.days_hint": (
        "Leave empty for the legal minimum (30 days); it starts now.",
        "留空即为法定最短期限(30 日),自现在起算。",
    ),
    "publish.submit": ("Publish and open the window", "发布并开始异议期"),
    "snapshot.heading": ("Exclusion snapshots", "排除快照"),
    "snapshot.export": ("Take the exclusion snapshot", "生成排除快照"),
    "snapshot.export_hint": (
        "Opt-outs, signals and objections as of now; filter your corpus with it.",
        "包含截至此刻的选择退出、权利保留信号和异议;请用它过滤语料。",
    ),
    "snapshot.after_window": (
        "The exclusion snapshot can be taken after the window ends ({end}).",
        "异议期结束({end})后方可生成排除快照。",
    ),
    "snapshot.id": ("Snapshot", "快照"),
    "snapshot.as_of": ("As of", "截至"),
    "snapshot.excluded": ("Excluded / works", "排除 / 作品"),
    "snapshot.file": ("File", "文件"),
    "snapshot.download": ("Download", "下载"),
    "log.heading": ("Transparency log", "透明日志"),
    "log.lead": (
        "Each step of this notice is an entry of the public Merkle log; anyone can check "
        "an entry against a signed tree head with its inclusion proof.",
        "本公告的每一步都是公开默克尔日志中的一条记录;任何人都可以用包含证明对照签名树头核验。",
    ),
    "log.entry": ("entry {seq}: {kind}, {at}", "第 {seq} 条:{kind},{at}"),
    "log.entry_link": ("entry", "记录"),
    "log.proof_link": ("inclusion proof", "包含证明"),
    "log.head_link": ("Signed tree head", "签名树头"),
    "log.key_link": ("Public key", "公钥"),
    "log.none": ("No log entry yet.", "暂无日志记录。"),
    # accounts
    "sign_in.title": ("Sign in", "登录"),
    "sign_in.submit": ("Sign in", "登录"),
    "sign_in.no_account": ("No account yet?", "还没有账户?"),
    "sign_up.title": ("Sign up", "注册"),
    "sign_up.lead": (
        "Rights holders register works, opt out and object; developers publish notices.",
        "权利人可登记作品、选择退出和提出异议;开发者可发布公告。",
    ),
    "sign_up.kind": ("I am a", "我是"),
    "sign_up.name": ("Name (shown publicly)", "名称(公开显示)"),
    "sign_up.password_hint": ("At least 10 characters.", "至少 10 个字符。"),
    "sign_up.password_again": ("Password again", "再次输入密码"),
    "sign_up.submit": ("Create my account", "创建账户"),
    "sign_up.others": (
        "Accounts of CMOs and of the copyright administration are created by the operator.",
        "集体管理组织和版权行政管理部门的账户由运营方创建。",
    ),
    "account.title": ("My account", "我的账户"),
    "account.name": ("Name", "名称"),
    "account.kind": ("Role", "身份"),
    "account.party_number": ("Party number", "主体编号"),
    "account.party_number_hint": (
        "Co-owners enter it when they register a work you share.",
        "共有人登记共有作品时需填写此编号。",
    ),
    "account.email": ("E-mail address", "电子邮件地址"),
    "account.password": ("Password", "密码"),
    "account.created": ("Created", "创建时间"),
    "account.last_sign_in": ("Last sign-in", "上次登录"),
    "account.api_note": (
        "Programs use the JSON API with an API token issued by the operator.",
        "程序请使用 JSON 接口,并使用运营方签发的 API 令牌。",
    ),
    # rights holder
    "works.register": ("Register a work", "登记作品"),
    "works.register_lead": (
        "The text or image is fingerprinted so that training corpora can be checked for "
        "it; the file itself is not kept.",
        "系统对正文或图片生成指纹,用于在训练语料中识别该作品;文件本身不予保存。",
    ),
    "works.the_work": ("The work", "作品"),
    "works.content": ("Content", "内容"),
    "works.content_hint": (
        "Paste or upload the text, or upload the image. An identifier alone also works.",
        "粘贴或上传正文,或上传图片;仅提供标识符亦可。",
    ),
    "works.paste_text": ("Text", "正文"),
    "works.text_file": ("Or a text file (UTF-8)", "或上传文本文件(UTF-8)"),
    "works.image_file": ("Image file", "图片文件"),
    "works.identifiers": ("Identifiers", "标识符"),
    "works.scheme": ("Scheme {n}", "标识符类型 {n}"),
    "works.identifier": ("Identifier {n}", "标识符 {n}"),
    "works.holders": ("Holders and shares", "权利人及份额"),
    "works.holders_hint": (
        "You are party {me}. Add co-owners by their party number; shares must add up to 1.",
        "您的主体编号为 {me}。按主体编号添加共有人;份额之和须为 1。",
    ),
    "works.my_share": ("My share", "我的份额"),
    "works.share_hint": ("1, 0.5, 1/3 or 50%", "1、0.5、1/3 或 50%"),
    "works.co_holder": ("Co-owner {n}: party number", "共有人 {n}:主体编号"),
    "works.co_share": ("Co-owner {n}: share", "共有人 {n}:份额"),
    "works.submit": ("Register the work", "登记作品"),
    "works.caption": ("Registered works ({total})", "已登记作品({total} 件)"),
    "works.holder_share": ("party {id}: {share}", "主体 {id}:{share}"),
    "works.none": ("You have not registered a work yet.", "您尚未登记作品。"),
    "optouts.lead": (
        "An opt-out reserves your works from AI training in every future dataset version; "
        "withdrawing it keeps it on record.",
        "选择退出使您的作品不被用于此后各数据集版本的人工智能训练;撤回后记录仍予保留。",
    ),
    "optouts.declare": ("Declare an opt-out", "声明选择退出"),
    "optouts.scope": ("What", "范围"),
    "optouts.work": ("Work", "作品"),
    "optouts.target": ("URL prefix or domain", "网址前缀或域名"),
    "optouts.target_hint": (
        "e.g. https://example.com/blog/ or example.com",
        "例如 https://example.com/blog/ 或 example.com",
    ),
    "optouts.purpose": ("Reserved against", "保留针对的用途"),
    "optouts.submit": ("Declare", "声明"),
    "optouts.caption": ("My opt-outs", "我的选择退出"),
    "optouts.number": ("Opt-out", "编号"),
    "optouts.what": ("Covers", "覆盖对象"),
    "optouts.source": ("How", "方式"),
    "optouts.from": ("Effective from", "生效时间"),
    "optouts.status": ("Status", "状态"),
    "optouts.work_n": ("work {id}", "作品 {id}"),
    "optouts.all_mine": ("all my works", "我的全部作品"),
    "optouts.withdraw": ("Withdraw", "撤回"),
    "optouts.withdraw_n": ("Withdraw opt-out {id}", "撤回选择退出 {id}"),
    "optouts.withdrawn_at": ("withdrawn {at}", "已于 {at} 撤回"),
    "optouts.confirm_withdraw": (
        "Withdraw this opt-out? Your works may then be used for training.",
        "确定撤回此选择退出?撤回后您的作品可能被用于训练。",
    ),
    "optouts.none": ("No opt-out yet.", "暂无选择退出。"),
    "holder_notices.lead": (
        "Every published notice that lists a work you hold.",
        "列出您所持作品的全部已发布公告。",
    ),
    "object.title": ("Object to notice {id}", "对公告 {id} 提出异议"),
    "object.lead": ("{model}, by {developer}.", "{developer} 的 {model}。"),
    "object.in_window": (
        "The window is open ({remaining}): an objection excludes the work from this notice.",
        "异议期内({remaining}):异议将使作品被排除在本公告之外。",
    ),
    "object.after_window": (
        "The window has ended: an objection now stands as an opt-out for every future "
        "dataset version.",
        "异议期已结束:此时提出的异议将作为选择退出,适用于此后各数据集版本。",
    ),
    "object.what": ("Object to", "异议范围"),
    "object.all": ("all my works in this notice ({count})", "本公告中我的全部作品({count} 件)"),
    "object.chosen": ("only the works chosen below", "仅限下列所选作品"),
    "object.works": ("My works in this notice", "本公告中我的作品"),
    "object.already": ("objected", "已提出异议"),
    "object.reason": ("Reason (optional, public)", "理由(可选,公开)"),
    "object.reason_hint": ("No reason is needed to object.", "提出异议无须说明理由。"),
    "object.submit": ("File the objection", "提交异议"),
    "objections.mine_caption": ("Objections I filed", "我提出的异议"),
    "objections.none_mine": ("You have not objected to a notice.", "您尚未对公告提出异议。"),
    "objections.number": ("Objection", "异议编号"),
    "objections.notice": ("Notice", "公告"),
    "objections.filed": ("Filed", "提出时间"),
    "objections.effect": ("Effect", "效果"),
    "objections.in_window": ("in the window: excludes the work", "异议期内:排除该作品"),
    "objections.as_opt_out": ("after the window: an opt-out", "异议期后:作为选择退出"),
    "objections.state": ("State", "状态"),
    "objections.dispute": ("Dispute", "争议"),
    "objections.objector": ("Objector", "异议人"),
    "objections.reason": ("Reason", "理由"),
    "objections.received_lead": (
        "Objections to your notices, newest first. You may contest one until the date its "
        "row shows; the copyright administration decides.",
        "对您公告的异议,最新的在前。可在各行所示日期前提出争议,由版权行政管理部门裁决。",
    ),
    "objections.received_caption": ("Objections ({total})", "异议({total} 条)"),
    "objections.none_received": ("No objection so far.", "暂无异议。"),
    "contest.open": ("Contest (until {until})", "提出争议(截至 {until})"),
    "contest.grounds": ("Grounds", "争议理由"),
    "contest.submit": ("Contest the objection", "对该异议提出争议"),
    # developer
    "new_notice.lead": (
        "List the works you will use (from a scan report, or by number), the purpose and "
        "the remuneration. It is saved as a draft; publishing opens the window.",
        "列出拟使用的作品(来自扫描报告或按编号)、用途和付酬标准。保存为草稿,发布后开始异议期。",
    ),
    "new_notice.use": ("The use", "使用情况"),
    "new_notice.works": ("Works and sources", "作品和来源"),
    "new_notice.scan_report": ("Scan report (JSON)", "扫描报告(JSON)"),
    "new_notice.scan_report_hint": (
        "The report `trainclear scan --report` wrote; it lists the registered works found "
        "and how much of each.",
        "即 `trainclear scan --report` 生成的报告,列出所发现的已登记作品及其使用量。",
    ),
    "new_notice.work_ids": ("Or work numbers", "或作品编号"),
    "new_notice.work_ids_hint": ("Separated by commas or spaces.", "以逗号或空格分隔。"),
    "new_notice.remuneration_hint": (
        "The standard you offer, e.g. a tariff and its rate.",
        "您提出的付酬标准,例如适用的费率。",
    ),
    "new_notice.submit": ("Save the draft", "保存草稿"),
    # developer usage and invoices, administration reports and compliance
    "nav.my_usage_reports": ("Usage reports", "使用报告"),
    "nav.my_invoices": ("Invoices", "账单"),
    "nav.usage_reports_received": ("Usage reports received", "收到的使用报告"),
    "nav.compliance": ("Compliance", "合规概况"),
    "flash.usage_report_submitted": (
        "Usage report {n} is submitted and its invoices are issued.",
        "使用报告 {n} 已提交,相应账单已开具。",
    ),
    "report_state.outstanding": ("payment outstanding", "待付款"),
    "report_state.paid": ("paid", "已付清"),
    "invoice_state.unpaid": ("issued, unpaid", "已开具,未付款"),
    "invoice_state.paid": ("paid", "已付款"),
    "unit.per_1000_chars": ("per 1,000 characters", "每千字符"),
    "unit.per_image": ("per image", "每张图片"),
    "unit.per_minute": ("per minute", "每分钟"),
    "usage.records": ("Records", "记录数"),
    "usage.characters": ("Characters", "字符数"),
    "usage.images": ("Images", "图片数"),
    "usage.minutes": ("Minutes", "分钟数"),
    "usage.lead": (
        "Report, for each period, how much of each registered work a dataset version was "
        "used; the report is priced by its tariff and invoiced per CMO.",
        "按期间报告数据集版本中每件已登记作品的使用量;系统按付酬标准计价,并按集体管理组织分别开具账单。",
    ),
    "usage.new": ("Submit a usage report", "提交使用报告"),
    "usage.form_lead": (
        "The lines are prefilled with what the scan of the version measured. You may state "
        "more, never less: a report below the measurement is refused.",
        "各行已按该版本的扫描实测用量预填。可以多报,不得少报:低于实测用量的报告将被拒绝。",
    ),
    "usage.no_versions": (
        "You have no dataset version yet: register one (trainclear dataset register) after "
        "filtering your corpus.",
        "您尚无数据集版本:请在过滤语料后登记(trainclear dataset register)。",
    ),
    "usage.version": ("Dataset version", "数据集版本"),
    "usage.version_option": (
        "#{id} {name} v{version} ({reports} reports)",
        "#{id} {name} 第 {version} 版(已有 {reports} 份报告)",
    ),
    "usage.choose": ("Choose", "选择"),
    "usage.the_use": ("The use", "使用情况"),
    "usage.start": ("Period from", "期间起始日"),
    "usage.end": ("Period to", "期间截止日"),
    "usage.period_hint": ("Both days included (UTC).", "含起止两日(UTC)。"),
    "usage.tariff_of_notice": (
        "the tariff named by the version's notice",
        "该版本所依据公告载明的付酬标准",
    ),
    "usage.tariff_hint": (
        "By default, the tariff of the notice the version was filtered under.",
        "默认采用该版本过滤时所依据公告的付酬标准。",
    ),
    "usage.lines": ("Usage per work", "各作品使用量"),
    "usage.lines_hint": (
        "Whole records, characters and images; minutes may be exact decimals or fractions.",
        "记录数、字符数和图片数为整数;分钟数可为精确小数或分数。",
    ),
    "usage.cell": ("{measure} of work {id} ({title})", "作品 {id}({title})的{measure}"),
    "usage.nothing_measured": (
        "The scan of this version found no registered work.",
        "该版本的扫描未发现已登记作品。",
    ),
    "usage.submit": ("Submit the report", "提交报告"),
    "usage.shortfalls_caption": (
        "Stated below the measurement ({count})",
        "低于实测用量的项目({count} 项)",
    ),
    "usage.measure": ("Measure", "计量项"),
    "usage.reported": ("Stated", "申报"),
    "usage.measured": ("Measured", "实测"),
    "usage.difference": ("Difference", "差额"),
    "report.number": ("Report", "报告"),
    "report.label": ("Report {id}", "报告 {id}"),
    "report.heading": ("Usage report {id}: {period}", "使用报告 {id}:{period}"),
    "report.dataset": ("Dataset version", "数据集版本"),
    "report.version": ("{name} v{version}", "{name} 第 {version} 版"),
    "report.version_number": ("version number {id}", "版本编号 {id}"),
    "report.version_column": ("Number", "编号"),
    "report.period": ("Period", "期间"),
    "report.epochs": ("Epochs", "训练轮数"),
    "report.tariff": ("Tariff", "付酬标准"),
    "report.submitted": ("Submitted", "提交时间"),
    "report.invoices": ("Invoices", "账单数"),
    "report.total": ("Amount", "金额"),
    "report.state": ("State", "状态"),
    "report.outstanding": ("{amount} outstanding", "待付 {amount}"),
    "report.invoices_heading": ("Invoices issued", "已开具的账单"),
    "report.invoices_caption": ("Invoices ({total})", "账单({total} 张)"),
    "report.lines_heading": ("Usage per work", "各作品使用量"),
    "report.lines_caption": ("Works ({total})", "作品({total} 件)"),
    "report.no_lines": ("No line.", "无明细。"),
    "report.none": ("No usage report yet.", "暂无使用报告。"),
    "report.back": ("All usage reports", "全部使用报告"),
    "reports.developer_number": ("Developer (party number)", "开发者(主体编号)"),
    "reports.from": ("Period from", "期间自"),
    "reports.to": ("to", "至"),
    "invoice.number": ("Invoice", "账单"),
    "invoice.label": ("Invoice {id}", "账单 {id}"),
    "invoice.heading": ("Invoice {id} for {cmo}", "账单 {id}(收款方:{cmo})"),
    "invoice.lead": (
        "One invoice per usage report and CMO; the CMO records the payment.",
        "每份使用报告按集体管理组织分别开具账单;付款由集体管理组织登记。",
    ),
    "invoice.caption": ("Invoices ({total})", "账单({total} 张)"),
    "invoice.cmo": ("CMO", "集体管理组织"),
    "invoice.issued": ("Issued", "开具时间"),
    "invoice.amount": ("Amount", "金额"),
    "invoice.state": ("State", "状态"),
    "invoice.none": ("No invoice.", "暂无账单。"),
    "invoice.charges_heading": ("How the report was priced", "报告计价方式"),
    "invoice.charges_lead": (
        "Tiers apply to the whole report's volume of each work type; the exact amount is "
        "rounded once, then shared among the works.",
        "分档按整份报告中每类作品的总用量计算;精确金额只舍入一次,再分摊到各作品。",
    ),
    "invoice.quantity": ("Quantity", "数量"),
    "invoice.exact": ("Exact amount", "精确金额"),
    "invoice.top_up": ("Minimum-fee top-up", "最低收费补足"),
    "invoice.lines_heading": ("Lines", "明细"),
    "invoice.back": ("All my invoices", "我的全部账单"),
    "tariff.named": ("Tariff named", "载明的付酬标准"),
    "tariff.by": ("set by {cmo}", "由 {cmo} 制定"),
    "tariff.in_force": ("in force {start} – {end}", "有效期 {start} 至 {end}"),
    "tariff.open_ended": ("until further notice", "另行通知前"),
    "tariff.tier_up_to": ("up to {up_to}: {rate}", "{up_to} 以内:{rate}"),
    "tariff.tier_beyond": ("beyond: {rate}", "超出部分:{rate}"),
    "tariff.minimum": ("minimum fee {amount}", "最低收费 {amount}"),
    "tariff.unit": ("Unit", "单位"),
    "tariff.schedule": ("{type}, {unit}:", "{type},{unit}:"),
    "tariff.choose": ("Tariff (remuneration standard)", "付酬标准(费率表)"),
    "tariff.choose_hint": (
        "A CMO's tariff in force today; usage reports under this notice are priced by it.",
        "选择集体管理组织现行的付酬标准;依本公告提交的使用报告将按其计价。",
    ),
    "tariff.none": ("none (only the text above)", "不指定(仅以上文字说明)"),
    "tariff.option": ("{code} · {title} ({cmo})", "{code} · {title}({cmo})"),
    "compliance.lead": (
        "Per developer, how far each step of the clearing loop has gone, as of {as_of}.",
        "各开发者在清算流程各环节的进展,截至 {as_of}。",
    ),
    "compliance.find": ("Developer name", "开发者名称"),
    "compliance.caption": ("Developers ({total})", "开发者({total} 家)"),
    "compliance.none": ("No developer matches.", "没有符合条件的开发者。"),
    "compliance.figures": ("Figures", "各项数据"),
    "compliance.notices": ("Notices published", "已发布公告"),
    "compliance.windows": ("Windows open / closed", "异议期进行中 / 已结束"),
    "compliance.objections": ("Objections received / excluded", "收到异议 / 已排除"),
    "compliance.versions": ("Dataset versions", "数据集版本"),
    "compliance.unreported": ("{count} without a report", "{count} 个未报告"),
    "compliance.reports": ("Usage reports", "使用报告"),
    "compliance.invoices": ("Invoices issued / paid", "已开具 / 已付账单"),
    "compliance.invoiced": ("Invoiced", "开票金额"),
    "compliance.outstanding": ("Outstanding", "未付金额"),
    "compliance.developer_heading": ("{name} (party {id})", "{name}(主体 {id})"),
    "compliance.notices_heading": ("Current notices", "现行公告"),
    "compliance.versions_heading": ("Dataset versions built", "已构建的数据集版本"),
    "compliance.built": ("Built", "构建时间"),
    "compliance.no_report": ("no report", "未报告"),
    "compliance.no_versions": ("No dataset version.", "暂无数据集版本。"),
    "compliance.reports_heading": ("Latest usage reports", "最近的使用报告"),
    "compliance.all_reports": ("All this developer's reports", "该开发者的全部报告"),
    "compliance.invoices_heading": ("Latest invoices", "最近的账单"),
    "compliance.back": ("Back to the compliance overview", "返回合规概况"),
    # administration
    "disputes.show": ("Show", "显示"),
    "disputes.all": ("all disputes", "全部争议"),
    "disputes.filter": ("Show", "显示"),
    "disputes.heading": ("Dispute {id}: {title}", "争议 {id}:{title}"),
    "disputes.filed": ("Filed", "提出时间"),
    "disputes.decide_by": ("Decide by", "裁决期限"),
    "disputes.overdue": ("overdue", "已逾期"),
    "disputes.state": ("State", "状态"),
    "disputes.decide": ("Decide dispute {id}", "裁决争议 {id}"),
    "disputes.reasons": ("Reasons for the decision (public)", "裁决理由(公开)"),
    "disputes.submit": ("Record the decision", "记录裁决"),
    "disputes.none": ("No dispute here.", "暂无争议。"),
    # CMO console, statements, charts
    "nav.repertoire": ("Repertoire", "管理作品"),
    "nav.tariffs": ("Tariffs", "付酬标准"),
    "nav.invoices_received": ("Invoices received", "收到的发票"),
    "nav.distributions": ("Distributions", "分配"),
    "nav.cmo_settings": ("Distribution rules", "分配规则"),
    "nav.my_statements": ("My statements", "我的分配明细"),
    "flash.stance_changed": ("The stance of work {n} is changed.", "作品 {n} 的授权立场已更改。"),
    "flash.tariff_created": ("Tariff version {n} is published.", "付酬标准版本 {n} 已发布。"),
    "flash.tariff_ended": (
        "Tariff version {n} now ends on the day given.",
        "付酬标准版本 {n} 的截止日已设定。",
    ),
    "flash.settings_saved": ("Your distribution rules are saved.", "分配规则已保存。"),
    "flash.invoice_paid": ("Invoice {n} is marked paid.", "发票 {n} 已标记为已付款。"),
    "flash.run_done": ("Distribution run {n} is done.", "分配 {n} 已完成。"),
    "flash.run_replayed": (
        "This period was already distributed with the same input: run {n}.",
        "该期间已按相同输入分配过:分配 {n}。",
    ),
    "stance.default_licence": ("default licence", "默认许可"),
    "stance.opted_out": ("opted out", "已选择退出"),
    "policy.use_pool": (
        "expired reserve goes back to the use pool (to works by measured use)",
        "逾期保留款回到使用量分配池(按实测使用量分配给作品)",
    ),
    "policy.identified_holders": (
        "expired reserve goes to the run's identified holders, pro rata",
        "逾期保留款按比例分配给本次已确认的权利人",
    ),
    "reserve_state.open": ("open for claims", "可认领"),
    "reserve_state.claimed": ("claimed", "已认领"),
    "reserve_state.released": ("released", "已释放"),
    "account_item.carried_in": ("Carried in", "上期结转"),
    "account_item.shares": ("Shares this period", "本期份额"),
    "account_item.released": ("Released reserve", "释放的保留款"),
    "account_item.balance": ("Balance", "余额"),
    "account_item.payout": ("Paid out", "本期支付"),
    "account_item.carried_out": ("Carried forward", "结转下期"),
    "repertoire.lead": (
        "Works under your mandate: licensed for AI training by default unless the stance "
        "says opted out. Their holders may end the mandate.",
        "在您管理之下的作品:除非立场为“已选择退出”,默认许可用于人工智能训练。权利人可终止委托。",
    ),
    "repertoire.search": ("Find a work by title or identifier", "按名称或标识符查找作品"),
    "repertoire.caption": ("Works under mandate ({total})", "管理的作品({total} 件)"),
    "repertoire.stance": ("Stance on AI training", "对人工智能训练的立场"),
    "repertoire.stance_of": ("Stance of work {id}", "作品 {id} 的立场"),
    "repertoire.change": ("Change", "更改"),
    "repertoire.change_n": ("Change the stance of work {id}", "更改作品 {id} 的立场"),
    "repertoire.unidentified": ("holder not identified", "权利人未确认"),
    "repertoire.none": ("No work under your mandate matches.", "没有符合条件的管理作品。"),
    "repertoire.register": ("Register a repertoire work", "登记管理作品"),
    "repertoire.register_lead": (
        "Register a work you manage: for its holders by party number, or with no identified "
        "holder (its share of each distribution is kept in the reserve until claimed).",
        "登记您管理的作品:按主体编号填写权利人,或登记为权利人未确认(每次分配中其份额存入"
        "保留款,待认领)。",
    ),
    "repertoire.no_holder": ("No identified holder", "权利人未确认"),
    "repertoire.no_holder_hint": (
        "Leave the holder rows empty; the work's share goes to the reserve.",
        "权利人各行留空;该作品的份额存入保留款。",
    ),
    "repertoire.holder": ("Holder {n}: party number", "权利人 {n}:主体编号"),
    "repertoire.share": ("Holder {n}: share", "权利人 {n}:份额"),
    "repertoire.submit": ("Register the work", "登记作品"),
    "cmo_tariffs.lead": (
        "Your published tariffs. A version is in force over a range of days; two versions "
        "of one code never overlap. Rates are in minor units (fen, cents) per unit.",
        "您发布的付酬标准。每个版本在一段日期内有效,同一代码的版本不得重叠。费率以最小货币"
        "单位(分)每计量单位计。",
    ),
    "cmo_tariffs.caption": ("Tariff versions ({total})", "付酬标准版本({total} 个)"),
    "cmo_tariffs.code": ("Code", "代码"),
    "cmo_tariffs.name": ("Title", "名称"),
    "cmo_tariffs.in_force": ("In force", "有效期"),
    "cmo_tariffs.open_ended": ("open-ended", "长期"),
    "cmo_tariffs.rates": ("Rates", "费率"),
    "cmo_tariffs.tier_up_to": ("up to {up_to}: {rate}", "{up_to} 以内:{rate}"),
    "cmo_tariffs.tier_rest": ("beyond: {rate}", "超出部分:{rate}"),
    "cmo_tariffs.tier_all": ("rate {rate}", "费率 {rate}"),
    "cmo_tariffs.minimum": ("minimum {fee}", "最低 {fee}"),
    "cmo_tariffs.status": ("Status", "状态"),
    "cmo_tariffs.current": ("in force", "有效"),
    "cmo_tariffs.ended": ("ended", "已终止"),
    "cmo_tariffs.future": ("not yet in force", "尚未生效"),
    "cmo_tariffs.end": ("End", "终止"),
    "cmo_tariffs.last_day_of": ("Last day of {code}", "{code} 的最后有效日"),
    "cmo_tariffs.end_submit": ("Set the last day", "设定最后有效日"),
    "cmo_tariffs.none": ("You have not published a tariff yet.", "您尚未发布付酬标准。"),
    "cmo_tariffs.create": ("Publish a tariff version", "发布付酬标准版本"),
    "cmo_tariffs.currency": ("Currency (ISO 4217)", "币种(ISO 4217)"),
    "cmo_tariffs.from": ("First day in force", "生效日"),
    "cmo_tariffs.to": ("Last day in force", "最后有效日"),
    "cmo_tariffs.to_hint": ("Leave empty for open-ended.", "留空即长期有效。"),
    "cmo_tariffs.rates_hint": (
        "Tiers apply to a developer's whole volume of a work type: a bound in units, then the "
        "rate in minor units per unit (e.g. 10, 2.5 or 1/3); leave the last bound empty.",
        "分级适用于开发者某类作品的全部使用量:先填上限(计量单位),再填每单位费率(分,例如 "
        "10、2.5 或 1/3);最后一级的上限留空。",
    ),
    "cmo_tariffs.schedule": ("Rates {n}", "费率表 {n}"),
    "cmo_tariffs.unit": ("Unit", "计量单位"),
    "cmo_tariffs.minimum_fee": ("Minimum fee (minor units)", "最低收费(分)"),
    "cmo_tariffs.tier_bound": ("Tier {n}: up to (units)", "第 {n} 级:上限(计量单位)"),
    "cmo_tariffs.tier_rate": ("Tier {n}: rate", "第 {n} 级:费率"),
    "cmo_tariffs.submit": ("Publish the tariff", "发布付酬标准"),
    "cmo_settings.lead": (
        "How your runs distribute what you collect. These rules are public; they apply to "
        "your next runs.",
        "您的分配如何分配所收取的使用费。这些规则公开,适用于此后的分配。",
    ),
    "cmo_settings.updated": ("Last changed {at}.", "最近修改于 {at}。"),
    "cmo_settings.defaults": (
        "You have not set rules yet: these are the defaults (no fee, no threshold).",
        "您尚未设定规则:以下为默认值(不收管理费,无最低支付额)。",
    ),
    "cmo_settings.fee_schedule": ("Management fee", "管理费"),
    "cmo_settings.fee_hint": (
        "Brackets of the amount collected in a run: an upper bound in minor units (empty for "
        "the rest) and the fee rate, e.g. 0.12; rates may only fall.",
        "按每次分配收取金额分段:上限(分,最后一段留空)和费率(例如 0.12);费率只能递减。",
    ),
    "cmo_settings.bracket_up_to": ("Bracket {n}: up to (minor units)", "第 {n} 段:上限(分)"),
    "cmo_settings.bracket_rate": ("Bracket {n}: fee rate", "第 {n} 段:费率"),
    "cmo_settings.minimum_payout": ("Minimum payout (minor units)", "最低支付额(分)"),
    "cmo_settings.minor_units_hint": (
        "Smaller balances are carried forward. Now: {now}.",
        "低于此额的余额结转下期。当前:{now}。",
    ),
    "cmo_settings.reserve": ("Reserve for unidentified holders", "未确认权利人保留款"),
    "cmo_settings.claim_years": ("Claim period (years)", "认领期限(年)"),
    "cmo_settings.policy": ("After the claim period", "认领期限届满后"),
    "cmo_settings.submit": ("Save the rules", "保存规则"),
    "cmo_invoices.lead": (
        "Invoices issued to developers for works you manage or under your tariffs. Mark one "
        "paid when the money arrives; a paid invoice is distributed by your run of its period.",
        "就您管理的作品或按您的付酬标准向开发者开具的发票。收到款项后标记为已付款;已付款发票"
        "由相应期间的分配进行分配。",
    ),
    "cmo_invoices.all": ("all invoices", "全部发票"),
    "cmo_invoices.caption": ("Invoices ({total})", "发票({total} 张)"),
    "cmo_invoices.number": ("Invoice", "发票"),
    "cmo_invoices.period": ("Period", "期间"),
    "cmo_invoices.total": ("Total", "金额"),
    "cmo_invoices.issued": ("Issued", "开具时间"),
    "cmo_invoices.state": ("Payment", "付款"),
    "cmo_invoices.lines": ("{n} works", "{n} 件作品"),
    "cmo_invoices.line": (
        "work {work}: {quantity} {unit}, {amount}",
        "作品 {work}:{quantity} {unit},{amount}",
    ),
    "cmo_invoices.paid_on": ("paid on {day}", "已于 {day} 付款"),
    "cmo_invoices.paid_on_label": ("Invoice {id} paid on", "发票 {id} 付款日"),
    "cmo_invoices.mark_paid": ("Mark paid", "标记为已付款"),
    "cmo_invoices.none": ("No invoice here.", "暂无发票。"),
    "cmo_runs.lead": (
        "A run distributes the paid invoices of a period to the holders, exactly once: the same "
        "period again returns the same run.",
        "一次分配将某期间已付款发票的款项分配给权利人,且仅一次:再次提交同一期间将返回同一分配。",
    ),
    "cmo_runs.start": ("Distribute a period", "分配一个期间"),
    "cmo_runs.first_day": ("First day", "起始日"),
    "cmo_runs.last_day": ("Last day", "截止日"),
    "cmo_runs.submit": ("Run the distribution", "执行分配"),
    "cmo_runs.caption": ("Runs ({total})", "分配({total} 次)"),
    "cmo_runs.number": ("Number", "编号"),
    "cmo_runs.label": ("Run {id}", "分配 {id}"),
    "cmo_runs.heading": ("Run {id}: {period}", "分配 {id}:{period}"),
    "cmo_runs.collected": ("Collected", "收取"),
    "cmo_runs.paid_out": ("Paid out", "已支付"),
    "cmo_runs.when": ("Run at", "执行时间"),
    "cmo_runs.none": ("No run yet.", "暂无分配。"),
    "cmo_runs.attributions": ("Attribution scores received", "收到的输出归因分数"),
    "cmo_runs.attributions_lead": (
        "A licensee may supply output-attribution scores and a pool for a period; your run of "
        "that period splits the pool by them.",
        "被许可人可就某期间提交输出归因分数及其分配池;该期间的分配按分数分配该池。",
    ),
    "cmo_runs.pool": ("Pool (minor units)", "分配池(分)"),
    "cmo_runs.scored_works": ("Works scored", "评分作品数"),
    "cmo_runs.submitted": ("Submitted", "提交时间"),
    "cmo_runs.no_attributions": ("No attribution scores received.", "尚未收到输出归因分数。"),
    "cmo_runs.input_hash": ("Run (input hash)", "分配(输入哈希)"),
    "cmo_runs.digest": ("Result digest", "结果摘要"),
    "cmo_runs.reserve_until": ("Reserve claimable until", "保留款可认领至"),
    "cmo_runs.downloads": ("Download", "下载"),
    "cmo_runs.report_csv": ("report (CSV)", "报告(CSV)"),
    "cmo_runs.report_json": ("report (JSON)", "报告(JSON)"),
    "cmo_runs.report": ("The CMO's report", "集体管理组织报告"),
    "cmo_runs.item": ("Item", "项目"),
    "cmo_runs.value": ("Amount", "金额"),
    "cmo_runs.accounts": ("Holders' accounts ({total})", "权利人账户({total} 个)"),
    "cmo_runs.reserve": ("Reserve opened by this run", "本次分配形成的保留款"),
    "cmo_runs.amount": ("Amount", "金额"),
    "cmo_runs.claimable_until": ("Claimable until", "可认领至"),
    "cmo_runs.no_reserve": (
        "Every work in this run had an identified holder.",
        "本次分配的作品均有已确认权利人。",
    ),
    "cmo_runs.back": ("All runs", "全部分配"),
    "statements.lead": (
        "What each distribution paid you for your works, and what was carried forward below "
        "the CMO's minimum payout.",
        "每次分配就您的作品向您支付的金额,以及因低于最低支付额而结转的金额。",
    ),
    "statements.caption": ("Statements ({total})", "分配明细({total} 份)"),
    "statements.cmo": ("Collective management organisation", "集体管理组织"),
    "statements.none": ("No distribution has paid you yet.", "尚无分配向您支付。"),
    "statements.title": ("Statement for {period}", "{period} 分配明细"),
    "statements.csv": ("statement (CSV)", "明细(CSV)"),
    "statements.json": ("statement (JSON)", "明细(JSON)"),
    "statements.account": ("Account", "账户"),
    "statements.works": ("Works ({total})", "作品({total} 件)"),
    "statements.usage": ("Usage invoiced", "计费使用量"),
    "statements.invoices": ("Invoices", "发票"),
    "statements.collected": ("Collected", "收取"),
    "statements.use_pool": ("Use pool", "使用量分配池"),
    "statements.attribution_pool": ("Attribution pool", "归因分配池"),
    "statements.work_total": ("Work total", "作品合计"),
    "statements.share": ("My share", "我的份额"),
    "statements.amount": ("My amount", "我的金额"),
    "statements.history": ("Payouts over time", "历次支付"),
    "statements.back": ("All my statements", "我的全部分配明细"),
    "chart.payouts": ("Payouts per distribution", "每次分配的支付金额"),
    "chart.numbers": ("The numbers", "数据"),
    "chart.heading": ("At a glance", "概览"),
    "chart.usage_characters": (
        "The {n} most used works, by characters",
        "使用最多的 {n} 件作品(按字符数)",
    ),
    "chart.usage_records": (
        "The {n} most used works, by records",
        "使用最多的 {n} 件作品(按记录数)",
    ),
    "chart.usage_caption": (
        "The {shown} most used of {listed} listed works.",
        "所列 {listed} 件作品中使用最多的 {shown} 件。",
    ),
    "chart.objections": ("Objections over the window", "异议期内的异议累计"),
    "chart.objections_caption": (
        "{total} objections in the window, {first} to {last} (UTC), running total by day.",
        "异议期内共 {total} 条异议({first} 至 {last},UTC),按日累计。",
    ),
    "chart.day": ("Day (UTC)", "日期(UTC)"),
    "chart.filed": ("Filed", "当日提出"),
    "chart.running_total": ("Running total", "累计"),
    "chart.no_objections": ("No objection so far.", "暂无异议。"),
}


def t(lang: Lang, key: str, **params: Any) -> str:
    """The text of ``key`` in ``lang``; an unknown key shows as itself (tests forbid it)."""
    texts = TEXTS.get(key)
    if texts is None:
        return key
    template = texts[0] if lang == "en" else texts[1]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def has(key: str) -> bool:
    return key in TEXTS


def parse_lang(value: str | None) -> Lang | None:
    """``en`` or ``zh-CN`` (also ``zh``, ``zh-cn``); None for anything else."""
    if not value:
        return None
    lowered = value.strip().lower()
    if lowered == "en" or lowered.startswith("en-"):
        return "en"
    if lowered == "zh" or lowered in ("zh-cn", "zh-hans", "zh-hans-cn"):
        return "zh-CN"
    return None


def remaining(lang: Lang, end: datetime, now: datetime) -> str:
    """How long a window has left, or how long ago it ended, in days and hours."""
    delta = end - now
    if delta.total_seconds() > 0:
        hours = int(delta.total_seconds() // 3600)
        return t(lang, "window.remaining", days=hours // 24, hours=hours % 24)
    days = int(-delta.total_seconds() // 86400)
    return t(lang, "window.ended", days=days) if days else t(lang, "window.ends_today")


def number(value: int) -> str:
    """A whole number with thousands separators (the same in both languages)."""
    return f"{value:,}"
