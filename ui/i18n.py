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
    # the Risk tab (ui/risk.py): simulation, fan chart, tornado
    "Run simulation": "运行模拟", "Draws": "模拟次数", "Seed": "随机种子",
    "How many times the scenario is played out": "情景模拟的次数",
    "The same seed gives the same result": "相同的随机种子给出相同的结果",
    "Play the scenario out many times: who takes part and how large each benefit turns out":
        "多次模拟该情景：哪些企业参与，各项效益实际有多大",
    "{0} of {1} draws": "{1} 次中已完成 {0} 次", "Simulating…": "正在模拟…",
    "Cancelled: no new result.": "已取消：没有新结果。", "No scenario": "无情景",
    "The simulation failed: {0}": "模拟失败：{0}",
    "Results are for the model before your last change — Run again.":
        "结果对应的是您上次修改之前的模型——请重新运行。",
    "Results are for scenario “{0}”, not the current one — Run again.":
        "结果对应的是情景“{0}”，不是当前情景——请重新运行。",
    "Run the simulation to see how sure the numbers are: each draw decides which SMEs take "
    "part (by their awareness) and how large each project's benefit turns out (within its "
    "range).": "运行模拟，看看这些数字有多可靠：每次模拟按认知程度决定哪些中小企业参与，"
               "并在效益范围内决定各项目的实际效益。",
    "NPV over the draws": "各次模拟的净现值", "draws": "次数",
    "NPV over {0} draws · P(NPV < 0) = {1}": "{0} 次模拟的净现值 · 净现值为负的概率 {1}",
    "{0} to {1}: {2} draws": "{0} 至 {1}：{2} 次", "NPV below 0": "净现值小于 0",
    "NPV 0 or above": "净现值不小于 0", "Deterministic": "确定性结果", "Median": "中位数",
    "Connected share over the years": "各年平台接入率", "P5–P95": "P5–P95",
    "P25–P75": "P25–P75", "Participation by awareness": "按认知程度的参与情况",
    "Took part (mean of the draws)": "实际参与（各次模拟平均）",
    "Scenario's participation rate": "情景设定的参与率",
    "{0} assignments of firms in this class": "该类企业共 {0} 项项目分配",
    "Very familiar": "非常了解", "Aware": "了解", "Heard of": "听说过", "Unaware": "不了解",
    "{0} ({1})": "{0}（{1}）",
    "Tornado: the NPV with one input at −20% and +20%": "龙卷风图：单项输入 −20% 与 +20% 时的净现值",
    "The {0} largest of {1} inputs are shown.": "图中为 {1} 项输入中影响最大的 {0} 项。",
    "Input −20%": "输入 −20%", "Input +20%": "输入 +20%",
    "at −20% ({0}): NPV {1}": "−20%（{0}）：净现值 {1}",
    "at +20% ({0}): NPV {1}": "+20%（{0}）：净现值 {1}",
    "SMEs' NPV {0} to {1}": "中小企业净现值 {0} 至 {1}",
    "Discount rate": "折现率", "Link benefit rate": "链接效益率",
    "Subsidy rates (all together)": "补贴比例（全部一起）",
    "{0}: capex": "{0}：投资", "{0}: opex": "{0}：年运维费", "{0}: benefit": "{0}：效益",
    "The tornado appears here once the model has no errors and a scenario.":
        "模型没有错误并且有情景后，这里将显示龙卷风图。",
    "Tornado of the model before your last change: updating…": "龙卷风图对应您上次修改之前的模型：正在更新…",
    "Tornado of the model before your last change: {0}": "龙卷风图对应您上次修改之前的模型：{0}",
    "Each input moved by 20% down and up with the others unchanged, exact; amounts in {0}.":
        "每项输入分别下调和上调 20%，其他输入不变，精确计算；金额单位：{0}。",
    "Figure": "指标", "Mean": "平均值", "Core enterprise's NPV": "核心企业净现值",
    "SMEs' NPV": "中小企业净现值", "Park operators' NPV": "园区运营方净现值",
    "Government's NPV": "政府净现值", "Connected share at the end": "期末平台接入率",
    "Digitalised share at the end": "期末数字化达标率", "Data islands at the end": "期末数据孤岛",
    "Participation": "参与率", "Amounts in {0}; P(NPV < 0) = {1}": "金额单位：{0}；净现值为负的概率 {1}",
    "Risk": "风险",
    # menus and actions
    "&File": "文件(&F)", "&Edit": "编辑(&E)", "&View": "视图(&V)", "&Plan": "规划(&P)",
    "&Language": "语言(&L)",
    "New": "新建", "Open…": "打开…", "Save": "保存", "Save As…": "另存为…",
    "Export Excel…": "导出 Excel…", "Export template…": "导出模板…",
    "Export GraphML…": "导出 GraphML…", "Recent files": "最近文件", "Quit": "退出",
    "Undo": "撤销", "Redo": "重做", "Add enterprise…": "添加企业…", "Add link…": "添加链接…",
    "Delete selected": "删除所选", "Select all": "全选", "Find…": "查找…",
    "Fit chain": "适应窗口",
    "Assign project…": "分配项目…", "New scenario…": "新建情景…",
    "Duplicate scenario…": "复制情景…", "Rename scenario…": "重命名情景…",
    "Delete scenario": "删除情景", "Rename scenario {0}": "重命名情景 {0}",
    "Toolbar": "工具栏", "Chain Digitalisation Planner": "产业链数字化规划",
    "Open folder": "打开所在文件夹",
    # action tooltips
    "Start an empty chain": "新建空白产业链",
    "Open a workbook (.xlsx) or a plan file (.json)": "打开工作簿（.xlsx）或规划文件（.json）",
    "Save the chain": "保存产业链", "Save the chain under another name or as another type":
        "以其他名称或类型保存产业链",
    "Write a copy of the chain as an Excel workbook": "将产业链另存一份 Excel 工作簿",
    "Write a workbook to fill in: enterprises, links and assessments, with the project "
    "catalogue": "导出待填写的工作簿：企业、链接和评测，并附项目目录",
    "New with project catalogue": "新建（含项目目录）",
    "Include the project catalogue?": "是否包含项目目录？",
    "Fill the template's Projects sheet with the sourced catalogue of the examples (cloud ERP, "
    "platform onboarding, MES, 5G …), so there are projects to assign?":
        "在模板的“项目”表中填入示例的项目目录（云ERP、平台接入、MES、5G 等，均注明来源），以便直接分配项目？",
    "Start an empty chain whose Projects hold the sourced project catalogue":
        "新建空白产业链，“项目”表中预置有来源的项目目录",
    "Write the chain as a graph for yEd or Gephi": "导出产业链图，供 yEd 或 Gephi 使用",
    "Write the PDF report of every scenario": "生成包含各情景的 PDF 报告",
    "Show the charts as full-screen slides": "以全屏幻灯片展示图表", "Close the planner": "关闭规划工具",
    "Undo the last change": "撤销上一次修改", "Redo the change undone last": "恢复刚撤销的修改",
    "Add an enterprise to the chain": "向产业链添加企业",
    "Add a supply link between two enterprises": "在两家企业之间添加供应链接",
    "Delete the selected enterprises and links, with what refers to them":
        "删除所选企业和链接，以及引用它们的数据",
    "Select every enterprise": "选中全部企业", "Find an enterprise by id or name": "按编号或名称查找企业",
    "Show the whole chain": "显示整条产业链",
    "Assign a project to the selected enterprises in the current scenario":
        "在当前情景中为所选企业分配项目",
    "Find the plan with the best value within the budgets": "在预算内寻找价值最高的规划",
    "Add an empty scenario": "新建空白情景", "Copy the current scenario with its assignments":
        "复制当前情景及其项目分配", "Rename the current scenario": "重命名当前情景",
    "Delete the current scenario and its assignments": "删除当前情景及其项目分配",
    "Select the enterprise to assess first: click it on the chain or in the Enterprises table, "
    "then press Assess….": "请先选择要评测的企业：在产业链图或“企业”表中单击它，然后点击“评测…”。",
    # files and errors
    "Image (*.png)": "图片 (*.png)", "Vector (*.svg)": "矢量图 (*.svg)",
    "File: {0}\nFolder: {1}": "文件：{0}\n文件夹：{1}", "Folder: {0}": "文件夹：{0}",
    "Check the file, or choose another one.": "请检查该文件，或选择其他文件。",
    "The file may be open in another program (close it there), or you may not write to this "
    "folder: choose another one.": "文件可能正被其他程序打开（请先在该程序中关闭），或您无权写入此文件夹："
                                   "请选择其他文件夹。",
    "The folder does not exist (any more): choose another one.":
        "文件夹不存在（或已被删除）：请选择其他文件夹。",
    "That name is a folder: type a file name.": "该名称是一个文件夹：请输入文件名。",
    "The disk may be full or no longer there: free some space or choose another folder.":
        "磁盘可能已满或已断开：请释放空间或选择其他文件夹。",
    "The details were written to {0}.": "详细信息已写入 {0}。",
    "Something went wrong inside the planner ({0}).": "规划工具内部出错（{0}）。",
    "Your work is kept: save it under a new name, then carry on or restart the planner. If it "
    "happens again, send the log file to whoever supports you.":
        "您的工作未丢失：请另存为新文件，然后继续或重新启动规划工具。如果再次出现，请将日志文件发给技术支持人员。",
    "{0} exists already. Replace it?": "{0} 已存在。是否替换？",
    "Opening {0} cancelled; {1} is unchanged.": "已取消打开 {0}；{1} 保持不变。",
    "Fix the errors listed under Problems, then export again.": "请先修正“问题”中列出的错误，再重新导出。",
    "“{0}” does not end in {1}.": "“{0}”的扩展名不是 {1}。", " or ": " 或 ",
    "The name is now {0}: press Save to use it, or type another.":
        "文件名已改为 {0}：点击“保存”使用此名称，或输入其他名称。",
    # docks and panels
    "Chain": "产业链", "Inspector": "属性", "Problems": "问题", "History": "历史记录",
    "Catalogue": "项目目录", "Tables": "数据表", "Legend": "图例",
    "Enterprises": "企业", "Links": "链接", "Projects": "项目", "Scenarios": "情景",
    "Assignments": "项目分配", "Parks": "园区", "ParkAssignments": "园区项目分配",
    "Scenario": "情景", "Year": "年份",
    "Filter rows…": "筛选行…", "Search id or name (Ctrl+F)": "按编号或名称查找（Ctrl+F）",
    "Park": "园区", "Size": "规模", "Position": "位置", "Tier": "层级", "Ownership": "所有制",
    "All": "全部", "Select matching": "选中符合项",
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
    "Working out the figures…": "正在计算各项数据…",
    "Name": "名称", "Scenario name": "情景名称", "A scenario with that name exists already.":
        "已存在同名情景。",
    "Delete scenario {0} and its {1} assignments?": "删除情景 {0} 及其 {1} 项分配？",
    "Cannot open {0}": "无法打开 {0}", "The file has {0} problems; your current model is "
    "unchanged.": "文件有 {0} 个问题，当前模型未改变。",
    "Cannot save {0}": "无法保存 {0}",
    "Save changes to {0}?": "是否保存对 {0} 的修改？", "Untitled": "未命名",
    "Recover unsaved work?": "恢复未保存的工作？", "Could not recover {0}": "无法恢复 {0}",
    "The autosave of {0} could not be read; it is kept as {1}.":
        "{0} 的自动保存无法读取，已另存为 {1}。",
    "Send that file to whoever supports the planner, or delete it.":
        "请将该文件发给技术支持人员，或将其删除。",
    "The planner closed without saving {0} ({1}). Recover it?":
        "规划工具上次未保存就关闭了 {0}（{1}）。是否恢复？",
    "Opening {0}…": "正在打开 {0}…", "Cancel": "取消",
    "{0} enterprises · {1} links · {2} assignments": "{0} 家企业 · {1} 条链接 · {2} 项分配",
    "NPV {0}": "净现值 {0}", "connected {0}": "接入率 {0}",
    "{0} errors, {1} warnings": "{0} 个错误，{1} 个警告", "Model has errors": "模型有错误",
    "New enterprise": "新企业", "Enterprise id": "企业编号",
    "An enterprise with id {0} exists already.": "已存在编号为 {0} 的企业。",
    "Link {0} → {1} exists already.": "链接 {0} → {1} 已存在。",
    "Add link {0} → {1}": "添加链接 {0} → {1}", "Move {0} enterprises": "移动 {0} 家企业",
    "Edit {0}": "编辑 {0}", "Delete {0} items": "删除 {0} 项", "Add {0}": "添加 {0}",
    "Value rejected: {0}": "值无效：{0}",
    "Open a chain": "打开产业链", "Excel workbook (*.xlsx)": "Excel 工作簿 (*.xlsx)",
    "Plan file (*.json)": "规划文件 (*.json)", "Project file (*.chainplan)": "项目文件 (*.chainplan)",
    "Projects, workbooks and plans (*.chainplan *.xlsx *.json)":
        "项目文件、工作簿和规划文件 (*.chainplan *.xlsx *.json)",
    "GraphML (*.graphml)": "GraphML (*.graphml)",
    "Saved {0}": "已保存 {0}",
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
    # the Policy panel and the public money view (ui/policy.py, ui/charts.py)
    "Policy": "政策", "Policy of scenario {0}": "情景 {0} 的政策",
    "No scenario yet: create one (Plan ▸ New scenario…) to set its policy.":
        "尚无情景：请先新建情景（规划 ▸ 新建情景…）再设定其政策。",
    "Set {0} of {1}": "设定 {1} 的{0}",
    "Grants": "投资补贴", "Micro firms": "微型企业", "Small firms": "小型企业",
    "Medium firms": "中型企业", "Large firms": "大型企业", "Cap per firm": "每家企业上限",
    "The government pays this share of a firm's project capex once, by the firm's size.":
        "政府按企业规模一次性承担其项目投资的这一比例。",
    "Most subsidy one firm gets in all; empty = no cap.": "一家企业最多获得的补贴总额；空为不设上限。",
    "Running-cost subsidy": "运维补贴", "Share of running cost": "运维费补贴比例",
    "For years": "补贴年数",
    "Pays part of an SME's yearly running cost (e.g. a cloud subscription) after go-live.":
        "上线后承担中小企业每年运维费的一部分（如云服务订阅费）。",
    "Share of an SME's yearly opex the government pays.": "政府承担中小企业年运维费的比例。",
    "How many years from go-live it is paid.": "自上线起发放的年数。",
    "Level condition": "达标条件",
    "事后奖补: subsidies are paid only once the firm has reached a digital level; until then "
    "they wait, and are never paid if it never gets there.":
        "事后奖补：企业达到规定的数字化水平后才发放补贴；此前暂缓，始终未达到则不发放。",
    "Pay once the firm reaches": "企业达到此水平后发放", "None: pay at once": "无：立即发放",
    "Targeting": "补贴对象", "Ownerships": "所有制",
    "Only firms of the ticked ownerships get grants, running-cost and interest subsidies; "
    "none ticked = all firms.": "仅所勾选所有制的企业获得投资补贴、运维补贴和贴息；不勾选则为全部企业。",
    "State-owned": "国有", "Private": "民营", "Foreign-owned": "外资", "Other ownership": "其他",
    "Tax": "税收", "Tax relief rate": "税收减免率",
    "Tax relief returns a share of a firm's own digital spending, for every firm.":
        "税收减免按企业自身数字化支出的一定比例返还，适用于所有企业。",
    "Share of a firm's own digital spending returned as tax relief.":
        "企业自身数字化支出中以税收减免返还的比例。",
    "E.g. a 100% super-deduction of R&D spending (研发费用加计扣除) at 25% income tax returns "
    "100% × 25% = 25% of the spending:":
        "例如研发费用加计扣除 100%、企业所得税率 25%，则返还支出的 100% × 25% = 25%：",
    "Super-deduction": "加计扣除比例", "× income tax": "× 所得税率", "= {0} relief": "= 减免 {0}",
    "Use {0}": "采用 {0}",
    "Loans": "贷款", "Share financed by loan": "贷款比例", "Interest rate": "贷款利率",
    "Years to repay": "还款年数", "Interest subsidy": "贴息",
    "A bank loan pays part of an SME's own capex; it is repaid in equal yearly instalments, "
    "and the government may pay part of the interest (贷款贴息).":
        "银行贷款承担中小企业自付投资的一部分，按年等额还款；政府可承担部分利息（贷款贴息）。",
    "Share of an SME's own capex paid with a bank loan.": "中小企业自付投资中由银行贷款支付的比例。",
    "The loan's yearly interest rate.": "贷款年利率。",
    "Equal yearly instalments over this many years.": "在这些年内按年等额还款。",
    "Share of the loan interest the government pays (贷款贴息).": "政府承担的贷款利息比例（贷款贴息）。",
    "Park operators": "园区运营方", "Capex grants": "投资补贴", "Tax relief": "税收减免",
    "Public money by instrument": "按政策工具的财政资金", "Total": "合计",
    "Public money over the horizon ({0})": "规划期内财政资金（{0}）",
    "Public money, total": "财政资金合计",
    "Per SME reaching level {0} ({1} SMEs)": "每家新达到 {0} 级的中小企业（{1} 家）",
    "none reached": "无企业达标",
    "Per newly data-connected link ({0} links)": "每条新数据互联链接（{0} 条）",
    "none connected": "无新互联链接",
    "SMEs' own payback, median ({0} SMEs with projects)": "中小企业自身回收年份，中位数（{0} 家有项目）",
    "SMEs' own payback, median": "中小企业自身回收年份，中位数",
    "not within the horizon": "规划期内未回收", "no SME projects": "无中小企业项目",
    "SMEs paying back within the horizon": "规划期内回收的中小企业", "({0} of {1})": "（{1} 家中 {0} 家）",
    "Health check": "数字化体检", "Assess…": "评测…", "Levels across the chain": "全链等级分布",
    "Assessed enterprises": "已评测企业",
    "Projects that fit: what lifts this firm to its next level first, then best "
    "benefit-to-cost": "适配项目：先列能助其升级的项目，再按效益成本比排序",
    "Lifts to the next level": "助其升级的场景", "with {0} first": "需先实施 {0}",
    "To reach {0}": "升至{0}", "Assign": "分配", "score": "得分",
    "Not assessed yet: select an enterprise and press Assess…": "尚未评测：请选择企业并点击“评测…”",
    "Top level reached.": "已达最高等级。",
    "{0:.1f} more points of the base score (needs {1:g})": "基础得分还差 {0:.1f} 分（需 {1:g} 分）",
    "{0} more scenarios at grade {1} ({2} constrained)":
        "另需 {0} 个场景达到 {1} 级（其中约束性 {2} 个）",
    "Health check of {0}": "{0} 的数字化体检", "Business scenarios (grade 0–4)": "数字化经营场景（0–4 级）",
    "* constrained scenario (约束性)": "* 约束性场景", "Score {0:.1f} / 100 · {1}":
        "得分 {0:.1f} / 100 · {1}",
    "Why this year": "为何此年", "Benefit-cost ratio": "效益成本比",
    "Binding constraints": "起约束作用的条件", "NPV": "净现值",
    "Optimise plan": "优化规划", "Optimise plan…": "优化规划…", "Optimise": "开始优化",
    "Budgets are per year": "预算按年计", "Net present value": "净现值",
    "Connected share at the end (NPV breaks ties)": "期末平台接入率（净现值次之）",
    "Expected NPV (weighted by who takes part)": "期望净现值（按参与率加权）",
    "Each assignment counts with the probability that its firm takes part (its awareness "
    "class's participation rate) and benefits at their mean; no coaching is added; budgets "
    "and cost caps hold with everyone taking part":
        "每项分配按其企业参与的概率（所在认知程度的参与率）计入，效益取均值；不添加辅导项目；"
        "预算与成本上限按全部参与计算",
    "Core enterprise budget": "核心企业预算", "Government budget": "政府预算",
    "Objective": "目标", "Core share of new projects": "新项目的核心企业分担",
    "SME yearly cost cap (of revenue)": "中小企业年成本上限（占营业收入）",
    "Government share of new park projects": "新增园区项目的政府分担比例",
    "Core share of new park projects": "新增园区项目的核心企业分担比例",
    "Share of new park projects the government pays; the park operator pays the rest":
        "新增园区项目中由政府承担的比例，其余由园区运营方承担",
    "The park shares add up to more than 100 %": "园区项目的分担比例合计超过 100 %",
    "Time limit": "时间上限", "Optimising…": "正在优化…", "Cancelled": "已取消",
    "Charts": "图表", "Compare": "情景对比", "Presentation": "演示模式",
    "Export report…": "导出报告…", "PDF (*.pdf)": "PDF (*.pdf)",
    "Export chart…": "导出图表…",
    "The figures could not be worked out: {0}": "无法计算各项指标：{0}",
    "Choose a scenario to see its charts.": "请选择一个情景以查看其图表。",
    "Writing the report…": "正在生成报告…",
    "{0} scenarios": "{0} 个情景",
    "The model has errors ({0}): fix them in Problems. Until then there are no figures to "
    "show.": "模型有 {0} 个错误：请在“问题”中修正。修正之前没有可显示的指标。",
    "Where the cost of {0} comes from": "{0} 年成本构成",
"Capex": "投资", "Opex": "运维费", "Subsidy": "补贴",
    "Click an enterprise or a link to inspect and edit it.": "单击企业或链接以查看和编辑。",
    # chain canvas and legend
    "Core": "核心", "U{0}": "上{0}", "D{0}": "下{0}", "No park": "无园区",
    "Digital level {0}": "数字化水平 {0} 级", "Not yet on the platform": "尚未接入数据平台",
    "Faded: outside the filter": "淡显：不符合筛选条件",
    "Zoom in to see names and every link": "放大以显示名称和全部链接",
    "Zoom in to see every link": "放大以显示全部链接",
    "Upstream": "上游", "Downstream": "下游",
    # scenario comparison, report and presentation
"Differences are measured from this scenario": "差值以此情景为基准",
    "Show difference vs baseline": "显示与基准的差值",
    "Double-click a scenario to make it current": "双击情景以设为当前情景",
    "Cumulative net benefit by scenario": "各情景累计净效益",
    "Connected share by scenario": "各情景平台接入率",
    "Amounts in {0}; shares and data islands at the end of each scenario's horizon. Bold on "
    "blue: best value in the row.":
        "金额单位：{0}；比例与数据孤岛数均为各情景期末值。蓝底粗体：该行最优值。",
    "Baseline:": "基准：",
    "(baseline)": "（基准）",
    "vs {0}: {1}": "相对 {0}：{1}", "Best in the row": "该行最优",
    "Public money and firms": "财政资金与企业",
    "How sure ({0} simulated draws, seed {1})": "不确定性（{0} 次模拟，种子 {1}）",
    "How far the NPV may fall or rise when not every SME takes part and benefits differ "
    "from the estimates: a short simulation per scenario (the Risk tab runs more draws)":
        "并非所有中小企业都参与、效益也与估计不同时，净现值可能下降或上升多少：每个情景一次简短模拟"
        "（风险页可运行更多次抽样）",
    "What the scenario's policy costs the government, per SME reaching the target level and "
    "per newly connected link, and when the SMEs' own projects pay back":
        "情景政策的财政成本：合计、每家新达标中小企业、每条新互联链接，以及中小企业自身项目何时回收",
    "Cannot write {0}": "无法写入 {0}",
    "Saving {0}…": "正在保存 {0}…",
    "Scenario: {0}": "情景：{0}",
    "Scenario comparison": "情景比较",
    "Enterprise": "企业",
    "The model has {0} errors; fix them before writing a report.":
        "模型有 {0} 个错误，请先修正再生成报告。",
    "→ next   ← previous   Esc leave": "→ 下一页   ← 上一页   Esc 退出",
    "{0} scenarios · amounts in {1}": "{0} 个情景 · 金额单位：{1}",
    "Scenario: {0} · amounts in {1}": "情景：{0} · 金额单位：{1}",
    # field kinds, tables, dialogs
    "Assessments": "评测", "Annual trade value": "年交易额", "Buyer": "采购方",
    "No level: the answers meet no level's rule.": "无等级：答案未达到任何等级的条件。",
    "Enter an id and a name.": "请输入编号和名称。", "Enter a name.": "请输入名称。",
    "Type an id or part of a name": "输入编号或名称的一部分",
    "A link needs two different enterprises.": "链接需要两家不同的企业。",
    "Assign it to them anyway": "仍然为这些企业分配",
    "Assign {0} to {1} of the {2} selected enterprises.": "将为所选 {2} 家企业中的 {1} 家分配 {0}。",
    "The catalogue has no project yet: add projects in the Projects table or drag them from "
    "the Catalogue, then assign.":
        "项目目录为空：请先在“项目”表中添加项目，或从“项目目录”拖入，然后再分配。",
    "Every selected enterprise is left out (see above).": "所选企业均被排除（见上文）。",
    "Supplier (id or name)": "供应方（编号或名称）", "Buyer (id or name)": "采购方（编号或名称）",
    "Goods flow from the supplier to the buyer.": "货物由供应方流向采购方。",
    "To add a project: Projects table ▸ Add project, or drag one from the Catalogue onto the "
    "chain.": "添加项目：在“项目”表中点击“添加项目”，或从“项目目录”拖到产业链上。",
    "Assigned {0} to {1} of {2} selected enterprises.": "已为所选 {2} 家企业中的 {1} 家分配 {0}。",
    "{0} left out: they have {1} in this scenario already ({2}).":
        "排除 {0} 家：本情景中已分配 {1}（{2}）。",
    "{0} left out: {1} is meant for {2} enterprises only ({3}).":
        "排除 {0} 家：{1} 仅适用于{2}企业（{3}）。",
    "and {0} more": "等另外 {0} 家", "Choose the supplier and the buyer.": "请选择供应方和采购方。",
    "{0}: no enterprise has the id or name {1}": "{0}：没有编号或名称为 {1} 的企业",
    "{0} of them are below level {1}, which {2} needs: the plan will warn about them ({3}).":
        "其中 {0} 家低于 {2} 所需的 {1} 级，规划将对其给出警告（{3}）。",
    # parks in the app (tables, canvas, inspector, Assign dialog)
    "Park projects": "园区项目", "Add park": "添加园区", "Assign park project…": "分配园区项目…",
    "Park projects in {0}": "{0} 中的园区项目", "Delete park": "删除园区",
    "Delete park {0}": "删除园区 {0}", "Delete {0} parks": "删除 {0} 个园区",
    "Delete the park: its park projects go, its members keep no park":
        "删除园区：其园区项目一并删除，园内企业不再属于任何园区",
    "Members": "园内企业", "none": "无", "start {0}, live {1}": "{0} 年开始，{1} 年上线",
    "government {0} · core {1} · operator {2}": "政府 {0} · 核心企业 {1} · 运营方 {2}",
    "Government share": "政府分担", "the park operator": "园区运营方", "park project": "园区项目",
    "({0} firms)": "（{0} 家企业）", "Assign {0} to {1} parks": "将 {0} 分配给 {1} 个园区",
    "Drag a park project from the Catalogue onto the park's box, or use Assign project…":
        "从“项目目录”将园区项目拖到园区框上，或使用“分配项目…”",
    "No project {0} in the catalogue.": "项目目录中没有项目 {0}。",
    "{0} is an enterprise project: drop it on a firm, not on a park. Nothing was changed.":
        "{0} 是企业项目：请拖到企业上，而不是园区上。未做任何修改。",
    "{0} is a park project: drop it on a park's box, not on a firm. Nothing was changed.":
        "{0} 是园区项目：请拖到园区框上，而不是企业上。未做任何修改。",
    "Assigned {0} to park {1} from {2}; its operator pays all until you set the government's "
    "and the core's shares (Park projects table).":
        "已将 {0} 分配给园区 {1}，自 {2} 年开始；在“园区项目”表中设定政府和核心企业的"
        "分担比例之前，费用全部由运营方承担。",
    "{0} has {1} in this scenario already. Nothing was changed.": "{0} 在本情景中已有 {1}。未做任何修改。",
    "Assign {0} to {1} parks: every member firm benefits once it is live.":
        "将 {0} 分配给 {1} 个园区：上线后园内每家企业均受益。",
    "Who pays (capex {0}, then {1} a year, per park): government {2}, core {3}, {4} {5}.":
        "费用分担（每个园区投资 {0}，此后每年 {1}）：政府 {2}，核心企业 {3}，{4} {5}。",
    "Assigned {0} to {1} parks.": "已将 {0} 分配给 {1} 个园区。",
    "An enterprise project goes to enterprises: select them first (canvas, table or filters), "
    "or choose a park project.": "企业项目分配给企业：请先选择企业（画布、表格或筛选），或选择园区项目。",
    "The model has no park: name parks in the Enterprises' Park column or add them in the "
    "Parks table.": "模型中没有园区：请在企业表的“园区”列填写园区，或在“园区”表中添加。",
    "Tick the parks to assign it to.": "请勾选要分配的园区。",
    "{0} parks left out: they have {1} in this scenario already ({2}).":
        "排除 {0} 个园区：本情景中已分配 {1}（{2}）。",
    "Click to inspect; drop park projects here.": "点击查看；可将园区项目拖放到此处。",
    "Every ticked park has it already (see above).": "所勾选的园区均已有此项目（见上）。",
    "The government's and the core's shares add up to more than 100%.":
        "政府与核心企业的分担比例之和超过 100%。",
    # plans exchanged with suppliers (ui/exchange.py): send, collect, compare
    "Send surveys…": "发送调查表…", "Collect surveys…": "汇总调查表…",
    "Compare with file…": "与文件比较…",
    "Write each SME a workbook with its own part of the plan to check and fill in":
        "为每家中小企业生成一份工作簿，内含其自己的那部分规划，供其核对和填写",
    "Review the changes in returned surveys and apply those you accept":
        "审阅回收的调查表中的修改，并应用您接受的修改",
    "List the differences between this plan and another plan file":
        "列出本规划与另一规划文件之间的差异",
    "Send surveys": "发送调查表",
    "Each firm gets a workbook with its own part of the plan (its row, its links and its "
    "latest health check) to check, fill in and send back.":
        "每家企业收到一份工作簿，内含其自己的那部分规划（企业信息、供应关系和最近一次数字化体检），"
        "核对、填写后寄回。",
    "Firms": "企业", "The selected firms ({0})": "所选企业（{0} 家）",
    "Every SME ({0})": "全部中小企业（{0} 家）", "The SMEs matching:": "符合以下条件的中小企业：",
    "any": "不限", "Choose…": "选择…", "Language of the surveys": "调查表语言",
    "Folder": "文件夹", "Write surveys": "生成调查表",
    "{0} surveys will be written.": "将生成 {0} 份调查表。",
    "Folder for the surveys": "调查表存放文件夹",
    "{0} of these surveys exist already in {1} (e.g. {2}). Replace them?":
        "{1} 中已有其中 {0} 份调查表（如 {2}）。是否替换？",
    "{0} of {1}": "{0} / {1}",
    "Cancelled: {0} of {1} surveys written to {2}.": "已取消：{1} 份调查表中已有 {0} 份写入 {2}。",
    "Cannot write the surveys": "无法生成调查表",
    "Check that the folder can be written to, or choose another one.":
        "请检查该文件夹是否可写入，或选择其他文件夹。",
    "There is no SME to send a survey to.": "没有可发送调查表的中小企业。",
    "Add the chain's enterprises first.": "请先添加产业链中的企业。",
    "Wrote {0} surveys to {1}": "已将 {0} 份调查表写入 {1}",
    "Collect surveys": "汇总调查表",
    "Drop the returned survey workbooks here, or choose them with Add files…. Tick the "
    "changes to take; a conflict (two files with different values) is taken only for the "
    "side you tick.": "将回收的调查表工作簿拖放到此处，或点击“添加文件…”选择。勾选要采纳的修改；"
                      "冲突（两个文件的值不同）只采纳您勾选的一方。",
    "Add files…": "添加文件…", "File / table": "文件 / 表", "Key": "键", "Field": "字段",
    "Old value": "原值", "New value": "新值", "Status": "状态",
    "Save change list…": "保存变更清单…", "Apply": "应用", "Close": "关闭",
    "No returned surveys yet.": "尚未添加回收的调查表。", "Returned surveys": "回收的调查表",
    "changes: {0}": "修改：{0}", "no change": "无修改", "refused: {0}": "已拒绝：{0}",
    "(the whole link)": "（整条供应关系）", "(new row)": "（新增行）", "Files: {0}": "文件：{0}",
    "in conflict: {0}": "冲突：{0}", "changes refused: {0}": "被拒绝的修改：{0}",
    "files refused: {0}": "被拒绝的文件：{0}",
    "links not confirmed (kept): {0}": "未确认的供应关系（保留）：{0}",
    "Apply {0} changes": "应用 {0} 项修改", "Cannot apply these changes": "无法应用这些修改",
    "Collect {0} changes from {1}": "汇总 {1} 中的 {0} 项修改",
    "Applied {0} changes from {1}.": "已应用 {1} 中的 {0} 项修改。",
    "{0} surveys": "{0} 份调查表",
    "survey changes": "调查表变更", "ok": "可应用", "conflict": "冲突", "refused": "已拒绝",
    "not confirmed": "未确认", "Settings": "设置",
    "Compare with {0}": "与 {0} 比较",
    "“This model” is {0}; “the file” is {1}.": "“本模型”为 {0}；“文件”为 {1}。",
    "All tables ({0})": "全部表（{0}）", "Show": "显示", "Table": "表", "Difference": "差异",
    "This model": "本模型", "The file": "文件", "only in the file": "仅在文件中",
    "only in this model": "仅在本模型中", "changed": "已修改",
    "No differences: the file holds the same plan.": "没有差异：该文件中的规划与本模型相同。",
    "Double-click a row to select its firm or link in the chain.":
        "双击一行，即可在产业链图中选中对应的企业或供应关系。",
    "Clear the highlight": "清除高亮", "Clear": "清除",
    "Highlight {0} firms and {1} links on the chain": "在产业链图中高亮 {0} 家企业和 {1} 条供应关系",
    "{0} is not in this model.": "本模型中没有 {0}。",
    "{0} differences outlined on the chain": "产业链图中已标出 {0} 处差异",
    "{0}: {1}": "{0}：{1}", "; ": "；",
    "(empty)": "（空）",
    "Reading {0} returned surveys…": "正在读取 {0} 份回收的调查表…",
    "Cannot read the returned surveys": "无法读取回收的调查表",
    "{0} firms · {1} on the platform": "{0} 家企业 · {1} 已上平台",
    "Overview: double-click a group or zoom in to see its firms":
        "概览：双击分组或放大以查看其中的企业",
}


def set_language(lang: str) -> None:
    _state["lang"] = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _state["lang"]


def text_in(lang: str, text: str, *args: object) -> str:
    """``text`` in ``lang``, with ``{0}``… filled from ``args``: for content made in a
    language other than the interface's (a report, a workbook), without switching it."""
    if lang == "zh_CN":
        text = ZH.get(text, text)
    return text.format(*args) if args else text


def tr(text: str, *args: object) -> str:
    """``text`` in the interface language, with ``{0}``… filled from ``args``."""
    return text_in(_state["lang"], text, *args)


def header(spec: FieldSpec) -> str:
    return spec.header(_state["lang"])


def value_text(spec: FieldSpec, value: object) -> str:
    shown = display(spec, value, _state["lang"])
    if shown is None:
        return ""
    if isinstance(shown, float):  # thousands separated, at most two decimals, no trailing zeros
        return f"{shown:,.2f}".rstrip("0").rstrip(".") if abs(shown) < 1e15 else str(shown)
    return str(shown)
