"""资金与政策衔接: benefits that exclude each other, the support money, identity numbers, people to watch.

The money's problems are the analysis' typed findings (:mod:`tekun_helpers.analysis.findings`), rendered here.
"""
from __future__ import annotations

from IPython.display import HTML, display

from ..config import outputs
from ..core.fmt import cn_month, money
from ..core.frames import rows_of
from ..month import PROVENANCE
from . import sections, tables
from .briefing import CONFIRMED, Briefing
from .parts import esc, line as _line, scoped as _scoped, cases as _cases, BANNER_LIST


def _money_problem(r: dict) -> str:
    """A short verdict for one home's money: the table shows the amounts, so the words stay short."""
    return "；".join(f.verdict for f in r["findings"]) or "无"


def compliance_section(b: Briefing) -> None:
    """资金与政策衔接: benefits that exclude each other, the support money, identity numbers, people to watch."""
    for part in (_benefit_conflicts, _support_money, _identity_numbers, _people_to_watch):
        part(b, b.compliance)


#: what each value of a conflict's 比对结果 means (:data:`CONFIRMED`), said under the table for the values it holds
CONFIRMED_MEANS = {True: "身份证号一致", False: "一方没有身份证号，仅乡镇、村和姓名相同，须核对身份后处理"}


def _benefit_conflicts(b: Briefing, c) -> None:
    """Benefits that exclude each other: the rosters compared and who holds two."""
    src = b.policy.benefits_source
    title = "与其他社会救助待遇的衔接"       # the plan's words come with a finding
    if not c.rosters:
        display(HTML(_line(title, f"{cn_month(b.month)}没有收到最低生活保障、孤儿基本生活保障、困难残疾人生活补贴或"
                                  "重度残疾人护理补贴名册，未作比对。")))
    else:
        conf = b.own_conflicts()
        missing = [x.label for x in b.policy.benefits.values() if x.label not in c.rosters]
        text = f"已比对的名册：{'、'.join(c.rosters)}" + (f"；未收到：{'、'.join(missing)}" if missing else "") + "。"
        if conf.empty:
            display(HTML(_line(title, f"{text}未发现同时享受的人员。")))
        else:
            display(HTML(f"<h3>{esc(title)}</h3>"))
            n_conf = int(conf["confirmed"].sum())
            display(HTML(f"<p class='tekun-note'>方案原文：“{esc(src)}”</p><p>{esc(text)}发现 {len(conf)} 人次同时享受方案规定不能同时享受的待遇，其中身份证号一致 {n_conf} 人次，"
                         f"仅姓名和村相同、待核实 {len(conf) - n_conf} 人次。</p>"))
            if b.scope.whole and len(conf) > 2 * BANNER_LIST:      # a short list by name says it all
                counts = b.conflict_counts()
                cols = [*tables.columns("conflicts_brief", "township"),
                        *(outputs.Column(c, c, outputs.COUNT, "人次", outputs.SUM) for c in counts.columns[1:])]
                display(tables.styled(tables.add_total(counts, cols), cols, policy=b.policy, total_row=True))
            view = conf.assign(confirmed=conf["confirmed"].map(CONFIRMED),
                               to_stop=["停止特困供养" if t != bf else "停止该待遇"
                                        for t, bf in zip(conf["to_stop"], conf["benefit"])])
            display(tables.styled(view, _scoped(b, "conflicts_brief"), policy=b.policy))
            shown = [f"{CONFIRMED[k]}：{v}" for k, v in CONFIRMED_MEANS.items() if (conf["confirmed"] == k).any()]
            display(HTML(f"<p class='tekun-note'>{esc('；'.join(shown))}。应停止：按方案规定应停止的一方。</p>"))


def _support_money(b: Briefing, c) -> None:
    """The support money: allocated in full and on time, and spent as the plan allows."""
    fsrc = b.policy.funds.source
    ledger, spending = b.own_money()
    found = ((ledger is not None and any(bool(f) for f in ledger["findings"]))
             or (spending is not None and bool(spending["forbidden"].any())))
    display(HTML("<h3>供养资金拨付与使用</h3>"
                 + (f"<p class='tekun-note'>方案原文：“{esc(fsrc)}”</p>" if found and b.scope.whole else "")))
    if c.standard:
        example = "（示例值，须由民政局按当年标准确定）" if c.standard_is_example else ""
        day = b.policy.funds.allocation_day
        display(HTML(f"<p>应拨金额 = 每人每月 {money(c.standard)} 元{esc(example)} × 该院入住特困人员数；"
                     f"当月资金应于当月 {day} 日前（含）拨付到院。</p>"))
    for note in c.notes:
        display(HTML(f"<p class='tekun-note'>{esc(note)}</p>"))
    if ledger is None:
        if not c.notes:
            display(HTML(f"<p>{esc(cn_month(b.month))}没有收到供养资金拨付台账，本项暂无内容。</p>"))
    else:
        view = ledger.assign(problems=[_money_problem(r) for r in rows_of(ledger)])
        cols = tables.columns("funds", "home", "residents", "due", "allocated", "shortfall", "allocated_on", "problems")
        total = len(view) > 1
        st = tables.styled(tables.add_total(view, cols) if total else view, cols, policy=b.policy, total_row=total,
                           wrap=("problems",))
        bad = [bool(f) for f in ledger["findings"]] + [False]
        problem = tables.columns("funds", "problems")[0].header()
        display(st.apply(lambda col: [tables.BELOW if bad[i] and col.name == problem else "" for i in range(len(col))]))
    if spending is not None:
        flagged = spending[spending["forbidden"]]
        if flagged.empty:
            display(HTML(f"<p>支出明细共 {len(spending)} 条，未发现用于工作经费、运转费用、维修改造等设施建设的支出。</p>"))
        else:
            total = sum((a for a in flagged["amount"] if a is not None), start=0)
            cols = tables.columns("spending")
            if len(flagged) == 1 and not b.scope.whole:     # one entry is one sentence, its values as the table shows them
                r = flagged.iloc[0]
                v = {c.key: c.text(r[c.key]) for c in cols}
                unit = next(c.unit for c in cols if c.key == "amount")
                said = f"{v['home']}的{v['category']} {v['amount']} {unit}，属于“{v['matched']}”"
                display(HTML(f"<p>支出明细中有 1 条属于方案规定不得列支的类别：{esc(said)}。</p>"))
            else:
                display(HTML(f"<p>支出明细中有 {len(flagged)} 条、共 {money(total)} 元属于方案规定不得列支的类别：</p>"))
                display(tables.styled(flagged, cols, policy=b.policy))


def _identity_numbers(b: Briefing, c) -> None:
    """Identity numbers on the assessment forms that fail their checks, by township."""
    title = "身份证号核查"
    ids = b.scope.rows(c.id_issues)
    has_ids = "id_number" in b.own_people() and (b.own_people()["id_number"].fillna("") != "").any()
    if not has_ids:
        display(HTML(_line(title, "本月排查评估表未填写身份证号（可选列），未作核查。")))
    elif ids.empty:
        display(HTML(_line(title, "排查评估表中填写的身份证号均通过校验，出生日期和性别与表中年龄、性别一致。")))
    else:
        grid = b.id_issue_grid()
        cols = [*tables.columns("watch", "township"),
                *(outputs.Column(c, c, outputs.COUNT, "处", outputs.SUM) for c in grid.columns[1:])]
        where = f"逐条位置见{sections.see(sections.SOURCES)}。报告中身份证号只显示前6位和后4位。"
        if not b.scope.whole:       # a township's one row reads as a sentence, each kind named as the table would
            said = "，".join(c.said(grid.iloc[0][c.key]) for c in cols[1:] if grid.iloc[0][c.key])
            display(HTML(_line(title, f"身份证号问题共 {int(ids['count'].sum())} 处：{said}。{where}")))
            return
        display(HTML(f"<h3>{esc(title)}</h3>"))
        display(HTML(f"<p>身份证号问题共 {int(ids['count'].sum())} 处（校验位、出生日期、与表中年龄或性别不符、号码重复），"
                     f"{where}</p>"))
        display(tables.styled(grid, cols, policy=b.policy))


def _people_to_watch(b: Briefing, c) -> None:
    """People with a mental illness and new applicants: who heads the transfer list."""
    title = "重点关注人员"
    w = b.scope.rows(c.watch)
    if not int(w[["mental_illness", "new_applicants"]].to_numpy().sum()):
        display(HTML(_line(title, "本月排查评估表中没有标注精神疾病患者或新申请人员。")))
    else:
        m, ml = int(w["mental_illness"].sum()), int(w["mental_listed"].sum())
        n, pl = int(w["new_applicants"].sum()), int(w["placement"].sum())
        placed, listed = b.cases("placement"), b.cases("transfer")
        key = PROVENANCE
        # a township's briefing names them here when its list of people to move above holds them all
        inside = (not b.scope.whole and len(placed) > 0
                  and len(placed[key].merge(listed[key].drop_duplicates(), on=key)) == len(placed))
        who = ("（" + "、".join(f"{v}{nm}" for v, nm in zip(placed["village"], placed["name"]))
               + "，已列入上文应纳入敬老院集中供养人员名单）") if inside else ""
        # a group nobody belongs to this month is said in four words, not with its "其中 … 0 人"
        said = (f"精神疾病患者 {m} 人，其中无监护人或护理不到位、列入集中供养名单最前的 {ml} 人" if m
                else "本月没有精神疾病患者") + "；" + (
                f"新申请人员 {n} 人，其中不适合分散供养、应在审批后纳入敬老院集中供养的 {pl} 人{who}。" if n
                else "本月没有新申请人员。")
        if b.scope.whole or (pl and not inside):         # a list follows: the part has a heading of its own
            display(HTML(f"<h3>{esc(title)}</h3><p>{esc(said)}</p>"))
        else:
            display(HTML(_line(title, said)))
        if b.scope.whole:
            shown = w[(w["mental_illness"] > 0) | (w["new_applicants"] > 0)]
            display(tables.styled(shown, tables.columns("watch"), policy=b.policy))
        if pl and not inside:       # nobody to place: the sentence has said 0 人, no empty list follows
            _cases(b, "placement", "审批后纳入集中供养的新申请人员", level=4)
