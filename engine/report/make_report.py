#!/usr/bin/python3
"""The planner's report of a daihai results file: figures (PNG), a self-contained HTML page, and its
tables as CSV (UTF-8 with BOM, so spreadsheet programs show Chinese) and as an .xlsx workbook.

Called by `daihai report RESULTS.h5 -o DIR --lang zh|en` (engine/app/main.cpp), which first writes
DIR/data/effects.csv (the factorial effects, computed and tested in the engine). This script only
reads and draws: every number it shows is read from the results file or that CSV; the few it
derives (percentiles over members, shares of members, budget means) are computed here with the
definitions printed on the page. Each figure's plotted data is also written as DIR/data/<figure>.csv.

Python is Debian's /usr/bin/python3 with python3-h5py, python3-matplotlib, python3-openpyxl and the
font fonts-noto-cjk.
"""
import argparse
import csv
import html
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# --------------------------------------------------------------------------------------- labels

TEXT = {
    "en": {
        "title": "Daihai Lake: the rectification plan's measures over the ensemble",
        "area": "Lake area", "level": "Lake level", "tds": "Salinity (TDS)",
        "year": "Year", "median": "median", "p10_90": "10 % and 90 %", "band": "5–95 % of members",
        "observed": "observed", "target": "target", "plan_start": "plan start",
        "prob_title": "Share of members meeting each target's condition in each year",
        "prob_y": "members meeting it (%)", "effects_title": "Effect of each measure on the {year} area (median, km²)",
        "alone": "alone (vs. no measure)", "dropped": "dropped from the full plan", "main": "main effect (2^k design)",
        "budget_title": "Lake water budget by period (mean over members)", "budget_y": "million m³ per year",
        "ranked": "Measure combinations ranked by the probability of meeting every target",
        "effects_table": "Measure effects (factorial design)", "provenance": "Provenance",
        "scenario": "scenario", "all_p": "P(all targets)", "first": "first year", "members": "members",
        "interaction": "interaction", "response": "response", "kind": "effect", "measure": "measure", "value": "value",
        "period": "period", "engine": "engine version", "commit": "commit", "batch_file": "batch file",
        "inputs": "input files (checksums)", "created": "written", "none": "baseline (no measure)",
        "full": "full plan", "never": "never", "note_joint": "P(all targets): share of members meeting every target in the same run.",
        "note_prob": "A target's P: share of members meeting it; first year: median over members of the first year from which it holds in every later year.",
        "sort": "Click a column header to sort.",
        "targets": "Targets", "first_from": "first year searched from",
        "note_effects": "alone: the measure by itself against no measure; dropped: what the full plan loses without it; main effect: its mean effect over every combination of the others; interaction: how much two measures' effects depend on each other (Box, Hunter & Hunter 2005). Units: km² for the area, 1 for probabilities.",
        "no_effects": "No measure effects: the results are not every on/off combination of their measures without variants (a full factorial batch).",
        "delta_note": "Figures for the climate delta dT {dt:+g} °C, dP {dp:+g} % (the first of the results).",
        "no_obs": "The monitored figures are not drawn: the monitoring file named in the results was not found from this folder.",
        "cost_blank": "A blank cost: a measure of the combination has none in the file.",
        "capital": "capital cost (10⁴ CNY)", "annual": "annual cost (10⁴ CNY/a)",
        "per_km2": "cost per km² gained by {year} (10⁴ CNY/km²)",
        "note_cost": "Cost per km² gained: capital cost plus annual cost over the years from the plan start to {year}, over the median {year} area gained against the baseline; costs from {file}.",
        "units_area": "km²", "units_level": "m", "units_tds": "g/L",
        "terms": {"precipitation": "precipitation", "runoff": "river runoff", "diversions": "diversions",
                  "groundwater": "groundwater exchange", "evaporation": "evaporation", "withdrawals": "withdrawals",
                  "other": "other"},
        "budget_scale": 1e6,
    },
    "zh": {
        "title": "岱海：综合治理方案各项措施的集合模拟结果",
        "area": "湖面面积", "level": "湖水位", "tds": "矿化度（TDS）",
        "year": "年份", "median": "中位数", "p10_90": "10% 与 90%", "band": "5%–95% 成员区间",
        "observed": "观测值", "target": "目标", "plan_start": "方案起始",
        "prob_title": "各年满足各项目标条件的成员比例",
        "prob_y": "满足条件的成员（%）", "effects_title": "各项措施对 {year} 年湖面面积的影响（中位数，km²）",
        "alone": "单独实施（相对无措施）", "dropped": "从全部方案中去掉", "main": "主效应（2^k 析因设计）",
        "budget_title": "分时段湖泊水量平衡（成员平均）", "budget_y": "万m³/年",
        "ranked": "措施组合排序（按同时满足全部目标的概率）",
        "effects_table": "措施效应（析因设计）", "provenance": "数据来源与版本",
        "scenario": "情景", "all_p": "同时满足全部目标的概率", "first": "首次达标年份", "members": "成员数",
        "interaction": "交互效应", "response": "指标", "kind": "效应", "measure": "措施", "value": "数值",
        "period": "时段", "engine": "引擎版本", "commit": "提交", "batch_file": "批处理文件",
        "inputs": "输入文件（校验和）", "created": "生成时间", "none": "基准（无措施）",
        "full": "全部措施", "never": "未达到", "note_joint": "同时满足全部目标的概率：同一成员同时满足所有目标的比例。",
        "note_prob": "各目标的概率：满足该目标的成员比例；首次达标年份：此后各年均满足条件的首个年份（成员中位数）。",
        "sort": "点击表头可排序。",
        "targets": "目标", "first_from": "首次达标年份自",
        "note_effects": "单独实施：该措施单独相对无措施的效果；从全部方案中去掉：全部方案缺少该措施时损失的效果；主效应：该措施在其他措施所有组合下的平均效果；交互效应：两项措施效果的相互依赖程度（Box、Hunter 与 Hunter 2005）。单位：面积 km²，概率无量纲。",
        "no_effects": "无措施效应：结果并非由其措施的全部开关组合（无设计变体）构成的完全析因批处理。",
        "delta_note": "图件对应气候变化情景 dT {dt:+g} °C、dP {dp:+g} %（结果中的第一个）。",
        "no_obs": "未绘制监测值：在当前目录下找不到结果所记录的监测文件。",
        "cost_blank": "费用为空：该组合中有措施在费用文件中没有费用。",
        "capital": "投资（万元）", "annual": "年运行费用（万元/年）",
        "per_km2": "至 {year} 年每增加 1 km² 湖面的费用（万元/km²）",
        "note_cost": "每增加 1 km² 湖面的费用：投资加上方案起始至 {year} 年的年运行费用，除以相对基准情景 {year} 年湖面面积中位数的增加量；费用来自 {file}。",
        "units_area": "km²", "units_level": "m", "units_tds": "g/L",
        "terms": {"precipitation": "湖面降水", "runoff": "入湖径流", "diversions": "引水补给",
                  "groundwater": "地下水交换", "evaporation": "湖面蒸发", "withdrawals": "取用水",
                  "other": "其他"},
        "budget_scale": 1e4,
    },
}

MEASURES = {
    "en": {"cooling_retrofit": "power plant air cooling", "yongxing_diversion": "Yongxing Reservoir diversion",
           "yellow_river_diversion": "Yellow River diversion", "agricultural_saving": "agricultural water saving",
           "well_sealing": "well sealing"},
    "zh": {"cooling_retrofit": "电厂空冷改造", "yongxing_diversion": "永兴水库引水", "yellow_river_diversion": "引黄济岱",
           "agricultural_saving": "农业节水", "well_sealing": "封闭机电井"},
}


def s(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def measure_name(m, lang):
    return MEASURES[lang].get(m, m)


FULL_PLAN = None  # the batch's combination of every measure (set in main)


def scenario_name(sc, lang, t):
    if sc == "baseline":
        return t["none"]
    if sc == FULL_PLAN:
        return t["full"]
    parts = []
    for m in sc.split("+"):  # "<measure>[key=value,...]": the measure translated, its variant values kept
        name, _, args = m.partition("[")
        parts.append(measure_name(name, lang) + (" [" + args if args else ""))
    return " + ".join(parts)


def measures_in(sc):
    return set() if sc == "baseline" else {m.split("[")[0] for m in sc.split("+")}


def fmt_num(v, digits=1):
    """Numbers with a real minus sign (U+2212) so it renders in every font."""
    if v is None or not np.isfinite(v):
        return "n/a"
    return f"{v:.{digits}f}".replace("-", "\u2212")


# ------------------------------------------------------------------------------------- reading

def read_results(path):
    f = h5py.File(path, "r")
    r = {"file": f}
    r["scenario"] = np.array([s(x) for x in f["runs/scenario"][:]])
    r["status"] = f["runs/status"][:]
    r["dt"] = f["runs/delta_t_C"][:]
    r["dp"] = f["runs/delta_p_pct"][:]
    r["years"] = f["annual/year"][:].astype(int)
    r["attrs"] = {k: f.attrs[k] for k in f.attrs}
    v = f["verification"]
    r["v_scenario"] = [s(x) for x in v["scenario"][:]]
    r["v_dt"] = v["delta_t_C"][:]
    r["v_dp"] = v["delta_p_pct"][:]
    r["targets"] = []
    for name in [s(x) for x in v.attrs["target_names"]]:
        ds = v[name + "_probability"]
        t = {a: (s(ds.attrs[a]) if isinstance(ds.attrs[a], bytes) else ds.attrs[a]) for a in ds.attrs if a != "DIMENSION_LIST"}
        t["name"] = name
        t["probability"] = ds[:]
        if name + "_first_year_median" in v:
            t["first_year"] = v[name + "_first_year_median"][:]
        r["targets"].append(t)
    r["all_p"] = v["all_targets_probability"][:] if "all_targets_probability" in v else None
    r["delta"] = (float(r["v_dt"][0]), float(r["v_dp"][0])) if len(r["v_dt"]) else (0.0, 0.0)
    r["report_year"] = int(v.attrs["report_year"]) if "report_year" in v.attrs else 2030
    r["v"] = v
    return r


def fill(x):
    return None if abs(x) > 1e30 else float(x)


def members_of(r, scenario):
    """The successful runs of `scenario` under the report's climate delta (the first of the results)."""
    dt, dp = r["delta"]
    ok = (r["scenario"] == scenario) & (r["status"] == 0) & (r["dt"] == dt) & (r["dp"] == dp)
    return np.where(ok)[0]


def monitoring_rows(r):
    """Rows of the monitoring file the results were conditioned on (named in their input checksums,
    lines "<algorithm>:<hex>  <path>"), for drawing the observations; none when it is not there."""
    rows = []
    for line in s(r["attrs"].get("input_checksums", "")).splitlines():
        path = line.split("  ", 1)[1] if "  " in line else ""
        if not path.endswith("monitoring.csv") or not os.path.exists(path):
            continue
        with open(path, encoding="utf-8-sig") as fh:
            lines = [ln for ln in fh if not ln.startswith("#")]
        rows += list(csv.DictReader(lines))
    return rows


# ------------------------------------------------------------------------------------- figures

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # Debian's fonts-noto-cjk


def setup_fonts(lang):
    """Chinese labels need a CJK font: Debian's Noto Sans CJK, registered by file (matplotlib's font
    cache may predate it). Its first face is the Japanese variant, whose Han glyphs cover the
    simplified Chinese of the labels. The minus sign is drawn as '-' (the CJK faces lack U+2212)."""
    from matplotlib import font_manager
    if lang == "zh":
        if not os.path.exists(CJK_FONT):
            raise OSError(f"the Chinese report needs {CJK_FONT} (Debian package fonts-noto-cjk)")
        font_manager.fontManager.addfont(CJK_FONT)
        name = font_manager.FontProperties(fname=CJK_FONT).get_name()
        plt.rcParams["font.family"] = [name, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["figure.dpi"] = 110


def write_csv(path, header, rows, bom=False):
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def fan_chart(r, var, scale, label, unit, scenarios, t, lang, out, data_dir, obs):
    years = r["years"]
    fig, axes = plt.subplots(1, len(scenarios), figsize=(5.2 * len(scenarios), 3.8), sharey=True, squeeze=False)
    rows = []
    vals = r["file"]["annual/" + var]
    for ax, sc in zip(axes[0], scenarios):
        idx = members_of(r, sc)
        if len(idx) == 0:
            continue
        x = vals[np.sort(idx), :] * scale
        q = np.percentile(x, [5, 10, 50, 90, 95], axis=0, method="linear")  # Hyndman & Fan type 7
        ax.fill_between(years, q[0], q[4], color="#9ecae1", alpha=0.6, label=t["band"])
        ax.plot(years, q[1], color="#3182bd", lw=0.8, ls="--", label=t["p10_90"])
        ax.plot(years, q[3], color="#3182bd", lw=0.8, ls="--")
        ax.plot(years, q[2], color="#08519c", lw=1.8, label=t["median"])
        for y, a, b, c, d, e in zip(years, *q):
            rows.append([sc, int(y), a, b, c, d, e])
        for tg in r["targets"]:
            if tg["quantity"] == var and tg["statistic"] == "every_year":
                ax.hlines(tg["value"] * scale, tg["from"], tg["to"], colors="#d62728", lw=1.2,
                          label=f'{t["target"]}: {tg["name"]}')
            elif tg["quantity"] == var and tg["statistic"] == "in_year":
                ax.plot([tg["to"]], [tg["value"] * scale], marker="D", color="#ff7f0e", ms=6, ls="none",
                        label=f'{t["target"]}: {tg["name"]}')
        start = min((tg["first_year_from"] for tg in r["targets"]), default=None)
        if start:
            ax.axvline(start, color="grey", lw=0.8, ls=":", label=t["plan_start"])
        for o in obs:
            if o["quantity"] + ("_m2" if o["quantity"] == "area" else "_m" if o["quantity"] == "level" else "_g_per_L") != var:
                continue
            k = {"km2": 1.0, "m2": 1e-6, "ha": 1e-2, "m": 1.0, "g/L": 1.0, "mg/L": 1e-3, "kg/m3": 1.0}.get(o["unit"], None)
            if k is None:
                continue
            v, sd = float(o["value"]) * k, float(o["sd"]) * k
            tm = o["time"]
            x0, x1 = (int(tm.split("..")[0]), int(tm.split("..")[1]) + 1) if ".." in tm else \
                (int(tm[:4]) + (0 if len(tm) == 4 else 1), int(tm[:4]) + 1)
            ax.errorbar([(x0 + x1) / 2], [v], yerr=[sd], fmt="o", color="black", ms=3.5, lw=0.8,
                        label=t["observed"] if ax is axes[0][0] else None)
        ax.set_title(scenario_name(sc, lang, t), fontsize=9)
        ax.set_xlabel(t["year"])
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(f"{label} ({unit})")
    handles, labels = axes[0][0].get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    fig.legend(uniq.values(), uniq.keys(), loc="lower center", ncol=4, fontsize=7.5, frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(out)
    plt.close(fig)
    write_csv(os.path.join(data_dir, os.path.basename(out).replace(".png", ".csv")),
              ["scenario", "year", "p05", "p10", "p50", "p90", "p95"], rows)


def share_by_year(r, scenarios, t, lang, out, data_dir):
    """Share of members meeting each every_year/in_year target's annual condition in each year."""
    targets = [tg for tg in r["targets"] if tg["statistic"] != "trend"]
    if not targets:
        return None
    years = r["years"]
    fig, axes = plt.subplots(1, len(targets), figsize=(5.2 * len(targets), 3.6), squeeze=False)
    rows = []
    for ax, tg in zip(axes[0], targets):
        vals = r["file"]["annual/" + tg["quantity"]]
        for sc in scenarios:
            idx = np.sort(members_of(r, sc))
            if len(idx) == 0:
                continue
            x = vals[idx, :]
            met = (x >= tg["value"]) if tg["operator"] == ">=" else (x <= tg["value"])
            share = 100.0 * met.mean(axis=0)
            ax.plot(years, share, lw=1.4, label=scenario_name(sc, lang, t))
            rows += [[tg["name"], sc, int(y), float(p)] for y, p in zip(years, share)]
        ax.axvspan(tg["from"], tg["to"], color="#fdd0a2", alpha=0.3)
        ax.set_title(f'{tg["name"]}: {tg["quantity"]} {tg["operator"]} {tg["value_as_given"]:g} {tg["unit_as_given"]}', fontsize=9)
        ax.set_ylim(0, 100)
        ax.set_xlabel(t["year"])
        ax.set_ylabel(t["prob_y"])
        ax.grid(alpha=0.3)
    axes[0][-1].legend(fontsize=7, frameon=False)
    fig.suptitle(t["prob_title"], fontsize=10)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    write_csv(os.path.join(data_dir, "share_by_year.csv"), ["target", "scenario", "year", "percent"], rows)
    return rows


def read_effects(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def effects_chart(effects, r, t, lang, out, data_dir):
    resp = f"area_{r['report_year']}_median"
    rows = [e for e in effects if e["response"] == resp and float(e["delta_t_C"]) == 0 and float(e["delta_p_pct"]) == 0]
    measures = []
    for e in rows:
        if e["kind"] != "interaction" and e["measure"] not in measures:
            measures.append(e["measure"])
    if not measures:
        return False
    kinds = ["alone", "main", "dropped"]
    val = {(e["kind"], e["measure"]): float(e["value"]) for e in rows if e["kind"] != "interaction"}
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    y = np.arange(len(measures))
    for k, kind in enumerate(kinds):
        ax.barh(y + (k - 1) * 0.26, [val[(kind, m)] for m in measures], height=0.26, label=t[kind])
    ax.set_yticks(y, [measure_name(m, lang) for m in measures], fontsize=8)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel(t["units_area"])
    ax.set_title(t["effects_title"].format(year=r["report_year"]), fontsize=10)
    ax.legend(fontsize=7.5, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    write_csv(os.path.join(data_dir, "effects_area.csv"), ["measure"] + kinds, [[m] + [val[(k, m)] for k in kinds] for m in measures])
    return True


def budget_term(name):
    if name.startswith("lake_precipitation"):
        return "precipitation"
    if name.startswith("catchment_runoff"):
        return "runoff"
    if name.startswith("diversion_") or name.startswith("inflow_") or name.startswith("scenario_inflow"):
        return "diversions"
    if "groundwater" in name or name.startswith("lake_seepage"):
        return "groundwater"
    if name.startswith("lake_evaporation"):
        return "evaporation"
    if "withdrawal" in name or "abstraction" in name or "power_plant" in name or "cooling" in name:
        return "withdrawals"
    return "other"


def budget_chart(r, scenarios, t, lang, out, data_dir):
    f = r["file"]
    years = r["years"]
    periods = [(1955, 1979), (1980, 2004), (2005, 2015), (2016, 2030), (2031, 2050)]
    periods = [(a, b) for a, b in periods if a >= years[0] and b <= years[-1]]
    terms = list(t["terms"].keys())
    fig, axes = plt.subplots(1, len(scenarios), figsize=(5.2 * len(scenarios), 3.8), sharey=True, squeeze=False)
    rows = []
    for ax, sc in zip(axes[0], scenarios):
        idx = np.sort(members_of(r, sc))
        if len(idx) == 0:
            continue
        by_term = {k: np.zeros(len(periods)) for k in terms}
        for name in f["annual"]:
            ds = f["annual/" + name]
            if s(ds.attrs.get("budget", b"")) != "lake_water" or name.startswith("assimilation"):
                continue
            x = ds[idx, :]
            for p, (a, b) in enumerate(periods):
                sel = (years >= a) & (years <= b)
                by_term[budget_term(name)][p] += x[:, sel].mean() / t["budget_scale"]
        labels = [f"{a}–{b}" for a, b in periods]
        pos = np.zeros(len(periods))
        neg = np.zeros(len(periods))
        for k in terms:
            v = by_term[k]
            base = np.where(v >= 0, pos, neg)
            ax.bar(labels, v, bottom=base, label=t["terms"][k])
            pos += np.where(v >= 0, v, 0)
            neg += np.where(v < 0, v, 0)
            rows += [[sc, lab, k, float(x)] for lab, x in zip(labels, v)]
        ax.axhline(0, color="black", lw=0.6)
        ax.set_title(scenario_name(sc, lang, t), fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="y", alpha=0.3)
    axes[0][0].set_ylabel(t["budget_y"])
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=7.5, frameon=False)
    fig.suptitle(t["budget_title"], fontsize=10)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    fig.savefig(out)
    plt.close(fig)
    write_csv(os.path.join(data_dir, "budget.csv"), ["scenario", "period", "term", f"value_per_year_{int(t['budget_scale'])}_m3"], rows)


# --------------------------------------------------------------------------------------- tables

def read_costs(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return {row["measure"]: (float(row["capital_wan_cny"]), float(row["annual_wan_cny_per_a"])) for row in csv.DictReader(fh)}


def add_costs(r, t, header, rows, costs):
    """Capital and annual cost of each combination (sums over its measures) and its cost per km² gained."""
    start = min((tg["first_year_from"] for tg in r["targets"]), default=r["report_year"])
    years = max(r["report_year"] - start + 1, 1)
    base = {(row[1], row[2]): row[4] for row, sc in zip(rows, r["_row_scenarios"]) if sc == "baseline"}
    header += [t["capital"], t["annual"], t["per_km2"].format(year=r["report_year"])]
    for row, sc in zip(rows, r["_row_scenarios"]):
        on = [] if sc == "baseline" else [m.split("[")[0] for m in sc.split("+")]
        known = all(m in costs for m in on)
        cap = sum(costs[m][0] for m in on) if known else None
        ann = sum(costs[m][1] for m in on) if known else None
        gained = None if base.get((row[1], row[2])) is None or row[4] is None else row[4] - base[(row[1], row[2])]
        per = None if cap is None or gained is None or gained <= 0 else round((cap + ann * years) / gained, 1)
        row += [cap, ann, per]


def ranked_table(r, t, lang):
    v = r["v"]
    header = [t["scenario"], "dT C", "dP %", t["members"], f'{t["area"]} {r["report_year"]} ({t["units_area"]})', "p05", "p95",
              f'{t["level"]} {r["report_year"]} (m)', f'{t["tds"]} {r["report_year"]} (g/L)']
    for tg in r["targets"]:
        header.append(f'P({tg["name"]})')
        if "first_year" in tg:
            header.append(f'{tg["name"]} {t["first"]}')
    header.append(t["all_p"])
    rows = []
    for i, sc in enumerate(r["v_scenario"]):
        def rounded(x, scale, digits):  # as a planner reads them: km² to 0.1, m and g/L to 0.01
            x = fill(x)
            return None if x is None else round(x * scale, digits)
        row = [scenario_name(sc, lang, t), float(r["v_dt"][i]), float(r["v_dp"][i]), int(v["runs"][i] - v["failed_runs"][i]),
               rounded(v["area_m2_median"][i], 1e-6, 1), rounded(v["area_m2_p05"][i], 1e-6, 1), rounded(v["area_m2_p95"][i], 1e-6, 1),
               rounded(v["level_m_median"][i], 1.0, 2), rounded(v["tds_g_per_L_median"][i], 1.0, 2)]
        for tg in r["targets"]:
            row.append(fill(tg["probability"][i]))
            if "first_year" in tg:
                y = int(tg["first_year"][i])
                row.append(t["never"] if y == 9999 else ("" if y < 0 else y))
        row.append(fill(r["all_p"][i]) if r["all_p"] is not None else None)
        rows.append(row)
    order = sorted(range(len(rows)), key=lambda k: (-(rows[k][-1] or 0), -(rows[k][4] or 0)))
    r["_row_scenarios"] = [r["v_scenario"][k] for k in order]
    return header, [rows[k] for k in order]


def html_table(header, rows, table_id):
    out = [f'<table id="{table_id}" class="sortable"><thead><tr>']
    out += [f"<th>{html.escape(str(h))}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for x in row:
            if isinstance(x, float):
                out.append(f'<td data-v="{x:.6g}">{fmt_num(x, 2 if abs(x) < 10 else 1)}</td>')
            else:
                out.append(f"<td>{html.escape('' if x is None else str(x))}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


SORT_JS = """
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0];
    var rows = Array.from(body.rows), asc = th.dataset.asc !== '1';
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      var vx = x.dataset.v !== undefined ? parseFloat(x.dataset.v) : x.textContent;
      var vy = y.dataset.v !== undefined ? parseFloat(y.dataset.v) : y.textContent;
      return (vx > vy ? 1 : vx < vy ? -1 : 0) * (asc ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    th.dataset.asc = asc ? '1' : '0';
  });
});
"""


def write_xlsx(path, sheets):
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for name, header, rows in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append(header)
        for row in rows:
            ws.append([None if isinstance(x, float) and not np.isfinite(x) else x for x in row])
    wb.save(path)


# ----------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lang", choices=["zh", "en"], default="zh")
    ap.add_argument("--effects", required=True)
    a = ap.parse_args()
    t = TEXT[a.lang]
    setup_fonts(a.lang)
    r = read_results(a.results)
    data = os.path.join(a.out, "data")
    os.makedirs(data, exist_ok=True)
    names = list(dict.fromkeys(r["v_scenario"]))
    # The full plan: the one combination with every measure of the results on and no variant values.
    every = set().union(*(measures_in(n) for n in names))
    full = [n for n in names if measures_in(n) == every and "[" not in n and every]
    global FULL_PLAN
    FULL_PLAN = full[0] if len(full) == 1 else None
    fullest = FULL_PLAN or max(names, key=lambda n: len(measures_in(n)))
    chosen = [n for n in dict.fromkeys(["baseline", fullest]) if n in names]
    alone = [n for n in names if n != "baseline" and "+" not in n]
    obs = monitoring_rows(r)
    figs = []
    for var, scale, key, unit in [("area_m2", 1e-6, "area", t["units_area"]), ("level_m", 1.0, "level", "m"),
                                  ("tds_g_per_L", 1.0, "tds", "g/L")]:
        out = os.path.join(a.out, f"fan_{key}.png")
        fan_chart(r, var, scale, t[key], unit, chosen, t, a.lang, out, data, obs)
        figs.append(out)
    share_rows = share_by_year(r, chosen + alone, t, a.lang, os.path.join(a.out, "share_by_year.png"), data)
    if share_rows is not None:
        figs.append(os.path.join(a.out, "share_by_year.png"))
    effects = read_effects(a.effects)
    if effects_chart(effects, r, t, a.lang, os.path.join(a.out, "effects.png"), data):
        figs.append(os.path.join(a.out, "effects.png"))
    budget_chart(r, chosen, t, a.lang, os.path.join(a.out, "budget.png"), data)
    figs.append(os.path.join(a.out, "budget.png"))

    header, rows = ranked_table(r, t, a.lang)
    costs = read_costs(os.path.join(data, "costs.csv"))
    if costs is not None:
        add_costs(r, t, header, rows, costs)
    write_csv(os.path.join(a.out, "ranked.csv"), header, rows, bom=True)
    eff_header = ["dT C", "dP %", t["response"], t["kind"], t["measure"], t["interaction"], t["value"], "unit"]
    kinds = {"main": t["main"], "alone": t["alone"], "dropped": t["dropped"], "interaction": t["interaction"]}
    eff_rows = [[float(e["delta_t_C"]), float(e["delta_p_pct"]), e["response"], kinds.get(e["kind"], e["kind"]),
                 measure_name(e["measure"], a.lang), measure_name(e["other"], a.lang), round(float(e["value"]), 4),
                 t["units_area"] if e["unit"] == "km2" else "1"] for e in effects]
    write_csv(os.path.join(a.out, "effects.csv"), eff_header, eff_rows, bom=True)
    prov = [[t["engine"], s(r["attrs"].get("engine_version", ""))], [t["commit"], s(r["attrs"].get("git_commit", ""))],
            [t["batch_file"], s(r["attrs"].get("scenario_file", ""))], [t["created"], s(r["attrs"].get("creation_time", ""))],
            [t["members"], str(int(np.max(r["file"]["verification/runs"][:])))]]
    sheets = [("ranked", header, rows), ("effects", eff_header, eff_rows), ("provenance", ["", ""], prov)]
    if share_rows:
        sheets.append(("share_by_year", ["target", t["scenario"], t["year"], "%"], share_rows))
    write_xlsx(os.path.join(a.out, "report.xlsx"), sheets)

    page = [f'<!DOCTYPE html><html lang="{"zh-CN" if a.lang == "zh" else "en"}"><head><meta charset="utf-8">',
            f"<title>{html.escape(t['title'])}</title><style>",
            "body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;max-width:1200px;margin:2em auto;color:#222}",
            "table{border-collapse:collapse;font-size:12px;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 6px}",
            "th{background:#eef;cursor:pointer}td[data-v]{text-align:right}img{max-width:100%}</style></head><body>",
            f"<h1>{html.escape(t['title'])}</h1>"]
    if r["delta"] != (0.0, 0.0):
        page.append(f"<p>{html.escape(t['delta_note'].format(dt=r['delta'][0], dp=r['delta'][1]))}</p>")
    page.append(f"<h2>{html.escape(t['targets'])}</h2><ul>")
    for tg in r["targets"]:
        period = f'{tg["from"]}–{tg["to"]}' if tg["from"] != tg["to"] else f'{tg["to"]}'
        page.append(f'<li><b>{html.escape(tg["name"])}</b>: {html.escape(str(tg["quantity"]))} ({tg["statistic"]}) {tg["operator"]} '
                    f'{tg["value_as_given"]:g} {html.escape(str(tg["unit_as_given"]))}, {period}; {html.escape(t["first_from"])} '
                    f'{tg["first_year_from"]}; {html.escape(str(tg.get("source", "")))}</li>')
    page.append("</ul>")
    if not obs:
        page.append(f"<p>{html.escape(t['no_obs'])}</p>")
    for fpath in figs:
        page.append(f'<p><img src="{os.path.basename(fpath)}" alt="{os.path.basename(fpath)}"></p>')
    cost_note = t["note_cost"].format(year=r["report_year"], file="data/costs.csv") + " " + t["cost_blank"] if costs is not None else ""
    page.append(f"<h2>{html.escape(t['ranked'])}</h2><p>{html.escape(t['note_prob'])} {html.escape(t['note_joint'])} "
                f"{html.escape(cost_note)} {html.escape(t['sort'])}</p>")
    page.append(html_table(header, rows, "ranked"))
    page.append(f"<h2>{html.escape(t['effects_table'])}</h2>")
    if eff_rows:
        page.append(f"<p>{html.escape(t['note_effects'])}</p>")
        page.append(html_table(eff_header, eff_rows, "effects"))
    else:
        page.append(f"<p>{html.escape(t['no_effects'])}</p>")
    page.append(f"<h2>{html.escape(t['provenance'])}</h2>")
    page.append(html_table(["", ""], prov, "provenance"))
    checks = s(r["attrs"].get("input_checksums", ""))
    page.append(f"<p>{html.escape(t['inputs'])}:</p><pre>{html.escape(checks)}</pre>")
    page.append(f"<details><summary>{html.escape(t['batch_file'])}</summary><pre>"
                f"{html.escape(s(r['attrs'].get('scenario_text', '')))}</pre></details>")
    page.append(f"<script>{SORT_JS}</script></body></html>")
    with open(os.path.join(a.out, "index.html"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(page))


if __name__ == "__main__":
    try:
        main()
    except (OSError, KeyError, ValueError) as e:
        print(f"make_report: {e}", file=sys.stderr)
        sys.exit(1)
