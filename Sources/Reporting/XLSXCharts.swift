import CXLSXWriter
import Columnar

/// Native charts for the workbook, each on a chart sheet of its own, where a picture helps the
/// leaders who read it: the pass rate by group as sorted bars and the mean score against the
/// 70-point line (`cases pass-rate`), the satisfaction index with its interval (`survey
/// satisfaction`), and the number of violations at each risk level (`risk`). Series refer to the
/// table sheets' cells (the first 50 groups, in the table's order), so a reader can trace them.
enum XLSXCharts {
    static let maxCategories = 50

    static func add(for report: Report, tables: [String: (sheet: String, rows: Int)], book: XLSXWorkbook, language: Language) {
        let zh = language == .zh
        for section in report.sections {
            guard let placed = tables[section.key], placed.rows > 0 else { continue }
            let table = section.table
            let keys = table.columns.map(\.key)
            let count = min(placed.rows, maxCategories)
            let shown = placed.rows > maxCategories ? (zh ? "（前 \(maxCategories) 个）" : " (first \(maxCategories))") : ""
            // The group column: the first text column that is not a label.
            guard let groupIndex = table.columns.firstIndex(where: { if case .text = $0.format { return true } else { return false } }) else { continue }
            let groupName = table.columns[groupIndex].header.text(language)
            if let rateIndex = keys.firstIndex(of: "pass_rate"), let meanIndex = keys.firstIndex(of: "mean_score") {
                let rate = bars(book, placed.sheet, group: groupIndex, value: rateIndex, rows: count,
                                title: (zh ? "案卷评查合格率（按\(groupName)，按合格率排序）" : "Pass rate by \(groupName), sorted") + shown,
                                axis: zh ? "合格率" : "Pass rate", category: groupName)
                // In a bar chart the x axis is the (horizontal) value axis, the y axis the categories.
                chart_axis_set_num_format(rate.pointee.x_axis, "0%")
                chart_axis_set_min(rate.pointee.x_axis, 0)
                chart_axis_set_max(rate.pointee.x_axis, 1)
                book.addChartSheet(named: zh ? "合格率图" : "Pass rate chart", chart: rate)
                let line = passLine(report)
                let mean = bars(book, placed.sheet, group: groupIndex, value: meanIndex, rows: count,
                                title: (zh ? "平均分（以 \(Value.formatDouble(line)) 分线为基线：低于此线的向左）" : "Mean score against the \(Value.formatDouble(line))-point line") + shown,
                                axis: zh ? "平均分" : "Mean score", category: groupName)
                // The category axis crosses the value axis at the pass line: bars grow right of it or left of it.
                chart_axis_set_crossing(mean.pointee.x_axis, line)
                chart_axis_set_min(mean.pointee.x_axis, 0)
                chart_axis_set_max(mean.pointee.x_axis, 100)
                book.addChartSheet(named: zh ? "平均分图" : "Mean score chart", chart: mean)
            }
            if let index = keys.firstIndex(of: "satisfaction_index"), let low = keys.firstIndex(of: "index_ci_low"),
               let high = keys.firstIndex(of: "index_ci_high") {
                let chart = book.chart(LXW_CHART_LINE)
                // The bounds show as the ends of the high-low line, without markers (libxlsxwriter
                // writes its dash markers as "short_dash" and "long_dash", which OOXML does not have).
                for (column, name, marker) in [(high, zh ? "上限" : "High", LXW_CHART_MARKER_NONE),
                                               (low, zh ? "下限" : "Low", LXW_CHART_MARKER_NONE),
                                               (index, zh ? "满意度指数" : "Index", LXW_CHART_MARKER_DIAMOND)] {
                    let series = chart_add_series(chart, nil, nil)!
                    chart_series_set_categories(series, placed.sheet, 1, lxw_col_t(groupIndex), lxw_row_t(count), lxw_col_t(groupIndex))
                    chart_series_set_values(series, placed.sheet, 1, lxw_col_t(column), lxw_row_t(count), lxw_col_t(column))
                    chart_series_set_name(series, name)
                    var none = lxw_chart_line()
                    none.none = 1
                    chart_series_set_line(series, &none)
                    chart_series_set_marker_type(series, UInt8(marker.rawValue))
                }
                // A vertical line from each group's lower to its upper bound: the 95% interval.
                chart_set_high_low_lines(chart, nil)
                chart_title_set_name(chart, (zh ? "满意度指数及其 95% 置信区间（按\(groupName)）" : "Satisfaction index with its 95% interval, by \(groupName)") + shown)
                chart_axis_set_name(chart.pointee.x_axis, groupName)
                chart_axis_set_name(chart.pointee.y_axis, zh ? "满意度指数" : "Index")
                chart_axis_set_min(chart.pointee.y_axis, 0)
                chart_axis_set_max(chart.pointee.y_axis, 100)
                chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
                book.addChartSheet(named: zh ? "满意度图" : "Satisfaction chart", chart: chart)
            }
            if section.key == "rows", let levelIndex = keys.firstIndex(of: "level"), case .label(let labels) = table.columns[levelIndex].format {
                // Counted from the whole table, on a small sheet the chart refers to.
                let levels = ["high", "medium", "low"]
                let counts = levels.map { level in table.rows.filter { $0[levelIndex].plainText == level }.count }
                let data = book.addSheet(named: zh ? "风险等级统计" : "Risk levels")
                data.text(0, 0, zh ? "风险等级" : "Level", bold: true)
                data.text(0, 1, zh ? "违法行为数" : "Violations", bold: true)
                for (row, level) in levels.enumerated() {
                    data.text(row + 1, 0, labels[level]?.text(language) ?? level)
                    data.number(row + 1, 1, Double(counts[row]), numberFormat: "0", shownAs: String(counts[row]))
                }
                data.fitColumns()
                let chart = book.chart(LXW_CHART_COLUMN)
                let series = chart_add_series(chart, nil, nil)!
                chart_series_set_categories(series, data.name, 1, 0, 3, 0)
                chart_series_set_values(series, data.name, 1, 1, 3, 1)
                chart_series_set_name(series, zh ? "违法行为数" : "Violations")
                chart_series_set_labels(series)
                chart_title_set_name(chart, zh ? "违法风险点按风险等级" : "Risk points by level")
                chart_axis_set_name(chart.pointee.x_axis, zh ? "风险等级" : "Level")
                chart_axis_set_name(chart.pointee.y_axis, zh ? "违法行为数" : "Violations")
                chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
                book.addChartSheet(named: zh ? "风险等级图" : "Risk level chart", chart: chart)
            }
        }
    }

    /// Horizontal bars of one column by the group column, the table's first row at the top.
    private static func bars(_ book: XLSXWorkbook, _ sheet: String, group: Int, value: Int, rows: Int, title: String,
                             axis: String, category: String) -> UnsafeMutablePointer<lxw_chart> {
        let chart = book.chart(LXW_CHART_BAR)
        let series = chart_add_series(chart, nil, nil)!
        chart_series_set_categories(series, sheet, 1, lxw_col_t(group), lxw_row_t(rows), lxw_col_t(group))
        chart_series_set_values(series, sheet, 1, lxw_col_t(value), lxw_row_t(rows), lxw_col_t(value))
        chart_series_set_name(series, axis)
        chart_title_set_name(chart, title)
        // A bar chart's x axis is its value axis (horizontal), its y axis the categories.
        chart_axis_set_name(chart.pointee.x_axis, axis)
        chart_axis_set_name(chart.pointee.y_axis, category)
        // Bars list their categories bottom up; reversed, the first group is at the top.
        chart_axis_set_reverse(chart.pointee.y_axis)
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
        return chart
    }

    /// The pass line the report used (its `pass_threshold` setting), 70 when it names none.
    private static func passLine(_ report: Report) -> Double {
        guard let setting = report.provenance.settings.first(where: { $0.key == "pass_threshold" }) else { return 70 }
        return setting.value.asDouble ?? 70
    }
}
