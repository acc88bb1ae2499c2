import Columnar
import Reporting
import Testing

@Suite struct CellFormatterTests {
    @Test func roundsHalfAwayFromZeroOnTheDecimalForm() {
        #expect(CellFormatter.fixed(72.625, 2) == "72.63")
        #expect(CellFormatter.fixed(72.875, 2) == "72.88")
        #expect(CellFormatter.fixed(0.125, 2) == "0.13")
        #expect(CellFormatter.fixed(99.995, 2) == "100.00")
        #expect(CellFormatter.fixed(-0.004, 2) == "0.00")
        #expect(CellFormatter.fixed(-2.5, 0) == "-3")
        #expect(CellFormatter.fixed(86.05, 2) == "86.05")
        #expect(CellFormatter.fixed(69.9, 1) == "69.9")
        #expect(CellFormatter.fixed(70, 1) == "70.0")
        #expect(CellFormatter.fixed(476.0 / 6, 2) == "79.33")
        #expect(CellFormatter.display(.double(6.0 / 7), format: .percent(2), language: .zh) == "85.71%")
    }

    @Test func displayWidthCountsChineseAsTwo() {
        #expect(DisplayWidth.of("舞阳县") == 6)
        #expect(DisplayWidth.of("A1") == 2)
        #expect(DisplayWidth.of("合格率%") == 7)
    }

    @Test func csvQuoting() {
        #expect(CSVRenderer.quote("虚假宣传, 误导消费者") == #""虚假宣传, 误导消费者""#)
        #expect(CSVRenderer.quote(#"say "hi""#) == #""say ""hi""""#)
        #expect(CSVRenderer.quote("a\nb") == "\"a\nb\"")
        #expect(CSVRenderer.quote("plain") == "plain")
    }
}
