"""上月问题落实情况: the follow-up register, the monthly flow and the transfer plan for a briefing.

``b`` is a :class:`~tekun_helpers.report.briefing.Briefing` (not imported here: the briefing imports this module).

Computed from the briefing's months (:attr:`Briefing.months`, the folders up to the report month);
names are masked unless the briefing is internal. :func:`section` shows it in a notebook,
:func:`export_sheets` gives the Excel sheets (整改跟踪, 人员增减, 转入安排; always masked).
"""
from __future__ import annotations

import html
import pandas as pd
from IPython.display import HTML, Markdown, display

from ..analysis import flows, placement
from ..analysis import register as rg
from ..config import outputs
from ..config.outputs import Sheet
from ..core.fmt import cn_month
from ..core.frames import rows_of
from ..io.privacy import mask_people
from . import sections, tables

esc = html.escape


def _flow_columns(flow: pd.DataFrame) -> list:
    """人员增减's columns: the registry's, with one 减少 column per reason after 新增."""
    cols = tables.columns("township_flow")
    out = [c for c in outputs.flow_out_columns((*flows.REASONS, flows.UNSTATED)) if c.key in flow.columns]
    at = [c.key for c in cols].index("new") + 1
    return [c for c in cols[:at] + out + cols[at:] if c.key in flow.columns]


def register(b) -> rg.Register:
    """The register as of the briefing's month (its months up to it), computed once per month (:meth:`Briefing.shared`)
    and copied once per briefing (:meth:`Briefing.once`)."""
    return b.once("register", lambda: b.shared("register", lambda: rg.built([d for d in b.months if d.month <= b.month])))


def items(b) -> pd.DataFrame:
    """The register's rows in the briefing's scope (a township: its own findings and its homes')."""
    df = register(b).items
    if not b.scope.whole:
        homes = set(b.scope.homes) | {h.name for h in b.reference.homes if h.township in b.scope.townships}
        df = df[df["township"].isin(b.scope.townships) | df["responsible"].isin(homes)]
    return df.reset_index(drop=True)


def weight(findings) -> int:
    """A register item's weight: the heaviest of its findings' kinds (:attr:`Kind.weight`, the plan's order)."""
    return max((f.kind.weight for f in findings or ()), default=0)


def overdue(b) -> pd.DataFrame:
    """The open findings in the briefing's scope past their due date: the one count of 逾期未整改 that page 1,
    section 三 and the Excel 整改跟踪 sheet all give. Ranked by the plan's weight of their kinds
    (:attr:`Kind.weight`: people to move first, then money and escalations, then duties and training), then
    longest overdue first; never by the kind's name. A finding first seen this month whose due date had already
    passed (a duty of the plan due before the month, say) is counted with them; :func:`overdue_words` says how
    many of them are."""
    df = items(b)
    od = df[df["status"].isin(rg.OPEN_STATUSES) & (df["days_overdue"] > 0)]
    od = od.assign(_weight=[weight(f) for f in od["findings"]])
    return (od.sort_values(["_weight", "days_overdue", "first_seen"], ascending=[False, False, True], kind="stable")
            .drop(columns="_weight"))


def overdue_classes(od: pd.DataFrame) -> list[tuple[str, int]]:
    """(类别, count) of :func:`overdue`'s findings, in its order (the heaviest class first)."""
    return list(od["kind"].value_counts(sort=False).reindex(list(dict.fromkeys(od["kind"]))).items())


def overdue_words(od: pd.DataFrame, month: str) -> str:
    """'（其中 1 项为本月新发现、发现时已过整改期限）' (or '（均为本月新发现、…）') when some of :func:`overdue`'s findings are this month's, else ''."""
    new = int((od["first_seen"] >= month).sum())
    if not new:
        return ""
    return ("（均为本月新发现、发现时已过整改期限）" if new == len(od)
            else f"（其中 {new} 项为本月新发现、发现时已过整改期限）")


def township_flow(b) -> tuple[pd.DataFrame, list]:
    """人员增减 of every township (last month's forms matched to this month's, person by person) and its
    warnings: the same for the banner and each township, computed once per month (:meth:`Briefing.shared`)."""
    return b.shared("township_flow", lambda: flows.township_flow(b.prev, b.data))


def _shown(df: pd.DataFrame, b) -> pd.DataFrame:
    return df if b.internal else mask_people(df)


#: the rules whose people a township's briefing lists in full in its 排查评估 (show.assessment_section)
LISTED_RULES = ("transfer", "escalate", "alert")
#: the register's findings each list answers for: a new applicant to be placed is on the transfer list too
FINDINGS_OF_LIST = {"transfer": ("transfer", "placement"), "escalate": ("escalate",), "alert": ("alert",)}


def _person(r) -> tuple:
    """Who a row is, for matching this month's lists with the register: the ID number when there is one."""
    idn = str(r.get("id_number") or "").strip().upper()
    return ("id", idn) if idn else ("name", r.get("township"), r.get("village"), r.get("name"), r.get("sex"))


def carried_over(b, rule: str) -> pd.DataFrame:
    """This month's people of ``rule`` who were found in an earlier month and are past their due date:
    one row per finding about such a person (a new applicant to be placed may have two) with ``pos`` (their
    place in :meth:`Briefing.cases`), the register's ``key``, ``first_seen`` and ``days_overdue``. A township's
    briefing shows them in its list, not twice (read by both 逾期未整改 and the list: computed once a briefing)."""
    return b.once(f"carried_over/{rule}", lambda: _carried_over(b, rule))


def _carried_over(b, rule: str) -> pd.DataFrame:
    empty = pd.DataFrame(columns=["pos", "key", "first_seen", "days_overdue"])
    df = items(b)
    topics = FINDINGS_OF_LIST.get(rule, (rule,))
    od = df[df["topic"].isin(topics) & (df["status"] == rg.OPEN) & (df["days_overdue"] > 0)]
    if od.empty:
        return empty
    found: dict[tuple, list] = {}
    for r in rows_of(od):
        found.setdefault(_person(r), []).append(r)
    rows = []
    for pos, r in enumerate(rows_of(b.raw_cases(rule))):
        for hit in found.get(_person(r), []):        # one row per finding; the list shows the longest overdue
            rows.append({"pos": pos, "key": hit["key"], "first_seen": hit["first_seen"], "days_overdue": hit["days_overdue"]})
    return pd.DataFrame(rows, columns=empty.columns) if rows else empty


def overdue_text(first_seen: str, days: int) -> str:
    """'2023年8月发现，逾期 31 天' (the list's 逾期情况 cell)."""
    return f"{cn_month(first_seen)}发现，逾期 {int(days)} 天"


def flow_sentence(row, flow: pd.DataFrame) -> str:
    """One township's 人员增减 as a sentence, with the registry's labels: '上月人数 262 人，新增 0 人，减少合计
    5 人（其中转入集中供养 4 人、死亡 1 人），本月人数 257 人；附件1 本月 257 人，按增减推算 257 人。'"""
    cols = {c.key: c for c in _flow_columns(flow)}

    def said(key: str) -> str:
        return cols[key].said(row[key])

    reasons = {r: f"out_{r}" for r in (*flows.REASONS, flows.UNSTATED) if f"out_{r}" in cols and row[f"out_{r}"]}
    out = said("out") + ("（其中" + "、".join(f"{r} {cols[k].text(row[k])} {cols[k].unit}" for r, k in reasons.items())
                         + "）" if reasons else "")
    head = "，".join([said("last"), said("new"), out, said("now")])
    tail = "，".join(said(k) for k in ("annex1_now", "annex1_expected") if k in cols)
    return head + ("；" + tail if tail else "") + "。"


def counts_sentence(b) -> str:
    """One sentence: findings from earlier months and where they stand now."""
    df = items(b)
    earlier = df[df["first_seen"] < b.month]
    if not len(earlier):
        return "没有以前月份发现的问题需要跟踪（本月是第一个有数据的月份）。"
    c = earlier["status"].value_counts()
    parts = [f"{s} {int(c[s])} 项" for s in rg.STATUSES if s != rg.NEW and c.get(s, 0)]
    od = earlier[earlier["status"].isin(rg.OPEN_STATUSES) & (earlier["days_overdue"] > 0)]
    tail = f"，其中 {len(od)} 项已超过期限" if len(od) else ""
    return f"以前月份发现的问题共 {len(earlier)} 项：" + "，".join(parts) + tail + "。"


def kinds_sentence(by: pd.DataFrame) -> str:
    """The findings by kind and status (the pivot of :func:`section`, this month's new ones included) in one
    sentence, each kind with its total and its non-zero statuses."""
    parts = []
    for _, row in by.iterrows():
        counts = [(s, int(row[s])) for s in rg.STATUSES if row[s]]
        inner = "、".join(f"{s} {n}" for s, n in counts)
        parts.append(f"{row['kind']} {sum(n for _, n in counts)} 项（{inner}）")
    return "按类别（含本月新发现）：" + "；".join(parts) + "。"


def section(b, *, limit: int = 30) -> None:
    """上月问题落实情况: counts by status, last month's list now, the overdue ones (longest first), the flow."""
    df = items(b)
    reg = register(b)
    prev = reg.months[-2] if len(reg.months) > 1 else None
    first = not (df["first_seen"] < b.month).any()
    od = overdue(b)
    if first:
        # the first month: every finding is new, and 本月问题与措施 lists them; one line says how many of each,
        # and how many were past their due date when found (listed below): no "nothing to follow" before a list
        c = df["kind"].value_counts(sort=False)
        if len(df):
            said = ("本月是第一个有数据的月份，问题均为本月新发现，共 " + f"{len(df)} 项，从下月起逐项跟踪："
                    + "，".join(f"{k} {int(n)} 项" for k, n in c.items()))
            said += f"；其中 {len(od)} 项发现时已过整改期限，列于下表" if len(od) else ""
        else:
            said = "本月是第一个有数据的月份，未发现需要跟踪的问题"
        display(HTML(f"<p class='tekun-short-section'>{esc(said)}。</p>"))
    else:
        display(HTML(f"<p>{esc(counts_sentence(b))}</p>"))
    if len(df) and not first:
        by = (df.assign(n=1).pivot_table(index="kind", columns="status", values="n", aggfunc="sum", fill_value=0)
              .reindex(columns=list(rg.STATUSES), fill_value=0).reset_index())
        if b.scope.whole:
            shown = rg.shown_statuses(df["status"])          # 未核实 only when a table was not received
            display(tables.styled(by, [*tables.columns("register", "kind"), *outputs.count_columns(shown)],
                                  policy=b.policy))
        else:   # a township's few kinds read as one sentence, each with its non-zero statuses, as the table would
            display(HTML(f"<p>{esc(kinds_sentence(by))}</p>"))
    if prev and (df["first_seen"] < prev).any():
        # with only one earlier month, its findings are all the earlier ones: the sentence above has said it
        last = df[df["first_seen"] == prev]
        c = last["status"].value_counts()
        done = int(sum(c.get(s, 0) for s in rg.CLOSED_STATUSES))
        # a part of one sentence: its title and the sentence on one line
        display(HTML(f"<p class='tekun-short-section'><b>{esc(cn_month(prev))}发现的问题（{len(last)} 项）：</b>"
                     f"已销号 {done} 项（" + "，".join(f"{s} {int(c.get(s, 0))}" for s in rg.shown_closed(df["status"]))
                     + f"），仍未销号 {len(last) - done} 项。</p>"))
    if len(od):
        # a township's briefing lists this month's people in full below (排查评估): those still on a list are
        # marked there with their first month and days overdue, and not listed here a second time
        listed = {} if b.scope.whole else {r: carried_over(b, r) for r in LISTED_RULES}
        keys = {k for c in listed.values() for k in c["key"]}
        rest = od[~od["key"].isin(keys)]
        shown = rest.head(limit)
        more = (f"（共 {len(od)} 项，按轻重列出前 {len(shown)} 项）" if len(shown) < len(od) - len(keys)
                else f"（共 {len(od)} 项）")
        display(HTML(f"<h3>逾期未整改{esc(more)}</h3>"))
        if len(rest) and rest["kind"].nunique() > 1:
            order = "、".join(k for k, _ in overdue_classes(rest))
            display(HTML(f"<p class='tekun-note'>按方案的轻重排列：依次为{esc(order)}；同一类中逾期久的在前。</p>"))
        if not first and overdue_words(od, b.month):
            display(HTML(f"<p>逾期未整改的 {len(od)} 项{esc(overdue_words(od, b.month))}。</p>"))
        if keys:
            kinds = "、".join(f"{b.policy.rules[r].label} {c['pos'].nunique()} 人" for r, c in listed.items() if len(c))
            tail = f"下表为其余 {len(rest)} 项。" if len(rest) else "没有其余逾期未整改的问题。"
            display(HTML(f"<p>其中 {len(keys)} 项的人员本月仍在排查评估的名单中（{esc(kinds)}），不重复列出，"
                         f"见下文{sections.see(sections.ASSESSMENT)}名单的“逾期情况”列；{tail}</p>"))
        if len(rest):
            cols = tables.columns("register", "kind", "responsible", "village", "name", "first_seen", "due",
                                  "days_overdue", "detail")
            display(tables.styled(_shown(shown, b), cols, policy=b.policy, wrap=("detail",), soft=("kind", "responsible")))
    elif not first:
        display(HTML("<p>没有逾期未整改的问题。</p>"))
    flow, warnings = township_flow(b)
    if len(flow):
        flow = b.scope.rows(flow)
        title = "分散供养人员增减（按排查评估表逐人比对）"
        if not b.scope.whole and len(flow) == 1:       # a township's one row reads as a sentence
            display(HTML(tables.line(title, flow_sentence(flow.iloc[0], flow))))
        elif len(flow):                                # (a township without its form has no row: the warning says so)
            display(HTML(f"<h3>{esc(title)}</h3>"))
            display(tables.styled(flow, _flow_columns(flow), policy=b.policy))
        if b.leavers_sentence():                       # the 未说明原因 by name (masked)
            display(HTML(f"<p>{esc(b.leavers_sentence())}</p>"))
        ws = [w.message for w in warnings if b.scope.whole or b.township in b.concerns(w)]
        if ws:
            display(HTML("<ul>" + "".join(f"<li>{esc(w)}</li>" for w in ws) + "</ul>"))
    elif b.prev is None and not first:
        display(Markdown("没有上月数据，无法计算人员增减。"))


def plan_note(b, *, order: bool = True) -> str:
    """How the transfer plan places people, said under its table (the order from policy.toml; ``order=False``:
    only "按名单顺序", when the list above states it)."""
    rule = b.policy.rules.get("transfer")
    order = (f"按名单顺序（{rule.priority_text}）" if order and rule is not None and rule.priority_text
             else "按名单顺序")
    return (f"{order}先安排到承接本乡镇的敬老院，床位不足的就近调剂到有空床的敬老院"
            "（按参考资料中敬老院的顺序就近，这是假设）；仍无床位的列为“无床位”。")


def month_plan(b) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's transfer plan (:func:`placement.plan`, every township: the same for the banner and each
    township), computed once per month (:meth:`Briefing.shared`)."""
    return b.shared("placement", lambda: placement.plan(b.data, b.decisions))


def plan_towns(b) -> pd.DataFrame:
    """转入安排 per township in the briefing's scope (empty when nobody is to be moved)."""
    _, towns = month_plan(b)
    return b.scope.rows(towns) if len(towns) else towns


def transfer_plan(b) -> None:
    """转入安排: this month's transfer candidates against the free beds of the homes serving their township
    (in the order of the transfer list, :attr:`Rule.priority_text`); what is left goes to the nearest home
    with room, or stays unplaced. The banner's briefing shows it inside its table by township
    (:func:`show.assessment_section`)."""
    towns = plan_towns(b)
    if not len(towns):
        return
    cols = tables.columns("placement")
    if not b.scope.whole:
        cols = [c for c in cols if c.key != "township"]
        if len(towns) == 1:     # one township's plan is one sentence, each figure named as the table would
            row = towns.iloc[0]
            said = "，".join(c.said(row[c.key]) for c in cols)
            # the list above states its order; how beds are found is said only when some go elsewhere or lack one
            note = plan_note(b, order=False) if row["placed_nearest"] or row["unplaced"] else ""
            display(HTML(f"<p><b>转入安排：</b>{esc(said)}。<span class='tekun-note'>{esc(note)}</span></p>"))
            return
    display(HTML("<h3>转入安排</h3>"
                 f"<p class='tekun-note'>{esc(plan_note(b))}</p>"))
    total = b.scope.whole and len(towns) > 1
    display(tables.styled(tables.add_total(towns, cols) if total else towns, cols, policy=b.policy, total_row=total))


def export_sheets(b) -> dict[str, Sheet]:
    """整改跟踪 (masked), 人员增减, 敬老院人员增减 and 转入安排 for the Excel export, from the output registry."""
    out = {}
    sample = b.data.is_sample

    def sheet(key: str, frame: pd.DataFrame, cols=None) -> None:
        t = outputs.table(key)
        cols = cols or list(t.columns)
        out[t.title] = Sheet(tuple(cols), frame.reset_index(drop=True), sample, b.policy)

    sheet("register", mask_people(items(b)))
    flow, _ = township_flow(b)
    if len(flow):
        sheet("township_flow", tables.add_total(flow, _flow_columns(flow)), _flow_columns(flow))
    homes = flows.home_flow(b.prev, b.data)
    if len(homes):
        sheet("home_flow", tables.add_total(homes, list(outputs.table("home_flow").columns)))
    _, towns = month_plan(b)
    if len(towns):
        sheet("placement", tables.add_total(towns, list(outputs.table("placement").columns)))
    return out
