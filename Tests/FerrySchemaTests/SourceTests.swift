import Testing

@testable import FerrySchema

@Suite struct SourceTests {
    @Test("offsets map to 1-based lines and tab-expanded columns")
    func locations() {
        let file = SourceFile(name: "a.proto", text: "ab\n\tc\nx")
        #expect(file.location(at: 0) == SourceLocation(offset: 0, line: 1, column: 1))
        #expect(file.location(at: 1).column == 2)
        #expect(file.location(at: 3) == SourceLocation(offset: 3, line: 2, column: 1))
        #expect(file.location(at: 4) == SourceLocation(offset: 4, line: 2, column: 9))
        #expect(file.location(at: 7) == SourceLocation(offset: 7, line: 3, column: 2))
        #expect(file.location(at: 99).offset == 7)
    }

    @Test("spans render protoc-style with the end line omitted on one line")
    func protocSpans() {
        let file = SourceFile(name: "a.proto", text: "message A {\n}\n")
        #expect(file.span(0, 7).protocSpan == [0, 0, 7])
        #expect(file.span(0, 13).protocSpan == [0, 0, 1, 1])
    }

    @Test("diagnostics render as file:line:column: severity: message")
    func rendering() {
        let file = SourceFile(name: "x.proto", text: "foo bar")
        var reporter = DiagnosticReporter()
        reporter.error("Expected \";\".", at: file.span(4, 7), notes: [.init("first here", at: file.span(0, 3))])
        reporter.warning("unused", at: nil)
        #expect(reporter.errorCount == 1)
        #expect(
            DiagnosticRenderer().render(reporter.diagnostics)
                == "x.proto:1:5: error: Expected \";\".\nx.proto:1:1: note: first here\nwarning: unused\n"
        )
    }

    @Test("excerpts show the source line with a caret under the span")
    func excerpts() {
        let file = SourceFile(name: "x.proto", text: "syntax = \"proto3\";\n\tmessage é { int32 x = 1 }\n")
        let missing = Diagnostic.error("Expected \";\", found \"}\".", at: file.span(45, 46))
        #expect(
            DiagnosticRenderer().render(missing, excerptFrom: file)
                == """
                x.proto:2:34: error: Expected \";\", found \"}\".\n\tmessage é { int32 x \
                = 1 }\n\t\(String(repeating: " ", count: 24))^
                """
        )
        let name = Diagnostic.error("Bad name.", at: file.span(33, 38))
        #expect(
            DiagnosticRenderer().render(name, excerptFrom: file).hasSuffix(
                "\n\t\(String(repeating: " ", count: 12))^~~~~"
            )
        )
    }
}
