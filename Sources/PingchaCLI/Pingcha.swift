import ArgumentParser

/// The `pingcha` command: case-file review, satisfaction, draws, scoring and commendation
/// figures from the supervision platform's CSV exports.
public struct Pingcha: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pingcha",
        abstract: "评查：行政执法质量评估工具 / Pingcha: figures and rankings for administrative enforcement reviews.",
        discussion: "各命令默认输出中文表格；--lang en 输出英文，--format csv|json|md 改变格式。Every command prints Chinese tables by default; --lang en for English.",
        version: "pingcha 0.1.0",
        subcommands: [Describe.self, Cases.self, Survey.self, Filing.self, Draw.self, Tests.self, Standard.self, CompetitionCommand.self, Risk.self, Commend.self, Cache.self, QueryCommand.self, Shell.self, Convert.self, Generate.self])

    public init() {}
}
