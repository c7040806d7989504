import nbformat as nbf
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

def nb(cells):
    n = new_notebook(cells=cells)
    n.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    n.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(n.cells):     # stable ids: regenerating gives the same file
        c.id = f"cell-{i:02d}"
    return n

def code(src, tags=()):
    c = new_code_cell(src)
    if tags:
        c.metadata["tags"] = list(tags)
    return c

md = new_markdown_cell

def remove(c):
    c.metadata["tags"] = ["remove-cell"]
    return c

banner = nb([
    remove(md("# 全旗月度简报（notebook 说明）\n\n"
       "本 notebook 生成全旗月度简报。修改下方参数后从头运行即可；批量生成请用 `tekun report`。\n"
       "所有计算都在 `tekun_helpers` 包中，本文件只放说明文字和调用。标有 `remove-cell` 标签的单元格不会出现在报告中。")),
    code('# 参数（papermill 会覆盖本格）\n'
         'month = "2023-08"      # 报告月份 YYYY-MM\n'
         'data_dir = None        # 数据文件夹；None 表示项目的 data/\n'
         'internal = False       # True：显示完整个人信息（仅限内部资料）', tags=["parameters", "remove-cell"]),
    code("from IPython.display import HTML, Markdown, display\n"
         "from tekun_helpers.briefing import Briefing\n"
         "from tekun_helpers import show\n\n"
         "b = Briefing(month, data_dir, internal=internal)\n"
         "show.title(b)", tags=[]),
    md("## 摘要"),
    code("show.summary(b)"),
    code("show.key_figures(b)"),
    md("## 与上月比较\n\n"
       "本月与上月的主要数字及其变化，以及截至本月的逐月趋势。没有上月数据时只作说明，不把缺少的数据当作零。"),
    code("show.comparison(b)"),
    md("## 一、分散供养人员（附件1）\n\n"
       "各乡镇苏木街道分散供养特困人员人数及其中全失能、半失能人数，按乡镇官方顺序排列；"
       "“占全旗比例”为该乡镇分散供养人数占全旗的比例，“排名”按分散供养人数从多到少。"),
    code("show.township_table(b)"),
    code("show.chart(b, 'townships')"),
    md("## 二、敬老院入住情况（附件2）\n\n"
       "方案要求：力争到2023年10月底，各敬老院入住率达到60%以上。"
       "“应住人数”按各院床位数乘以目标比例、按政策规定取整（见 `data/reference/policy.toml`）。"),
    code("show.occupancy_note(b)"),
    code("show.home_table(b)"),
    code("show.chart(b, 'occupancy')"),
    code("show.chart(b, 'missing')"),
    md("### 敬老院人员配备与培训\n\n"
       "依据敬老院工作人员台账：护理人员培训课时、负责人（院长）是否兼职、每名护理人员服务的入住老人数，"
       "以及护理型床位和入住老人中特困人员与社会老人的构成。"),
    code("show.staffing_section(b)"),
    md("## 三、工作进度\n\n"
       "方案“进度安排”规定的各项工作在各乡镇苏木街道的完成情况，一格一项："
       "绿色为按时完成，黄色为逾期完成，红色为逾期未完成，灰色为未到期。"
       "领导小组、考评方案和协议书依据乡镇工作进度台账，入户考核评价依据排查评估表，入住率依据附件2。"),
    code("show.progress_section(b)"),
    md("## 四、排查评估（附件3）\n\n"
       "方案要求各乡镇苏木街道在9月1日至9月30日对分散供养特困人员逐一入户考核评价；"
       "对护理、居住环境、生活质量差或无人照料的，纳入敬老院集中供养；"
       "对不由本人支配供养费、侵占合法权益的，移交处理。"),
    code("show.assessment_section(b)"),
    md("## 五、资金与政策衔接\n\n"
       "方案“四、工作要求”要求的核查：特困人员是否同时享受不能同时享受的低保、孤儿保障和残疾人两项补贴，"
       "供养资金是否足额及时拨付、是否用于不得列支的用途，身份证号是否有误，以及精神疾病患者和新申请人员。"
       "名单中的姓名和身份证号已脱敏。"),
    code("show.compliance_section(b)"),
    md("## 六、数据质量与来源\n\n"
       "以下为本月数据检查中的警告（错误会使报告无法生成）以及本报告所用的文件。"),
    code("show.data_quality(b)"),
])

township = nb([
    remove(md("# 乡镇简报（notebook 说明）\n\n"
       "本 notebook 生成一个乡镇苏木街道的月度简报，参数 `township` 为乡镇官方名称。"
       "标有 `remove-cell` 标签的单元格不会出现在报告中。")),
    code('# 参数（papermill 会覆盖本格）\n'
         'month = "2023-08"      # 报告月份 YYYY-MM\n'
         'township = "贝子府镇"   # 乡镇苏木街道\n'
         'data_dir = None        # 数据文件夹；None 表示项目的 data/\n'
         'internal = False       # True：显示完整个人信息（仅限内部资料）', tags=["parameters", "remove-cell"]),
    code("from IPython.display import HTML, Markdown, display\n"
         "from tekun_helpers.briefing import Briefing\n"
         "from tekun_helpers import show\n\n"
         "b = Briefing(month, data_dir, township=township, internal=internal)\n"
         "show.title(b)"),
    md("## 摘要"),
    code("show.township_summary(b)"),
    md("## 与上月比较\n\n本乡镇与上月相比的变化，以及截至本月的逐月趋势。"),
    code("show.comparison(b)"),
    md("## 一、排查评估\n\n"
       "本乡镇分散供养特困人员逐人评估的覆盖情况、评估结果，以及按方案应纳入敬老院、移交处理和就医提醒的人员名单"
       "（姓名已脱敏，年龄按年龄段显示）。"),
    code("show.assessment_section(b)"),
    md("## 二、工作进度\n\n"
       "方案“进度安排”规定的各项工作在本乡镇的完成情况：绿色为按时完成，黄色为逾期完成，红色为逾期未完成，灰色为未到期。"),
    code("show.progress_section(b)"),
    md("## 三、承接敬老院\n\n承接本乡镇集中供养的敬老院及其入住情况、人员配备与培训。"),
    code("show.home_table(b)"),
    code("show.staffing_section(b)"),
    md("## 四、资金与政策衔接\n\n"
       "本乡镇人员同时享受不能同时享受的待遇、承接敬老院的供养资金、身份证号核查以及精神疾病患者和新申请人员。"),
    code("show.compliance_section(b)"),
    md("## 五、数据质量与来源"),
    code("show.data_quality(b)"),
])

nbf.write(banner, "notebooks/monthly_briefing.ipynb")
nbf.write(township, "notebooks/township_briefing.ipynb")
