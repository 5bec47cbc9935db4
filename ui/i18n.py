"""The app's words in English and Simplified Chinese.

Every visible string goes through ``tr``; the English text is the key, so the
code reads naturally and a missing translation shows English, never a key.
Table headers and enum values come from the field declarations in models/.
"""

from __future__ import annotations

from models.schema import FieldSpec, display

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
_state = {"lang": "en"}  # the interface language, set once at start and on a switch

ZH = {
    # menus and actions
    "&File": "文件(&F)", "&Edit": "编辑(&E)", "&View": "视图(&V)", "&Plan": "规划(&P)",
    "&Scenario": "情景(&S)", "&Language": "语言(&L)", "&Help": "帮助(&H)",
    "New": "新建", "Open…": "打开…", "Save": "保存", "Save As…": "另存为…",
    "Export Excel…": "导出 Excel…", "Export template…": "导出模板…",
    "Export GraphML…": "导出 GraphML…", "Recent files": "最近文件", "Quit": "退出",
    "Undo": "撤销", "Redo": "重做", "Add enterprise…": "添加企业…", "Add link…": "添加链接…",
    "Delete selected": "删除所选", "Select all": "全选", "Find…": "查找…",
    "Fit chain": "适应窗口", "Zoom in": "放大", "Zoom out": "缩小",
    "Assign project…": "分配项目…", "New scenario…": "新建情景…",
    "Duplicate scenario…": "复制情景…", "Rename scenario…": "重命名情景…",
    "Delete scenario": "删除情景", "About": "关于",
    # docks and panels
    "Chain": "产业链", "Inspector": "属性", "Problems": "问题", "History": "历史记录",
    "Catalogue": "项目目录", "Tables": "数据表", "Legend": "图例", "Filters": "筛选",
    "Enterprises": "企业", "Links": "链接", "Projects": "项目", "Scenarios": "情景",
    "Assignments": "项目分配", "Scenario": "情景", "Year": "年份",
    "Filter rows…": "筛选行…", "Search id or name (Ctrl+F)": "按编号或名称查找（Ctrl+F）",
    "Park": "园区", "Size": "规模", "Position": "位置", "Tier": "层级", "Ownership": "所有制",
    "All": "全部", "Select matching": "选中符合项", "Clear filters": "清除筛选",
    "Nothing selected": "未选择", "selected": "已选",
    # canvas and legend
    "upstream": "上游", "downstream": "下游", "core": "核心", "detached": "未连接",
    "Core enterprise": "核心企业", "Supplier": "供应商", "Distributor": "经销商",
    "Customer": "客户", "Service partner": "服务商",
    "On the data platform": "已接入数据平台", "Reached the target level": "达到目标水平",
    "Digital level (badge)": "数字化水平（角标）", "Data-connected link": "已数据互联链接",
    "Not yet connected": "尚未互联", "Width: annual trade value": "线宽：年交易额",
    "Node size: enterprise size": "节点大小：企业规模",
    "Tier {0}": "第 {0} 层", "Upstream tier {0}": "上游第 {0} 层",
    "Downstream tier {0}": "下游第 {0} 层", "Detached": "未连接",
    # dialogs and messages
    "Project": "项目", "Start year": "开始年", "Core share": "核心企业分担",
    "Assign {0} to {1} enterprises": "为 {1} 家企业分配 {0}",
    "Select enterprises first (canvas, table or filters).":
        "请先选择企业（画布、表格或筛选）。",
    "The model has no scenario yet: create one first.": "模型中还没有情景，请先新建情景。",
    "The catalogue has no project yet.": "项目目录为空。",
    "Name": "名称", "Scenario name": "情景名称", "A scenario with that name exists already.":
        "已存在同名情景。",
    "Delete scenario {0} and its {1} assignments?": "删除情景 {0} 及其 {1} 项分配？",
    "Cannot open {0}": "无法打开 {0}", "The file has {0} problems; your current model is "
    "unchanged.": "文件有 {0} 个问题，当前模型未改变。",
    "Cannot save {0}": "无法保存 {0}",
    "Save changes to {0}?": "是否保存对 {0} 的修改？", "Untitled": "未命名",
    "Recover unsaved work?": "恢复未保存的工作？",
    "The planner closed without saving {0} ({1}). Recover it?":
        "规划工具上次未保存就关闭了 {0}（{1}）。是否恢复？",
    "Opening {0}…": "正在打开 {0}…", "Cancel": "取消",
    "{0} enterprises · {1} links · {2} assignments": "{0} 家企业 · {1} 条链接 · {2} 项分配",
    "NPV {0}": "净现值 {0}", "connected {0}": "接入率 {0}",
    "{0} errors, {1} warnings": "{0} 个错误，{1} 个警告", "Model has errors": "模型有错误",
    "Supplier id": "供应方编号", "Buyer id": "采购方编号",
    "New enterprise": "新企业", "Enterprise id": "企业编号",
    "An enterprise with id {0} exists already.": "已存在编号为 {0} 的企业。",
    "Link {0} → {1} exists already.": "链接 {0} → {1} 已存在。",
    "Add link {0} → {1}": "添加链接 {0} → {1}", "Move {0} enterprises": "移动 {0} 家企业",
    "Edit {0}": "编辑 {0}", "Delete {0} items": "删除 {0} 项", "Add {0}": "添加 {0}",
    "Value rejected: {0}": "值无效：{0}", "expected {0}": "应为{0}",
    "Open a chain": "打开产业链", "Workbooks and plans (*.xlsx *.json)":
        "工作簿和规划文件 (*.xlsx *.json)", "Excel workbook (*.xlsx)": "Excel 工作簿 (*.xlsx)",
    "Plan file (*.json)": "规划文件 (*.json)", "GraphML (*.graphml)": "GraphML (*.graphml)",
    "Saved {0}": "已保存 {0}", "Language: restart not needed": "语言已切换",
    "Colour nodes by": "节点着色", "role": "角色", "level": "数字化水平",
    "Zoom in to see names": "放大以显示名称", "Role": "角色",
    "{0} enterprises selected": "已选 {0} 家企业", "New project": "新项目", "Add project": "添加项目",
    "Cost and benefit by year": "逐年成本与效益", "Cost": "成本", "Benefit": "效益",
    "Cumulative net": "累计净效益", "Payback {0}": "回收期 {0}", "Cost by party": "各方成本",
    "SMEs": "中小企业", "Government": "政府", "Coverage over time": "覆盖率变化",
    "Connected share": "平台接入率", "Digitalised share": "数字化达标率",
    "Link coverage": "链接互联率", "Spend coverage": "交易额互联率", "Data islands": "数据孤岛",
    "islands": "个", "Coverage by position and tier": "按位置与层级的覆盖率",
    "Coverage by park": "按园区的覆盖率", "Coverage by size": "按规模的覆盖率",
    "Digital level: start and end": "数字化水平：期初与期末",
    "enterprises": "家企业", "Start": "期初", "End": "期末", "Level {0}": "{0} 级",
    "Charts": "图表", "(no park)": "（无园区）", "Export chart…": "导出图表…",
    "Image (*.png);;Vector (*.svg)": "图片 (*.png);;矢量图 (*.svg)",
    "Where the cost of {0} comes from": "{0} 年成本构成",
    "Assignment": "项目分配", "Capex": "投资", "Opex": "运维费", "Subsidy": "补贴",
    "Click an enterprise or a link to inspect and edit it.": "单击企业或链接以查看和编辑。",
    # chain canvas and legend
    "Core": "核心", "U{0}": "上{0}", "D{0}": "下{0}", "No park": "无园区",
    "Digital level {0}": "数字化水平 {0} 级", "Not yet on the platform": "尚未接入数据平台",
    "Faded: outside the filter": "淡显：不符合筛选条件",
    "Zoom in to see names and every link": "放大以显示名称和全部链接",
    "Zoom in to see every link": "放大以显示全部链接",
    "Upstream": "上游", "Downstream": "下游",
}


def set_language(lang: str) -> None:
    _state["lang"] = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _state["lang"]


def tr(text: str, *args: object) -> str:
    """``text`` in the current language, with ``{0}``… filled from ``args``."""
    if _state["lang"] == "zh_CN":
        text = ZH.get(text, text)
    return text.format(*args) if args else text


def header(spec: FieldSpec) -> str:
    return spec.header(_state["lang"])


def value_text(spec: FieldSpec, value: object) -> str:
    shown = display(spec, value, _state["lang"])
    if shown is None:
        return ""
    if isinstance(shown, float):  # thousands separated, at most two decimals, no trailing zeros
        return f"{shown:,.2f}".rstrip("0").rstrip(".") if abs(shown) < 1e15 else str(shown)
    return str(shown)
