"""The `tekun` command. Exit codes: 0 success, 1 the data has errors or a report failed, 2 usage error."""
from __future__ import annotations

import argparse
import json
import sys

from .exceptions import TekunError
from .issues import format_table
from .month import check_month, load_month


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit code for usage errors is 2 as well
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 参数错误：{message}\n")


def _month(value: str) -> str:
    try:
        return check_month(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_validate(args) -> int:
    m = load_month(args.month, args.data_dir)
    if args.json:
        print(json.dumps([i.as_json() for i in m.issues], ensure_ascii=False, indent=2))
    else:
        files = "、".join(f"《{s.name}》" for s in m.sources) or "（无）"
        print(f"{args.month} 数据检查：读取文件 {len(m.sources)} 个 {files}")
        if not m.townships.empty:
            t = m.townships
            print(f"  附件1：{len(t)} 个乡镇苏木街道，分散供养 {int(t.dispersed.sum())} 人，"
                  f"全失能 {int(t.fully_disabled.sum())} 人，半失能 {int(t.semi_disabled.sum())} 人")
        if not m.homes.empty:
            h = m.homes
            print(f"  附件2：{len(h)} 所敬老院，床位 {int(h.beds.sum())} 张，入住 {int(h.residents.sum())} 人，"
                  f"工作人员 {int(h.staff.sum())} 人")
        print(format_table(m.issues))
    return 1 if m.errors else 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="tekun", description="敖汉旗特困人员供养服务月度报告工作簿")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="命令")
    sub.required = True

    v = sub.add_parser("validate", help="检查某月的表格并列出问题")
    v.add_argument("--month", required=True, type=_month, help="月份，如 2023-08")
    v.add_argument("--data-dir", default=None, help="数据文件夹（默认为项目的 data/）")
    v.add_argument("--json", action="store_true", help="只输出 JSON 格式的问题列表")
    v.set_defaults(func=cmd_validate)
    return p


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except TekunError as exc:
        print(f"tekun: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
