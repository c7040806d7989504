"""The `tekun` command.

Exit codes: 0 success, 1 the data has errors or a report failed, 2 usage error, 3 internal error (a bug:
the traceback is written to a log file whose path is printed), 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import traceback
from pathlib import Path

from .core.exceptions import TekunError, UsageError
from .core.issues import format_table
from .core.months import check_month, previous_month
from .core.text import printable
from .month import load_month


EXIT_DATA, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 1, 2, 3, 130

# argparse's English messages (Python 3.9-3.13), in Chinese; applied in order
_ARGPARSE_CN = (
    (re.compile(r"the following arguments are required: (.*)"), r"缺少必需的参数：\1"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), r"参数 \1：\2 不是可选的值（可选：\3）"),
    (re.compile(r"invalid choice: (.*?) \(choose from (.*)\)"), r"\1 不是可选的命令或值（可选：\2）"),
    (re.compile(r"argument (\S+): invalid int value: (.*)"), r"参数 \1：\2 不是整数"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.*)"), r"参数 \1：\3 不是有效的值"),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面需要写一个值"),
    (re.compile(r"argument (\S+): expected (.*) arguments?"), r"参数 \1 后面的值的个数不对"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), r"参数 \1 不能与 \2 同时使用"),
    (re.compile(r"argument (\S+): ignored explicit argument (.*)"), r"参数 \1 不接受值 \2"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"参数 \1 不明确，可能是：\2"),
    (re.compile(r"one of the arguments (.*) is required"), r"需要以下参数之一：\1"),
    (re.compile(r"^argument (\S+): "), r"参数 \1："),
)
_HELP_CN = (("usage: ", "用法："), ("\noptions:\n", "\n选项：\n"), ("\noptional arguments:\n", "\n选项：\n"),
            ("\npositional arguments:\n", "\n位置参数：\n"), ("show this help message and exit", "显示本帮助并退出"))


def translate_argparse(message: str) -> str:
    """argparse's English error message in Chinese (unknown ones are left as they are)."""
    for pattern, repl in _ARGPARSE_CN:
        message = pattern.sub(repl, message)
    return message


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands: dict[str, argparse.ArgumentParser] = {}    # the commands' own parsers, by name

    def error(self, message):  # argparse's own exit code for usage errors is 2 as well
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：参数错误：{printable(translate_argparse(message))}\n")

    def format_usage(self) -> str:
        return self._cn(super().format_usage())

    def format_help(self) -> str:
        return self._cn(super().format_help())

    @staticmethod
    def _cn(text: str) -> str:
        for en, cn in _HELP_CN:
            text = text.replace(en, cn)
        return text


def _jobs(value: str) -> int:
    try:
        n = int(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"并行进程数“{value}”不是整数") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"并行进程数应不小于 1（收到 {n}）")
    return n


def _county(data_dir):
    """The county's words (county.toml) of the data folder ``data_dir`` (default: the project's data/)."""
    from .config.county import load_county

    return load_county(data_dir=data_dir)


def _help_county(argv):
    """The county whose words ``tekun --help`` shows: that of the --data-dir on the command line, else of the
    default data folder; neutral words (本县) when its county.toml cannot be read, so that help never fails."""
    from .config.county import NEUTRAL

    args = list(sys.argv[1:] if argv is None else argv)
    data_dir = None
    for i, a in enumerate(args):
        if a == "--data-dir" and i + 1 < len(args):
            data_dir = args[i + 1]
        elif a.startswith("--data-dir="):
            data_dir = a.split("=", 1)[1]
    try:
        return _county(data_dir)
    except (TekunError, OSError, ValueError):
        return NEUTRAL


def _official_townships(names, data_dir) -> list[str] | None:
    """The official names of --township values (traditional characters, spacing folded); UsageError naming
    the closest known name for one that is not in the reference data."""
    if not names:
        return None
    from .config.reference import load_reference

    ref = load_reference(data_dir)
    out = []
    for raw in names:
        official, suggestion = ref.match("townships", raw)
        if official is None:
            hint = f"是否为“{suggestion}”？" if suggestion else f"可选：{'、'.join(ref.township_names)}。"
            raise UsageError(f"“{printable(raw)}”不是已知的{_county(data_dir).towns}。{hint}")
        out.append(official)
    return list(dict.fromkeys(out))


def _month(value: str) -> str:
    try:
        return check_month(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_validate(args) -> int:
    m = load_month(args.month, args.data_dir)
    towns = m.policy.county.towns
    if args.json:
        print(json.dumps([i.as_json() for i in m.issues], ensure_ascii=False, indent=2))
    else:
        shown = [f"《{printable(s.name)}》" for s in m.sources[:4]]
        more = f" 等（另 {len(m.sources) - 4} 个）" if len(m.sources) > 4 else ""
        print(f"{args.month} 数据检查：读取文件 {len(m.sources)} 个：{'、'.join(shown) or '（无）'}{more}")
        if not m.townships.empty:
            t = m.townships
            print(f"  附件1：{len(t)} 个{towns}，分散供养 {int(t.dispersed.sum())} 人，"
                  f"全失能 {int(t.fully_disabled.sum())} 人，半失能 {int(t.semi_disabled.sum())} 人")
        if not m.homes.empty:
            h = m.homes
            print(f"  附件2：{len(h)} 所敬老院，床位 {int(h.beds.sum())} 张，入住 {int(h.residents.sum())} 人，"
                  f"工作人员 {int(h.staff.sum())} 人")
        if m.has_assessments:
            print(f"  附件3：{m.assessments['township'].nunique()} 个{towns}的排查评估表，共 {len(m.assessments)} 人")
        if m.is_sample:
            print(f"  注意：其中 {sum(1 for s in m.sources if s.sample)} 个文件为程序生成的示例数据。")
        print(format_table(m.issues))
    return 1 if m.errors else 0


def _formats(value: str) -> tuple[str, ...]:
    from .publish.reports import FORMATS

    parts = tuple(x.strip().lower() for x in value.split(",") if x.strip())
    bad = [x for x in parts if x not in FORMATS]
    if bad or not parts:
        raise argparse.ArgumentTypeError(f"格式应为 {','.join(FORMATS)} 中的一个或多个，用逗号分隔")
    return parts


#: what `report --draft` and `batch --draft` add to the line that says what they make
_DRAFT_WORDS = "，草稿：数据有错误也生成，每页标注“草稿”"


def cmd_report(args) -> int:
    from .core.exceptions import ValidationFailed
    from .publish.reports import render_month

    if args.notice and not args.month:
        print("--notice 须与 --month 一起使用（如 tekun report --notice --month 2023-10），不能与 --period 同用。",
              file=sys.stderr)
        return 2
    if args.period:
        from .publish.period import run_command

        return run_command(args.period, args.data_dir, args.out, args.format, draft=args.draft, internal=args.internal,
                           scope=args.scope, townships=args.township)
    if args.notice:
        from .publish.notice import run_command as notice_command

        return notice_command(args.month, args.data_dir, args.out, args.format)
    whole = _county(args.data_dir).whole

    def progress(res):
        name = res.job.township or whole
        if res.error:
            print(f"  ✗ {name}：失败", file=sys.stderr)
        else:
            print(f"  ✓ {name}：" + "、".join(str(p) for k, p in res.files.items() if k != "ipynb"))

    towns = _official_townships(args.township, args.data_dir)
    print(f"生成 {args.month} 报告（范围：{args.scope}，格式：{','.join(args.format)}{_DRAFT_WORDS if args.draft else ''}）……")
    try:
        scope = args.scope
        if args.notebook:
            from .publish.reports import render_notebook

            results = render_notebook(args.notebook, args.month, args.data_dir, args.out, args.format,
                                      internal=args.internal, progress=progress, townships=towns, draft=args.draft)
        else:
            if towns:
                scope = "townships" if scope == "banner" else scope
            results = render_month(args.month, args.data_dir, args.out, scope, args.format,
                                   internal=args.internal, progress=progress, townships=towns, draft=args.draft)
    except ValidationFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    failed = [r for r in results if r.error]
    for r in failed:
        print(f"\n报告“{r.job.township or whole}”生成失败：{r.error}\n出错的 notebook：{r.executed_notebook}", file=sys.stderr)
    ok = len(results) - len(failed)
    print(f"完成：成功 {ok} 份，失败 {len(failed)} 份。")
    if results and not failed:
        print(f"报告位于：{results[0].files.get('html', results[0].files.get('ipynb')).parent}")
    return 1 if failed else 0


def cmd_batch(args) -> int:
    from .publish.batch import parse_months, run_batch

    try:
        months = parse_months(args.months)
    except ValueError as exc:
        print(f"tekun batch: 参数错误：{exc}", file=sys.stderr)
        return 2
    towns = _official_townships(args.township, args.data_dir)
    print(f"批量生成：{'、'.join(months)}（范围：{args.scope}，格式：{','.join(args.format)}，"
          f"并行：{args.jobs or '按 CPU 核数'}{'，强制重新生成' if args.force else ''}{_DRAFT_WORDS if args.draft else ''}）")
    try:
        res = run_batch(months, args.scope, args.jobs, args.format, args.force, args.data_dir, args.out,
                        internal=args.internal, progress=not args.no_progress, townships=towns, draft=args.draft)
    except KeyboardInterrupt:   # before any report was started (reading the months, exporting Excel)
        res = None
    if res is None or res.interrupted:
        # one line: the stopped workers printed nothing; finished reports are skipped by the next run
        print(f"已中断：完成 {len(res.rendered) if res else 0} 份，其余下次运行时继续。", file=sys.stderr)
        return EXIT_INTERRUPTED
    for month, text in res.month_errors.items():
        print(f"\n{month} 的数据有错误，该月报告未生成：\n{text}", file=sys.stderr)
    for r in res.failed:
        print(f"\n失败：{r.job.month} {r.job.township or _county(args.data_dir).whole}\n{r.error}\n出错的 notebook：{r.executed_notebook}",
              file=sys.stderr)
    print(f"完成：生成 {len(res.rendered)} 份，跳过未变化的 {len(res.skipped)} 份，失败 {len(res.failed)} 份"
          f"{'，' + str(len(res.month_errors)) + ' 个月份数据有错误' if res.month_errors else ''}。")
    if res.exports:
        print(f"Excel：{len(res.exports)} 个文件")
    if res.index:
        print(f"目录页：{res.index}")
    return 0 if res.ok else 1


#: tekun forms --kind: the spellings accepted -> the form
FORM_KINDS = {"附件3": "assessment", "assessment": "assessment", "排查评估表": "assessment",
              "进度台账": "progress", "progress": "progress", "乡镇工作进度台账": "progress",
              "人员台账": "staff", "staff": "staff", "敬老院工作人员台账": "staff",
              "待遇名册": "benefits", "名册": "benefits", "benefits": "benefits",
              "资金台账": "funds", "资金": "funds", "funds": "funds", "特困人员供养资金拨付台账": "funds",
              "减少情况表": "changes", "changes": "changes", "分散供养特困人员减少情况表": "changes",
              "附件1": "official", "附件2": "official", "附件1、附件2": "official", "official": "official",
              "督查": "inspection", "督查检查表": "inspection", "inspection": "inspection",
              "举报": "complaints", "举报登记": "complaints", "举报与媒体报道问题登记表": "complaints",
              "complaints": "complaints", "all": "all", "全部": "all"}
FORM_ORDER = ("official", "assessment", "progress", "staff", "benefits", "funds", "changes", "inspection",
              "complaints")
OFFICIAL_FOLDER = "附件1附件2空白表"
#: tekun sample --kind
SAMPLE_KINDS = {"附件3": "assessment", "assessment": "assessment", "台账": "schedule", "schedule": "schedule",
                "工作台账": "schedule", "名册": "benefits", "待遇名册": "benefits", "benefits": "benefits",
                "资金": "funds", "资金台账": "funds", "funds": "funds", "督查": "inspection", "inspection": "inspection",
                "举报": "complaints", "举报登记": "complaints", "complaints": "complaints", "all": "all", "全部": "all"}
#: the order `tekun sample --kind all` writes them in: each may read what the one before wrote
SAMPLE_ORDER = ("assessment", "schedule", "benefits", "funds")
LEDGER_FOLDER = "工作台账空白表"
ROSTER_FOLDER = "待遇名册空白表"


def _kind(choices: dict[str, str], shown: str):
    def parse(value: str) -> str:
        kind = choices.get(value.strip()) or choices.get(value.strip().lower())
        if kind is None:
            raise argparse.ArgumentTypeError(f"“{value}”不是可选的表格种类，应为 {shown} 之一")
        return kind
    return parse


def _forms_assessment(args, towns: list[str]) -> None:
    from .core.paths import output_dir
    from .forms import write_blank_forms
    from .month import load_month

    prev = previous_month(args.month)
    previous_people: dict = {}
    pm = load_month(prev, args.data_dir)
    if pm.has_assessments:
        from .forms import CARRIED_KEYS

        cols = [c for c in CARRIED_KEYS if c in pm.assessments.columns]
        for town, df in pm.assessments.groupby("township", sort=False):
            previous_people[town] = df[cols].astype(object).where(df[cols].notna(), None).to_dict("records")
    out = Path(args.out) if args.out else output_dir() / args.month / "附件3空白表"
    files = write_blank_forms(out, args.month, towns, previous_people, policy=pm.policy)
    filled = sum(1 for t in towns if previous_people.get(t))
    print(f"已生成 {len(files)} 份附件3排查评估表（{args.month}），位于 {out}")
    if filled:
        print(f"其中 {filled} 份已按 {prev} 的评估表预填人员身份信息（村/居委会、姓名、性别、年龄、监护人/护理人、身份证号），"
              f"评估各项留空待本月入户填写。")
    else:
        print(f"{prev} 没有排查评估表，表格未预填人员。")


def cmd_forms(args) -> int:
    from .config.policy import load_policy
    from .config.reference import load_reference
    from .core.paths import output_dir

    ref = load_reference(args.data_dir)
    towns = _official_townships([args.township] if args.township else None, args.data_dir) or ref.township_names
    kinds = FORM_ORDER if args.kind == "all" else (args.kind,)
    if "official" in kinds:
        from .forms import write_blank_official

        policy = load_policy(data_dir=args.data_dir).in_force(args.month)
        out = Path(args.out) if args.out else output_dir() / args.month / OFFICIAL_FOLDER
        files = write_blank_official(out, args.month, policy, ref.township_names, ref.homes)
        print(f"已生成空白附件1（{len(ref.township_names)} 个{policy.county.towns}已预填）和附件2（{len(ref.homes)} 所敬老院"
              f"已预填负责人和联系电话；“{policy.target_percent}应住人数”按本县方案的目标），位于 {out}")
    if "assessment" in kinds:
        _forms_assessment(args, towns)
    if "progress" in kinds or "staff" in kinds:
        from .forms import (
            progress_filename,
            staff_filename,
            write_progress_form,
            write_staff_form,
        )

        policy = load_policy(data_dir=args.data_dir).in_force(args.month)
        out = Path(args.out) if args.out else output_dir() / args.month / LEDGER_FOLDER
        if "progress" in kinds:
            path = write_progress_form(out / progress_filename(args.month), args.month, towns, policy=policy)
            print(f"已生成乡镇工作进度台账空白表（{args.month}，{len(towns)} 个{policy.county.towns}已预填）：{path}")
        if "staff" in kinds:
            path = write_staff_form(out / staff_filename(args.month), args.month, ref.home_names, policy=policy)
            print(f"已生成敬老院工作人员台账空白表（{args.month}，含“护理型床位与入住构成”表，"
                  f"{len(ref.home_names)} 所敬老院已预填）：{path}")
    if "benefits" in kinds:
        from .forms import write_benefit_rosters

        policy = load_policy(data_dir=args.data_dir).in_force(args.month)
        out = Path(args.out) if args.out else output_dir() / args.month / ROSTER_FOLDER
        files = write_benefit_rosters(out, args.month, townships=ref.township_names, policy=policy)
        print(f"已生成 {len(files)} 份享受其他待遇人员名册空白表（{args.month}，按 policy.toml [benefits]："
              f"{'、'.join(f.name.split('对象名册')[0] for f in files)}），位于 {out}")
    if "funds" in kinds:
        from .forms import funds_filename, write_funds_form

        policy = load_policy(data_dir=args.data_dir).in_force(args.month)
        out = Path(args.out) if args.out else output_dir() / args.month / LEDGER_FOLDER
        path = write_funds_form(out / funds_filename(args.month), args.month, ref.home_names, policy=policy)
        print(f"已生成特困人员供养资金拨付台账空白表（{args.month}，含“资金支出明细”表，"
              f"{len(ref.home_names)} 所敬老院已预填）：{path}")
    if "changes" in kinds:
        from .forms.changes import changes_filename, write_changes_form

        policy = load_policy(data_dir=args.data_dir).in_force(args.month)
        out = Path(args.out) if args.out else output_dir() / args.month / LEDGER_FOLDER
        path = write_changes_form(out / changes_filename(args.month), args.month, townships=towns,
                                  homes=ref.home_names, policy=policy)
        print(f"已生成分散供养特困人员减少情况表空白表（{args.month}，本月离开分散供养名单的人员每人一行：转入集中供养、"
              f"死亡、退出、迁出）：{path}")
    if "inspection" in kinds:
        from .forms.inspection import inspected_homes, write_inspection_forms

        policy = load_policy(data_dir=args.data_dir).in_force(args.month)
        out = Path(args.out) if args.out else output_dir() / args.month / "督查检查表空白表"
        homes = inspected_homes(ref, towns if args.township else None)
        files = write_inspection_forms(out, args.month, homes, policy=policy)
        whose = f"{'、'.join(towns)}的敬老院及承接其集中供养的敬老院各" if args.township else "每所敬老院"
        print(f"已生成 {len(files)} 份敬老院供养服务督查检查表（{args.month}，{whose}一份，检查项目按 inspection.toml），"
              f"位于 {out}")
    if "complaints" in kinds:
        _forms_complaints(args, ref)
    return 0


def _forms_complaints(args, ref) -> None:
    """``forms --kind 举报``: the month's blank register, the previous month's open or unpublished cases carried over."""
    from .forms.complaints import write_register

    path, carried, prev, whole = write_register(args.month, args.data_dir, args.out)
    said = f"已带入 {prev} 未办结或未公布的 {carried} 件，" if carried else f"{prev} 没有需要带入的件，"
    print(f"已生成举报与媒体报道问题登记表（{args.month}，{whole}一份；{said}另留 20 行登记本月新受理的件）：{path}")


def cmd_sample(args) -> int:
    from .core.exceptions import ValidationFailed
    from .sample import (
        BENEFIT_SEED,
        FUNDS_SEED,
        SCHEDULE_SEED,
        write_assessment_samples,
        write_benefit_samples,
        write_funds_samples,
        write_schedule_samples,
    )

    kinds = SAMPLE_ORDER if args.kind == "all" else (args.kind,)
    try:
        if "assessment" in kinds:
            files = write_assessment_samples(args.month, args.data_dir, seed=args.seed, out_dir=args.out)
            forms = [f for f in files if f.name.startswith("附件3")]
            folder = forms[0].parent if forms else args.out
            print(f"已生成 {len(forms)} 份示例排查评估表（人物均为虚构，身份证号均为不存在的地区码 990000，"
                  f"文件均标记为示例数据），位于 {folder}")
            if any(f.name.startswith("分散供养特困人员减少情况表") for f in files):
                print(f"{args.month} 属于示例月度故事，已同时重写该月的示例附件1、附件2（与评估表人数一致）"
                      f"和分散供养特困人员减少情况表（上月以来转入敬老院、死亡、退出的人员），位于 {files[0].parent}")
            elif len(files) > len(forms):
                print(f"{args.month} 还没有附件1、附件2：已按参考数据中的{len(forms)}个{_county(args.data_dir).towns}"
                      f"和各敬老院虚构示例附件1、附件2（人数、床位均为虚构，标记为示例数据），位于 {files[0].parent}")
        if "schedule" in kinds:
            seed = args.seed if args.seed is not None else SCHEDULE_SEED
            files = write_schedule_samples(args.month, args.data_dir, seed=seed, out_dir=args.out)
            print(f"已生成示例工作台账（乡镇工作进度台账、敬老院工作人员台账；工作人员姓名均为虚构，"
                  f"文件均标记为示例数据），位于 {files[0].parent}")
        if "benefits" in kinds:
            seed = args.seed if args.seed is not None else BENEFIT_SEED
            files = write_benefit_samples(args.month, args.data_dir, seed=seed, out_dir=args.out)
            print(f"已生成 {len(files)} 份示例享受其他待遇人员名册（多为虚构的非特困人员，另有与本月评估表人员重复的"
                  f"情况供核查；文件均标记为示例数据），位于 {files[0].parent}")
        if "funds" in kinds:
            seed = args.seed if args.seed is not None else FUNDS_SEED
            files = write_funds_samples(args.month, args.data_dir, seed=seed, out_dir=args.out)
            print(f"已生成示例特困人员供养资金拨付台账（含资金支出明细；有少拨、迟拨、未拨付和违规列支的情况供核查，"
                  f"文件均标记为示例数据）：{files[0]}")
        if "inspection" in kinds:
            from .sample import write_inspection_samples

            files = write_inspection_samples(args.month, args.data_dir, out_dir=args.out)
            print(f"已生成 {len(files)} 份示例督查检查表（每所敬老院一份，上月有示例检查表的按复查生成；"
                  f"文件均标记为示例数据），位于 {files[0].parent}")
        if "complaints" in kinds:
            from .sample.complaints import write_complaint_samples

            files = write_complaint_samples(args.month, args.data_dir, out_dir=args.out)
            print(f"已生成示例举报与媒体报道问题登记表（虚构的举报件，有按期办结并公布的，也有逾期未办结的；"
                  f"文件标记为示例数据）：{files[0]}" if files else f"示例举报故事中没有 {args.month} 登记的件，未生成登记表。")
    except ValidationFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def cmd_init(args) -> int:
    from .config.starter import write_reference

    files = write_reference(args.dir, name=args.name, towns=args.towns)
    folder = files[0].parent
    print(f"已在 {folder} 生成本县参考数据的模板（每一项都有中文注释）：")
    for f in files:
        print(f"  {f.name}")
    print("请逐项改为本县的内容：county.toml（县名和用语、表格的列名写法）、policy.toml（本县方案的目标、期限、标准和原文）、"
          "townships.csv（乡镇，按附件1的顺序）、nursing_homes.csv（敬老院）；各列的含义见 README.md。")
    print(f"之后可先用示例数据试用：tekun sample --month <月份> --kind all --data-dir {args.dir}，"
          f"再运行 tekun validate、tekun report（都加 --data-dir {args.dir}）。")
    return 0


def cmd_export(args) -> int:
    from .core.exceptions import ValidationFailed
    from .core.paths import output_dir
    from .publish.batch import export_month
    from .publish.reports import check_month_data

    try:
        data = check_month_data(args.month, args.data_dir)
    except ValidationFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    files = export_month(data, output_dir(args.out))
    print(f"已导出 {len(files)} 个 Excel 文件：")
    for f in files:
        print(f"  {f}")
    return 0


def cmd_feedback(args) -> int:
    from .config.policy import load_policy
    from .config.reference import load_reference
    from .forms.feedback import write_feedback

    township = None
    if args.township:
        county = load_policy(data_dir=args.data_dir).county
        name = args.township.strip()
        official, suggestion = (name, None) if name == county.name else load_reference(args.data_dir).match("townships", name)
        if official is None:
            hint = f"是否为“{suggestion}”？" if suggestion else ""
            print(f"tekun feedback: 参数错误：“{args.township}”不是已知的{county.towns}，"
                  f"也不是{county.level}名“{county.name}”。{hint}",
                  file=sys.stderr)
            return 2
        township = official
    passwords = None
    if args.encrypt or args.passwords:
        passwords = _feedback_passwords(args)
        if passwords is None:
            return 2
    res = write_feedback(args.month, args.data_dir, args.out, township=township, passwords=passwords)
    print(f"{args.month} 退回修改与回执，位于 {res.folder}（重新报送期限 {res.deadline.isoformat()}）：")
    nothing = [o.owner for o in res.owners if not o.receipt.files]
    for o in res.owners:
        r = o.receipt
        if not r.files:
            continue
        changed = [f for f in o.files if f.changes is not None and (f.changes.fixed or f.changes.new or f.changes.cells)]
        line = (f"  {o.owner}：收到 {len(r.files)} 个文件，错误 {r.errors} 项、警告 {r.warnings} 项，"
                f"退回修改 {r.returned} 个" + (f"，尚缺 {len(r.missing)} 项" if r.missing else ""))
        print(line)
        for f in changed:
            print(f"    《{f.source.name}》{f.changes.summary()}")
    if nothing:
        print(f"  本月没有收到文件的（回执中列明尚缺）：{'、'.join(nothing)}")
    print(f"回执 {len(res.owners)} 份；反馈记录：{res.record}")
    if res.passwords is not None:
        print(f"退回修改的文件已加密，打开密码（每个单位一个）在 {res.passwords}：请用电话或短信另行告知各单位，"
              f"不要和文件一起发送；回执没有加密。")
    return 0


def _feedback_passwords(args):
    """The password store of ``tekun feedback --encrypt`` (None after printing why it cannot be used)."""
    from .core.paths import data_dir, output_dir
    from .forms.encrypt import Passwords, PasswordPlaceError, check_place, password_file

    path = password_file(args.month, output_dir(args.out), args.passwords)
    try:
        check_place(path, {"数据文件夹": data_dir(args.data_dir), "输出文件夹": output_dir(args.out)})
    except PasswordPlaceError as e:
        print(f"tekun feedback: 参数错误：{e}", file=sys.stderr)
        return None
    return Passwords(path)


def build_parser(county=None) -> argparse.ArgumentParser:
    """The command's parser; its help speaks of ``county`` (a :class:`~tekun_helpers.config.county.County`;
    default: the county of the project's data folder, or neutral words when it cannot be read)."""
    c = county or _help_county([])
    p = _Parser(prog="tekun", description=f"{c.name}特困人员供养服务月度报告工作簿")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="命令")
    sub.required = True
    for name, add in (("validate", _validate_parser), ("report", _report_parser), ("batch", _batch_parser),
                      ("export", _export_parser), ("forms", _forms_parser), ("sample", _sample_parser),
                      ("feedback", _feedback_parser), ("init", _init_parser)):
        p.commands[name] = add(sub, c)
    return p


def _validate_parser(sub, c) -> argparse.ArgumentParser:
    """The arguments of ``tekun validate``."""
    v = sub.add_parser("validate", help="检查某月的表格并列出问题")
    v.add_argument("--month", required=True, type=_month, help="月份，如 2023-08")
    v.add_argument("--data-dir", default=None, help="数据文件夹（默认为项目的 data/）")
    v.add_argument("--json", action="store_true", help="只输出 JSON 格式的问题列表")
    v.set_defaults(func=cmd_validate)
    return v


def _report_parser(sub, c) -> argparse.ArgumentParser:
    """The arguments of ``tekun report`` (its help in the county ``c``'s words)."""
    r = sub.add_parser("report", help="生成某月的简报（HTML 与 PDF）")
    when = r.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", type=_month, help="月份，如 2023-08")
    when.add_argument("--period", default=None, metavar="START..END",
                      help="期间报告（如 2023-08..2024-07）：逐月关键指标、目标完成、问题整改、转入与资金，HTML、PDF 和 Excel")
    r.add_argument("--notice", action="store_true",
                   help="与 --month 一起用：生成该月办结的举报和媒体反映问题的处理结果公示（HTML 和 PDF，不含个人姓名、"
                        "身份证号和健康信息），输出到 outputs/notice/<月份>/")
    r.add_argument("--data-dir", default=None, help="数据文件夹（默认为项目的 data/）")
    r.add_argument("--out", default=None, help="输出文件夹（默认为项目的 outputs/）")
    r.add_argument("--format", default=("html", "pdf"), type=_formats, help="输出格式：html,pdf（默认两者）")
    r.add_argument("--scope", default="banner", choices=("banner", "townships", "all"),
                   help=f"banner {c.whole}简报；townships 各乡镇简报；all 全部（默认 banner）")
    r.add_argument("--township", action="append", default=None,
                   help=f"只生成指定{c.towns}的简报（可重复）")
    r.add_argument("--internal", action="store_true",
                   help="内部模式：显示完整姓名等个人信息，输出到单独的“内部资料”文件夹（仅限内部使用）")
    r.add_argument("--notebook", default=None, metavar="PATH",
                   help="用自己的 notebook 生成报告（如复制简报后增加一节，或用本程序包新写的 notebook）：注入参数 month、"
                        "data_dir、internal（及 --township 给出的 township），与简报同样生成 HTML 和 PDF；此时不看 --scope")
    _draft_argument(r)
    r.set_defaults(func=cmd_report)
    return r


def _batch_parser(sub, c) -> argparse.ArgumentParser:
    """The arguments of ``tekun batch`` (its help in the county ``c``'s words)."""
    b = sub.add_parser("batch", help="批量生成多个月份的全部报告、Excel 和目录页")
    b.add_argument("--months", required=True, help="月份或范围，如 2023-08..2023-10 或 2023-08,2023-10")
    b.add_argument("--scope", default="all", choices=("banner", "townships", "all"), help="范围（默认 all）")
    b.add_argument("--jobs", type=_jobs, default=None, help="并行进程数，不小于 1（默认为 CPU 核数）")
    b.add_argument("--format", default=("html", "pdf"), type=_formats, help="输出格式：html,pdf（默认两者）")
    b.add_argument("--force", action="store_true", help="即使输入未变化也重新生成")
    b.add_argument("--data-dir", default=None, help="数据文件夹（默认为项目的 data/）")
    b.add_argument("--out", default=None, help="输出文件夹（默认为项目的 outputs/）")
    b.add_argument("--township", action="append", default=None, help=f"只生成指定{c.towns}的简报（可重复）")
    b.add_argument("--internal", action="store_true", help="内部模式（显示个人信息，输出到“内部资料”文件夹）")
    b.add_argument("--no-progress", action="store_true", help="不显示进度条")
    _draft_argument(b)
    b.set_defaults(func=cmd_batch)
    return b


def _draft_argument(p) -> None:
    p.add_argument("--draft", action="store_true",
                   help="草稿：数据仍有错误时也生成报告（某单位到期未重新报送时用），每页标注“草稿”及原因，"
                        "错误列在最前，有错误的单位的数字标注“待核实”；不加时数据有错误即不生成")


def _export_parser(sub, c) -> argparse.ArgumentParser:
    """The arguments of ``tekun export``."""
    e = sub.add_parser("export", help="导出附件1、附件2（官方样式，含计算列）和全部统计表为 Excel")
    e.add_argument("--month", required=True, type=_month, help="月份，如 2023-08")
    e.add_argument("--data-dir", default=None, help="数据文件夹（默认为项目的 data/）")
    e.add_argument("--out", default=None, help="输出文件夹（默认为项目的 outputs/；文件在 <月份>/Excel/ 下）")
    e.set_defaults(func=cmd_export)
    return e


def _forms_parser(sub, c) -> argparse.ArgumentParser:
    """The arguments of ``tekun forms`` (its help in the county ``c``'s words)."""
    f = sub.add_parser("forms", help="生成空白表：附件1、附件2（官方样式，本县的乡镇和敬老院）、附件3排查评估表（可按上月预填人员）、"
                                     "乡镇工作进度台账、敬老院工作人员台账、享受其他待遇人员名册、特困人员供养资金拨付台账、"
                                     "分散供养特困人员减少情况表")
    f.add_argument("--month", required=True, type=_month, help="月份，如 2023-09")
    f.add_argument("--kind", default="assessment",
                   type=_kind(FORM_KINDS, "附件3、附件1（或附件2：两者一起生成）、进度台账、人员台账、待遇名册、资金台账、"
                                          "减少情况表、督查、举报、all（或 assessment、official、progress、staff、benefits、funds、changes、inspection、complaints）"),
                   help="表格种类：附件3（默认）、附件1 或 附件2（官方样式的附件1、附件2，两者一起生成）、进度台账、人员台账、"
                        "待遇名册（policy.toml [benefits] 每种待遇一份）、"
                        "资金台账（含资金支出明细）、减少情况表（分散供养特困人员减少情况表）、督查（每所敬老院一份督查检查表）、"
                        "举报（举报与媒体报道问题登记表，带入上月未办结的件）或 all（全部）；"
                        "也可写 assessment、official、progress、staff、benefits、funds、changes")
    f.add_argument("--township", default=None,
                   help=f"只生成一个{c.towns}的表（默认全部；督查检查表只生成该{c.towns}的敬老院及承接其集中供养的敬老院的；"
                        f"人员台账、待遇名册、资金台账、举报登记表不分乡镇）")
    f.add_argument("--data-dir", default=None, help="数据文件夹（默认为项目的 data/），用于读取上月评估表")
    f.add_argument("--out", default=None,
                   help="输出文件夹（默认：附件1、附件2 在 outputs/<月份>/附件1附件2空白表/，附件3 在 outputs/<月份>/附件3空白表/，"
                        "待遇名册在 outputs/<月份>/待遇名册空白表/，其余台账在 outputs/<月份>/工作台账空白表/）")
    f.set_defaults(func=cmd_forms)
    return f


def _sample_parser(sub, c) -> argparse.ArgumentParser:
    """The arguments of ``tekun sample``."""
    s = sub.add_parser("sample", help="生成示例数据（虚构人员，标记为示例数据）：排查评估表、工作台账、享受其他待遇人员名册、"
                                      "资金拨付台账")
    s.add_argument("--month", required=True, type=_month, help="月份，如 2023-08")
    s.add_argument("--kind", default="assessment",
                   type=_kind(SAMPLE_KINDS, "附件3、台账、名册、资金、督查、举报、all（或 assessment、schedule、benefits、funds、inspection、complaints）"),
                   help="附件3（默认）：排查评估表（数据文件夹中最早月份之后的各月（随附数据为 2023-09 至 2024-07，"
                        "也可继续往后）按示例月度故事逐月推演生成，未指定 --out 时同时重写该月示例附件1、附件2和分散供养特困人员"
                        "减少情况表；其他月份（如最早的月份）按该月附件1的人数生成；只有参考数据的新县，最早的月份先按参考数据中的乡镇和敬老院虚构附件1、附件2）；台账：乡镇工作进度台账和敬老院工作人员台账（按附件1、附件2）；"
                        "名册：享受其他待遇人员名册（按该月附件3）；资金：资金拨付台账和支出明细（按该月台账的入住特困人员数）；"
                        "all：依次生成以上四种；督查：每所敬老院一份督查检查表（在 data/<月份>/督查/，不含在 all 中）；"
                        "举报：举报与媒体报道问题登记表（示例故事中该月登记的件，不含在 all 中）")
    s.add_argument("--data-dir", default=None, help="数据文件夹（默认为项目的 data/）")
    s.add_argument("--out", default=None,
                   help="输出文件夹（默认：附件3 在 data/<月份>/附件3/，台账、名册、资金台账在 data/<月份>/）")
    s.add_argument("--seed", type=int, default=None,
                   help="随机种子（相同种子生成相同的文件；默认附件3 和虚构的第一个月为 20230801，示例月度故事为 20230901，"
                        "台账为 20230915，名册为 20231012，资金为 20231013）")
    s.set_defaults(func=cmd_sample)
    return s


def _feedback_parser(sub, c) -> argparse.ArgumentParser:
    """The arguments of ``tekun feedback`` (its help in the county ``c``'s words)."""
    fb = sub.add_parser("feedback", help="把本月表格的问题退回报送单位：标注问题的表格副本（问题清单、标色、批注）和回执")
    fb.add_argument("--month", required=True, type=_month, help="月份，如 2023-08")
    fb.add_argument("--data-dir", default=None, help="数据文件夹（默认为项目的 data/）；其中的文件只读不改")
    fb.add_argument("--out", default=None, help="输出文件夹（默认为项目的 outputs/；文件在 <月份>/反馈/<单位>/ 下）")
    fb.add_argument("--township", default=None, help=f"只处理一个{c.towns}（或{c.own_level}，写{c.level}名）")
    fb.add_argument("--encrypt", action="store_true",
                    help="退回修改的文件加打开密码（Office 标准加密，Excel、WPS、LibreOffice 输入密码即可打开），"
                         "每个单位一个密码，写入数据和输出文件夹以外的密码文件（默认为输出文件夹旁的 密码/）；回执不加密")
    fb.add_argument("--passwords", default=None, metavar="文件或文件夹",
                    help="密码文件的位置（含 --encrypt；不能在数据或输出文件夹中）")
    fb.set_defaults(func=cmd_feedback)
    return fb


def _init_parser(sub, c) -> argparse.ArgumentParser:
    """The arguments of ``tekun init``."""
    i = sub.add_parser("init", help="为新的县（旗、区）生成参考数据模板：本县用语、方案规则、乡镇和敬老院（DIR/reference/）")
    i.add_argument("dir", metavar="DIR", help="新的数据文件夹；参考数据写入 DIR/reference/（已存在时不覆盖）")
    i.add_argument("--name", default=None, help="县名，如 宁城县（以县、旗、区、市结尾时据此确定级别；默认“本县”，之后在 county.toml 中改写）")
    i.add_argument("--towns", default=None, help="对下辖乡镇的统称（默认“乡镇（街道）”）")
    i.set_defaults(func=cmd_init)
    return i


def _log_bug(argv) -> Path | None:
    """Write the current exception's traceback to a log file; its path, or None when none could be written."""
    import tempfile

    from .core.paths import output_dir

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"tekun {' '.join(map(str, argv if argv is not None else sys.argv[1:]))}\n"
            f"{dt.datetime.now().isoformat(timespec='seconds')}\n\n{traceback.format_exc()}")
    for folder in (output_dir() / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"tekun-错误-{stamp}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def main(argv=None) -> int:
    parser = build_parser(_help_county(argv))
    args = parser.parse_args(argv)
    prog = f"tekun {args.command}"
    try:
        return args.func(args)
    except UsageError as exc:
        parser.commands[args.command].print_usage(sys.stderr)
        print(f"{prog}：参数错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except TekunError as exc:
        print(f"tekun：{exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:   # a bug: its own exit code, the traceback in a log file rather than on the screen
        log = _log_bug(argv)
        where = f"详细信息已写入 {log}" if log else "详细信息无法写入日志文件"
        print(f"{prog}：程序内部错误（不是数据的问题），已中止；{where}，请把该文件交给技术人员。", file=sys.stderr)
        return EXIT_BUG


class _PipeSafe:
    """Standard output that outlives its reader (``tekun sample … | head``): once the pipe is closed, the rest
    of the output goes nowhere and the command finishes its work, instead of stopping at the next line it prints
    with a program error. Everything else is the wrapped stream's."""

    def __init__(self, stream):
        self._stream, self._closed = stream, False

    def _gone(self) -> None:
        self._closed = True
        try:        # what the interpreter flushes at exit goes nowhere too (Python's documented remedy)
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())
        except (OSError, ValueError):
            pass

    def write(self, text):
        if not self._closed:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self):
        if not self._closed:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def run() -> None:
    """The ``tekun`` command: :func:`main`, its return value the exit code."""
    sys.stdout = _PipeSafe(sys.stdout)
    sys.exit(main())


if __name__ == "__main__":
    run()
